/**
 * TOTP second factor for staff: enrolment (QR + confirm with a first code), verification at
 * sign-in (a code, or a one-time recovery code), and fresh recovery codes. Each success that
 * raises a session's privilege issues a new token.
 */
import { mfaCodeInputSchema } from '@cairn/domain';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from './recovery-codes.ts';
import { rotateSession, type IssuedSession, type Viewer } from './sessions.ts';
import { generateTotpSecret, matchTotpStep, totpQrDataUrl, totpUri } from './totp.ts';
import { parseInput } from './validate.ts';
import { requireFullViewer, requireViewer } from './guards.ts';

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

const INVALID_CODE = 'That code did not work. Check the time on your phone and try the newest code.';

function invalidCode(): CoreError {
  return new CoreError('bad_credentials', 'invalid_code', INVALID_CODE);
}

async function readSecret(
  ctx: CoreContext,
  userId: string,
): Promise<{ secret: string; confirmed: boolean } | null> {
  const totp = await ctx.store.getTotp(userId);
  if (!totp) return null;
  return { secret: ctx.secrets.open(totp.secret, `totp:${userId}`), confirmed: totp.confirmedAt !== null };
}

function assertNotThrottled(ctx: CoreContext, userId: string): void {
  const wait = ctx.limits.mfaByUser.retryAfterSeconds(userId, ctx.now().getTime());
  if (wait > 0) {
    throw new CoreError(
      'rate_limited',
      'rate_limited',
      'Too many wrong codes. Wait a moment, then try again.',
      {
        retryAfterSeconds: wait,
      },
    );
  }
}

async function recordCodeFailure(
  ctx: CoreContext,
  viewer: Viewer,
  meta: RequestMeta,
  during: string,
): Promise<never> {
  ctx.limits.mfaByUser.recordFailure(viewer.user.id, ctx.now().getTime());
  await recordAudit(ctx, 'auth.mfa.failed', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip, during },
  });
  throw invalidCode();
}

export async function startTotpEnrolment(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
): Promise<TotpEnrolment> {
  const viewer = requireViewer(maybeViewer);
  if (viewer.stage === 'mfa' || viewer.mfaEnrolled) {
    throw new CoreError(
      'conflict',
      'mfa_already_enrolled',
      'Two-step sign-in is already set up for this account.',
    );
  }
  const secret = generateTotpSecret();
  const saved = await ctx.store.savePendingTotp(
    viewer.user.id,
    ctx.secrets.seal(secret, `totp:${viewer.user.id}`),
  );
  if (!saved)
    throw new CoreError(
      'conflict',
      'mfa_already_enrolled',
      'Two-step sign-in is already set up for this account.',
    );
  const otpauthUrl = totpUri(secret, `${viewer.clinic.name}:${viewer.user.email}`);
  return { secret, otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl) };
}

export interface ConfirmedEnrolment extends IssuedSession {
  recoveryCodes: string[];
}

export async function confirmTotpEnrolment(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
  meta: RequestMeta,
): Promise<ConfirmedEnrolment> {
  const viewer = requireViewer(maybeViewer);
  const { code } = parseInput(mfaCodeInputSchema, input);
  assertNotThrottled(ctx, viewer.user.id);
  const pending = await readSecret(ctx, viewer.user.id);
  if (!pending || pending.confirmed || viewer.stage === 'mfa') {
    throw new CoreError('conflict', 'no_pending_enrolment', 'Start setting up two-step sign-in again.');
  }
  const step = matchTotpStep(pending.secret, code, ctx.now());
  if (step === null) return recordCodeFailure(ctx, viewer, meta, 'enrolment');
  const recovery = generateRecoveryCodes();
  const confirmed = await ctx.store.confirmTotp(viewer.user.id, step, recovery.hashes, ctx.now());
  if (!confirmed)
    throw new CoreError('conflict', 'no_pending_enrolment', 'Start setting up two-step sign-in again.');
  ctx.limits.mfaByUser.reset(viewer.user.id);
  await recordAudit(ctx, 'auth.mfa.enrolled', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip, method: 'totp' },
  });
  const issued = await rotateSession(ctx, viewer.session, 'full');
  return { ...issued, recoveryCodes: recovery.codes };
}

/** The second step of sign-in: a TOTP code or a recovery code. */
export async function verifySecondFactor(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
  meta: RequestMeta,
): Promise<IssuedSession> {
  const viewer = requireViewer(maybeViewer);
  if (viewer.session.stage !== 'mfa') {
    throw new CoreError('conflict', 'no_code_needed', 'No code is needed for this session.');
  }
  const { code } = parseInput(mfaCodeInputSchema, input);
  assertNotThrottled(ctx, viewer.user.id);
  const totp = await readSecret(ctx, viewer.user.id);
  if (!totp?.confirmed) throw invalidCode();

  const step = matchTotpStep(totp.secret, code, ctx.now());
  if (step !== null) {
    if (!(await ctx.store.useTotpStep(viewer.user.id, step))) {
      return recordCodeFailure(ctx, viewer, meta, 'sign_in_replay');
    }
  } else {
    const recovery = normaliseRecoveryCode(code);
    const used =
      recovery !== null &&
      (await ctx.store.useRecoveryCode(viewer.user.id, hashRecoveryCode(recovery), ctx.now()));
    if (!used) return recordCodeFailure(ctx, viewer, meta, 'sign_in');
    await recordAudit(ctx, 'auth.mfa.recovery_code_used', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: viewer.user.id,
      details: { ip: meta.ip },
    });
  }
  ctx.limits.mfaByUser.reset(viewer.user.id);
  const issued = await rotateSession(ctx, viewer.session, 'full');
  await recordAudit(ctx, 'auth.login.succeeded', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip, stage: 'full', method: step !== null ? 'totp' : 'recovery_code' },
  });
  return issued;
}

/** Fresh recovery codes; asks for a current TOTP code so a borrowed session cannot do it. */
export async function regenerateRecoveryCodes(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
  meta: RequestMeta,
): Promise<string[]> {
  const viewer = requireFullViewer(maybeViewer);
  const { code } = parseInput(mfaCodeInputSchema, input);
  assertNotThrottled(ctx, viewer.user.id);
  const totp = await readSecret(ctx, viewer.user.id);
  if (!totp?.confirmed) throw new CoreError('conflict', 'mfa_not_enrolled', 'Set up two-step sign-in first.');
  const step = matchTotpStep(totp.secret, code, ctx.now());
  if (step === null || !(await ctx.store.useTotpStep(viewer.user.id, step))) {
    return recordCodeFailure(ctx, viewer, meta, 'recovery_codes');
  }
  const recovery = generateRecoveryCodes();
  await ctx.store.replaceRecoveryCodes(viewer.user.id, recovery.hashes);
  await recordAudit(ctx, 'auth.mfa.recovery_codes_regenerated', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: viewer.user.id,
    details: { ip: meta.ip },
  });
  return recovery.codes;
}
