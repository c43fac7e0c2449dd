/**
 * Opening a session's event stream and turning commands into events. The socket server asks
 * these before the upgrade and for every command; who sees which event is @cairn/domain's
 * rule (session-events.ts), applied by the server to every event it sends.
 */
import { mayIssueCommand, type SessionEventType, type StaffRole, type StreamRecipient } from '@cairn/domain';
import type { EventStreamRecord } from '@cairn/db';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayload, type StreamCommand } from '@cairn/sync';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { requireFullViewer } from './guards.ts';
import { isLiveCommand, runLiveCommand } from './live-commands.ts';
import { isPromptCommand, runPromptCommand } from './prompt-commands.ts';
import { isSessionCommand, runSessionCommand } from './session-commands.ts';
import type { Viewer } from './sessions.ts';
import { isTabletAdmitted } from './tablet-sign-in.ts';
import type { TabletGrant } from './tablets.ts';

export interface OpenedStream {
  stream: EventStreamRecord;
  /** Whose filter applies to what this socket receives. */
  recipient: StreamRecipient;
  /** The id stored as the actor of this socket's events. */
  actorId: string;
  /** Shown to others when this person joins. */
  displayName: string;
  roles: readonly StaffRole[];
  /** The tablet this socket speaks from, recorded on its events; absent for staff browsers. */
  deviceId?: string | null;
}

/**
 * A stream that belongs to a group's session opens only for that group's staff (any role in the
 * group); a stream with no group session keeps the clinic-wide rule.
 */
async function isOnSessionStaff(ctx: CoreContext, streamId: string, viewer: Viewer): Promise<boolean> {
  const session = await ctx.store.findGroupSessionByStream(streamId);
  if (!session) return true;
  const staff = await ctx.store.listGroupStaff(session.groupId);
  return staff.some((member) => member.userId === viewer.user.id);
}

/**
 * Authorises opening a stream: the staff of its clinic, narrowed to the group's staff when the
 * stream is a group session's. A stream that does not exist and one the viewer may not open get
 * the same answer; denials are audited.
 */
export async function openEventStream(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  streamId: string,
  tablet: TabletGrant | null = null,
): Promise<OpenedStream> {
  if (!maybeViewer && tablet) return openAsTablet(ctx, tablet, streamId);
  const viewer = requireFullViewer(maybeViewer);
  const stream = await ctx.store.getEventStream(streamId);
  if (!stream || stream.clinicId !== viewer.clinic.id || !(await isOnSessionStaff(ctx, streamId, viewer))) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: streamId,
      details: { what: 'stream.open' },
    });
    throw new CoreError('not_found', 'not_found', 'That session does not exist.');
  }
  return {
    stream,
    recipient: { kind: 'staff', userId: viewer.user.id, roles: viewer.user.roles },
    actorId: viewer.user.id,
    displayName: viewer.user.displayName,
    roles: viewer.user.roles,
  };
}

/**
 * An admitted tablet opens exactly its own session's stream, as its one participant; any other
 * stream, or a tablet not (or no longer) admitted, gets the same "not found", audited.
 */
async function openAsTablet(ctx: CoreContext, grant: TabletGrant, streamId: string): Promise<OpenedStream> {
  const { tablet, session, group } = grant;
  const admitted =
    tablet.state === 'admitted' &&
    tablet.participantId !== null &&
    session.streamId === streamId &&
    (await isTabletAdmitted(ctx, tablet.id));
  const stream = admitted ? await ctx.store.getEventStream(streamId) : null;
  if (!stream || !tablet.participantId) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: group.clinicId,
      actorUserId: null,
      targetId: streamId,
      details: { what: 'stream.open', deviceId: tablet.deviceId },
    });
    throw new CoreError('not_found', 'not_found', 'That session does not exist.');
  }
  return {
    stream,
    recipient: { kind: 'participant', participantId: tablet.participantId },
    actorId: tablet.participantId,
    displayName: '',
    roles: [],
    deviceId: tablet.deviceId,
  };
}

/** One event, its payload checked against its type's schema before it is stored. */
function eventOf<T extends SessionEventType>(type: T, payload: EventPayload<T>) {
  return { type, payload: EVENT_PAYLOAD_SCHEMAS[type].parse(payload) as Record<string, unknown> };
}

/**
 * Records that a staff member opened the session, once per person however often they
 * reconnect: the key is the server's own (`sys:`), scoped to the actor like every key.
 */
export async function announceJoin(
  ctx: CoreContext,
  opened: OpenedStream,
): Promise<{ seq: number; duplicate: boolean } | null> {
  if (opened.recipient.kind !== 'staff') return null;
  const event = eventOf('presence.joined', { name: opened.displayName, roles: [...opened.roles] });
  const [appended] = await ctx.store.appendEvents(opened.stream.id, [
    { ...event, actorId: opened.actorId, deviceId: null, idempotencyKey: 'sys:joined', at: ctx.now() },
  ]);
  return { seq: appended!.event.seq, duplicate: appended!.duplicate };
}

export type CommandOutcome =
  | { ok: true; seq: number; duplicate: boolean }
  | { ok: false; reason: 'forbidden' | 'rate_limited' }
  | { ok: false; reason: 'not_allowed' | 'invalid'; message: string };

function eventFor(command: StreamCommand) {
  if (command.type !== 'duty.set') throw new Error(`No handler for ${command.type}.`);
  return eventOf('staff.duty_changed', { onDuty: command.onDuty });
}

/**
 * Applies a command once: its event is committed with the client's id as idempotency key, so
 * the same id again (an offline retry, a second tab) returns the first event instead of a new
 * one. Resolves only after the commit — the caller acknowledges then, never before.
 */
export async function runStreamCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  command: StreamCommand,
): Promise<CommandOutcome> {
  if (!mayIssueCommand(command.type, opened.recipient)) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: opened.stream.clinicId,
      actorUserId: opened.recipient.kind === 'staff' ? opened.actorId : null,
      targetId: opened.stream.id,
      details: { what: `command.${command.type}` },
    });
    return { ok: false, reason: 'forbidden' };
  }
  if (isSessionCommand(command)) return runSessionCommand(ctx, opened, commandId, command);
  if (isLiveCommand(command)) return runLiveCommand(ctx, opened, commandId, command);
  if (isPromptCommand(command)) return runPromptCommand(ctx, opened, commandId, command);
  const [appended] = await ctx.store.appendEvents(opened.stream.id, [
    {
      ...eventFor(command),
      actorId: opened.actorId,
      deviceId: null,
      idempotencyKey: `cmd:${commandId}`,
      at: ctx.now(),
    },
  ]);
  return { ok: true, seq: appended!.event.seq, duplicate: appended!.duplicate };
}
