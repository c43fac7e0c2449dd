/**
 * Password sign-in. An unknown email and a wrong password give the same answer in the same
 * time (a dummy hash is verified for unknown accounts). Limits count failures only, checked
 * before any hashing, so guessing is cheap to refuse and the owner is never locked out long.
 */
import { loginInputSchema } from '@cairn/domain';
import type { AuthSessionStage, ClinicRecord, UserRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { endAllSessionsOf, endSession, startSession, type IssuedSession, type Viewer } from './sessions.ts';
import { parseInput } from './validate.ts';

export interface LoginResult extends IssuedSession {
  stage: AuthSessionStage;
}

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

export async function logIn(ctx: CoreContext, input: unknown, meta: RequestMeta): Promise<LoginResult> {
  const { email, password } = parseInput(loginInputSchema, input);
  const now = ctx.now().getTime();
  const keys = { ip: meta.ip, account: email, pair: `${email}\u0000${meta.ip}` };
  const wait = Math.max(
    ctx.limits.loginByIp.retryAfterSeconds(keys.ip, now),
    ctx.limits.loginByAccountAndIp.retryAfterSeconds(keys.pair, now),
    ctx.limits.loginByAccount.retryAfterSeconds(keys.account, now),
  );
  if (wait > 0) {
    throw new CoreError(
      'rate_limited',
      'rate_limited',
      'Too many sign-in attempts. Wait a moment, then try again.',
      {
        retryAfterSeconds: wait,
      },
    );
  }

  const user = await ctx.store.findUserByEmail(email);
  const passwordOk = await ctx.hasher.verify(user?.passwordHash ?? null, password);
  if (!user || !passwordOk) {
    ctx.limits.loginByIp.recordFailure(keys.ip, now);
    ctx.limits.loginByAccountAndIp.recordFailure(keys.pair, now);
    ctx.limits.loginByAccount.recordFailure(keys.account, now);
    await recordAudit(ctx, 'auth.login.failed', {
      // An unknown email belongs to no clinic; on a single-clinic box the admin still needs to
      // see guessing against it, so it is filed under that clinic. (Hosted mode: revisit.)
      clinicId: user?.clinicId ?? (await ctx.store.getFirstClinic())?.id ?? null,
      actorUserId: null,
      targetId: user?.id ?? null,
      details: { reason: user ? 'wrong_password' : 'unknown_account', ip: meta.ip },
    });
    throw new CoreError('bad_credentials', 'invalid_credentials', INVALID_CREDENTIALS);
  }

  ctx.limits.loginByAccountAndIp.reset(keys.pair);
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    await ctx.store.updatePasswordHash(user.id, await ctx.hasher.hash(password));
  }
  const clinic = await ctx.store.getClinic(user.clinicId);
  if (!clinic) throw new CoreError('bad_credentials', 'invalid_credentials', INVALID_CREDENTIALS);
  const stage = await stageAfterPassword(ctx, user, clinic);
  const issued = await startSession(ctx, user.id, stage);
  await recordAudit(ctx, stage === 'full' ? 'auth.login.succeeded' : 'auth.password.accepted', {
    clinicId: user.clinicId,
    actorUserId: user.id,
    targetId: user.id,
    details: { ip: meta.ip, stage },
  });
  return { ...issued, stage };
}

async function stageAfterPassword(
  ctx: CoreContext,
  user: UserRecord,
  clinic: ClinicRecord,
): Promise<AuthSessionStage> {
  const totp = await ctx.store.getTotp(user.id);
  if (totp?.confirmedAt) return 'mfa';
  return clinic.mfaRequired ? 'enrol' : 'full';
}

export async function logOut(ctx: CoreContext, viewer: Viewer, meta: RequestMeta): Promise<void> {
  await endSession(ctx, viewer);
  await recordAudit(ctx, 'auth.logout', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip },
  });
}

export async function logOutEverywhere(ctx: CoreContext, viewer: Viewer, meta: RequestMeta): Promise<number> {
  const ended = await endAllSessionsOf(ctx, viewer.user.id);
  await recordAudit(ctx, 'auth.logout_everywhere', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip, sessionsEnded: ended },
  });
  return ended;
}
