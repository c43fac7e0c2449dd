/**
 * One participant's way through a dosing session (clinical.md §7.3 B). People are dosed,
 * return and are discharged at different times, so each has their own state beside the
 * group's phase. Pure: the caller supplies the facts (time since first dose, open alerts,
 * escort) and records the result as an event with its actor and device.
 *
 * The discharge guard's minimum observation time is a clinic-configurable default, not
 * medical advice (PRODUCT §3.6).
 */
import type { StaffRole } from './roles.ts';

export const PARTICIPANT_STATES = [
  'expected',
  'checked_in',
  'ready',
  'needs_review',
  'deferred',
  'dosed',
  'acute',
  'returned',
  'observation',
  'discharge_ready',
  'discharged',
  'escalated',
  'transferred',
  'absent',
  'left_against_advice',
] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];

export const PARTICIPANT_STATE_LABELS: Record<ParticipantState, string> = {
  expected: 'Expected',
  checked_in: 'Checked in',
  ready: 'Ready',
  needs_review: 'Needs review',
  deferred: 'Deferred',
  dosed: 'Dosed',
  acute: 'In journey',
  returned: 'Returned',
  observation: 'Observation',
  discharge_ready: 'Ready to leave',
  discharged: 'Discharged',
  escalated: 'Escalated',
  transferred: 'Transferred',
  absent: 'Absent',
  left_against_advice: 'Left against advice',
};

/** States a participant can no longer leave: they are not in the room any more. */
export const FINAL_PARTICIPANT_STATES: readonly ParticipantState[] = [
  'discharged',
  'transferred',
  'absent',
  'left_against_advice',
];

/**
 * Clinic-configurable default, not medical advice: at least this long after the first dose
 * before discharge. Each clinic sets its own (`minMinutesBeforeDischarge` in the clinic's
 * settings) within the bounds below; this is what a new clinic starts with.
 */
export const DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE = 120;
/** The range a clinic may choose its minimum from (0 means no minimum; 720 is 12 hours). */
export const MIN_MINUTES_BEFORE_DISCHARGE_MIN = 0;
export const MIN_MINUTES_BEFORE_DISCHARGE_MAX = 720;

/** Who asks for a change: a staff member with their roles, or the participant's own tablet. */
export type StateActor = { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'participant' };

export interface DischargeFacts {
  /** Minutes since this participant's first dose (null if never dosed). */
  minutesSinceFirstDose: number | null;
  /** The clinic's minimum (DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE unless changed). */
  minMinutesBeforeDischarge: number;
  /** Urgent alerts about this participant nobody has resolved. */
  openUrgentAlerts: number;
  /** Someone to take them home is here (or transport is arranged). */
  escortPresent: boolean;
}

export interface ParticipantChange {
  to: ParticipantState;
  /** Required for leaving against advice, deferral and escalation: it goes in the record. */
  reason?: string;
}

export type ParticipantDecision = { ok: true; to: ParticipantState } | { ok: false; reason: string };

type Who = 'staff' | 'clinician' | 'medical' | 'participant_or_staff';

interface Edge {
  who: Who;
  /** A reason must be given (and is recorded). */
  needsReason?: boolean;
}

const PRESENT: readonly ParticipantState[] = [
  'checked_in',
  'ready',
  'needs_review',
  'deferred',
  'dosed',
  'acute',
  'returned',
  'observation',
  'discharge_ready',
  'escalated',
];

/** Every legal move, and who may make it. Anything not here is refused. */
const EDGES: Partial<Record<ParticipantState, Partial<Record<ParticipantState, Edge>>>> = {
  expected: { checked_in: { who: 'participant_or_staff' }, absent: { who: 'staff' } },
  checked_in: {
    ready: { who: 'clinician' },
    needs_review: { who: 'clinician' },
    deferred: { who: 'medical', needsReason: true },
  },
  // The prescriber's decision.
  needs_review: { ready: { who: 'medical' }, deferred: { who: 'medical', needsReason: true } },
  ready: { dosed: { who: 'medical' }, deferred: { who: 'medical', needsReason: true } },
  deferred: { discharged: { who: 'clinician' } },
  dosed: { acute: { who: 'clinician' } },
  acute: { returned: { who: 'clinician' } },
  returned: { observation: { who: 'clinician' } },
  observation: { discharge_ready: { who: 'clinician' } },
  discharge_ready: { discharged: { who: 'clinician' } },
  escalated: {
    acute: { who: 'medical' },
    observation: { who: 'medical' },
    transferred: { who: 'medical', needsReason: true },
  },
};

function edgeBetween(from: ParticipantState, to: ParticipantState): Edge | null {
  const direct = EDGES[from]?.[to];
  if (direct) return direct;
  // From anywhere in the room: escalation, and leaving against advice (documented).
  if (PRESENT.includes(from) && from !== 'escalated' && to === 'escalated') {
    return { who: 'staff', needsReason: true };
  }
  if (PRESENT.includes(from) && to === 'left_against_advice') return { who: 'staff', needsReason: true };
  return null;
}

const CLINICAL: readonly StaffRole[] = ['facilitator', 'co_therapist', 'medical_provider'];

function allowed(who: Who, actor: StateActor): boolean {
  if (actor.kind === 'participant') return who === 'participant_or_staff';
  const clinical = actor.roles.some((role) => CLINICAL.includes(role));
  switch (who) {
    case 'participant_or_staff':
    case 'staff':
    case 'clinician':
      return clinical;
    case 'medical':
      return actor.roles.includes('medical_provider');
  }
}

const WHO_TEXT: Record<Who, string> = {
  participant_or_staff: 'the participant or a clinician',
  staff: 'a clinician',
  clinician: 'a clinician',
  medical: 'a medical provider',
};

/** The largest reason a person types; longer is refused rather than cut. */
export const MAX_REASON_LENGTH = 500;

/**
 * Whether a participant may move from `from` to `change.to`, and if not, why — in words a
 * person in the room understands. `seat` names them without naming them.
 */
export function decideParticipantChange(
  from: ParticipantState,
  change: ParticipantChange,
  actor: StateActor,
  seat: number,
  discharge?: DischargeFacts,
): ParticipantDecision {
  const who = `The participant in seat ${seat}`;
  const { to } = change;
  const edge = edgeBetween(from, to);
  if (!edge) {
    return {
      ok: false,
      reason: `${who} is ${PARTICIPANT_STATE_LABELS[from].toLowerCase()}: they cannot be marked ${PARTICIPANT_STATE_LABELS[to].toLowerCase()} from there.`,
    };
  }
  if (!allowed(edge.who, actor)) {
    return {
      ok: false,
      reason: `Only ${WHO_TEXT[edge.who]} can mark a participant ${PARTICIPANT_STATE_LABELS[to].toLowerCase()}.`,
    };
  }
  const reason = change.reason?.trim() ?? '';
  if (edge.needsReason && reason === '')
    return { ok: false, reason: 'Please give a reason; it goes in the record.' };
  if (reason.length > MAX_REASON_LENGTH) {
    return { ok: false, reason: `Please keep the reason under ${MAX_REASON_LENGTH} characters.` };
  }
  if (to === 'discharge_ready') {
    const refusal = dischargeRefusal(who, discharge);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true, to };
}

function dischargeRefusal(who: string, facts: DischargeFacts | undefined): string | null {
  if (!facts) return `${who} cannot be cleared to leave without the discharge checks.`;
  if (facts.minutesSinceFirstDose === null) return `${who} has no recorded dose time.`;
  if (facts.minutesSinceFirstDose < facts.minMinutesBeforeDischarge) {
    const left = Math.ceil(facts.minMinutesBeforeDischarge - facts.minutesSinceFirstDose);
    return `${who} was first dosed ${Math.floor(facts.minutesSinceFirstDose)} minutes ago; the clinic's minimum is ${facts.minMinutesBeforeDischarge} (${left} to go).`;
  }
  if (facts.openUrgentAlerts > 0) return `${who} has an urgent alert nobody has resolved.`;
  if (!facts.escortPresent) return `${who} has no escort here yet.`;
  return null;
}

/** The states reachable from `from` at all (whoever asks): for showing only sensible buttons. */
export function nextParticipantStates(from: ParticipantState): ParticipantState[] {
  return PARTICIPANT_STATES.filter((to) => edgeBetween(from, to) !== null);
}
