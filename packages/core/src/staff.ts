/**
 * The clinic's staff list and role changes. A role change takes effect at once: roles are
 * read from the database on every request, and the person's sessions end so their next
 * sign-in carries a new token (privilege change, ASVS 7.2.4 / 8.3.2).
 */
import {
  canManageStaff,
  rolesUpdateInputSchema,
  wouldRemoveLastAdmin,
  type InviteView,
  type StaffMemberView,
} from '@cairn/domain';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { requireRole } from './guards.ts';
import { endAllSessionsOf, startSession, type IssuedSession, type Viewer } from './sessions.ts';
import { parseInput } from './validate.ts';
import { toInviteView, toStaffMemberView } from './views.ts';

export async function listStaff(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
): Promise<{ staff: StaffMemberView[]; invites: InviteView[] }> {
  const viewer = await requireRole(ctx, maybeViewer, canManageStaff, 'staff.list');
  const users = await ctx.store.listUsers(viewer.clinic.id);
  const staff = await Promise.all(
    users.map(async (user) =>
      toStaffMemberView(user, Boolean((await ctx.store.getTotp(user.id))?.confirmedAt)),
    ),
  );
  const invites = (await ctx.store.listOpenInvites(viewer.clinic.id, ctx.now())).map(toInviteView);
  return { staff, invites };
}

export interface RoleChange {
  member: StaffMemberView;
  /** Set when admins change their own roles: their fresh session, so they stay signed in. */
  reissued: IssuedSession | null;
}

export async function changeStaffRoles(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  targetUserId: string,
  input: unknown,
  meta: RequestMeta,
): Promise<RoleChange> {
  const viewer = await requireRole(ctx, maybeViewer, canManageStaff, 'staff.roles');
  const { roles } = parseInput(rolesUpdateInputSchema, input);
  const target = await ctx.store.getUser(targetUserId);
  if (!target || target.clinicId !== viewer.clinic.id) {
    throw new CoreError('not_found', 'not_found', 'That staff member does not exist.');
  }
  // The Store applies the "at least one admin" rule atomically (two admins demoting each
  // other at once); the domain rule answers the common case before any write.
  const admins = await ctx.store.countUsersWithRole(viewer.clinic.id, 'admin');
  const lastAdmin = wouldRemoveLastAdmin(admins, target.roles.includes('admin'), roles.includes('admin'));
  if (lastAdmin || (await ctx.store.setUserRoles(target.id, roles)) === 'last_admin') {
    throw new CoreError(
      'conflict',
      'last_admin',
      'The clinic needs at least one admin. Make someone else an admin first.',
    );
  }
  await endAllSessionsOf(ctx, target.id);
  await recordAudit(ctx, 'staff.roles_changed', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: target.id,
    details: { from: target.roles, to: roles, ip: meta.ip },
  });
  const reissued = target.id === viewer.user.id ? await startSession(ctx, target.id, 'full') : null;
  const mfaEnrolled = Boolean((await ctx.store.getTotp(target.id))?.confirmedAt);
  return { member: toStaffMemberView({ ...target, roles }, mfaEnrolled), reissued };
}
