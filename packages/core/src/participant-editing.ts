/**
 * Correcting a participant after enrolment: their details, and consents given or revoked. For
 * the group's facilitators. A withdrawn participant can still be corrected (their history should
 * be accurate) and can still revoke a consent, but is not given a new one. Giving records a new
 * consent row with the current wording version, time and who recorded it; revoking marks the
 * current row revoked and keeps it, so the record shows it was given, then revoked. Audit
 * entries carry ids, field names and consent types only — never the values (PHI).
 */
import {
  canManageGroup,
  consentChangeInputSchema,
  CONSENT_VERSION,
  participantUpdateInputSchema,
} from '@cairn/domain';
import type { RosterEntry } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { accessGroup, denyGroup, type GroupAccess } from './group-access.ts';
import { toParticipantView, type ParticipantView } from './groups.ts';
import type { Viewer } from './sessions.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

const NOT_IN_GROUP = 'That participant is not in this group.';

/**
 * The participant's roster entry in this group (active or withdrawn). Someone else's participant
 * gets the same "not found" as no one, audited like every reach outside one's groups.
 */
async function entryOf(
  ctx: CoreContext,
  { viewer, group }: GroupAccess,
  participantId: string,
  what: string,
): Promise<RosterEntry> {
  const entry = (await ctx.store.listRoster(group.id)).find((e) => e.participant.id === participantId);
  return entry ?? denyGroup(ctx, viewer, participantId, what, NOT_IN_GROUP);
}

function manage(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  what: string,
): Promise<GroupAccess> {
  return accessGroup(ctx, maybeViewer, groupId, what, (_, roles) => canManageGroup(roles));
}

export async function updateParticipant(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  participantId: string,
  input: unknown,
): Promise<ParticipantView> {
  const what = 'group.participant_update';
  const access = await manage(ctx, maybeViewer, groupId, what);
  const { viewer, group } = access;
  const patch = parseInput(participantUpdateInputSchema, input);
  await entryOf(ctx, access, participantId, what);
  await ctx.store.updateParticipant(participantId, patch);
  await recordAudit(ctx, 'group.participant_updated', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { participantId, fields: Object.keys(patch).sort() },
  });
  return toParticipantView(await entryOf(ctx, access, participantId, what));
}

export async function changeConsent(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  groupId: string,
  participantId: string,
  input: unknown,
): Promise<ParticipantView> {
  const what = 'group.consent_change';
  const access = await manage(ctx, maybeViewer, groupId, what);
  const { viewer, group } = access;
  const { type, given } = parseInput(consentChangeInputSchema, input);
  const entry = await entryOf(ctx, access, participantId, what);
  const now = ctx.now();
  if (given) {
    if (entry.enrolment.status !== 'active') {
      throw new CoreError(
        'conflict',
        'participant_withdrawn',
        'This participant has withdrawn: a new consent cannot be recorded.',
      );
    }
    const outcome = await ctx.store.giveConsent({
      id: generateId(),
      participantId,
      type,
      version: CONSENT_VERSION,
      signedAt: now,
      recordedBy: viewer.user.id,
      revokedAt: null,
    });
    if (outcome === 'already_given') {
      throw new CoreError('conflict', 'already_given', 'This consent is already given.');
    }
  } else if (!(await ctx.store.revokeConsent(participantId, type, now))) {
    throw new CoreError('conflict', 'not_given', 'This consent is not given, so there is nothing to revoke.');
  }
  await recordAudit(ctx, given ? 'group.consent_given' : 'group.consent_revoked', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: group.id,
    details: { participantId, type, ...(given && { version: CONSENT_VERSION }) },
  });
  return toParticipantView(await entryOf(ctx, access, participantId, what));
}
