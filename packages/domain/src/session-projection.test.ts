import { describe, expect, it } from 'vitest';
import {
  applySessionEvent,
  foldSessionEvents,
  initialSnapshot,
  participantStateOf,
  type FoldableEvent,
} from './session-projection.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute)).toISOString();
const phase = (from: string, to: string, extra: object = {}, minute = 0): FoldableEvent => ({
  type: 'session.phase_changed',
  payload: { action: 'advance', from, phase: to, paused: false, aborted: false, ...extra },
  at: at(minute),
});
const state = (participantId: string, from: string, to: string, minute = 0): FoldableEvent => ({
  type: 'participant.state_changed',
  payload: { participantId, seat: 1, from, to },
  at: at(minute),
});

describe('foldSessionEvents', () => {
  it('starts scheduled, with everyone expected', () => {
    const snapshot = initialSnapshot('dosing');
    expect(snapshot.status).toEqual({
      kind: 'dosing',
      phase: 'scheduled',
      paused: false,
      abortedReason: null,
    });
    expect(participantStateOf(snapshot, 'p1')).toBe('expected');
  });

  it('follows phases, pause and resume', () => {
    const snapshot = foldSessionEvents('dosing', [
      phase('scheduled', 'arrival'),
      phase('arrival', 'arrival', { action: 'pause', paused: true }),
    ]);
    expect(snapshot.status).toMatchObject({ phase: 'arrival', paused: true });
    const resumed = applySessionEvent(snapshot, phase('arrival', 'arrival', { action: 'resume' }));
    expect(resumed.status.paused).toBe(false);
    expect(snapshot.status.paused).toBe(true); // the input is left as it was
  });

  it('keeps the abort reason for staff, and an empty one for a screen that may not see it', () => {
    const aborted = phase('journey', 'journey', { action: 'abort', aborted: true });
    const reason: FoldableEvent = { type: 'session.aborted', payload: { reason: 'Fire alarm' }, at: at(1) };
    expect(foldSessionEvents('dosing', [reason, aborted]).status.abortedReason).toBe('Fire alarm');
    expect(foldSessionEvents('dosing', [aborted, reason]).status.abortedReason).toBe('Fire alarm');
    expect(foldSessionEvents('dosing', [aborted]).status.abortedReason).toBe('');
  });

  it('tracks each participant, and the time of their first dose', () => {
    const snapshot = foldSessionEvents('dosing', [
      state('p1', 'expected', 'checked_in', 1),
      state('p1', 'checked_in', 'ready', 2),
      state('p1', 'ready', 'dosed', 5),
      state('p1', 'dosed', 'acute', 6),
      state('p2', 'expected', 'absent', 7),
    ]);
    expect(snapshot.participants['p1']).toEqual({ state: 'acute', firstDosedAt: at(5) });
    expect(snapshot.participants['p2']).toEqual({ state: 'absent', firstDosedAt: null });
    expect(participantStateOf(snapshot, 'p3')).toBe('expected');
  });

  it.each([
    ['an unknown type', { type: 'checkin.recorded', payload: { phase: 'journey' }, at: at(0) }],
    ['a phase of another kind', phase('scheduled', 'theme_round')],
    ['a phase that is not one', phase('scheduled', '__proto__')],
    ['a state that is not one', state('p1', 'expected', 'flying')],
    [
      'a participant id that is not a string',
      { ...state('p1', 'expected', 'ready'), payload: { to: 'ready' } },
    ],
  ])('ignores %s', (_, event) => {
    expect(foldSessionEvents('dosing', [event as FoldableEvent])).toEqual(initialSnapshot('dosing'));
  });
});
