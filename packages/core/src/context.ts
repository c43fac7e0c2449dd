/**
 * Everything a use-case needs, built once per process (see `open-core.ts`) and passed in
 * explicitly, so tests can substitute the clock and the limits without module mocks.
 */
import type { EventEmitter } from 'node:events';
import type { Store } from '@cairn/db';
import type { PasswordHasher } from './passwords.ts';
import type { FailureLimiter } from './rate-limiter.ts';
import type { SecretBox } from './secret-box.ts';

export interface AuthPolicy {
  /** A session unused for this long ends (HIPAA automatic logoff; default 30 min). */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however active (default 12 h). */
  absoluteLifetimeMs: number;
  /** How long an invite link stays valid (default 72 h). */
  inviteLifetimeMs: number;
}

export interface AuthLimiters {
  /** Failed sign-ins from one address, whatever the account. */
  loginByIp: FailureLimiter;
  /** Failed sign-ins for one account from one address: the tight limit. */
  loginByAccountAndIp: FailureLimiter;
  /** Failed sign-ins for one account from anywhere: loose, so it cannot lock the owner out long. */
  loginByAccount: FailureLimiter;
  /** Wrong second-factor codes per person. */
  mfaByUser: FailureLimiter;
  /** Wrong invite tokens per address. */
  inviteByIp: FailureLimiter;
}

/** Sessions that just ended (logout, sign out everywhere, role change): sockets must close. */
export interface SessionsEnded {
  userId: string;
  /** The ended sessions; absent when every session of `userId` ended. */
  sessionIds?: string[];
}

/** Facts core announces to the process it runs in (the socket server listens). */
export interface CoreEvents {
  'sessions-ended': [SessionsEnded];
  /**
   * An update was committed to a document outside a socket (a restored version): rooms that
   * have it loaded read it and send it to their editors, like an update from another instance.
   */
  'document-written': [{ docId: string; seq: number }];
  /** The document became read-only for everyone (signed notes): open writers must stop now. */
  'document-frozen': [{ docId: string }];
}

export interface CoreContext {
  store: Store;
  events: EventEmitter<CoreEvents>;
  now: () => Date;
  policy: AuthPolicy;
  hasher: PasswordHasher;
  secrets: SecretBox;
  limits: AuthLimiters;
}

/** Facts about the request that use-cases record or rate-limit on. Never PHI. */
export interface RequestMeta {
  ip: string;
}
