import { JOURNAL_IDLE_LOCK_MS } from '@cairn/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchIdle } from './idle-lock.ts';

describe('idle lock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('locks after JOURNAL_IDLE_LOCK_MS untouched; touch and keys put it off; it fires once', () => {
    const target = new EventTarget();
    let locks = 0;
    const watch = watchIdle(() => (locks += 1), { target });
    vi.advanceTimersByTime(JOURNAL_IDLE_LOCK_MS - 60_000);
    target.dispatchEvent(new Event('pointerdown'));
    vi.advanceTimersByTime(JOURNAL_IDLE_LOCK_MS - 60_000);
    expect(locks).toBe(0);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(JOURNAL_IDLE_LOCK_MS - 1);
    expect(locks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(locks).toBe(1);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(JOURNAL_IDLE_LOCK_MS * 2);
    expect(locks).toBe(1);
    watch.stop();
  });

  it('stops watching when told to', () => {
    const target = new EventTarget();
    let locks = 0;
    const watch = watchIdle(() => (locks += 1), { target, ms: 1_000 });
    watch.stop();
    vi.advanceTimersByTime(10_000);
    expect(locks).toBe(0);
  });
});
