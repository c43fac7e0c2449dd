import type { ClinicRecord } from '@cairn/db';
import { canEditClinicSettings, clinicSettingsInputSchema } from '@cairn/domain';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { requireFullViewer, requireRole } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { parseInput } from './validate.ts';

export interface ClinicSettings {
  mfaRequired: boolean;
  /** Minutes after the first dose before discharge: a clinic-configurable default, not medical advice. */
  minMinutesBeforeDischarge: number;
  /** Seconds before an unanswered support request is escalated: a clinic-configurable default. */
  supportEscalateAfterSeconds: number;
}

const settingsOf = (clinic: ClinicRecord): ClinicSettings => ({
  mfaRequired: clinic.mfaRequired,
  minMinutesBeforeDischarge: clinic.minMinutesBeforeDischarge,
  supportEscalateAfterSeconds: clinic.supportEscalateAfterSeconds,
});

export function readClinicSettings(maybeViewer: Viewer | null): ClinicSettings {
  return settingsOf(requireFullViewer(maybeViewer).clinic);
}

/**
 * Turning MFA off is allowed (a clinic setting, PRODUCT §3) but audited like every change. The
 * audit names the settings changed and their new values (clinic configuration, never PHI).
 */
export async function updateClinicSettings(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  input: unknown,
  meta: RequestMeta,
): Promise<ClinicSettings> {
  const viewer = await requireRole(ctx, maybeViewer, canEditClinicSettings, 'clinic.settings');
  const patch = parseInput(clinicSettingsInputSchema, input);
  const clinic = await ctx.store.updateClinicSettings(viewer.clinic.id, patch);
  await recordAudit(ctx, 'clinic.settings_changed', {
    clinicId: clinic.id,
    actorUserId: viewer.user.id,
    targetId: clinic.id,
    details: { ...patch, ip: meta.ip },
  });
  return settingsOf(clinic);
}
