/**
 * Home access for participants (docs/participant-access.md). A facilitator prints a card with a
 * long access code (20 Crockford characters, 100 bits, shown once); the participant types it on
 * their phone and gets a home session of their own. Issuing a new card revokes the old one and
 * ends its home sessions in the same transaction. A home session reaches that participant's own
 * things only — today, their name, group and upcoming sessions — never a stream, a document or
 * another participant; and it has nothing to do with tablets (it cannot admit or join one).
 */
import { randomInt } from 'node:crypto';
import {
  ACCESS_CODE_LENGTH,
  canManageGroup,
  CROCKFORD_ALPHABET,
  formatCode,
  homeSignInInputSchema,
  normaliseCode,
} from '@cairn/domain';
import type { GroupRecord, HomeSessionRecord, ParticipantRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { accessGroup } from './group-access.ts';
import type { Viewer } from './sessions.ts';
import { codeLimitsOf } from './tablet-limits.ts';
import { constantTimeEqual, generateToken, sha256Hex } from './tokens.ts';
import { parseInput } from './validate.ts';

/** A phone left alone this long is signed out: journals are PHI (HIPAA automatic logoff). */
export const HOME_IDLE_MS = 30 * 60 * 1000;
/** However active, a home session ends this long after sign-in. */
export const HOME_LIFETIME_MS = 12 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 60_000;

export const INVALID_ACCESS_CODE_MESSAGE =
  "That code isn't valid. Check it against your card, or ask your facilitator for a new card.";

function hashAccessCode(canonical: string): string {
  return sha256Hex(`home:${canonical}`);
}

export interface IssuedAccessCard {
  /** Shown once, in groups of four, for the printed card; never stored. */
  code: string;
  issuedAt: string;
}

export async function issueAccessCard(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  participantId: string,
): Promise<IssuedAccessCard> {
  const { viewer, group } = await accessGroup(ctx, maybeViewer, groupId, 'home.card_issue', (_, roles) =>
    canManageGroup(roles),
  );
  const roster = await ctx.store.listRoster(group.id);
  if (!roster.some((e) => e.participant.id === participantId && e.enrolment.status === 'active')) {
    throw new CoreError('not_found', 'not_found', 'That participant is not in this group.');
  }
  let code = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++)
    code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  const canonical = code.toLowerCase();
  const issuedAt = ctx.now();
  await ctx.store.issueAccessCard({
    participantId,
    groupId: group.id,
    codeHash: hashAccessCode(canonical),
    issuedBy: viewer.user.id,
    issuedAt,
  });
  await recordAudit(ctx, 'home.card_issued', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: participantId,
    details: { groupId: group.id },
  });
  return { code: formatCode(canonical), issuedAt: issuedAt.toISOString() };
}

export interface HomeViewer {
  session: HomeSessionRecord;
  participant: ParticipantRecord;
  group: GroupRecord;
}

export interface IssuedHomeSession {
  /** Goes into the home cookie; never stored or logged. */
  token: string;
  session: HomeSessionRecord;
}

export async function homeSignIn(
  ctx: CoreContext,
  input: unknown,
  meta: RequestMeta,
): Promise<IssuedHomeSession> {
  const { code } = parseInput(homeSignInInputSchema, input);
  const limits = codeLimitsOf(ctx);
  const clinic = await ctx.store.getFirstClinic();
  const nowMs = ctx.now().getTime();
  const wait = Math.max(
    limits.homeByIp.retryAfterSeconds(meta.ip, nowMs),
    clinic ? limits.homeByClinic.retryAfterSeconds(clinic.id, nowMs) : 0,
  );
  if (wait > 0) {
    throw new CoreError(
      'rate_limited',
      'rate_limited',
      `Too many tries. Wait ${wait} seconds, then try again.`,
      { retryAfterSeconds: wait },
    );
  }
  const canonical = normaliseCode(code, ACCESS_CODE_LENGTH);
  const hash = canonical ? hashAccessCode(canonical) : null;
  const card = hash ? await ctx.store.findAccessCardByHash(hash) : null;
  const signedIn =
    card && hash && constantTimeEqual(card.codeHash, hash) ? await activeMember(ctx, card) : null;
  if (!card || !signedIn) {
    limits.homeByIp.recordFailure(meta.ip, nowMs);
    if (clinic) limits.homeByClinic.recordFailure(clinic.id, nowMs);
    await recordAudit(ctx, 'home.sign_in.failed', {
      clinicId: clinic?.id ?? null,
      actorUserId: null,
      targetId: null,
      details: { ip: meta.ip },
    });
    throw new CoreError('bad_credentials', 'invalid_code', INVALID_ACCESS_CODE_MESSAGE);
  }
  const token = generateToken();
  const now = ctx.now();
  const session: HomeSessionRecord = {
    id: sha256Hex(token),
    participantId: card.participantId,
    groupId: card.groupId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + HOME_LIFETIME_MS),
  };
  await ctx.store.createHomeSession(session);
  await recordAudit(ctx, 'home.sign_in.succeeded', {
    clinicId: signedIn.group.clinicId,
    actorUserId: null,
    targetId: card.participantId,
    details: { ip: meta.ip },
  });
  return { token, session };
}

/** The participant and group, if they are still an active member of it. */
async function activeMember(
  ctx: CoreContext,
  ids: { participantId: string; groupId: string },
): Promise<{ participant: ParticipantRecord; group: GroupRecord } | null> {
  const group = await ctx.store.getGroup(ids.groupId);
  if (!group) return null;
  const entry = (await ctx.store.listRoster(group.id)).find(
    (e) => e.participant.id === ids.participantId && e.enrolment.status === 'active',
  );
  return entry ? { participant: entry.participant, group } : null;
}

/** The participant behind a home cookie, or null; expired sessions are deleted on the way. */
export async function resolveHomeViewer(
  ctx: CoreContext,
  token: string | undefined,
): Promise<HomeViewer | null> {
  if (!token || token.length > 128) return null;
  const session = await ctx.store.getHomeSession(sha256Hex(token));
  if (!session) return null;
  const now = ctx.now().getTime();
  if (now >= session.expiresAt.getTime() || now >= session.lastSeenAt.getTime() + HOME_IDLE_MS) {
    await ctx.store.deleteHomeSession(session.id);
    return null;
  }
  const member = await activeMember(ctx, session);
  if (!member) {
    await ctx.store.deleteHomeSession(session.id);
    return null;
  }
  if (now - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await ctx.store.touchHomeSession(session.id, ctx.now());
    session.lastSeenAt = ctx.now();
  }
  return { session, ...member };
}

function requireHome(viewer: HomeViewer | null): HomeViewer {
  if (!viewer)
    throw new CoreError('unauthenticated', 'signed_out', 'You are signed out. Enter the code on your card.');
  return viewer;
}

export interface HomeMeView {
  preferredName: string;
  groupName: string;
  upcomingSessions: Array<{ kind: string; number: number; scheduledStart: string }>;
}

export async function homeMe(ctx: CoreContext, maybeViewer: HomeViewer | null): Promise<HomeMeView> {
  const { participant, group } = requireHome(maybeViewer);
  const now = ctx.now().getTime();
  const sessions = await ctx.store.listGroupSessions(group.id);
  return {
    preferredName: participant.preferredName,
    groupName: group.name,
    upcomingSessions: sessions
      // A cancelled session is not coming; the reason is for staff only.
      .filter((s) => s.cancelledAt === null)
      .filter((s) => s.scheduledStart.getTime() + s.plannedMinutes * 60_000 > now)
      .map((s) => ({ kind: s.kind, number: s.number, scheduledStart: s.scheduledStart.toISOString() })),
  };
}

export async function homeSignOut(
  ctx: CoreContext,
  maybeViewer: HomeViewer | null,
  meta: RequestMeta,
): Promise<void> {
  if (!maybeViewer) return;
  await ctx.store.deleteHomeSession(maybeViewer.session.id);
  await recordAudit(ctx, 'home.signed_out', {
    clinicId: maybeViewer.group.clinicId,
    actorUserId: null,
    targetId: maybeViewer.participant.id,
    details: { ip: meta.ip },
  });
}
