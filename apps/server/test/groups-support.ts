/** A clinic with two groups and their staff, for the group tests. */
import { expect } from 'vitest';
import type { Browser, Harness } from './harness.ts';
import { setUpAdmin } from './harness.ts';
import { addStaff } from './realtime-support.ts';

export const GROUP = {
  name: 'Spring cohort',
  plan: { preparation: 2, dosing: 1, integration: 3 },
  routeDefault: 'intramuscular',
};

export function person(n: number, name = `Person ${n}`) {
  return {
    preferredName: name,
    pronouns: 'they/them',
    emergencyContact: { name: `Contact ${n}`, phone: `+1 555 010 ${String(1000 + n)}` },
    consents: { groupConfidentialityAgreement: true, tabletDataUse: n % 2 === 0 },
  };
}

/** A body a hostile-input test sends, and the status it must get: 400 for shape, 422 for values. */
export type BadBodyCase = [string, unknown, 400 | 422];

/** Bodies that are not objects at all: every endpoint refuses them before looking inside. */
export const notObjects: BadBodyCase[] = [
  ['an array', [], 400],
  ['a string', 'hello', 400],
  ['null', null, 400],
  ['a number', 42, 400],
];

export const SESSION = {
  kind: 'dosing',
  scheduledStart: '2026-05-01T09:30:00Z',
  plannedMinutes: 480,
  room: 'Cedar room',
};

export interface GroupScene {
  admin: Browser;
  /** Facilitator of group A. */
  fa: Browser;
  faId: string;
  /** Co-therapist of group A. */
  ca: Browser;
  caId: string;
  /** Facilitator of group B. */
  fb: Browser;
  fbId: string;
  groupA: string;
  groupB: string;
  /** A dosing session of group B and its stream. */
  sessionB: { id: string; streamId: string };
  sessionA: { id: string; streamId: string };
}

export async function groupScene(h: Harness): Promise<GroupScene> {
  const { admin } = await setUpAdmin(h);
  const fa = await addStaff(h, admin, 'fay@juniper.test', ['facilitator']);
  const ca = await addStaff(h, admin, 'cal@juniper.test', ['co_therapist']);
  const fb = await addStaff(h, admin, 'bo@juniper.test', ['facilitator', 'medical_provider']);
  const a = await fa.browser.post('/api/v1/groups', { ...GROUP, name: 'Group A' });
  expect(a.statusCode).toBe(201);
  const groupA = (a.json() as { id: string }).id;
  const b = await fb.browser.post('/api/v1/groups', { ...GROUP, name: 'Group B' });
  expect(b.statusCode).toBe(201);
  const groupB = (b.json() as { id: string }).id;
  const staffed = await fa.browser.request('PUT', `/api/v1/groups/${groupA}/staff`, {
    staff: [
      { userId: fa.userId, roles: ['facilitator'] },
      { userId: ca.userId, roles: ['co_therapist'] },
    ],
  });
  expect(staffed.statusCode).toBe(200);
  const sa = await fa.browser.post(`/api/v1/groups/${groupA}/sessions`, SESSION);
  expect(sa.statusCode).toBe(201);
  const sb = await fb.browser.post(`/api/v1/groups/${groupB}/sessions`, SESSION);
  expect(sb.statusCode).toBe(201);
  return {
    admin,
    fa: fa.browser,
    faId: fa.userId,
    ca: ca.browser,
    caId: ca.userId,
    fb: fb.browser,
    fbId: fb.userId,
    groupA,
    groupB,
    sessionA: sa.json() as { id: string; streamId: string },
    sessionB: sb.json() as { id: string; streamId: string },
  };
}
