/**
 * First run: while no clinic exists, anyone who reaches the box may create the clinic and its
 * first admin — the same trust model as any self-hosted app's installer. Once a clinic
 * exists, setup is closed for good (the Store enforces it atomically).
 */
import { setupInputSchema } from '@cairn/domain';
import { SetupClosedError } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext, RequestMeta } from './context.ts';
import { CoreError } from './errors.ts';
import { assertAcceptablePassword } from './new-password.ts';
import { startSession, type IssuedSession } from './sessions.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

export async function isSetupNeeded(ctx: CoreContext): Promise<boolean> {
  return (await ctx.store.getFirstClinic()) === null;
}

export function setupClosedError(): CoreError {
  return new CoreError('conflict', 'setup_closed', 'This Cairn is already set up. Sign in instead.');
}

/**
 * What only trusted local code (the demo seed) may choose at setup, never a request body: the
 * HTTP route and the CLI pass no options, so a clinic set up by a person always starts with
 * two-step sign-in required and only an MFA-enrolled admin can relax it (clinic-settings.ts).
 */
export interface SetupOptions {
  /** Defaults to true. False is audited as a settings change by the first admin. */
  mfaRequired?: boolean;
}

export async function setUpClinic(
  ctx: CoreContext,
  input: unknown,
  meta: RequestMeta,
  options: SetupOptions = {},
): Promise<IssuedSession> {
  if (!(await isSetupNeeded(ctx))) throw setupClosedError();
  const data = parseInput(setupInputSchema, input);
  assertAcceptablePassword(data.password, data.email);

  const now = ctx.now();
  const mfaRequired = options.mfaRequired ?? true;
  const clinic = { id: generateId(), name: data.clinicName, mfaRequired, createdAt: now };
  const admin = {
    id: generateId(),
    clinicId: clinic.id,
    email: data.email,
    displayName: data.displayName,
    passwordHash: await ctx.hasher.hash(data.password),
    roles: ['admin' as const],
    createdAt: now,
  };
  try {
    await ctx.store.createClinicWithFirstAdmin(clinic, admin);
  } catch (error) {
    if (error instanceof SetupClosedError) throw setupClosedError();
    throw error;
  }
  await recordAudit(ctx, 'clinic.setup', {
    clinicId: clinic.id,
    actorUserId: admin.id,
    targetId: clinic.id,
    details: { ip: meta.ip },
  });
  if (!mfaRequired) {
    // The same entry an admin turning it off writes, so the audit log shows who relaxed it.
    await recordAudit(ctx, 'clinic.settings_changed', {
      clinicId: clinic.id,
      actorUserId: admin.id,
      targetId: clinic.id,
      details: { mfaRequired, ip: meta.ip },
    });
  }
  return startSession(ctx, admin.id, mfaRequired ? 'enrol' : 'full');
}
