import { describe, expect, it } from 'vitest';
import type { ParticipantState } from './participant-states.ts';
import type { StaffRole } from './roles.ts';
import {
  decidePhaseChange,
  isActivePhase,
  nextPhase,
  PHASES,
  seatList,
  SESSION_KINDS,
  type PhaseFacts,
  type SessionKind,
  type SessionPhase,
  type SessionStatus,
} from './session-phases.ts';

const lead: StaffRole[] = ['facilitator', 'medical_provider'];
const facilitator: StaffRole[] = ['facilitator'];
const medical: StaffRole[] = ['medical_provider'];
const cotherapist: StaffRole[] = ['co_therapist'];

const status = (
  kind: SessionKind,
  phase: SessionPhase,
  extra: Partial<SessionStatus> = {},
): SessionStatus => ({
  kind,
  phase,
  paused: false,
  abortedReason: null,
  ...extra,
});

function room(...states: ParticipantState[]): PhaseFacts {
  return { participants: states.map((state, i) => ({ seat: i + 1, state })), notesSigned: false };
}

/** Facts under which every guard of a dosing session passes. */
function factsFor(to: SessionPhase): PhaseFacts {
  switch (to) {
    case 'opening_circle':
      return room('ready', 'checked_in', 'checked_in', 'absent');
    case 'completed':
      return room('discharged', 'transferred', 'absent', 'discharged');
    case 'documented':
      return { ...room('discharged', 'discharged', 'discharged', 'discharged'), notesSigned: true };
    default:
      return room('returned', 'deferred', 'returned', 'returned');
  }
}

describe('phase order', () => {
  it.each(SESSION_KINDS)('%s: every phase advances only to the next one', (kind) => {
    const order = PHASES[kind] as readonly SessionPhase[];
    for (const from of order) {
      for (const to of order) {
        const decision = decidePhaseChange(status(kind, from), { type: 'advance', to }, lead, factsFor(to));
        const legal = order.indexOf(to) === order.indexOf(from) + 1;
        expect(decision.ok, `${kind}: ${from} → ${to}`).toBe(legal);
        if (decision.ok) expect(decision.status.phase).toBe(to);
      }
    }
  });

  it.each(SESSION_KINDS)('%s: the doors open only for a group of at least four', (kind) => {
    const to = nextPhase(kind, 'scheduled')!;
    expect(
      decidePhaseChange(
        status(kind, 'scheduled'),
        { type: 'advance', to },
        lead,
        room('expected', 'expected', 'expected'),
      ),
    ).toEqual({
      ok: false,
      reason: 'The group has 3 enrolled; a group needs at least 4.',
    });
    expect(
      decidePhaseChange(
        status(kind, 'scheduled'),
        { type: 'advance', to },
        lead,
        room('expected', 'expected', 'expected', 'expected'),
      ).ok,
    ).toBe(true);
  });

  it('names the phase that comes next when someone skips ahead', () => {
    expect(
      decidePhaseChange(status('dosing', 'journey'), { type: 'advance', to: 'closing' }, lead, room()),
    ).toEqual({
      ok: false,
      reason: 'The session moves from Journey to Return next, not to Closing.',
    });
  });

  it('refuses a phase of another kind', () => {
    const decision = decidePhaseChange(
      status('integration', 'open'),
      { type: 'advance', to: 'dosing' },
      lead,
      room(),
    );
    expect(decision).toEqual({ ok: false, reason: 'An integration session has no dosing phase.' });
  });

  it('nothing follows documented', () => {
    for (const kind of SESSION_KINDS) expect(nextPhase(kind, 'documented')).toBeNull();
  });

  it('active phases are those between the doors opening and the end', () => {
    expect(PHASES.dosing.filter((p) => isActivePhase('dosing', p))).toEqual([
      'arrival',
      'opening_circle',
      'settling',
      'dosing',
      'journey',
      'return',
      'sharing_circle',
      'closing',
    ]);
    expect(PHASES.integration.filter((p) => isActivePhase('integration', p))).toEqual([
      'open',
      'check_in_round',
      'sharing_rounds',
      'theme_round',
      'commitments',
      'closing',
    ]);
  });
});

describe('dosing guards', () => {
  const advance = (from: SessionPhase, to: SessionPhase, facts: PhaseFacts, roles = lead) =>
    decidePhaseChange(status('dosing', from), { type: 'advance', to }, roles, facts);

  it.each([
    ['arrival', 'opening_circle', room('checked_in', 'expected'), 'No participant is ready yet.'],
    [
      'dosing',
      'journey',
      room('dosed', 'ready'),
      'The participant in seat 2 has not been dosed or deferred yet.',
    ],
    [
      'dosing',
      'journey',
      room('ready', 'dosed', 'ready'),
      'The participants in seats 1 and 3 have not been dosed or deferred yet.',
    ],
    [
      'journey',
      'return',
      room('acute', 'escalated'),
      'The participant in seat 2 is escalated; resolve that first.',
    ],
    [
      'closing',
      'completed',
      room('discharged', 'observation'),
      'The participant in seat 2 is still here; discharge or transfer them first.',
    ],
    ['completed', 'documented', room('discharged'), "The session's notes are not signed yet."],
  ] as const)('%s → %s is refused: %s', (from, to, facts, reason) => {
    expect(advance(from, to, facts)).toEqual({ ok: false, reason });
  });

  it('passes those guards once the facts change', () => {
    expect(advance('arrival', 'opening_circle', room('ready')).ok).toBe(true);
    expect(advance('dosing', 'journey', room('dosed', 'deferred', 'absent')).ok).toBe(true);
    expect(advance('journey', 'return', room('acute', 'returned')).ok).toBe(true);
    expect(advance('closing', 'completed', room('discharged', 'left_against_advice')).ok).toBe(true);
  });

  it('warns, without blocking, when the sharing circle starts before everyone returned', () => {
    expect(advance('return', 'sharing_circle', room('returned', 'acute', 'dosed'))).toEqual({
      ok: true,
      status: status('dosing', 'sharing_circle'),
      warnings: ['The participants in seats 2 and 3 have not returned yet.'],
    });
    expect(advance('return', 'sharing_circle', room('returned', 'observation'))).toMatchObject({
      ok: true,
      warnings: [],
    });
  });

  it('dosing begins only with a medical provider; other phases only with a facilitator', () => {
    expect(advance('settling', 'dosing', room('ready'), facilitator)).toEqual({
      ok: false,
      reason: 'Only a medical provider can begin dosing.',
    });
    expect(advance('settling', 'dosing', room('ready'), medical).ok).toBe(true);
    expect(advance('opening_circle', 'settling', room('ready'), medical)).toEqual({
      ok: false,
      reason: 'Only a facilitator can move the session on.',
    });
    expect(advance('opening_circle', 'settling', room('ready'), cotherapist).ok).toBe(false);
  });
});

describe('pause, resume and abort', () => {
  it('pauses and resumes a running session, keeping its phase', () => {
    const paused = decidePhaseChange(status('dosing', 'journey'), { type: 'pause' }, facilitator, room());
    expect(paused).toEqual({ ok: true, status: status('dosing', 'journey', { paused: true }), warnings: [] });
    const stuck = decidePhaseChange(
      status('dosing', 'journey', { paused: true }),
      { type: 'advance', to: 'return' },
      lead,
      room(),
    );
    expect(stuck).toEqual({ ok: false, reason: 'The session is paused; resume it first.' });
    const resumed = decidePhaseChange(
      status('dosing', 'journey', { paused: true }),
      { type: 'resume' },
      facilitator,
      room(),
    );
    expect(resumed).toMatchObject({ ok: true, status: status('dosing', 'journey') });
  });

  it.each([
    [status('dosing', 'scheduled'), { type: 'pause' }, facilitator, 'Only a running session can be paused.'],
    [status('dosing', 'completed'), { type: 'pause' }, facilitator, 'Only a running session can be paused.'],
    [
      status('dosing', 'journey', { paused: true }),
      { type: 'pause' },
      facilitator,
      'The session is already paused.',
    ],
    [status('dosing', 'journey'), { type: 'pause' }, medical, 'Only a facilitator can pause the session.'],
    [status('dosing', 'journey'), { type: 'resume' }, facilitator, 'The session is not paused.'],
    [
      status('dosing', 'journey'),
      { type: 'abort', reason: '  ' },
      facilitator,
      'Please give a reason for aborting; it goes in the record.',
    ],
    [
      status('dosing', 'journey'),
      { type: 'abort', reason: 'x'.repeat(501) },
      facilitator,
      'Please keep the reason under 500 characters.',
    ],
    [
      status('dosing', 'journey'),
      { type: 'abort', reason: 'fire alarm' },
      cotherapist,
      'Only a facilitator or a medical provider can abort the session.',
    ],
    [
      status('dosing', 'scheduled'),
      { type: 'abort', reason: 'fire alarm' },
      facilitator,
      'Only a running session can be aborted.',
    ],
    [
      status('dosing', 'journey', { abortedReason: 'fire alarm' }),
      { type: 'abort', reason: 'again' },
      medical,
      'The session has already been aborted.',
    ],
  ] as const)('refuses %o %o', (from, action, roles, reason) => {
    expect(decidePhaseChange(from, action, roles, room())).toEqual({ ok: false, reason });
  });

  it('an aborted session only winds down: straight to its end once everyone left, then documented', () => {
    const aborted = decidePhaseChange(
      status('dosing', 'journey', { paused: true }),
      { type: 'abort', reason: 'fire alarm' },
      medical,
      room(),
    );
    expect(aborted).toEqual({
      ok: true,
      status: status('dosing', 'journey', { abortedReason: 'fire alarm' }),
      warnings: [],
    });
    const after = status('dosing', 'journey', { abortedReason: 'fire alarm' });
    expect(decidePhaseChange(after, { type: 'advance', to: 'return' }, lead, room('acute')).ok).toBe(false);
    expect(decidePhaseChange(after, { type: 'advance', to: 'completed' }, lead, room('acute'))).toEqual({
      ok: false,
      reason: 'The participant in seat 1 is still here; discharge or transfer them first.',
    });
    expect(decidePhaseChange(after, { type: 'advance', to: 'completed' }, lead, room('transferred')).ok).toBe(
      true,
    );
    expect(decidePhaseChange(after, { type: 'pause' }, facilitator, room()).ok).toBe(false);
    const integration = status('integration', 'sharing_rounds', { abortedReason: 'power cut' });
    expect(decidePhaseChange(integration, { type: 'advance', to: 'closed' }, facilitator, room()).ok).toBe(
      true,
    );
  });
});

describe('seatList', () => {
  it.each([
    [[4], 'seat 4'],
    [[5, 2], 'seats 2 and 5'],
    [[6, 1, 3], 'seats 1, 3 and 6'],
  ])('%o → %s', (seats, text) => expect(seatList(seats)).toBe(text));
});
