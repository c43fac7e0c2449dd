import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  applyLiveEvent,
  byBoardUrgency,
  foldLiveEvents,
  initialLive,
  openAlertsFor,
  openTasksFor,
  openUrgentAlertsFor,
  urgencyOf,
} from './live-projection.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds)).toISOString();
type E = { type: string; payload: Record<string, unknown>; actorId: string; at: string };
const ev = (type: string, payload: Record<string, unknown>, seconds: number, actorId = 'staff-1'): E => ({
  type,
  payload,
  actorId,
  at: at(seconds),
});
const raised = (alertId: string, participantId: string, severity: string, seconds = 0) =>
  ev(
    'alert.raised',
    {
      alertId,
      participantId,
      seat: 1,
      kind: severity === 'urgent' ? 'self_harm' : severity === 'info' ? 'private_talk' : 'medical_review',
      severity,
    },
    seconds,
    participantId,
  );
const checkIn = (participantId: string, moment: string, answers: Record<string, unknown>, seconds: number) =>
  ev('checkin.submitted', { participantId, seat: 1, moment, answers, flags: [] }, seconds, participantId);

describe('the live room fold', () => {
  it('raises and acknowledges alerts, keeping who acknowledged first', () => {
    const live = foldLiveEvents([
      raised('a1', 'p1', 'urgent', 0),
      ev('alert.acknowledged', { alertId: 'a1' }, 5, 'luis'),
      ev('alert.acknowledged', { alertId: 'a1' }, 6, 'hannah'),
      raised('a2', 'p1', 'attention', 7),
    ]);
    expect(live.alerts.get('a1')).toMatchObject({ acknowledgedBy: 'luis', acknowledgedAt: at(5) });
    expect(openAlertsFor(live, 'p1').map((a) => a.alertId)).toEqual(['a2']);
    expect(openUrgentAlertsFor(live, 'p1')).toBe(0);
    expect(openUrgentAlertsFor(foldLiveEvents([raised('a1', 'p1', 'urgent')]), 'p1')).toBe(1);
  });

  it('opens and completes follow-up tasks', () => {
    const opened = ev(
      'task.opened',
      { taskId: 't1', participantId: 'p1', seat: 1, kind: 'safety_follow_up', alertId: 'a1' },
      0,
    );
    const live = foldLiveEvents([opened]);
    expect(openTasksFor(live, 'p1').map((t) => t.taskId)).toEqual(['t1']);
    const done = applyLiveEvent(live, ev('task.completed', { taskId: 't1' }, 9, 'luis'));
    expect(openTasksFor(done, 'p1')).toEqual([]);
    expect(done.tasks.get('t1')).toMatchObject({ completedBy: 'luis', completedAt: at(9) });
    expect(openTasksFor(live, 'p1')).toHaveLength(1); // the input is left as it was
  });

  it.each([
    ['an unknown event', ev('phase.whatever', { alertId: 'a1' }, 0)],
    [
      'an alert without a seat',
      ev('alert.raised', { alertId: 'a', participantId: 'p', kind: 'self_harm', severity: 'urgent' }, 0),
    ],
    [
      'an alert of an unknown severity',
      ev(
        'alert.raised',
        { alertId: 'a', participantId: 'p', seat: 1, kind: 'self_harm', severity: 'huge' },
        0,
      ),
    ],
    ['an acknowledgement of an unknown alert', ev('alert.acknowledged', { alertId: 'nope' }, 0)],
    ['a completion of an unknown task', ev('task.completed', { taskId: 'nope' }, 0)],
    ['a check-in without answers', ev('checkin.submitted', { participantId: 'p', moment: 'arrival' }, 0)],
    ['an assignment to a number', ev('participant.assigned', { participantId: 'p', userId: 7 }, 0)],
    ['presence without online', ev('tablet.presence', { participantId: 'p' }, 0)],
  ])('ignores %s', (_name, event) => {
    const live = initialLive();
    expect(applyLiveEvent(live, event)).toBe(live);
  });

  it('keeps each item’s latest answer with the one before, for the board’s direction', () => {
    const live = foldLiveEvents([
      checkIn('p1', 'arrival', { distress: 3, mood: 6, self_harm_thoughts: false }, 0),
      checkIn('p2', 'arrival', { distress: 9 }, 1),
      checkIn('p1', 'return', { distress: 5, anxiety: 2 }, 60),
      checkIn('p1', 'circle_open', { distress: 5, mood: 4 }, 120),
    ]);
    const p1 = live.checkIns['p1']!;
    expect(p1.latestAt).toBe(at(120));
    expect(p1.latestMoment).toBe('circle_open');
    expect(p1.items['distress']).toEqual({ value: 5, previous: 5, moment: 'circle_open', at: at(120) });
    expect(p1.items['mood']).toMatchObject({ value: 4, previous: 6 });
    // A skipped item keeps its older answer; an item asked once has nothing before it.
    expect(p1.items['anxiety']).toEqual({ value: 2, previous: undefined, moment: 'return', at: at(60) });
    expect(p1.items['self_harm_thoughts']?.value).toBe(false);
    expect(live.checkIns['p2']!.items['distress']?.value).toBe(9);
  });

  it.each([
    [5, 3, 'up'],
    [2, 3, 'down'],
    [3, 3, 'same'],
    [3, undefined, null],
    [true, false, null],
  ] as const)('direction of %s after %s is %s', (value, previous, direction) => {
    expect(answerDirection({ value, previous, moment: 'return', at: at(0) })).toBe(direction);
  });

  it('follows assignments (and their removal) and tablet presence', () => {
    const live = foldLiveEvents([
      ev('participant.assigned', { participantId: 'p1', userId: 'cal' }, 0),
      ev('participant.assigned', { participantId: 'p2', userId: 'cal' }, 1),
      ev('participant.assigned', { participantId: 'p2', userId: null }, 2),
      ev('tablet.presence', { participantId: 'p1', online: true }, 3, 'p1'),
      ev('tablet.presence', { participantId: 'p2', online: true }, 4, 'p2'),
      ev('tablet.presence', { participantId: 'p2', online: false }, 9, 'p2'),
    ]);
    expect(live.assignments).toEqual({ p1: 'cal', p2: null });
    expect(live.presence).toEqual({
      p1: { online: true, lastSeenAt: at(3) },
      p2: { online: false, lastSeenAt: at(9) },
    });
  });

  it('folds support requests with the support fold', () => {
    const live = foldLiveEvents([
      ev('support.requested', { requestId: 'r1', participantId: 'p1', seat: 1 }, 0, 'p1'),
      ev('support.acknowledged', { requestId: 'r1', participantId: 'p1' }, 4, 'luis'),
    ]);
    expect(live.support.get('r1')).toMatchObject({ acknowledgedBy: 'luis' });
  });
});

describe('urgency on the board', () => {
  const request = (requestId: string, participantId: string, seconds: number) =>
    ev('support.requested', { requestId, participantId, seat: 1 }, seconds, participantId);

  it.each([
    [
      'an escalated request',
      [request('r', 'p', 0), ev('support.escalated', { requestId: 'r', participantId: 'p' }, 30, 'system')],
      0,
    ],
    ['a waiting request, over an urgent alert', [raised('a', 'p', 'urgent'), request('r', 'p', 1)], 1],
    ['an open urgent alert', [raised('a', 'p', 'urgent')], 2],
    ['an open attention alert', [raised('a', 'p', 'attention')], 3],
    ['an info alert only', [raised('a', 'p', 'info')], 4],
    [
      'an answered request and an acknowledged alert',
      [
        request('r', 'p', 0),
        ev('support.acknowledged', { requestId: 'r', participantId: 'p' }, 2),
        raised('a', 'p', 'urgent'),
        ev('alert.acknowledged', { alertId: 'a' }, 3),
      ],
      4,
    ],
    ['nothing', [], 4],
  ])('%s ranks %s', (_name, events, rank) => {
    expect(urgencyOf(foldLiveEvents(events), 'p')).toBe(rank);
  });

  it('sorts tiles by urgency, then by seat', () => {
    const live = foldLiveEvents([
      raised('a', 'p4', 'attention'),
      request('r', 'p3', 0),
      raised('b', 'p2', 'urgent'),
    ]);
    const seats = [1, 2, 3, 4, 5].map((n) => ({ participantId: `p${n}`, seat: n }));
    expect(byBoardUrgency(live, seats).map((s) => s.seat)).toEqual([3, 2, 4, 1, 5]);
  });
});
