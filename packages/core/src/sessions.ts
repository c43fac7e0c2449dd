/**
 * Staff sessions, after lucia's own session guide (the `lucia` package is deprecated): a
 * random token goes to the browser, only its SHA-256 is stored, so a database leak hands out
 * no usable sessions. Sessions end after idle and absolute limits, checked on every request.
 */
import type { AuthSessionRecord, AuthSessionStage, ClinicRecord, UserRecord } from '@cairn/db';
import type { CoreContext } from './context.ts';
import { generateToken, sha256Hex } from './tokens.ts';

/** Writing `last_seen_at` on every request would double the writes for no safety gain. */
const TOUCH_INTERVAL_MS = 60_000;

export interface IssuedSession {
  /** Goes into the cookie; never stored or logged. */
  token: string;
  session: AuthSessionRecord;
}

export interface Viewer {
  session: AuthSessionRecord;
  user: UserRecord;
  clinic: ClinicRecord;
  mfaEnrolled: boolean;
  /** The session's stage, tightened to `enrol` if the clinic now requires MFA this person lacks. */
  stage: AuthSessionStage;
}

export function sessionIdFromToken(token: string): string {
  return sha256Hex(token);
}

/** A fresh token for a session record; `createdAt` and `expiresAt` carry the sign-in's clock. */
function mint(
  ctx: CoreContext,
  userId: string,
  stage: AuthSessionStage,
  signedInAt: Date,
  expiresAt: Date,
): IssuedSession {
  const token = generateToken();
  const session: AuthSessionRecord = {
    id: sessionIdFromToken(token),
    userId,
    stage,
    createdAt: signedInAt,
    lastSeenAt: ctx.now(),
    expiresAt,
  };
  return { token, session };
}

export async function startSession(
  ctx: CoreContext,
  userId: string,
  stage: AuthSessionStage,
): Promise<IssuedSession> {
  const now = ctx.now();
  const issued = mint(ctx, userId, stage, now, new Date(now.getTime() + ctx.policy.absoluteLifetimeMs));
  await ctx.store.createAuthSession(issued.session);
  return issued;
}

/**
 * A new token for the same sign-in at every privilege change (ASVS 7.2.4, AC-21): the old
 * token stops working in the same transaction. The absolute deadline is kept.
 */
export async function rotateSession(
  ctx: CoreContext,
  old: AuthSessionRecord,
  stage: AuthSessionStage,
): Promise<IssuedSession> {
  const issued = mint(ctx, old.userId, stage, old.createdAt, old.expiresAt);
  await ctx.store.rotateAuthSession(old.id, issued.session);
  return issued;
}

export function isSessionExpired(ctx: CoreContext, session: AuthSessionRecord, now: Date): boolean {
  const idleDeadline = session.lastSeenAt.getTime() + ctx.policy.idleTimeoutMs;
  return now.getTime() >= session.expiresAt.getTime() || now.getTime() >= idleDeadline;
}

/** Resolves a cookie token to the person behind it, or null. Expired sessions are deleted. */
export async function resolveViewer(ctx: CoreContext, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 128) return null;
  const session = await ctx.store.getAuthSession(sessionIdFromToken(token));
  if (!session) return null;
  const now = ctx.now();
  if (isSessionExpired(ctx, session, now)) {
    await ctx.store.deleteAuthSession(session.id);
    return null;
  }
  const user = await ctx.store.getUser(session.userId);
  const clinic = user ? await ctx.store.getClinic(user.clinicId) : null;
  if (!user || !clinic) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await ctx.store.touchAuthSession(session.id, now);
    session.lastSeenAt = now;
  }
  const totp = await ctx.store.getTotp(user.id);
  const mfaEnrolled = Boolean(totp?.confirmedAt);
  const stage = session.stage === 'full' && clinic.mfaRequired && !mfaEnrolled ? 'enrol' : session.stage;
  return { session, user, clinic, mfaEnrolled, stage };
}

/**
 * Whether a session still stands: it exists (no logout, no role change, no "sign out
 * everywhere" on any instance) and has not expired. Live sockets are re-checked with this.
 */
export async function isSessionActive(ctx: CoreContext, sessionId: string): Promise<boolean> {
  const session = await ctx.store.getAuthSession(sessionId);
  return session !== null && !isSessionExpired(ctx, session, ctx.now());
}

export async function endSession(ctx: CoreContext, viewer: Viewer): Promise<void> {
  await ctx.store.deleteAuthSession(viewer.session.id);
  ctx.events.emit('sessions-ended', { userId: viewer.user.id, sessionIds: [viewer.session.id] });
}

export async function endAllSessionsOf(ctx: CoreContext, userId: string): Promise<number> {
  const ended = await ctx.store.deleteAuthSessionsForUser(userId);
  ctx.events.emit('sessions-ended', { userId });
  return ended;
}
