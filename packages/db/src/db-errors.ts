/**
 * Recognising driver errors without depending on either driver's error classes. drizzle wraps
 * driver errors (DrizzleQueryError), so we look down the `cause` chain.
 */

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const PG_UNIQUE_VIOLATION = '23505';

function* causes(error: unknown): Generator<Record<string, unknown>> {
  let current = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    yield current as Record<string, unknown>;
    current = (current as { cause?: unknown }).cause;
  }
}

/** True when `error` is a unique-constraint failure on users.email, on either engine. */
export function isEmailTaken(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (cause.errcode === SQLITE_CONSTRAINT_UNIQUE && String(cause.message).includes('users.email')) {
      return true;
    }
    if (cause.code === PG_UNIQUE_VIOLATION && cause.constraint_name === 'users_email_unique') {
      return true;
    }
  }
  return false;
}

/**
 * True when `error` is PostgreSQL refusing a row because of the unique index `indexName`
 * (PostgreSQL reports a unique index's name as the constraint name).
 */
export function isPgUniqueViolation(error: unknown, indexName: string): boolean {
  for (const cause of causes(error)) {
    if (cause.code === PG_UNIQUE_VIOLATION && cause.constraint_name === indexName) return true;
  }
  return false;
}
