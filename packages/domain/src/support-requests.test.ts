import { describe, expect, it } from 'vitest';
import {
  applySupportEvent,
  byUrgency,
  DEFAULT_SUPPORT_ESCALATE_AFTER_MS,
  dueEscalations,
  openRequestOf,
  supportStatus,
  type SupportEvent,
  type SupportRequests,
} from './support-requests.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds)).toISOString();
const requested = (requestId: string, participantId: string, seconds: number, seat = 1): SupportEvent => ({
  type: 'support.requested',
  payload: { requestId, participantId, seat },
  actorId: participantId,
  at: at(seconds),
});
const escalated = (requestId: string, seconds: number): SupportEvent => ({
  type: 'support.escalated',
  payload: { requestId },
  actorId: 'system',
  at: at(seconds),
});
const acknowledged = (requestId: string, by: string, seconds: number): SupportEvent => ({
  type: 'support.acknowledged',
  payload: { requestId },
  actorId: by,
  at: at(seconds),
});

function fold(events: SupportEvent[]): SupportRequests {
  return events.reduce<SupportRequests>((requests, event) => applySupportEvent(requests, event), new Map());
}

describe('the support request fold', () => {
  it('goes waiting → escalated → acknowledged, keeping who answered first', () => {
    const waiting = fold([requested('r1', 'p1', 0)]);
    expect(supportStatus(waiting.get('r1')!)).toBe('waiting');
    const up = applySupportEvent(waiting, escalated('r1', 30));
    expect(supportStatus(up.get('r1')!)).toBe('escalated');
    const answered = fold([
      requested('r1', 'p1', 0),
      escalated('r1', 30),
      acknowledged('r1', 'luis', 35),
      acknowledged('r1', 'hannah', 36),
    ]);
    expect(answered.get('r1')).toMatchObject({
      acknowledgedBy: 'luis',
      acknowledgedAt: at(35),
      escalatedAt: at(30),
    });
    expect(supportStatus(waiting.get('r1')!)).toBe('waiting'); // the input is left as it was
  });

  it('never escalates an answered request, and a repeated request id changes nothing', () => {
    const requests = fold([
      requested('r1', 'p1', 0),
      acknowledged('r1', 'luis', 5),
      escalated('r1', 30),
      requested('r1', 'p2', 40),
    ]);
    expect(requests.get('r1')).toMatchObject({ participantId: 'p1', escalatedAt: null });
  });

  it.each([
    [
      'no request id',
      { type: 'support.requested', payload: { participantId: 'p1', seat: 1 }, actorId: 'p1', at: at(0) },
    ],
    ['an empty request id', { ...requested('', 'p1', 0) }],
    [
      'no seat',
      {
        type: 'support.requested',
        payload: { requestId: 'r9', participantId: 'p1' },
        actorId: 'p1',
        at: at(0),
      },
    ],
    ['an acknowledgement of an unknown request', acknowledged('nope', 'luis', 1)],
    [
      'another event type',
      { type: 'session.phase_changed', payload: { requestId: 'r1' }, actorId: 'x', at: at(0) },
    ],
  ])('ignores %s', (_, event) => {
    expect(fold([event as SupportEvent]).size).toBe(0);
  });
});

describe('openRequestOf', () => {
  it('finds the participant’s unanswered request, so a second tap joins it', () => {
    const requests = fold([
      requested('r1', 'p1', 0),
      requested('r2', 'p2', 1),
      acknowledged('r2', 'luis', 2),
    ]);
    expect(openRequestOf(requests, 'p1')?.requestId).toBe('r1');
    expect(openRequestOf(requests, 'p2')).toBeNull();
    expect(openRequestOf(requests, 'p3')).toBeNull();
  });
});

describe('dueEscalations', () => {
  const requests = fold([
    requested('late', 'p1', 0),
    requested('fresh', 'p2', 20),
    requested('answered', 'p3', 0),
    acknowledged('answered', 'luis', 3),
    requested('done', 'p4', 0),
    escalated('done', 30),
    requested('older', 'p5', -10),
  ]);

  it.each([
    [29_999, ['older']],
    [30_000, ['older', 'late']],
    [50_000, ['older', 'late', 'fresh']],
  ])('at +%i ms after the first request: %j', (ms, expected) => {
    const now = new Date(Date.parse(at(0)) + ms);
    expect(dueEscalations(requests, now, DEFAULT_SUPPORT_ESCALATE_AFTER_MS).map((r) => r.requestId)).toEqual(
      expected,
    );
  });
});

describe('byUrgency', () => {
  it('puts escalated first, then waiting, then answered, oldest first within each', () => {
    const requests = fold([
      requested('a', 'p1', 0),
      acknowledged('a', 'luis', 1),
      requested('b', 'p2', 2),
      requested('c', 'p3', 3),
      escalated('c', 40),
      requested('d', 'p4', 1),
    ]);
    expect(byUrgency(requests.values()).map((r) => r.requestId)).toEqual(['c', 'd', 'b', 'a']);
  });
});
