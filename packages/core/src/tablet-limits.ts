/**
 * Limits on guessing codes (BI-J1, BI-J5). Failures only are counted, as for passwords, so a
 * participant typing their code right is never slowed by someone else's wrong guesses from
 * another tablet, and no participant account can be locked out: codes are per session and
 * short-lived, and a facilitator can always make a new one.
 *
 * - per device (a cookie) and per address: the first 5 failures in 10 minutes are free, then
 *   each further attempt waits twice as long as the last (2 s, 4 s, 8 s, … up to 10 minutes);
 * - per clinic: 100 failures in 10 minutes from anywhere stops redeeming for the rest of the
 *   window, so 1,000 addresses with one guess each get nowhere (BI-J5).
 *
 * Kept in process memory like the sign-in limits (rate-limiter.ts): with several instances each
 * counts on its own, which still bounds guessing to instances × limit per window.
 */
import type { CoreContext } from './context.ts';
import { FailureLimiter } from './rate-limiter.ts';

const MINUTE = 60_000;

export class EscalatingLimiter {
  readonly #free: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();
  readonly #maxKeys: number;

  constructor(free: number, windowMs: number, maxKeys = 100_000) {
    this.#free = free;
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  /** Seconds until `key` may try again, or 0. */
  retryAfterSeconds(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.#free) return 0;
    const last = recent[recent.length - 1]!;
    const delayMs = Math.min(this.#windowMs, 1000 * 2 ** (recent.length - this.#free + 1));
    return Math.max(0, Math.ceil((last + delayMs - now) / 1000));
  }

  recordFailure(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > this.#maxKeys) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  #recent(key: string, now: number): number[] {
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (kept.length === 0) this.#failures.delete(key);
    return kept;
  }
}

export interface CodeLimiters {
  joinByDevice: EscalatingLimiter;
  joinByIp: EscalatingLimiter;
  joinByClinic: FailureLimiter;
  homeByIp: EscalatingLimiter;
  homeByClinic: FailureLimiter;
}

/** Wrong guesses against one clinic's open codes before each is retired (BI-J1). */
export const JOIN_CODE_MAX_FAILURES = 20;

const limiters = new WeakMap<CoreContext, CodeLimiters>();

/** The process's code limiters for this core (one set per `openCore`, like the sign-in limits). */
export function codeLimitsOf(ctx: CoreContext): CodeLimiters {
  let found = limiters.get(ctx);
  if (!found) {
    found = {
      joinByDevice: new EscalatingLimiter(5, 10 * MINUTE),
      joinByIp: new EscalatingLimiter(5, 10 * MINUTE),
      joinByClinic: new FailureLimiter({ limit: 100, windowMs: 10 * MINUTE }),
      homeByIp: new EscalatingLimiter(5, 10 * MINUTE),
      homeByClinic: new FailureLimiter({ limit: 200, windowMs: 10 * MINUTE }),
    };
    limiters.set(ctx, found);
  }
  return found;
}
