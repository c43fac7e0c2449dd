/**
 * The audit trail of security-relevant actions. Entries name ids and reason codes only —
 * never names, emails, passwords, tokens, codes or clinical content.
 */
import type { AuditEntryInput, AuditRecord, AuditChainVerdict } from '@cairn/db';
import type { CoreContext } from './context.ts';

export type AuditAction =
  | 'clinic.setup'
  | 'clinic.settings_changed'
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'auth.password.accepted'
  | 'auth.logout'
  | 'auth.logout_everywhere'
  | 'auth.mfa.enrolled'
  | 'auth.mfa.failed'
  | 'auth.mfa.recovery_code_used'
  | 'auth.mfa.recovery_codes_regenerated'
  | 'staff.invited'
  | 'staff.invite_revoked'
  | 'staff.invite_accepted'
  | 'staff.roles_changed'
  | 'group.created'
  | 'group.updated'
  | 'group.staff_changed'
  | 'group.participant_enrolled'
  | 'group.participant_withdrawn'
  | 'group.enrolment_refused'
  | 'group.session_scheduled'
  | 'authz.denied';

export interface AuditFacts {
  clinicId: string | null;
  actorUserId: string | null;
  targetId?: string | null;
  details?: AuditEntryInput['details'];
}

export function recordAudit(ctx: CoreContext, action: AuditAction, facts: AuditFacts): Promise<AuditRecord> {
  return ctx.store.appendAudit({
    at: ctx.now(),
    action,
    clinicId: facts.clinicId,
    actorUserId: facts.actorUserId,
    targetId: facts.targetId ?? null,
    details: facts.details ?? {},
  });
}

export interface AuditPage {
  entries: AuditRecord[];
  chain: AuditChainVerdict;
}

export async function readAuditLog(
  ctx: CoreContext,
  clinicId: string,
  options: { beforeSeq?: number; limit: number },
): Promise<AuditPage> {
  const [entries, chain] = await Promise.all([
    ctx.store.listAudit(clinicId, options),
    ctx.store.verifyAuditChain(),
  ]);
  return { entries, chain };
}
