import { initialLive, type LiveAlert, type LiveSnapshot, type SupportRequest } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { applyRosterEvent, isOnDuty, type StaffRoster } from './staff-roster.ts';
import { alertRingsFor, requestRingsFor, ringingFor, type Listener } from './whose-alert.ts';

const request = (over: Partial<SupportRequest> = {}): SupportRequest => ({
  requestId: 'r1',
  participantId: 'p3',
  seat: 3,
  requestedAt: '2026-11-22T10:00:00.000Z',
  escalatedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  ...over,
});

const alert = (over: Partial<LiveAlert> = {}): LiveAlert => ({
  alertId: 'a1',
  participantId: 'p3',
  seat: 3,
  kind: 'self_harm',
  severity: 'urgent',
  raisedAt: '2026-11-22T10:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  ...over,
});

const coTherapist = (userId: string, onDuty = true): Listener => ({
  userId,
  roles: ['co_therapist'],
  onDuty,
});
const facilitator: Listener = { userId: 'f1', roles: ['facilitator'], onDuty: true };
const medical: Listener = { userId: 'm1', roles: ['medical_provider'], onDuty: true };

describe('requestRingsFor: whose support request it is', () => {
  it('a waiting request rings for the assigned co-therapist and the facilitators, not yet for the others', () => {
    expect(requestRingsFor(request(), 'c1', coTherapist('c1'))).toBe(true);
    expect(requestRingsFor(request(), 'c1', facilitator)).toBe(true);
    expect(requestRingsFor(request(), 'c1', coTherapist('c2'))).toBe(false);
    expect(requestRingsFor(request(), 'c1', medical)).toBe(false);
  });

  it('an escalated request rings for everyone on duty', () => {
    const escalated = request({ escalatedAt: '2026-11-22T10:00:30.000Z' });
    expect(requestRingsFor(escalated, 'c1', coTherapist('c2'))).toBe(true);
    expect(requestRingsFor(escalated, null, medical)).toBe(true);
  });

  it('never rings for someone off duty, even their own participant', () => {
    expect(requestRingsFor(request(), 'c1', coTherapist('c1', false))).toBe(false);
    const escalated = request({ escalatedAt: '2026-11-22T10:00:30.000Z' });
    expect(requestRingsFor(escalated, 'c1', coTherapist('c2', false))).toBe(false);
  });

  it('stops ringing for everyone once someone said "I\'m coming"', () => {
    const answered = request({ acknowledgedAt: '2026-11-22T10:00:10.000Z', acknowledgedBy: 'c2' });
    expect(requestRingsFor(answered, 'c1', coTherapist('c1'))).toBe(false);
    expect(requestRingsFor(answered, 'c1', facilitator)).toBe(false);
  });
});

describe('alertRingsFor', () => {
  it('an open urgent alert rings for every clinician on duty; attention and info alerts stay quiet', () => {
    expect(alertRingsFor(alert(), medical)).toBe(true);
    expect(alertRingsFor(alert(), coTherapist('c2'))).toBe(true);
    expect(alertRingsFor(alert({ severity: 'attention' }), facilitator)).toBe(false);
    expect(alertRingsFor(alert({ severity: 'info' }), facilitator)).toBe(false);
    expect(alertRingsFor(alert(), coTherapist('c2', false))).toBe(false);
    expect(alertRingsFor(alert({ acknowledgedAt: '2026-11-22T10:01:00.000Z' }), facilitator)).toBe(false);
  });
});

describe('ringingFor', () => {
  it('uses the live assignment to decide', () => {
    const live: LiveSnapshot = {
      ...initialLive(),
      support: new Map([['r1', request()]]),
      assignments: { p3: 'c1' },
    };
    expect(ringingFor(live, coTherapist('c1')).map((r) => [r.key, r.seat])).toEqual([['r1:waiting', 3]]);
    expect(ringingFor(live, coTherapist('c2'))).toEqual([]);
    expect(ringingFor(initialLive(), facilitator)).toEqual([]);
  });

  it('keys a request by its state, so its escalation reaches a locked screen again', () => {
    const escalated: LiveSnapshot = {
      ...initialLive(),
      support: new Map([['r1', request({ escalatedAt: '2026-11-22T10:00:30.000Z' })]]),
      alerts: new Map([['a1', alert({ seat: 5 })]]),
    };
    expect(ringingFor(escalated, medical).map((r) => [r.key, r.seat])).toEqual([
      ['r1:escalated', 3],
      ['a1', 5],
    ]);
    expect(ringingFor(escalated, medical).every((r) => !/self|harm|p3/i.test(r.notice.title))).toBe(true);
  });
});

describe('the staff roster', () => {
  it('knows names from joins and duty from duty changes; never said means on duty', () => {
    let roster: StaffRoster = new Map();
    roster = applyRosterEvent(roster, {
      type: 'presence.joined',
      payload: { name: 'Carla', roles: [] },
      actorId: 'c1',
    });
    roster = applyRosterEvent(roster, {
      type: 'staff.duty_changed',
      payload: { onDuty: false },
      actorId: 'c1',
    });
    expect(roster.get('c1')).toEqual({ name: 'Carla', onDuty: false });
    expect(isOnDuty(roster, 'c1')).toBe(false);
    expect(isOnDuty(roster, 'nobody-said')).toBe(true);
    roster = applyRosterEvent(roster, {
      type: 'staff.duty_changed',
      payload: { onDuty: true },
      actorId: 'c1',
    });
    expect(isOnDuty(roster, 'c1')).toBe(true);
  });
});
