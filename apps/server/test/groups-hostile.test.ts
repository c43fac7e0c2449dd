/**
 * [BI-A1] [BI-A9] [BI-A11] Wrong, oversized, malformed and hostile bodies for every group
 * endpoint: each is refused (400 for unknown fields or a body that is not an object, 422 naming
 * the field for bad values) and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import {
  GROUP,
  SESSION,
  groupScene,
  notObjects,
  person,
  type BadBodyCase,
  type GroupScene,
} from './groups-support.ts';

let h: Harness;
let s: GroupScene;
let pid: string;

beforeAll(async () => {
  h = await startHarness();
  s = await groupScene(h);
  const enrolled = await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, person(1));
  pid = (enrolled.json() as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await h.close();
});

const LONG = 'x'.repeat(10_000);
const enrol = person(5);

const groupCases: BadBodyCase[] = [
  ...notObjects,
  ['[BI-A11] clinicId', { ...GROUP, clinicId: 'other' }, 400],
  ['[BI-A11] createdBy', { ...GROUP, createdBy: 'someone' }, 400],
  [
    '[BI-A11] __proto__',
    JSON.parse(
      '{"name":"x","plan":{"preparation":1,"dosing":1,"integration":1},"routeDefault":"intranasal","__proto__":{"admin":true}}',
    ),
    400,
  ],
  ['a 10k-character name', { ...GROUP, name: LONG }, 422],
  ['an empty name', { ...GROUP, name: '  ' }, 422],
  ['NUL in the name', { ...GROUP, name: 'a\u0000b' }, 422],
  ['[BI-A9] a lone surrogate', { ...GROUP, name: 'a\ud800' }, 422],
  ['a name that is a number', { ...GROUP, name: 7 }, 422],
  ['a negative count', { ...GROUP, plan: { ...GROUP.plan, dosing: -1 } }, 422],
  [
    'an infinite count (arrives as null)',
    { ...GROUP, plan: { ...GROUP.plan, dosing: Number.POSITIVE_INFINITY } },
    422,
  ],
  ['a count of a billion', { ...GROUP, plan: { ...GROUP.plan, dosing: 1e9 } }, 422],
  ['a fractional count', { ...GROUP, plan: { ...GROUP.plan, dosing: 0.5 } }, 422],
  ['a count as a string', { ...GROUP, plan: { ...GROUP.plan, dosing: '1' } }, 422],
  ['an extra plan kind', { ...GROUP, plan: { ...GROUP.plan, follow_up: 1 } }, 400],
  ['an unknown route', { ...GROUP, routeDefault: 'oral' }, 422],
  ['no plan', { name: 'x', routeDefault: 'intranasal' }, 422],
];

const patchCases: BadBodyCase[] = [
  ...notObjects,
  ['an empty patch', {}, 422],
  ['[BI-A11] clinicId', { clinicId: 'other' }, 400],
  ['[BI-A11] id', { id: 'other', name: 'x' }, 400],
  ['a 10k-character name', { name: LONG }, 422],
  ['a count out of range', { plan: { preparation: 1, dosing: 999, integration: 1 } }, 422],
];

const staffCases: BadBodyCase[] = [
  ...notObjects,
  ['a bare list', [{ userId: 'x', roles: ['facilitator'] }], 400],
  ['admin as a group role', { staff: [{ userId: 'x', roles: ['admin'] }] }, 422],
  ['no roles', { staff: [{ userId: 'x', roles: [] }] }, 422],
  ['an extra member field', { staff: [{ userId: 'x', roles: ['facilitator'], clinicId: 'c' }] }, 400],
  ['an id with a path', { staff: [{ userId: '../../etc', roles: ['facilitator'] }] }, 422],
  ['an unknown person', { staff: [{ userId: 'nobody', roles: ['facilitator'] }] }, 422],
  [
    '1000 members',
    { staff: Array.from({ length: 1000 }, (_, i) => ({ userId: `u${i}`, roles: ['facilitator'] })) },
    422,
  ],
];

const enrolCases: BadBodyCase[] = [
  ...notObjects,
  ['[BI-A11] status', { ...enrol, status: 'withdrawn' }, 400],
  ['[BI-A11] groupId', { ...enrol, groupId: 'other' }, 400],
  [
    '[BI-A11] a contact field',
    { ...enrol, emergencyContact: { ...enrol.emergencyContact, relation: 'x' } },
    400,
  ],
  ['a 10k-character name', { ...enrol, preferredName: LONG }, 422],
  ['a newline in a name', { ...enrol, preferredName: 'Ro\nbin' }, 422],
  ['no emergency contact', { ...enrol, emergencyContact: undefined }, 422],
  ['words for a phone', { ...enrol, emergencyContact: { name: 'Sam', phone: 'ring me' } }, 422],
  ['a 10k phone', { ...enrol, emergencyContact: { name: 'Sam', phone: '1'.repeat(10_000) } }, 422],
  [
    'consent as "yes"',
    { ...enrol, consents: { groupConfidentialityAgreement: 'yes', tabletDataUse: true } },
    422,
  ],
  ['no consents', { ...enrol, consents: undefined }, 422],
];

const withdrawCases: BadBodyCase[] = [
  ...notObjects,
  ['no reason', {}, 422],
  ['[BI-A11] withdrawnAt', { reason: 'x', withdrawnAt: '2020-01-01T00:00:00Z' }, 400],
  ['a 10k reason', { reason: LONG }, 422],
  ['a reason that is a number', { reason: 5 }, 422],
];

const sessionCases: BadBodyCase[] = [
  ...notObjects,
  ['[BI-A11] streamId', { ...SESSION, streamId: 'existing' }, 400],
  ['[BI-A11] number', { ...SESSION, number: 1 }, 400],
  ['an unknown kind', { ...SESSION, kind: 'follow_up' }, 422],
  ['30 February', { ...SESSION, scheduledStart: '2026-02-30T09:00:00Z' }, 422],
  ['month 13', { ...SESSION, scheduledStart: '2026-13-01T09:00:00Z' }, 422],
  ['a date without a time', { ...SESSION, scheduledStart: '2026-05-01' }, 422],
  ['prose', { ...SESSION, scheduledStart: 'tomorrow morning' }, 422],
  ['epoch millis', { ...SESSION, scheduledStart: 1_777_000_000_000 }, 422],
  ['year 9999', { ...SESSION, scheduledStart: '9999-12-31T23:59:59Z' }, 422],
  ['29 minutes', { ...SESSION, plannedMinutes: 29 }, 422],
  ['721 minutes', { ...SESSION, plannedMinutes: 721 }, 422],
  ['minutes as a string', { ...SESSION, plannedMinutes: '60' }, 422],
  ['a 10k room', { ...SESSION, room: LONG }, 422],
];

async function stateOf(): Promise<unknown> {
  return {
    a: (await s.fa.get(`/api/v1/groups/${s.groupA}`)).json(),
    list: (await s.admin.get('/api/v1/groups')).json(),
  };
}

async function expectRefused(send: () => Promise<{ statusCode: number; json(): unknown }>, status: number) {
  const before = await stateOf();
  const response = await send();
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: string; fields?: Record<string, string> };
  if (status === 422) expect(Object.keys(body.fields ?? {}).length).toBeGreaterThan(0);
  expect(await stateOf()).toEqual(before);
}

describe('hostile group bodies', () => {
  it.each(groupCases)('POST /groups refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.post('/api/v1/groups', body), status);
  });

  it.each(patchCases)('PATCH /groups/:id refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.request('PATCH', `/api/v1/groups/${s.groupA}`, body), status);
  });

  it.each(staffCases)('PUT /groups/:id/staff refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, body), status);
  });

  it.each(enrolCases)('POST /groups/:id/participants refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.post(`/api/v1/groups/${s.groupA}/participants`, body), status);
  });

  it.each(withdrawCases)('POST …/withdraw refuses %s', async (_, body, status) => {
    await expectRefused(
      () => s.fa.post(`/api/v1/groups/${s.groupA}/participants/${pid}/withdraw`, body),
      status,
    );
  });

  it.each(sessionCases)('POST /groups/:id/sessions refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.post(`/api/v1/groups/${s.groupA}/sessions`, body), status);
  });

  it('refuses malformed ids in the path with 400 before any lookup', async () => {
    for (const url of [
      `/api/v1/groups/${'a'.repeat(65)}`,
      '/api/v1/groups/a%20b',
      `/api/v1/groups/${s.groupA}/participants/a.b/withdraw`,
      '/api/v1/sessions/%00',
    ]) {
      const response = url.endsWith('withdraw') ? await s.fa.post(url, { reason: 'x' }) : await s.fa.get(url);
      expect(response.statusCode).toBe(400);
    }
  });
});
