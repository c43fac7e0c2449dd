/**
 * Scheduling a group's sessions. Each session gets its event stream in the same transaction;
 * only the group's staff can see a session or open its stream (event-streams.ts).
 */
import {
  canManageGroup,
  canViewGroup,
  scheduleSessionInputSchema,
  type GroupStaffRole,
  type SessionPhase,
} from '@cairn/domain';
import type { GroupSessionRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { accessGroup, denyGroup, rolesIn } from './group-access.ts';
import { requireFullViewer } from './guards.ts';
import { readSessionState, type SessionSeat } from './session-state.ts';
import type { Viewer } from './sessions.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

export const NO_SESSION = 'That session does not exist.';

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
  /** When it was cancelled (before it started), or null; it keeps its place and number. */
  cancelledAt: string | null;
  /** Staff-only like the whole view: never shown to participants or tablets. */
  cancelReason: string | null;
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
    cancelledAt: session.cancelledAt?.toISOString() ?? null,
    cancelReason: session.cancelReason,
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

/**
 * The session, if the viewer is on its group's staff; otherwise "not found", audited. Staff
 * whose group roles `mayUse` refuses get "forbidden", also audited.
 */
export async function sessionForStaff(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  what: string,
  mayUse: (groupRoles: GroupStaffRole[]) => boolean = canViewGroup,
): Promise<GroupSessionRecord> {
  const viewer = requireFullViewer(maybeViewer);
  const session = await ctx.store.getGroupSession(sessionId);
  if (!session) return denyGroup(ctx, viewer, sessionId, what, NO_SESSION);
  const group = await ctx.store.getGroup(session.groupId);
  const staff = group && group.clinicId === viewer.clinic.id ? await ctx.store.listGroupStaff(group.id) : [];
  const groupRoles = rolesIn(staff, viewer.user.id);
  if (!canViewGroup(groupRoles)) return denyGroup(ctx, viewer, sessionId, what, NO_SESSION);
  if (!mayUse(groupRoles)) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: sessionId,
      details: { what },
    });
    throw new CoreError('forbidden', 'forbidden', "Only this group's facilitators can do that.");
  }
  return session;
}

export async function getSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<GroupSessionView> {
  return toSessionView(await sessionForStaff(ctx, maybeViewer, sessionId, 'session.view'));
}

export interface SessionStateView {
  session: GroupSessionView;
  phase: SessionPhase;
  paused: boolean;
  /** The reason as recorded, or null while the session was not aborted. */
  abortedReason: string | null;
  participants: Omit<SessionSeat, 'active'>[];
  /** The stream's seq this answer reflects: a screen resumes its stream from here. */
  seq: number;
}

/** The session as its stream tells it now, for the staff's screens. */
export async function getSessionState(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<SessionStateView> {
  const session = await sessionForStaff(ctx, maybeViewer, sessionId, 'session.state');
  const { snapshot, seats, lastSeq } = await readSessionState(ctx, session);
  return {
    session: toSessionView(session),
    phase: snapshot.status.phase,
    paused: snapshot.status.paused,
    abortedReason: snapshot.status.abortedReason,
    participants: seats.map(({ active: _, ...seat }) => seat),
    seq: lastSeq,
  };
}
