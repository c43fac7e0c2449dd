/**
 * Finding a group for a viewer. A group of another clinic, one that does not exist and one
 * the viewer may not see get the same answer, "not found" (no existence oracle); the group's
 * own staff asking for what their role does not allow get "forbidden". Every denial is audited. Who may do what is @cairn/domain's rule (groups.ts).
 */
import { canViewGroup, GROUP_STAFF_ROLES, type GroupStaffRole } from '@cairn/domain';
import type { GroupRecord, GroupStaffRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { requireFullViewer } from './guards.ts';
import type { Viewer } from './sessions.ts';

export interface GroupAccess {
  viewer: Viewer;
  group: GroupRecord;
  staff: GroupStaffRecord[];
  /** The viewer's own roles in this group (empty when they are not on its staff). */
  groupRoles: GroupStaffRole[];
}

export function rolesIn(staff: readonly GroupStaffRecord[], userId: string): GroupStaffRole[] {
  return GROUP_STAFF_ROLES.filter((role) => staff.some((s) => s.userId === userId && s.role === role));
}

export async function denyGroup(
  ctx: CoreContext,
  viewer: Viewer,
  targetId: string,
  what: string,
  message = 'That group does not exist.',
): Promise<never> {
  await recordAudit(ctx, 'authz.denied', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId,
    details: { what },
  });
  throw new CoreError('not_found', 'not_found', message);
}

/**
 * The group, if the viewer may `what` it. `mayUse` decides from the viewer's clinic roles and
 * roles in the group; a refusal looks exactly like a group that does not exist.
 */
export async function accessGroup(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  what: string,
  mayUse: (clinicRoles: Viewer['user']['roles'], groupRoles: GroupStaffRole[]) => boolean,
): Promise<GroupAccess> {
  const viewer = requireFullViewer(maybeViewer);
  const group = await ctx.store.getGroup(groupId);
  if (!group || group.clinicId !== viewer.clinic.id) return denyGroup(ctx, viewer, groupId, what);
  const staff = await ctx.store.listGroupStaff(group.id);
  const groupRoles = rolesIn(staff, viewer.user.id);
  if (!mayUse(viewer.user.roles, groupRoles)) {
    // Someone who can see the group learns nothing new from a plain "not allowed".
    if (!canViewGroup(groupRoles)) return denyGroup(ctx, viewer, groupId, what);
    await recordAudit(ctx, 'authz.denied', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: groupId,
      details: { what },
    });
    throw new CoreError('forbidden', 'forbidden', "Only this group's facilitators can do that.");
  }
  return { viewer, group, staff, groupRoles };
}
