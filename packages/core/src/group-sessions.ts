/**
 * Scheduling a group's sessions. Each session gets its event stream in the same transaction;
 * only the group's staff can see a session or open its stream (event-streams.ts).
 */
import { canManageGroup, canViewGroup, scheduleSessionInputSchema } from '@cairn/domain';
import type { GroupSessionRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { accessGroup, denyGroup } from './group-access.ts';
import { requireFullViewer } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

const NO_SESSION = 'That session does not exist.';

export interface GroupSessionView {
  id: string;
  groupId: string;
  kind: GroupSessionRecord['kind'];
  number: number;
  scheduledStart: string;
  plannedMinutes: number;
  room: string | null;
  /** The session's event stream: `/ws/stream/<streamId>`. */
  streamId: string;
}

export function toSessionView(session: GroupSessionRecord): GroupSessionView {
  return {
    id: session.id,
    groupId: session.groupId,
    kind: session.kind,
    number: session.number,
    scheduledStart: session.scheduledStart.toISOString(),
    plannedMinutes: session.plannedMinutes,
    room: session.room,
    streamId: session.streamId,
  };
}

export async function scheduleSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  input: unknown,
): Promise<GroupSessionView> {
  const { viewer, group } = await accessGroup(ctx, maybeViewer, groupId, 'session.schedule', (_, roles) =>
    canManageGroup(roles),
  );
  const body = parseInput(scheduleSessionInputSchema, input);
  const session = await ctx.store.createGroupSession({
    id: generateId(),
    groupId: group.id,
    clinicId: viewer.clinic.id,
    kind: body.kind,
    scheduledStart: body.scheduledStart,
    plannedMinutes: body.plannedMinutes,
    room: body.room ?? null,
    streamId: generateId(),
    createdAt: ctx.now(),
  });
  await recordAudit(ctx, 'group.session_scheduled', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
    details: { groupId: group.id, kind: session.kind, number: session.number },
  });
  return toSessionView(session);
}

export async function listSessions(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
): Promise<GroupSessionView[]> {
  const { group } = await accessGroup(ctx, maybeViewer, groupId, 'session.list', (_, roles) =>
    canViewGroup(roles),
  );
  return (await ctx.store.listGroupSessions(group.id)).map(toSessionView);
}

export async function getSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<GroupSessionView> {
  const viewer = requireFullViewer(maybeViewer);
  const session = await ctx.store.getGroupSession(sessionId);
  if (!session) return denyGroup(ctx, viewer, sessionId, 'session.view', NO_SESSION);
  const group = await ctx.store.getGroup(session.groupId);
  const staff = group && group.clinicId === viewer.clinic.id ? await ctx.store.listGroupStaff(group.id) : [];
  if (!staff.some((s) => s.userId === viewer.user.id))
    return denyGroup(ctx, viewer, sessionId, 'session.view', NO_SESSION);
  return toSessionView(session);
}
