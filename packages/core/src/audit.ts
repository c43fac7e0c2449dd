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
  | 'group.participant_updated'
  | 'group.consent_given'
  | 'group.consent_revoked'
  | 'group.session_rescheduled'
  | 'group.session_cancelled'
  | 'tablet.code_issued'
  | 'tablet.code_redeemed'
  | 'tablet.code_failed'
  | 'tablet.code_retired'
  | 'tablet.code_reused'
  | 'tablet.admission_requested'
  | 'tablet.admitted'
  | 'tablet.rejected'
  | 'tablet.sessions_ended'
  | 'tablet.signed_out'
  | 'home.card_issued'
  | 'home.sign_in.succeeded'
  | 'home.sign_in.failed'
  | 'home.signed_out'
  | 'journal.set_up'
  | 'journal.unlocked'
  | 'journal.unlock_failed'
  | 'journal.passphrase_changed'
  | 'circle_notes.restored'
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
