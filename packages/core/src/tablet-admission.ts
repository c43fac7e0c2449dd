/**
 * The staff's admission desk for a session's tablets: the list, admit or reject a waiting
 * tablet, and "End session", which signs every tablet of the session out. Separate because it
 * changes with what staff see and decide, not with the tablet's own sign-in or the join codes.
 */
import type { TabletState } from '@cairn/domain';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { hasConsent } from './groups.ts';
import type { Viewer } from './sessions.ts';
import { accessSession, appendEvent, type NameChoice } from './tablets.ts';

export interface TabletView {
  deviceId: string;
  state: TabletState;
  participant: NameChoice | null;
  since: string;
}

export async function listTablets(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<TabletView[]> {
  const { session, group } = await accessSession(ctx, maybeViewer, sessionId, 'tablet.list');
  const [tablets, roster] = await Promise.all([
    ctx.store.listTabletSessions(session.id),
    ctx.store.listRoster(group.id),
  ]);
  const names = new Map(roster.map((e) => [e.participant.id, e.participant.preferredName]));
  return tablets.map((t) => ({
    deviceId: t.deviceId,
    state: t.state,
    participant:
      t.participantId && names.has(t.participantId)
        ? { id: t.participantId, preferredName: names.get(t.participantId)! }
        : null,
    since: t.updatedAt.toISOString(),
  }));
}

export async function decideTablet(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  deviceId: string,
  decision: 'admit' | 'reject',
): Promise<TabletView> {
  const what = decision === 'admit' ? 'tablet.admit' : 'tablet.reject';
  const { viewer, session, group } = await accessSession(ctx, maybeViewer, sessionId, what);
  const tablet = await ctx.store.findTabletByDevice(deviceId);
  if (!tablet || tablet.sessionId !== session.id) {
    throw new CoreError('not_found', 'not_found', 'That tablet is not waiting in this session.');
  }
  if (decision === 'admit' && tablet.state === 'awaiting_admission') {
    await requireTabletConsent(ctx, group.id, tablet.participantId);
  }
  const to = decision === 'admit' ? 'admitted' : 'rejected';
  const moved = await ctx.store.moveTablet(tablet.id, ['awaiting_admission'], to, ctx.now());
  if (!moved || !moved.participantId) {
    throw new CoreError('conflict', 'not_waiting', 'That tablet is not waiting to be admitted.');
  }
  const payload = { deviceId: moved.deviceId, participantId: moved.participantId };
  await appendEvent(
    ctx,
    session.streamId,
    decision === 'admit' ? 'tablet.admitted' : 'tablet.rejected',
    payload,
    {
      actorId: viewer.user.id,
      deviceId: null,
    },
  );
  await recordAudit(ctx, decision === 'admit' ? 'tablet.admitted' : 'tablet.rejected', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
    details: payload,
  });
  const [view] = (await listTablets(ctx, viewer, session.id)).filter((t) => t.deviceId === deviceId);
  return view ?? { deviceId, state: to, participant: null, since: moved.updatedAt.toISOString() };
}

/**
 * The participant's consent may have been revoked while the tablet waited. A revocation landing
 * between this check and the admission still ends the tablet at its next re-check
 * (tablet-sign-in.ts), so this is what staff are told, not the only guard.
 */
async function requireTabletConsent(
  ctx: CoreContext,
  groupId: string,
  participantId: string | null,
): Promise<void> {
  const entry = (await ctx.store.listRoster(groupId)).find((e) => e.participant.id === participantId);
  if (entry && !hasConsent(entry.consents, 'tablet_data_use')) {
    throw new CoreError(
      'conflict',
      'no_tablet_consent',
      'This participant has not consented to tablet data use; record their consent first.',
    );
  }
}

/** "End session" on the staff screen: every tablet of the session signs out (AC-22). */
export async function endSessionTablets(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<{ tabletsEnded: number }> {
  const { viewer, session } = await accessSession(ctx, maybeViewer, sessionId, 'tablet.end');
  const ended = await ctx.store.endTablets(session.id, ctx.now());
  for (const tablet of ended) {
    ctx.events.emit('sessions-ended', { userId: tablet.deviceId, sessionIds: [tablet.id] });
  }
  await appendEvent(
    ctx,
    session.streamId,
    'tablet.sessions_ended',
    { tablets: ended.length },
    {
      actorId: viewer.user.id,
      deviceId: null,
    },
  );
  await recordAudit(ctx, 'tablet.sessions_ended', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
    details: { tabletsEnded: ended.length },
  });
  return { tabletsEnded: ended.length };
}
