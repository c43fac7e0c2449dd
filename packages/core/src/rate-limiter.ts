/**
 * Sliding-window failure counter. It limits *failures*, so a person who types their password
 * right is never slowed down by someone else's wrong guesses from another address, and a
 * block lasts at most one window (ASVS 6.1.1: no long malicious lockout).
 *
 * Kept in process memory: with several instances each one counts on its own, which still
 * bounds guessing to instances × limit per window. (A shared limiter arrives with Redis.)
 */
export interface LimitRule {
  limit: number;
  windowMs: number;
}

export class FailureLimiter {
  readonly #rule: LimitRule;
  readonly #failures = new Map<string, number[]>();
  readonly #maxKeys: number;

  constructor(rule: LimitRule, maxKeys = 100_000) {
    this.#rule = rule;
    this.#maxKeys = maxKeys;
  }

  /** Seconds to wait before another attempt is allowed for `key`, or 0 if allowed now. */
  retryAfterSeconds(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.#rule.limit) return 0;
    const oldest = recent[recent.length - this.#rule.limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.#rule.windowMs - now) / 1000));
  }

  recordFailure(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.set(key, recent);
    if (this.#failures.size > this.#maxKeys) this.#evictOldest();
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.#rule.windowMs;
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.#failures.delete(key);
    return kept;
  }

  #evictOldest(): void {
    // Map iteration order is insertion order: drop the oldest tenth.
    let toDrop = Math.ceil(this.#maxKeys / 10);
    for (const key of this.#failures.keys()) {
      if (toDrop-- <= 0) break;
      this.#failures.delete(key);
    }
  }
}
