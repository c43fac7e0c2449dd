/**
 * Staff join by single-use invite links made by an admin. The token is 256 random bits; only
 * its hash is stored; the Store accepts it at most once, atomically, before it expires.
 */
import {
  acceptInviteInputSchema,
  canManageStaff,
  inviteInputSchema,
  inviteTokenInputSchema,
  type InviteView,
  type StaffRole,
} from '@cairn/domain';
import { EmailTakenError, type InviteRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { requireRole } from './guards.ts';
import { assertAcceptablePassword } from './new-password.ts';
import { startSession, type IssuedSession, type Viewer } from './sessions.ts';
import { generateId, generateToken, sha256Hex } from './tokens.ts';
import { parseInput } from './validate.ts';
import { toInviteView } from './views.ts';

const EMAIL_TAKEN = 'Someone with this email already has an account.';

function invalidInvite(): CoreError {
  return new CoreError(
    'not_found',
    'invite_invalid',
    'This invite link is not valid any more. Ask your clinic admin for a new one.',
  );
}

export async function inviteStaff(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
  meta: RequestMeta,
): Promise<{ invite: InviteView; token: string }> {
  const viewer = await requireRole(ctx, maybeViewer, canManageStaff, 'staff.invite');
  const data = parseInput(inviteInputSchema, input);
  if (await ctx.store.findUserByEmail(data.email)) {
    throw new CoreError('conflict', 'email_taken', EMAIL_TAKEN, { fields: { email: EMAIL_TAKEN } });
  }
  const now = ctx.now();
  const token = generateToken();
  const invite: InviteRecord = {
    id: generateId(),
    clinicId: viewer.clinic.id,
    tokenHash: sha256Hex(token),
    email: data.email,
    roles: data.roles,
    invitedBy: viewer.user.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.policy.inviteLifetimeMs),
    acceptedAt: null,
    revokedAt: null,
  };
  await ctx.store.createInvite(invite);
  await recordAudit(ctx, 'staff.invited', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: invite.id,
    details: { roles: data.roles, ip: meta.ip },
  });
  return { invite: toInviteView(invite), token };
}

export async function revokeInvite(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  inviteId: string,
  meta: RequestMeta,
): Promise<void> {
  const viewer = await requireRole(ctx, maybeViewer, canManageStaff, 'staff.invite_revoke');
  const revoked = await ctx.store.revokeInvite(viewer.clinic.id, inviteId, ctx.now());
  if (!revoked)
    throw new CoreError('not_found', 'not_found', 'That invite does not exist or is already closed.');
  await recordAudit(ctx, 'staff.invite_revoked', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: inviteId,
    details: { ip: meta.ip },
  });
}

function assertInviteAttemptAllowed(ctx: CoreContext, meta: RequestMeta): void {
  const wait = ctx.limits.inviteByIp.retryAfterSeconds(meta.ip, ctx.now().getTime());
  if (wait > 0) {
    throw new CoreError('rate_limited', 'rate_limited', 'Too many attempts. Wait a moment, then try again.', {
      retryAfterSeconds: wait,
    });
  }
}

async function findOpenInvite(ctx: CoreContext, token: string, meta: RequestMeta): Promise<InviteRecord> {
  const invite = await ctx.store.findInviteByTokenHash(sha256Hex(token));
  const now = ctx.now();
  const open = invite && !invite.acceptedAt && !invite.revokedAt && invite.expiresAt > now;
  if (!open) {
    ctx.limits.inviteByIp.recordFailure(meta.ip, now.getTime());
    throw invalidInvite();
  }
  return invite;
}

export async function inspectInvite(
  ctx: CoreContext,
  input: unknown,
  meta: RequestMeta,
): Promise<{ email: string; roles: StaffRole[]; clinicName: string }> {
  assertInviteAttemptAllowed(ctx, meta);
  const { token } = parseInput(inviteTokenInputSchema, input);
  const invite = await findOpenInvite(ctx, token, meta);
  const clinic = await ctx.store.getClinic(invite.clinicId);
  if (!clinic) throw invalidInvite();
  return { email: invite.email, roles: invite.roles, clinicName: clinic.name };
}

export async function acceptInvite(
  ctx: CoreContext,
  input: unknown,
  meta: RequestMeta,
): Promise<IssuedSession> {
  assertInviteAttemptAllowed(ctx, meta);
  const data = parseInput(acceptInviteInputSchema, input);
  const invite = await findOpenInvite(ctx, data.token, meta);
  assertAcceptablePassword(data.password, invite.email);
  const clinic = await ctx.store.getClinic(invite.clinicId);
  if (!clinic) throw invalidInvite();
  const now = ctx.now();
  const user = {
    id: generateId(),
    clinicId: invite.clinicId,
    email: invite.email,
    displayName: data.displayName,
    passwordHash: await ctx.hasher.hash(data.password),
    roles: invite.roles,
    createdAt: now,
  };
  try {
    if (!(await ctx.store.acceptInvite(invite.tokenHash, user, now))) throw invalidInvite();
  } catch (error) {
    if (error instanceof EmailTakenError) throw new CoreError('conflict', 'email_taken', EMAIL_TAKEN);
    throw error;
  }
  await recordAudit(ctx, 'staff.invite_accepted', {
    clinicId: invite.clinicId,
    actorUserId: user.id,
    targetId: invite.id,
    details: { roles: invite.roles, ip: meta.ip },
  });
  return startSession(ctx, user.id, clinic.mfaRequired ? 'enrol' : 'full');
}
