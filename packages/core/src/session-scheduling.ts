/**
 * Rescheduling and cancelling a group session. Both are for the group's facilitators and only
 * before the session started — once its stream holds a phase change, its schedule is history.
 * The store checks "not started, not cancelled" and writes in one transaction, so a phase change
 * that commits first makes these answer `session_started`. A cancelled session keeps its row and
 * number (other sessions are never renumbered); it cannot be moved, take tablets or change phase.
 * Audit entries carry ids and field names only — never the reason.
 */
import {
  canManageGroup,
  cancelSessionInputSchema,
  rescheduleSessionInputSchema,
  SESSION_CANCELLED_MESSAGE,
  SESSION_STARTED_MESSAGE,
} from '@cairn/domain';
import type { SessionChangeOutcome } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { NO_SESSION, sessionForStaff, toSessionView, type GroupSessionView } from './group-sessions.ts';
import { requireFullViewer } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { parseInput } from './validate.ts';

function changed(outcome: SessionChangeOutcome) {
  if (outcome.ok) return outcome.session;
  switch (outcome.reason) {
    case 'no_session':
      throw new CoreError('not_found', 'not_found', NO_SESSION);
    case 'started':
      throw new CoreError('conflict', 'session_started', SESSION_STARTED_MESSAGE);
    case 'cancelled':
      throw new CoreError('conflict', 'session_cancelled', SESSION_CANCELLED_MESSAGE);
  }
}

export async function rescheduleSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  input: unknown,
): Promise<GroupSessionView> {
  const session = await sessionForStaff(ctx, maybeViewer, sessionId, 'session.reschedule', canManageGroup);
  const viewer = requireFullViewer(maybeViewer);
  const patch = parseInput(rescheduleSessionInputSchema, input);
  const updated = changed(await ctx.store.rescheduleGroupSession(session.id, patch));
  await recordAudit(ctx, 'group.session_rescheduled', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
    details: { groupId: session.groupId, fields: Object.keys(patch).sort() },
  });
  return toSessionView(updated);
}

export async function cancelSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  input: unknown,
): Promise<GroupSessionView> {
  const session = await sessionForStaff(ctx, maybeViewer, sessionId, 'session.cancel', canManageGroup);
  const viewer = requireFullViewer(maybeViewer);
  const { reason } = parseInput(cancelSessionInputSchema, input);
  const updated = changed(
    await ctx.store.cancelGroupSession(session.id, { at: ctx.now(), reason, by: viewer.user.id }),
  );
  await recordAudit(ctx, 'group.session_cancelled', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
    details: { groupId: session.groupId, kind: session.kind, number: session.number },
  });
  return toSessionView(updated);
}
