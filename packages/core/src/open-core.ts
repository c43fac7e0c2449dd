/**
 * Builds the per-process CoreContext: opens (and migrates) the Store and sets up hashing and
 * the sign-in limits. apps/server calls this once at start.
 */
import { openStore } from '@cairn/db';
import { EventEmitter } from 'node:events';
import type { AuthLimiters, AuthPolicy, CoreContext, CoreEvents } from './context.ts';
import { PasswordHasher, type Argon2Params } from './passwords.ts';
import { FailureLimiter } from './rate-limiter.ts';
import { SecretBox } from './secret-box.ts';

export interface CoreConfig {
  database: { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string };
  /** 32 bytes; encrypts TOTP secrets at rest. */
  secretKey: Buffer;
  policy: AuthPolicy;
  argon2: Argon2Params;
  /** Parallel argon2 operations (each uses `argon2.memoryCost` KiB). */
  hashConcurrency: number;
  /** Logins waiting for a hashing slot before new ones get "busy". */
  hashQueue: number;
  now?: () => Date;
}

const MINUTE = 60_000;

/** Defaults documented in docs/security.md (sign-in limits). */
export function createAuthLimiters(): AuthLimiters {
  return {
    loginByIp: new FailureLimiter({ limit: 50, windowMs: 15 * MINUTE }),
    loginByAccountAndIp: new FailureLimiter({ limit: 5, windowMs: 15 * MINUTE }),
    loginByAccount: new FailureLimiter({ limit: 30, windowMs: 15 * MINUTE }),
    mfaByUser: new FailureLimiter({ limit: 5, windowMs: 5 * MINUTE }),
    inviteByIp: new FailureLimiter({ limit: 20, windowMs: 15 * MINUTE }),
  };
}

export async function openCore(config: CoreConfig): Promise<CoreContext> {
  const store = await openStore(config.database);
  return {
    store,
    events: new EventEmitter<CoreEvents>(),
    now: config.now ?? (() => new Date()),
    policy: config.policy,
    hasher: new PasswordHasher({
      params: config.argon2,
      concurrency: config.hashConcurrency,
      maxQueue: config.hashQueue,
    }),
    secrets: new SecretBox(config.secretKey),
    limits: createAuthLimiters(),
  };
}
