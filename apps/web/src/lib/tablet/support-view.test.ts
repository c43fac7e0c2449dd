import type { SupportRequest } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { COMING_SHOWN_MS, shouldSendSupport, supportShown, type SupportTap } from './support-view.ts';

const now = Date.parse('2026-11-22T08:10:00.000Z');
const request = (change: Partial<SupportRequest> = {}): SupportRequest => ({
  requestId: 'r-1',
  participantId: 'p-ana',
  seat: 3,
  requestedAt: '2026-11-22T08:09:00.000Z',
  escalatedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  ...change,
});
const none: SupportTap = { status: 'none', requestsBefore: 0 };

describe('supportShown', () => {
  it.each([
    ['idle before any tap', [], none, false, 'idle'],
    ['sending until the server acknowledges', [], { status: 'sending', requestsBefore: 0 }, false, 'sending'],
    ['kept for later while offline', [], { status: 'sending', requestsBefore: 0 }, true, 'queued'],
    [
      'sent once acknowledged, before its event arrives',
      [],
      { status: 'sent', requestsBefore: 0 },
      false,
      'sent',
    ],
    ['sent while nobody answered', [request()], { status: 'sent', requestsBefore: 0 }, false, 'sent'],
    [
      'escalated once every on-duty staff member was told',
      [request({ escalatedAt: '2026-11-22T08:09:30.000Z' })],
      none,
      false,
      'escalated',
    ],
    [
      'someone is coming once a staff member answered',
      [request({ acknowledgedAt: '2026-11-22T08:09:40.000Z', acknowledgedBy: 'u-1' })],
      none,
      false,
      'coming',
    ],
    ['failed when the server refused', [], { status: 'failed', requestsBefore: 0 }, false, 'failed'],
    // A second tap that joined the open request: the open request speaks.
    [
      'the open request while a second tap is on its way',
      [request()],
      { status: 'sending', requestsBefore: 1 },
      false,
      'sent',
    ],
  ] as const)('%s', (_, mine, tap, offline, expected) => {
    expect(supportShown({ mine, tap, offline, now })).toBe(expected);
  });

  it('stops saying someone is coming a while after they answered', () => {
    const answered = request({ acknowledgedAt: new Date(now - COMING_SHOWN_MS).toISOString() });
    expect(supportShown({ mine: [answered], tap: none, offline: false, now })).toBe('idle');
  });

  it('goes by the latest request, not an older answered one', () => {
    const old = request({
      requestedAt: '2026-11-22T08:00:00.000Z',
      acknowledgedAt: '2026-11-22T08:00:10.000Z',
    });
    const fresh = request({ requestId: 'r-2' });
    expect(supportShown({ mine: [fresh, old], tap: none, offline: false, now })).toBe('sent');
  });

  it('does not take an old answered request for the new tap once its ack came', () => {
    const old = request({ acknowledgedAt: '2026-11-22T08:09:10.000Z' });
    expect(
      supportShown({ mine: [old], tap: { status: 'sent', requestsBefore: 1 }, offline: false, now }),
    ).toBe('sent');
  });
});

describe('shouldSendSupport', () => {
  it.each([
    ['idle', true],
    ['coming', true],
    ['failed', true],
    ['sending', false],
    ['queued', false],
    ['sent', false],
    ['escalated', false],
  ] as const)('%s: %s', (shown, expected) => {
    expect(shouldSendSupport(shown)).toBe(expected);
  });
});
