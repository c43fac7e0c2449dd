/**
 * The group-level phase of a session (clinical.md §7.3 A, C, D), with the pause and abort
 * overlays. Pure: `decidePhaseChange` takes the session, the participants' states and who
 * asks, and answers with the next status or a reason a person understands ("the participant
 * in seat 4 has not returned yet"). The caller records the change as an event.
 */
import { GROUP_MIN_PARTICIPANTS } from './group-size.ts';
import { FINAL_PARTICIPANT_STATES, type ParticipantState } from './participant-states.ts';
import type { StaffRole } from './roles.ts';

export const SESSION_KINDS = ['preparation', 'dosing', 'integration'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** Phases of each kind, in the only order they happen. */
export const PHASES = {
  dosing: [
    'scheduled',
    'arrival',
    'opening_circle',
    'settling',
    'dosing',
    'journey',
    'return',
    'sharing_circle',
    'closing',
    'completed',
    'documented',
  ],
  integration: [
    'scheduled',
    'open',
    'check_in_round',
    'sharing_rounds',
    'theme_round',
    'commitments',
    'closing',
    'closed',
    'documented',
  ],
  preparation: [
    'scheduled',
    'open',
    'check_in_round',
    'psychoeducation',
    'intention_setting',
    'theme_round',
    'commitments',
    'closing',
    'closed',
    'documented',
  ],
} as const satisfies Record<SessionKind, readonly string[]>;

export type SessionPhase = (typeof PHASES)[SessionKind][number];

export const PHASE_LABELS: Record<SessionPhase, string> = {
  scheduled: 'Scheduled',
  arrival: 'Arrival',
  opening_circle: 'Opening circle',
  settling: 'Settling',
  dosing: 'Dosing',
  journey: 'Journey',
  return: 'Return',
  sharing_circle: 'Sharing circle',
  closing: 'Closing',
  completed: 'Completed',
  documented: 'Documented',
  open: 'Open',
  check_in_round: 'Check-in round',
  sharing_rounds: 'Sharing rounds',
  theme_round: 'Theme round',
  commitments: 'Commitments',
  closed: 'Closed',
  psychoeducation: 'Psychoeducation',
  intention_setting: 'Intention setting',
};

export interface SessionStatus {
  kind: SessionKind;
  phase: SessionPhase;
  paused: boolean;
  /** Set once the session was aborted; it then only winds down (completed, documented). */
  abortedReason: string | null;
}

export interface SeatFacts {
  seat: number;
  state: ParticipantState;
}

export type PhaseAction =
  | { type: 'advance'; to: SessionPhase }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'abort'; reason: string };

export interface PhaseFacts {
  participants: readonly SeatFacts[];
  /** Whether the session's notes are signed (needed to mark it documented). */
  notesSigned: boolean;
}

export type PhaseDecision =
  { ok: true; status: SessionStatus; warnings: string[] } | { ok: false; reason: string };

export function phasesOf(kind: SessionKind): readonly SessionPhase[] {
  return PHASES[kind];
}

/** The phase after `phase`, or null at the end. */
export function nextPhase(kind: SessionKind, phase: SessionPhase): SessionPhase | null {
  const order = phasesOf(kind);
  const at = order.indexOf(phase);
  return at >= 0 && at < order.length - 1 ? order[at + 1]! : null;
}

/** Between the doors opening and the session being over: pause and abort apply. */
export function isActivePhase(kind: SessionKind, phase: SessionPhase): boolean {
  const endOfActivity: SessionPhase = kind === 'dosing' ? 'completed' : 'closed';
  const order = phasesOf(kind);
  const at = order.indexOf(phase);
  return at > 0 && at < order.indexOf(endOfActivity);
}

const isFacilitator = (roles: readonly StaffRole[]) => roles.includes('facilitator');
const isMedical = (roles: readonly StaffRole[]) => roles.includes('medical_provider');

/** "seat 4" / "seats 2 and 5" / "seats 1, 3 and 6". */
export function seatList(seats: readonly number[]): string {
  const sorted = [...seats].sort((a, b) => a - b);
  if (sorted.length === 1) return `seat ${sorted[0]}`;
  return `seats ${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
}

function theParticipantsIn(seats: readonly number[]): string {
  return seats.length === 1
    ? `The participant in ${seatList(seats)}`
    : `The participants in ${seatList(seats)}`;
}

const seatsIn = (facts: PhaseFacts, states: readonly ParticipantState[]) =>
  facts.participants.filter((p) => states.includes(p.state)).map((p) => p.seat);

/**
 * Guards on entering `to` in a dosing session: a refusal (blocks), or warnings (the
 * facilitator may go on, knowingly).
 */
function dosingGuard(to: SessionPhase, roles: readonly StaffRole[], facts: PhaseFacts): string | string[] {
  switch (to) {
    case 'opening_circle':
      return seatsIn(facts, ['ready']).length === 0 ? 'No participant is ready yet.' : [];
    case 'dosing':
      return isMedical(roles) ? [] : 'Only a medical provider can begin dosing.';
    case 'journey': {
      const waiting = seatsIn(facts, ['ready']);
      if (waiting.length === 0) return [];
      const verb = waiting.length === 1 ? 'has' : 'have';
      return `${theParticipantsIn(waiting)} ${verb} not been dosed or deferred yet.`;
    }
    case 'return': {
      const escalated = seatsIn(facts, ['escalated']);
      if (escalated.length === 0) return [];
      const verb = escalated.length === 1 ? 'is' : 'are';
      return `${theParticipantsIn(escalated)} ${verb} escalated; resolve that first.`;
    }
    case 'sharing_circle': {
      const out = seatsIn(facts, ['dosed', 'acute', 'escalated']);
      if (out.length === 0) return [];
      const verb = out.length === 1 ? 'has' : 'have';
      return [`${theParticipantsIn(out)} ${verb} not returned yet.`];
    }
    case 'completed': {
      const still = facts.participants
        .filter((p) => !FINAL_PARTICIPANT_STATES.includes(p.state))
        .map((p) => p.seat);
      if (still.length === 0) return [];
      const verb = still.length === 1 ? 'is' : 'are';
      return `${theParticipantsIn(still)} ${verb} still here; discharge or transfer them first.`;
    }
    default:
      return [];
  }
}

export function decidePhaseChange(
  status: SessionStatus,
  action: PhaseAction,
  roles: readonly StaffRole[],
  facts: PhaseFacts,
): PhaseDecision {
  const active = isActivePhase(status.kind, status.phase);
  switch (action.type) {
    case 'pause':
      if (!isFacilitator(roles)) return { ok: false, reason: 'Only a facilitator can pause the session.' };
      if (!active || status.abortedReason)
        return { ok: false, reason: 'Only a running session can be paused.' };
      if (status.paused) return { ok: false, reason: 'The session is already paused.' };
      return { ok: true, status: { ...status, paused: true }, warnings: [] };
    case 'resume':
      if (!isFacilitator(roles)) return { ok: false, reason: 'Only a facilitator can resume the session.' };
      if (!status.paused) return { ok: false, reason: 'The session is not paused.' };
      return { ok: true, status: { ...status, paused: false }, warnings: [] };
    case 'abort': {
      if (!isFacilitator(roles) && !isMedical(roles)) {
        return { ok: false, reason: 'Only a facilitator or a medical provider can abort the session.' };
      }
      if (!active) return { ok: false, reason: 'Only a running session can be aborted.' };
      if (status.abortedReason) return { ok: false, reason: 'The session has already been aborted.' };
      const reason = action.reason.trim();
      if (reason === '')
        return { ok: false, reason: 'Please give a reason for aborting; it goes in the record.' };
      if (reason.length > 500) return { ok: false, reason: 'Please keep the reason under 500 characters.' };
      return { ok: true, status: { ...status, paused: false, abortedReason: reason }, warnings: [] };
    }
    case 'advance':
      return decideAdvance(status, action.to, roles, facts);
  }
}

function decideAdvance(
  status: SessionStatus,
  to: SessionPhase,
  roles: readonly StaffRole[],
  facts: PhaseFacts,
): PhaseDecision {
  const { kind, phase } = status;
  if (!phasesOf(kind).includes(to)) {
    const article = /^[aeiou]/.test(kind) ? 'An' : 'A';
    return {
      ok: false,
      reason: `${article} ${kind} session has no ${PHASE_LABELS[to].toLowerCase()} phase.`,
    };
  }
  if (status.paused) return { ok: false, reason: 'The session is paused; resume it first.' };
  const end: SessionPhase = kind === 'dosing' ? 'completed' : 'closed';
  // An aborted session only winds down: straight to its end, then documented.
  const expected = status.abortedReason && isActivePhase(kind, phase) ? end : nextPhase(kind, phase);
  if (expected === null) return { ok: false, reason: 'The session is documented: nothing follows.' };
  if (to !== expected) {
    return {
      ok: false,
      reason: `The session moves from ${PHASE_LABELS[phase]} to ${PHASE_LABELS[expected]} next, not to ${PHASE_LABELS[to]}.`,
    };
  }
  // Doors open only for a group of group size: enrolment is where a smaller group is fixed.
  if (phase === 'scheduled' && facts.participants.length < GROUP_MIN_PARTICIPANTS) {
    return {
      ok: false,
      reason: `The group has ${facts.participants.length} enrolled; a group needs at least ${GROUP_MIN_PARTICIPANTS}.`,
    };
  }
  const needsMedical = kind === 'dosing' && to === 'dosing';
  if (!needsMedical && !isFacilitator(roles)) {
    return { ok: false, reason: 'Only a facilitator can move the session on.' };
  }
  if (to === 'documented' && !facts.notesSigned) {
    return { ok: false, reason: "The session's notes are not signed yet." };
  }
  let warnings: string[] = [];
  if (kind === 'dosing') {
    const guard = dosingGuard(to, roles, facts);
    if (typeof guard === 'string') return { ok: false, reason: guard };
    warnings = guard;
  }
  return { ok: true, status: { ...status, phase: to }, warnings };
}
