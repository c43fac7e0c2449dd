/**
 * Groups (cohorts): create, edit, assign staff, enrol and withdraw participants. Audit
 * entries carry ids and counts only — never names, contacts or withdrawal reasons (PHI).
 */
import {
  canAssignGroupStaff,
  canCreateGroup,
  canSeeGroupStaff,
  canManageGroup,
  canViewGroup,
  CONSENT_VERSION,
  enrolInputSchema,
  GROUP_FULL_MESSAGE,
  GROUP_MAX_PARTICIPANTS,
  groupInputSchema,
  groupStaffInputSchema,
  groupUpdateInputSchema,
  mayHoldGroupRole,
  withdrawInputSchema,
  type ConsentType,
  type GroupStaffRole,
} from '@cairn/domain';
import type { ConsentRecord, GroupRecord, GroupStaffRecord, RosterEntry } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { accessGroup, rolesIn } from './group-access.ts';
import { toSessionView, type GroupSessionView } from './group-sessions.ts';
import { requireRole } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

export interface GroupSummaryView {
  id: string;
  name: string;
  plan: GroupRecord['plan'];
  routeDefault: GroupRecord['routeDefault'];
  activeParticipants: number;
  /** The viewer's roles in this group; empty for an admin who is not on its staff. */
  myRoles: GroupStaffRole[];
}

export interface GroupStaffView {
  userId: string;
  displayName: string;
  roles: GroupStaffRole[];
}

export interface ParticipantView {
  id: string;
  preferredName: string;
  pronouns: string | null;
  emergencyContact: { name: string; phone: string };
  escortContact: { name: string; phone: string } | null;
  status: 'active' | 'withdrawn';
  enrolledAt: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  consents: { groupConfidentialityAgreement: boolean; tabletDataUse: boolean };
}

export interface GroupView extends GroupSummaryView {
  staff: GroupStaffView[];
  participants: ParticipantView[];
  sessions: GroupSessionView[];
}

/** Whether a consent of this type is currently given: recorded and not revoked since. */
export function hasConsent(consents: readonly ConsentRecord[], type: ConsentType): boolean {
  return consents.some((c) => c.type === type && c.revokedAt === null);
}

export function toParticipantView({ participant, enrolment, consents }: RosterEntry): ParticipantView {
  return {
    id: participant.id,
    preferredName: participant.preferredName,
    pronouns: participant.pronouns,
    emergencyContact: participant.emergencyContact,
    escortContact: participant.escortContact,
    status: enrolment.status,
    enrolledAt: enrolment.enrolledAt.toISOString(),
    withdrawnAt: enrolment.withdrawnAt?.toISOString() ?? null,
    withdrawalReason: enrolment.withdrawalReason,
    consents: {
      groupConfidentialityAgreement: hasConsent(consents, 'group_confidentiality_agreement'),
      tabletDataUse: hasConsent(consents, 'tablet_data_use'),
    },
  };
}

async function toSummary(
  ctx: CoreContext,
  group: GroupRecord,
  myRoles: GroupStaffRole[],
): Promise<GroupSummaryView> {
  return {
    id: group.id,
    name: group.name,
    plan: group.plan,
    routeDefault: group.routeDefault,
    activeParticipants: await ctx.store.countActiveEnrolments(group.id),
    myRoles,
  };
}

async function toStaffViews(ctx: CoreContext, staff: GroupStaffRecord[]): Promise<GroupStaffView[]> {
  const ids = [...new Set(staff.map((s) => s.userId))];
  const views: GroupStaffView[] = [];
  for (const userId of ids) {
    const user = await ctx.store.getUser(userId);
    views.push({ userId, displayName: user?.displayName ?? '', roles: rolesIn(staff, userId) });
  }
  return views;
}

async function toGroupView(
  ctx: CoreContext,
  group: GroupRecord,
  staff: GroupStaffRecord[],
  myRoles: GroupStaffRole[],
): Promise<GroupView> {
  const [summary, staffViews, roster, sessions] = await Promise.all([
    toSummary(ctx, group, myRoles),
    toStaffViews(ctx, staff),
    ctx.store.listRoster(group.id),
    ctx.store.listGroupSessions(group.id),
  ]);
  return {
    ...summary,
    staff: staffViews,
    participants: roster.map(toParticipantView),
    sessions: sessions.map(toSessionView),
  };
}

/** The groups the viewer works in; a clinic admin sees every group's summary (no people). */
export async function listGroups(ctx: CoreContext, maybeViewer: Viewer | null): Promise<GroupSummaryView[]> {
  const viewer = await requireRole(ctx, maybeViewer, () => true, 'group.list');
  const mine = new Set(await ctx.store.listGroupIdsOfStaff(viewer.user.id));
  const isAdmin = viewer.user.roles.includes('admin');
  const groups = (await ctx.store.listGroups(viewer.clinic.id)).filter((g) => isAdmin || mine.has(g.id));
  return Promise.all(
    groups.map(async (group) =>
      toSummary(
        ctx,
        group,
        mine.has(group.id) ? rolesIn(await ctx.store.listGroupStaff(group.id), viewer.user.id) : [],
      ),
    ),
  );
}

export async function createGroup(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
): Promise<GroupView> {
  const viewer = await requireRole(ctx, maybeViewer, canCreateGroup, 'group.create');
  const { name, plan, routeDefault } = parseInput(groupInputSchema, input);
  const now = ctx.now();
  const group: GroupRecord = {
    id: generateId(),
    clinicId: viewer.clinic.id,
    name,
    plan,
    routeDefault,
    createdBy: viewer.user.id,
    createdAt: now,
    updatedAt: now,
  };
  // A facilitator who creates a group runs it; an admin who is not one staffs it afterwards.
  const staff: GroupStaffRecord[] = viewer.user.roles.includes('facilitator')
    ? [{ userId: viewer.user.id, role: 'facilitator' }]
    : [];
  await ctx.store.createGroup(group, staff);
  await recordAudit(ctx, 'group.created', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
  });
  return toGroupView(ctx, group, staff, rolesIn(staff, viewer.user.id));
}

/** The group's staff alone: for its staff, and for an admin who assigns it from outside. */
export async function getGroupStaff(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
): Promise<{ staff: GroupStaffView[] }> {
  const { staff } = await accessGroup(ctx, maybeViewer, groupId, 'group.staff.view', canSeeGroupStaff);
  return { staff: await toStaffViews(ctx, staff) };
}

export async function getGroup(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
): Promise<GroupView> {
  const { group, staff, groupRoles } = await accessGroup(
    ctx,
    maybeViewer,
    groupId,
    'group.view',
    (_, roles) => canViewGroup(roles),
  );
  return toGroupView(ctx, group, staff, groupRoles);
}

export async function updateGroup(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  input: unknown,
): Promise<GroupView> {
  const { viewer, group, staff, groupRoles } = await accessGroup(
    ctx,
    maybeViewer,
    groupId,
    'group.update',
    (_, roles) => canManageGroup(roles),
  );
  const patch = parseInput(groupUpdateInputSchema, input);
  const updated = await ctx.store.updateGroup(group.id, patch, ctx.now());
  if (!updated) throw new CoreError('not_found', 'not_found', 'That group does not exist.');
  await recordAudit(ctx, 'group.updated', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { fields: Object.keys(patch).sort() },
  });
  return toGroupView(ctx, updated, staff, groupRoles);
}

export async function setGroupStaff(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  input: unknown,
): Promise<GroupView> {
  const { viewer, group } = await accessGroup(ctx, maybeViewer, groupId, 'group.staff', canAssignGroupStaff);
  const { staff: members } = parseInput(groupStaffInputSchema, input);
  const fields: Record<string, string> = {};
  const staff: GroupStaffRecord[] = [];
  for (const [i, member] of members.entries()) {
    const user = await ctx.store.getUser(member.userId);
    if (!user || user.clinicId !== viewer.clinic.id) {
      fields[`staff.${i}.userId`] = 'No such staff member.';
      continue;
    }
    for (const role of member.roles) {
      if (!mayHoldGroupRole(user.roles, role)) {
        fields[`staff.${i}.roles`] = 'Choose only roles this person holds in the clinic.';
      } else {
        staff.push({ userId: user.id, role });
      }
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new CoreError('unprocessable', 'validation_failed', 'Check the highlighted fields.', { fields });
  }
  await ctx.store.setGroupStaff(group.id, staff);
  await recordAudit(ctx, 'group.staff_changed', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { staff: staff.map((s) => `${s.userId}:${s.role}`) },
  });
  return toGroupView(ctx, group, staff, rolesIn(staff, viewer.user.id));
}

export async function enrolParticipant(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  input: unknown,
): Promise<ParticipantView> {
  const { viewer, group } = await accessGroup(ctx, maybeViewer, groupId, 'group.enrol', (_, roles) =>
    canManageGroup(roles),
  );
  const body = parseInput(enrolInputSchema, input);
  const now = ctx.now();
  const participantId = generateId();
  const given: ConsentType[] = [
    ...(body.consents.groupConfidentialityAgreement ? (['group_confidentiality_agreement'] as const) : []),
    ...(body.consents.tabletDataUse ? (['tablet_data_use'] as const) : []),
  ];
  const consents: ConsentRecord[] = given.map((type) => ({
    id: generateId(),
    participantId,
    type,
    version: CONSENT_VERSION,
    signedAt: now,
    recordedBy: viewer.user.id,
    revokedAt: null,
  }));
  const participant = {
    id: participantId,
    clinicId: viewer.clinic.id,
    preferredName: body.preferredName,
    pronouns: body.pronouns ?? null,
    emergencyContact: body.emergencyContact,
    escortContact: body.escortContact ?? null,
    createdAt: now,
  };
  const outcome = await ctx.store.enrolParticipant(
    group.id,
    { participant, enrolledAt: now, consents },
    GROUP_MAX_PARTICIPANTS,
  );
  if (outcome !== 'enrolled') {
    await recordAudit(ctx, 'group.enrolment_refused', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: group.id,
      details: { reason: outcome },
    });
    if (outcome === 'no_group') throw new CoreError('not_found', 'not_found', 'That group does not exist.');
    throw new CoreError('conflict', 'group_full', GROUP_FULL_MESSAGE);
  }
  await recordAudit(ctx, 'group.participant_enrolled', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { participantId, consents: given },
  });
  return toParticipantView({
    participant,
    enrolment: {
      groupId: group.id,
      participantId,
      status: 'active',
      enrolledAt: now,
      withdrawnAt: null,
      withdrawalReason: null,
    },
    consents,
  });
}

export async function withdrawParticipant(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  participantId: string,
  input: unknown,
): Promise<void> {
  const { viewer, group } = await accessGroup(ctx, maybeViewer, groupId, 'group.withdraw', (_, roles) =>
    canManageGroup(roles),
  );
  const { reason } = parseInput(withdrawInputSchema, input);
  if (!(await ctx.store.withdrawEnrolment(group.id, participantId, reason, ctx.now()))) {
    throw new CoreError('not_found', 'not_found', 'That participant is not active in this group.');
  }
  await recordAudit(ctx, 'group.participant_withdrawn', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { participantId },
  });
}
