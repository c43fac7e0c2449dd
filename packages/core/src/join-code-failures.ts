/**
 * What a wrong join code costs: every failure looks the same to the tablet and counts against
 * the device, the address and the clinic (tablet-limits.ts, BI-J5); too many retire the open
 * codes and tell the staff (BI-J1), and a used code tried again is shown to staff (BI-J3).
 * Separate from join-codes.ts because this is the abuse policy: it changes when the limits or
 * the alerts do, not when codes are made or redeemed.
 */
import type { JoinCodeRecord } from '@cairn/db';
import type { EventPayload } from '@cairn/sync';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { codeLimitsOf, JOIN_CODE_MAX_FAILURES } from './tablet-limits.ts';
import { appendEvent, type TabletMeta } from './tablets.ts';

export const INVALID_CODE_MESSAGE = "That code isn't valid. Ask your facilitator for a new code.";

export function rateLimited(seconds: number): CoreError {
  return new CoreError(
    'rate_limited',
    'rate_limited',
    `Too many tries. Wait ${seconds} seconds, then try again, or ask your facilitator for help.`,
    { retryAfterSeconds: seconds },
  );
}

/** Every failure looks the same to the tablet; the audit log and the limits tell them apart. */
export async function failRedeem(
  ctx: CoreContext,
  clinicId: string,
  meta: TabletMeta,
  reason: 'unknown' | 'used' | 'expired' | 'ended',
  code: JoinCodeRecord | null,
): Promise<never> {
  const limits = codeLimitsOf(ctx);
  const now = ctx.now();
  limits.joinByDevice.recordFailure(meta.deviceKey, now.getTime());
  limits.joinByIp.recordFailure(meta.ip, now.getTime());
  limits.joinByClinic.recordFailure(clinicId, now.getTime());
  await recordAudit(ctx, 'tablet.code_failed', {
    clinicId,
    actorUserId: null,
    targetId: code?.sessionId ?? null,
    details: { reason, ip: meta.ip },
  });
  if (reason === 'unknown') {
    for (const retired of await ctx.store.recordJoinCodeFailure(clinicId, now, JOIN_CODE_MAX_FAILURES)) {
      await tellStaff(ctx, retired.sessionId, 'tablet.code_retired', { reason: 'too_many_failures' });
      await recordAudit(ctx, 'tablet.code_retired', {
        clinicId,
        actorUserId: null,
        targetId: retired.sessionId,
        details: { failures: retired.failures },
      });
    }
  }
  throw new CoreError('not_found', 'invalid_code', INVALID_CODE_MESSAGE);
}

async function tellStaff<T extends 'tablet.code_retired' | 'tablet.code_reused'>(
  ctx: CoreContext,
  sessionId: string,
  type: T,
  payload: EventPayload<T>,
): Promise<void> {
  const session = await ctx.store.getGroupSession(sessionId);
  if (session) await appendEvent(ctx, session.streamId, type, payload, { actorId: 'system', deviceId: null });
}

export async function reportReuse(ctx: CoreContext, code: JoinCodeRecord, meta: TabletMeta): Promise<void> {
  await tellStaff(ctx, code.sessionId, 'tablet.code_reused', {
    message: 'Second attempt to use a code that was already used.',
  });
  await recordAudit(ctx, 'tablet.code_reused', {
    clinicId: code.clinicId,
    actorUserId: null,
    targetId: code.sessionId,
    details: { ip: meta.ip },
  });
}
