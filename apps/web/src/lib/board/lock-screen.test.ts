import { initialLive, applyLiveEvent } from '@cairn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { bannerRequests, unansweredRequests } from './support-banner.ts';
import { flashingTitle, supportNotice } from './lock-screen.ts';

const NAME = 'Ana Beltrán';

/** A request as the fold makes it, for a participant whose name the page knows. */
function requestFor(seat: number, requestId: string) {
  const live = applyLiveEvent(initialLive(), {
    type: 'support.requested',
    payload: { requestId, participantId: 'p-ana', seat },
    actorId: 'p-ana',
    at: '2026-11-22T10:00:00.000Z',
  });
  return { ...live.support.get(requestId)!, preferredName: NAME };
}

describe('what a locked screen shows', () => {
  for (const locale of ['en', 'es'] as const) {
    describe(locale, () => {
      beforeAll(() => overwriteGetLocale(() => locale));
      afterAll(() => overwriteGetLocale(() => 'en'));

      it('names the seat and nothing else: no name, no participant id', () => {
        const notice = supportNotice(requestFor(3, 'req-1'));
        expect(notice.title).toMatch(/\b3\b/);
        expect(notice.title).not.toContain('Ana');
        expect(notice.title).not.toContain('p-ana');
        expect(flashingTitle([3])).toMatch(/^\(!\) .*\b3\b/);
        expect(flashingTitle([3, 5])).toMatch(/3, 5/);
        expect(flashingTitle([3, 5])).not.toContain('Ana');
      });
    });
  }

  it('tags each notice by its request, so a repeat replaces it instead of piling up', () => {
    expect(supportNotice(requestFor(3, 'req-1')).tag).toBe(supportNotice(requestFor(3, 'req-1')).tag);
    expect(supportNotice(requestFor(3, 'req-1')).tag).not.toBe(supportNotice(requestFor(3, 'req-2')).tag);
  });
});

describe('the support banner', () => {
  const at = (s: number) => new Date(Date.parse('2026-11-22T10:00:00.000Z') + s * 1000).toISOString();
  let live = initialLive();
  const event = (type: string, payload: Record<string, unknown>, second: number, actorId = 'x') => {
    live = applyLiveEvent(live, { type, payload, actorId, at: at(second) });
  };
  event('support.requested', { requestId: 'a', participantId: 'p1', seat: 1 }, 0);
  event('support.requested', { requestId: 'b', participantId: 'p2', seat: 2 }, 5);
  event('support.requested', { requestId: 'c', participantId: 'p3', seat: 3 }, 10);
  event('support.escalated', { requestId: 'b', participantId: 'p2' }, 35);
  event('support.acknowledged', { requestId: 'a', participantId: 'p1' }, 20, 'carla');

  it('shows escalated first, then waiting, then the answered ones for a while', () => {
    const now = Date.parse(at(60));
    expect(bannerRequests(live.support, now).map((r) => r.requestId)).toEqual(['b', 'c', 'a']);
    expect(unansweredRequests(live.support).map((r) => r.requestId)).toEqual(['b', 'c']);
  });

  it('lets an answered request leave the banner after two minutes', () => {
    const later = Date.parse(at(20 + 121));
    expect(bannerRequests(live.support, later).map((r) => r.requestId)).toEqual(['b', 'c']);
  });
});
