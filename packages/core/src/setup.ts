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

export async function setUpClinic(
  ctx: CoreContext,
  input: unknown,
  meta: RequestMeta,
): Promise<IssuedSession> {
  if (!(await isSetupNeeded(ctx))) throw setupClosedError();
  const data = parseInput(setupInputSchema, input);
  assertAcceptablePassword(data.password, data.email);

  const now = ctx.now();
  const clinic = { id: generateId(), name: data.clinicName, mfaRequired: true, createdAt: now };
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
  return startSession(ctx, admin.id, 'enrol');
}
