import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limiter.ts';

describe('FailureLimiter', () => {
  it('allows up to the limit of failures in the window, then asks to wait until the oldest expires', () => {
    const limiter = new FailureLimiter({ limit: 3, windowMs: 60_000 });
    limiter.recordFailure('k', 0);
    limiter.recordFailure('k', 10_000);
    expect(limiter.retryAfterSeconds('k', 10_000)).toBe(0);
    limiter.recordFailure('k', 20_000);
    expect(limiter.retryAfterSeconds('k', 20_000)).toBe(40);
    expect(limiter.retryAfterSeconds('k', 59_999)).toBe(1);
    expect(limiter.retryAfterSeconds('k', 60_000)).toBe(0);
    expect(limiter.retryAfterSeconds('other', 20_000)).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new FailureLimiter({ limit: 1, windowMs: 60_000 });
    limiter.recordFailure('k', 0);
    expect(limiter.retryAfterSeconds('k', 1)).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.retryAfterSeconds('k', 1)).toBe(0);
  });

  it('keeps memory bounded under a flood of distinct keys', () => {
    const limiter = new FailureLimiter({ limit: 1, windowMs: 60_000 }, 1000);
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`ip-${i}`, 0);
    // The newest keys are still counted; the oldest were dropped.
    expect(limiter.retryAfterSeconds('ip-9999', 1)).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('ip-0', 1)).toBe(0);
  });
});
