/**
 * The tablet's own sign-in, once its code is redeemed: the cookie resolved to a grant, the name
 * it picks (which asks staff to admit it), what it sees of itself, signing out, and whether an
 * admitted tablet still holds its grant (sockets re-check this). Separate because it changes with
 * the tablet's cookie and states, not with how codes are made or how staff decide.
 */
import { claimParticipantInputSchema, type TabletState } from '@cairn/domain';
import type { GroupSessionRecord, TabletSessionRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import {
  appendEvent,
  freeNames,
  mayHoldTablet,
  tabletsEnded,
  type NameChoice,
  type TabletGrant,
} from './tablets.ts';
import { sha256Hex } from './tokens.ts';
import { parseInput } from './validate.ts';

/** The tablet behind a cookie token, or null. An expired one is ended on the way. */
export async function resolveTablet(
  ctx: CoreContext,
  token: string | undefined,
): Promise<TabletGrant | null> {
  if (!token || token.length > 128) return null;
  let tablet = await ctx.store.getTabletSession(sha256Hex(token));
  if (!tablet) return null;
  const session = await ctx.store.getGroupSession(tablet.sessionId);
  const group = session ? await ctx.store.getGroup(session.groupId) : null;
  if (!session || !group) return null;
  if (tablet.state !== 'ended' && (await tabletShouldEnd(ctx, tablet, group.id))) {
    tablet = (await ctx.store.moveTablet(tablet.id, [tablet.state], 'ended', ctx.now())) ?? tablet;
  }
  return { tablet, session, group };
}

/**
 * Shares reads between the checks of one sweep: a room of twelve tablets re-checked every two
 * seconds would otherwise read the same session, roster and "ended" flag twelve times over.
 * A memo lives for one sweep only, so nothing it holds outlives the sweep that read it.
 */
export type SweepMemo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

/** No sharing: every read goes to the database (one-off checks, such as before a command). */
const unshared: SweepMemo = (_key, load) => load();

export function newSweepMemo(): SweepMemo {
  const loaded = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>) => {
    let value = loaded.get(key);
    if (!value) {
      value = load();
      loaded.set(key, value);
    }
    return value as Promise<T>;
  };
}

/** Expired, its session ended, or its participant withdrawn or no longer consenting (mayHoldTablet). */
async function tabletShouldEnd(
  ctx: CoreContext,
  tablet: TabletSessionRecord,
  groupId: string,
  memo: SweepMemo = unshared,
): Promise<boolean> {
  if (ctx.now().getTime() >= tablet.expiresAt.getTime()) return true;
  if (await memo(`ended:${tablet.sessionId}`, () => tabletsEnded(ctx, tablet.sessionId))) return true;
  if (!tablet.participantId) return false;
  const roster = await memo(`roster:${groupId}`, () => ctx.store.listRoster(groupId));
  return !roster.some((e) => e.participant.id === tablet.participantId && mayHoldTablet(e));
}

function requireTablet(grant: TabletGrant | null): TabletGrant {
  if (!grant) {
    throw new CoreError(
      'unauthenticated',
      'tablet_signed_out',
      'This tablet is not signed in. Enter a join code.',
    );
  }
  return grant;
}

export async function claimParticipant(
  ctx: CoreContext,
  maybeGrant: TabletGrant | null,
  input: unknown,
): Promise<TabletMeView> {
  const grant = requireTablet(maybeGrant);
  const { participantId } = parseInput(claimParticipantInputSchema, input);
  if (grant.tablet.state !== 'pending') {
    throw new CoreError('conflict', 'not_pending', 'This tablet has already picked a name.');
  }
  const choices = await freeNames(ctx, grant, grant.tablet.id);
  if (!choices.some((c) => c.id === participantId)) {
    throw new CoreError('not_found', 'not_found', 'That name is not on the list. Ask your facilitator.');
  }
  const outcome = await ctx.store.claimTabletParticipant(grant.tablet.id, participantId, ctx.now());
  if (outcome === 'taken') {
    throw new CoreError(
      'conflict',
      'name_taken',
      'That name was just picked on another tablet. Ask your facilitator.',
    );
  }
  if (outcome === 'not_pending') {
    throw new CoreError('conflict', 'not_pending', 'This tablet has already picked a name.');
  }
  await appendEvent(
    ctx,
    grant.session.streamId,
    'tablet.admission_requested',
    { deviceId: grant.tablet.deviceId, participantId },
    { actorId: participantId, deviceId: grant.tablet.deviceId },
  );
  await recordAudit(ctx, 'tablet.admission_requested', {
    clinicId: grant.group.clinicId,
    actorUserId: null,
    targetId: grant.session.id,
    details: { deviceId: grant.tablet.deviceId, participantId },
  });
  const updated = await ctx.store.getTabletSession(grant.tablet.id);
  return tabletMe(ctx, { ...grant, tablet: updated ?? grant.tablet });
}

export interface TabletMeView {
  state: TabletState;
  groupName: string;
  /** Names still free to pick (while `pending`). */
  participants?: NameChoice[];
  participant?: NameChoice;
  /** Only once admitted: what the tablet opens. */
  session?: { id: string; streamId: string; kind: GroupSessionRecord['kind']; number: number };
}

export async function tabletMe(ctx: CoreContext, maybeGrant: TabletGrant | null): Promise<TabletMeView> {
  const { tablet, session, group } = requireTablet(maybeGrant);
  const view: TabletMeView = { state: tablet.state, groupName: group.name };
  if (tablet.state === 'pending') view.participants = await freeNames(ctx, { session, group }, tablet.id);
  if (tablet.participantId && tablet.state !== 'ended') {
    const entry = (await ctx.store.listRoster(group.id)).find(
      (e) => e.participant.id === tablet.participantId,
    );
    if (entry)
      view.participant = { id: entry.participant.id, preferredName: entry.participant.preferredName };
  }
  if (tablet.state === 'admitted') {
    view.session = { id: session.id, streamId: session.streamId, kind: session.kind, number: session.number };
  }
  return view;
}

export async function signOutTablet(
  ctx: CoreContext,
  maybeGrant: TabletGrant | null,
  meta: RequestMeta,
): Promise<void> {
  if (!maybeGrant) return; // signing out twice, or a cleared tablet: nothing to end
  const { tablet, group, session } = maybeGrant;
  if (tablet.state !== 'ended') {
    await ctx.store.moveTablet(
      tablet.id,
      ['pending', 'awaiting_admission', 'admitted', 'rejected'],
      'ended',
      ctx.now(),
    );
  }
  // Tablet sockets are watched under their device id and tablet session id (stream-route.ts).
  ctx.events.emit('sessions-ended', { userId: tablet.deviceId, sessionIds: [tablet.id] });
  await recordAudit(ctx, 'tablet.signed_out', {
    clinicId: group.clinicId,
    actorUserId: null,
    targetId: session.id,
    details: { deviceId: tablet.deviceId, ip: meta.ip },
  });
}

/**
 * Whether an admitted tablet still holds its grant (sockets re-check this): admitted, not
 * expired, session not ended, participant still active in the group and still consenting to
 * tablet data use. With `sessionId` and a sweep's memo, the session's tablets are read once
 * for all of its sockets.
 */
export async function isTabletAdmitted(
  ctx: CoreContext,
  tabletId: string,
  shared?: { sessionId: string; memo: SweepMemo },
): Promise<boolean> {
  const memo = shared?.memo ?? unshared;
  const tablet = shared
    ? (await memo(`tablets:${shared.sessionId}`, () => ctx.store.listTabletSessions(shared.sessionId))).find(
        (t) => t.id === tabletId,
      )
    : await ctx.store.getTabletSession(tabletId);
  if (!tablet || tablet.state !== 'admitted') return false;
  const session = await memo(`session:${tablet.sessionId}`, () =>
    ctx.store.getGroupSession(tablet.sessionId),
  );
  if (!session) return false;
  if (await tabletShouldEnd(ctx, tablet, session.groupId, memo)) {
    await ctx.store.moveTablet(tablet.id, ['admitted'], 'ended', ctx.now());
    return false;
  }
  return true;
}
