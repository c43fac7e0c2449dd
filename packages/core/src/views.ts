import type { InviteView, MeView, StaffMemberView } from '@cairn/domain';
import type { InviteRecord, UserRecord } from '@cairn/db';
import type { CoreContext } from './context.ts';
import type { Viewer } from './sessions.ts';

export async function toMeView(ctx: CoreContext, viewer: Viewer): Promise<MeView> {
  const recoveryCodesLeft = viewer.mfaEnrolled ? await ctx.store.countUnusedRecoveryCodes(viewer.user.id) : 0;
  return {
    id: viewer.user.id,
    email: viewer.user.email,
    displayName: viewer.user.displayName,
    roles: viewer.user.roles,
    stage: viewer.stage,
    mfaEnrolled: viewer.mfaEnrolled,
    recoveryCodesLeft,
    clinic: { id: viewer.clinic.id, name: viewer.clinic.name, mfaRequired: viewer.clinic.mfaRequired },
  };
}

export function toStaffMemberView(user: UserRecord, mfaEnrolled: boolean): StaffMemberView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    mfaEnrolled,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toInviteView(invite: InviteRecord): InviteView {
  return {
    id: invite.id,
    email: invite.email,
    roles: invite.roles,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
  };
}
