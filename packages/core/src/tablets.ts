/**
 * Tablets in the room (PRODUCT §5, BI-J1…J6, AC-22). Staff make a short join code for a
 * session; a tablet redeems it (no staff cookie), picks a participant's name, and waits until a
 * facilitator or co-therapist admits it. Only then does it reach the session's stream, as that
 * one participant. "End session" signs every tablet of the session out.
 *
 * Codes and tokens are never stored, logged or audited: only their SHA-256. A join code carries
 * 40 bits and lives ≤ 10 minutes, single use, behind the limits of tablet-limits.ts and the
 * facilitator's admission, so a fast hash is enough (an offline guess of a leaked hash would
 * still need a live, unredeemed code and a facilitator who admits a stranger).
 *
 * This file holds only what the parts share: who runs tablets, which session a viewer may reach,
 * when a session stops taking tablets, appending to its stream, and the names still free to pick.
 * The parts live apart because each changes for its own reason: join-codes.ts (making and
 * redeeming codes), join-code-failures.ts (what a wrong code costs), tablet-sign-in.ts (the
 * tablet's own cookie) and tablet-admission.ts (the staff's admission desk).
 */
import type { GroupStaffRole, SessionEventType } from '@cairn/domain';
import type { GroupRecord, GroupSessionRecord, RosterEntry, TabletSessionRecord } from '@cairn/db';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayload } from '@cairn/sync';
import type { CoreContext, RequestMeta } from './context.ts';
import { accessGroup, denyGroup } from './group-access.ts';
import { hasConsent } from './groups.ts';
import { requireFullViewer } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { readSessionState } from './session-state.ts';

/** A tablet's sign-in ends at the latest this long after the code was redeemed (a long dosing day). */
export const TABLET_LIFETIME_MS = 12 * 60 * 60 * 1000;

const NO_SESSION = 'That session does not exist.';

/** Who may make codes, see tablets, admit, reject and end: the clinicians running the room. */
export function canRunTablets(roles: readonly GroupStaffRole[]): boolean {
  return roles.includes('facilitator') || roles.includes('co_therapist');
}

// --- Telling the socket server about events written outside a socket -----------------------

export type StreamAnnouncer = (streamId: string, seq: number) => void;
const announcers = new WeakMap<CoreContext, StreamAnnouncer>();

/** The socket server registers how live sockets hear of an event written by an HTTP call. */
export function setStreamAnnouncer(ctx: CoreContext, announce: StreamAnnouncer): void {
  announcers.set(ctx, announce);
}

/** Tells live sockets of an event an HTTP call committed (no-op without a socket server). */
export function announceStreamEvent(ctx: CoreContext, streamId: string, seq: number): void {
  announcers.get(ctx)?.(streamId, seq);
}

export async function appendEvent<T extends SessionEventType>(
  ctx: CoreContext,
  streamId: string,
  type: T,
  payload: EventPayload<T>,
  actor: { actorId: string; deviceId: string | null },
): Promise<void> {
  const [appended] = await ctx.store.appendEvents(streamId, [
    {
      type,
      payload: EVENT_PAYLOAD_SCHEMAS[type].parse(payload) as Record<string, unknown>,
      actorId: actor.actorId,
      deviceId: actor.deviceId,
      idempotencyKey: null,
      at: ctx.now(),
    },
  ]);
  if (appended) announcers.get(ctx)?.(streamId, appended.event.seq);
}

// --- The session staff reach, whether it takes tablets, the names a tablet may pick -------

export interface SessionAccess {
  viewer: Viewer;
  session: GroupSessionRecord;
  group: GroupRecord;
}

/** The session, if the viewer runs tablets in its group: outsiders get "not found", audited. */
export async function accessSession(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
  what: string,
): Promise<SessionAccess> {
  const viewer = requireFullViewer(maybeViewer);
  const session = await ctx.store.getGroupSession(sessionId);
  if (!session) return denyGroup(ctx, viewer, sessionId, what, NO_SESSION);
  const group = await ctx.store.getGroup(session.groupId);
  if (!group || group.clinicId !== viewer.clinic.id)
    return denyGroup(ctx, viewer, sessionId, what, NO_SESSION);
  const access = await accessGroup(ctx, viewer, group.id, what, (_, roles) => canRunTablets(roles));
  return { viewer: access.viewer, session, group: access.group };
}

/** Phases after which a session takes no new tablet (session-phases.ts). */
const OVER_PHASES: ReadonlySet<string> = new Set(['completed', 'closed', 'documented']);

/** Whether End session was pressed: every tablet of the session is out for good. */
export async function tabletsEnded(ctx: CoreContext, sessionId: string): Promise<boolean> {
  return (await ctx.store.tabletsEndedAt(sessionId)) !== null;
}

/**
 * Whether the session takes no new tablet: it was cancelled, End session was pressed, or its
 * phase (folded from its stream) is completed, closed or documented. Read only when a code is
 * made or redeemed, never per sweep.
 */
export async function isSessionOver(ctx: CoreContext, session: GroupSessionRecord): Promise<boolean> {
  if (session.cancelledAt !== null) return true;
  if (await tabletsEnded(ctx, session.id)) return true;
  const { snapshot } = await readSessionState(ctx, session);
  return OVER_PHASES.has(snapshot.status.phase);
}

export interface TabletMeta extends RequestMeta {
  /** The device cookie (set on a tablet's first visit): what per-device limits count. */
  deviceKey: string;
}

export interface TabletGrant {
  tablet: TabletSessionRecord;
  session: GroupSessionRecord;
  group: GroupRecord;
}

export interface NameChoice {
  id: string;
  preferredName: string;
}

/**
 * Whether a tablet may speak for this participant: still active in the group and consenting to
 * tablet data use now. Picking a name and every later re-check (tablet-sign-in.ts) ask this, so a
 * revoked consent or a withdrawal ends the tablet; admission names the missing consent to staff.
 */
export function mayHoldTablet(entry: RosterEntry): boolean {
  return entry.enrolment.status === 'active' && hasConsent(entry.consents, 'tablet_data_use');
}

/** Participants who may hold a tablet and whom no other live tablet holds, by name (for a picker). */
export async function freeNames(
  ctx: CoreContext,
  grant: Pick<TabletGrant, 'session' | 'group'>,
  selfId?: string,
) {
  const [roster, tablets] = await Promise.all([
    ctx.store.listRoster(grant.group.id),
    ctx.store.listTabletSessions(grant.session.id),
  ]);
  const held = new Set(
    tablets
      .filter((t) => t.id !== selfId && (t.state === 'awaiting_admission' || t.state === 'admitted'))
      .map((t) => t.participantId),
  );
  return roster
    .filter((entry) => mayHoldTablet(entry) && !held.has(entry.participant.id))
    .map((entry) => ({ id: entry.participant.id, preferredName: entry.participant.preferredName }))
    .sort((a, b) => a.preferredName.localeCompare(b.preferredName) || a.id.localeCompare(b.id));
}
