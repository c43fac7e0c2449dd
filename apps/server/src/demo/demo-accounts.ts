/**
 * The demo clinic's people with accounts: first-run setup, then the six printed staff accounts,
 * each through an invite they accept, as a real clinic adds its staff.
 */
import { randomBytes } from 'node:crypto';
import {
  acceptInvite,
  confirmTotpEnrolment,
  inviteStaff,
  logIn,
  resolveViewer,
  setUpClinic,
  startTotpEnrolment,
  totpCodeAt,
  updateClinicSettings,
  type CoreContext,
  type RequestMeta,
  type Viewer,
} from '@cairn/core';
import { DEMO_CLINIC_NAME, DEMO_INSTALLER, DEMO_PASSWORD, DEMO_STAFF } from './cedar-circle.ts';
import type { StoryClock } from './phase-history.ts';

/** What the audit log records as the address of everything the seed does. */
const META: RequestMeta = { ip: 'demo-seed' };

async function viewerOf(core: CoreContext, token: string): Promise<Viewer> {
  const viewer = await resolveViewer(core, token);
  if (!viewer) throw new Error('demo seed: a session it just started did not resolve');
  return viewer;
}

/**
 * First-run setup, then the installer turns two-step sign-in off for the demo. Setup always
 * requires it, and only a fully signed-in admin may change that, so the installer enrols an
 * authenticator whose secret is dropped right away.
 */
export async function setUpDemoClinic(core: CoreContext, clock: StoryClock): Promise<Viewer> {
  const setup = await setUpClinic(
    core,
    {
      clinicName: DEMO_CLINIC_NAME,
      displayName: DEMO_INSTALLER.displayName,
      email: DEMO_INSTALLER.email,
      password: randomBytes(24).toString('base64url'),
    },
    META,
  );
  const enrolling = await viewerOf(core, setup.token);
  const { secret } = await startTotpEnrolment(core, enrolling);
  const enrolled = await confirmTotpEnrolment(core, enrolling, { code: totpCodeAt(secret, clock.now) }, META);
  const installer = await viewerOf(core, enrolled.token);
  await updateClinicSettings(core, installer, { mfaRequired: false }, META);
  return installer;
}

export async function addStaff(core: CoreContext, installer: Viewer): Promise<void> {
  for (const member of DEMO_STAFF) {
    const { token } = await inviteStaff(
      core,
      installer,
      { email: member.email, roles: member.clinicRoles },
      META,
    );
    await acceptInvite(core, { token, displayName: member.displayName, password: DEMO_PASSWORD }, META);
  }
}

/** Signs a demo staff member in at the story's current time, as they would in the browser. */
export async function signInAs(core: CoreContext, email: string): Promise<Viewer> {
  const { token } = await logIn(core, { email, password: DEMO_PASSWORD }, META);
  return viewerOf(core, token);
}
