/**
 * The demo clinic's people with accounts: first-run setup makes the clinic admin, who then adds
 * the other printed staff accounts, each through an invite they accept, as a real clinic does.
 */
import {
  acceptInvite,
  inviteStaff,
  logIn,
  resolveViewer,
  setUpClinic,
  type CoreContext,
  type RequestMeta,
  type Viewer,
} from '@cairn/core';
import { DEMO_CLINIC_NAME, DEMO_PASSWORD, DEMO_STAFF, type DemoStaffMember } from './cedar-circle.ts';

/** What the audit log records as the address of everything the seed does. */
const META: RequestMeta = { ip: 'demo-seed' };

async function viewerOf(core: CoreContext, token: string): Promise<Viewer> {
  const viewer = await resolveViewer(core, token);
  if (!viewer) throw new Error('demo seed: a session it just started did not resolve');
  return viewer;
}

function clinicAdmin(): DemoStaffMember {
  const member = DEMO_STAFF.find((m) => m.clinicRoles.includes('admin'));
  if (!member) throw new Error('demo seed: the demo has no clinic admin');
  return member;
}

/**
 * First-run setup as the demo's clinic admin, with two-step sign-in optional: the demo's
 * accounts share one printed password and no authenticator. Only local code can ask for that
 * (setUpClinic's options); the setup page and endpoint cannot.
 */
export async function setUpDemoClinic(core: CoreContext): Promise<Viewer> {
  const admin = clinicAdmin();
  const setup = await setUpClinic(
    core,
    {
      clinicName: DEMO_CLINIC_NAME,
      displayName: admin.displayName,
      email: admin.email,
      password: DEMO_PASSWORD,
    },
    META,
    { mfaRequired: false },
  );
  return viewerOf(core, setup.token);
}

/** Every printed account but the admin setup made, each invited by the admin. */
export async function addStaff(core: CoreContext, admin: Viewer): Promise<void> {
  for (const member of DEMO_STAFF.filter((m) => m.email !== clinicAdmin().email)) {
    const { token } = await inviteStaff(
      core,
      admin,
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
