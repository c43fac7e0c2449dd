import { describe, expect, it } from 'vitest';
import {
  decideParticipantChange,
  DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
  nextParticipantStates,
  PARTICIPANT_STATES,
  type DischargeFacts,
  type ParticipantState,
  type StateActor,
} from './participant-states.ts';

const everyone: StateActor = { kind: 'staff', roles: ['facilitator', 'co_therapist', 'medical_provider'] };
const medical: StateActor = { kind: 'staff', roles: ['medical_provider'] };
const cotherapist: StateActor = { kind: 'staff', roles: ['co_therapist'] };
const adminOnly: StateActor = { kind: 'staff', roles: ['admin'] };
const tablet: StateActor = { kind: 'participant' };
const clearToLeave: DischargeFacts = {
  minutesSinceFirstDose: 150,
  minMinutesBeforeDischarge: DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
  openUrgentAlerts: 0,
  escortPresent: true,
};

const PRESENT: ParticipantState[] = [
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

/** The whole legal table (clinical.md §7.3 B): every other pair must be refused. */
const LEGAL: Record<ParticipantState, ParticipantState[]> = {
  expected: ['checked_in', 'absent'],
  checked_in: ['ready', 'needs_review', 'deferred', 'escalated', 'left_against_advice'],
  needs_review: ['ready', 'deferred', 'escalated', 'left_against_advice'],
  ready: ['dosed', 'deferred', 'escalated', 'left_against_advice'],
  deferred: ['discharged', 'escalated', 'left_against_advice'],
  dosed: ['acute', 'escalated', 'left_against_advice'],
  acute: ['returned', 'escalated', 'left_against_advice'],
  returned: ['observation', 'escalated', 'left_against_advice'],
  observation: ['discharge_ready', 'escalated', 'left_against_advice'],
  discharge_ready: ['discharged', 'escalated', 'left_against_advice'],
  escalated: ['acute', 'observation', 'transferred', 'left_against_advice'],
  discharged: [],
  transferred: [],
  absent: [],
  left_against_advice: [],
};

const pairs = PARTICIPANT_STATES.flatMap((from) => PARTICIPANT_STATES.map((to) => [from, to] as const));

describe('participant state machine', () => {
  it.each(pairs)('%s → %s is legal exactly when the table says so', (from, to) => {
    const decision = decideParticipantChange(
      from,
      { to, reason: 'documented reason' },
      everyone,
      4,
      clearToLeave,
    );
    expect(decision.ok).toBe(LEGAL[from].includes(to));
    if (!decision.ok) expect(decision.reason).toMatch(/seat 4|Only|reason/);
  });

  it('nextParticipantStates lists exactly the legal targets', () => {
    for (const from of PARTICIPANT_STATES)
      expect(nextParticipantStates(from).sort()).toEqual([...LEGAL[from]].sort());
  });

  it('explains an illegal move in words, naming the seat, not the person', () => {
    expect(decideParticipantChange('acute', { to: 'discharged' }, everyone, 4)).toEqual({
      ok: false,
      reason: 'The participant in seat 4 is in journey: they cannot be marked discharged from there.',
    });
  });

  it.each([
    ['expected', 'checked_in', tablet, true],
    ['expected', 'absent', tablet, false],
    ['checked_in', 'ready', tablet, false],
    ['checked_in', 'ready', cotherapist, true],
    ['needs_review', 'ready', cotherapist, false],
    ['needs_review', 'ready', medical, true],
    ['ready', 'dosed', cotherapist, false],
    ['ready', 'dosed', medical, true],
    ['escalated', 'transferred', cotherapist, false],
    ['acute', 'returned', adminOnly, false],
    ['expected', 'checked_in', adminOnly, false],
  ] as const)('%s → %s by %o: %s', (from, to, actor, ok) => {
    expect(decideParticipantChange(from, { to, reason: 'r' }, actor, 1, clearToLeave).ok).toBe(ok);
  });

  it.each(['deferred', 'escalated', 'left_against_advice'] as const)(
    '%s needs a reason, and a bounded one',
    (to) => {
      const from: ParticipantState = to === 'deferred' ? 'ready' : 'acute';
      for (const reason of [undefined, '', '   ']) {
        expect(
          decideParticipantChange(from, { to, ...(reason === undefined ? {} : { reason }) }, everyone, 2),
        ).toEqual({
          ok: false,
          reason: 'Please give a reason; it goes in the record.',
        });
      }
      expect(decideParticipantChange(from, { to, reason: 'x'.repeat(501) }, everyone, 2).ok).toBe(false);
      expect(decideParticipantChange(from, { to, reason: 'x'.repeat(500) }, everyone, 2).ok).toBe(true);
    },
  );

  it('every present state can escalate or leave against advice; final states cannot move', () => {
    for (const from of PRESENT) {
      if (from !== 'escalated')
        expect(decideParticipantChange(from, { to: 'escalated', reason: 'r' }, cotherapist, 1).ok).toBe(true);
      expect(
        decideParticipantChange(from, { to: 'left_against_advice', reason: 'r' }, cotherapist, 1).ok,
      ).toBe(true);
    }
  });
});

describe('discharge guard (clinic-configurable defaults)', () => {
  const attempt = (facts: Partial<DischargeFacts> | undefined) =>
    decideParticipantChange(
      'observation',
      { to: 'discharge_ready' },
      cotherapist,
      3,
      facts ? { ...clearToLeave, ...facts } : undefined,
    );

  it('clears a participant when every check passes, at exactly the minimum too', () => {
    expect(attempt({}).ok).toBe(true);
    expect(attempt({ minutesSinceFirstDose: 120 }).ok).toBe(true);
  });

  it.each([
    [undefined, 'The participant in seat 3 cannot be cleared to leave without the discharge checks.'],
    [{ minutesSinceFirstDose: null }, 'The participant in seat 3 has no recorded dose time.'],
    [
      { minutesSinceFirstDose: 95.5 },
      "The participant in seat 3 was first dosed 95 minutes ago; the clinic's minimum is 120 (25 to go).",
    ],
    [
      { minutesSinceFirstDose: 100, minMinutesBeforeDischarge: 180 },
      "The participant in seat 3 was first dosed 100 minutes ago; the clinic's minimum is 180 (80 to go).",
    ],
    [{ openUrgentAlerts: 1 }, 'The participant in seat 3 has an urgent alert nobody has resolved.'],
    [{ escortPresent: false }, 'The participant in seat 3 has no escort here yet.'],
  ] as const)('refuses with %o', (facts, reason) => {
    expect(attempt(facts as Partial<DischargeFacts> | undefined)).toEqual({ ok: false, reason });
  });
});
