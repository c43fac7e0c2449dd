/**
 * Groups over HTTP and the session stream socket: access narrowed to each group's staff
 * (AC-04), the 12-participant cap (also under concurrent enrolments), withdrawal keeping history,
 * group roles, an admin's reach, and PHI kept out of logs and the audit log.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { GROUP, SESSION, groupScene, person, type GroupScene } from './groups-support.ts';
import { createStream, rawStream } from './stream-support.ts';

let h: Harness;
let s: GroupScene;
const logLines: string[] = [];

beforeAll(async () => {
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')));
  h = await startHarness({ env: { LOG_LEVEL: 'trace' }, logStream });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  s = await groupScene(h);
}, 60_000);

afterAll(async () => {
  await h.close();
});

async function openStatus(
  browser: { cookie: string | undefined },
  streamId: string,
): Promise<number | 'open'> {
  const stream = rawStream(h, streamId, browser.cookie);
  const status = await stream.opened;
  stream.socket.terminate();
  return status;
}

describe('[AC-04] staff of group A cannot see or change group B', () => {
  it('answers 404 on every route and changes nothing', async () => {
    const before = (await s.fb.get(`/api/v1/groups/${s.groupB}`)).json();
    const enrolled = await s.fb.post(`/api/v1/groups/${s.groupB}/participants`, person(1));
    expect(enrolled.statusCode).toBe(201);
    const pid = (enrolled.json() as { id: string }).id;
    const snapshot = (await s.fb.get(`/api/v1/groups/${s.groupB}`)).json();
    const b = `/api/v1/groups/${s.groupB}`;
    const attempts = [
      () => s.fa.get(b),
      () => s.fa.get(`${b}/staff`),
      () => s.fa.request('PATCH', b, { name: 'Taken over' }),
      () => s.fa.request('PUT', `${b}/staff`, { staff: [{ userId: s.faId, roles: ['facilitator'] }] }),
      () => s.fa.post(`${b}/participants`, person(2)),
      () => s.fa.post(`${b}/participants/${pid}/withdraw`, { reason: 'no' }),
      () => s.fa.get(`${b}/sessions`),
      () => s.fa.post(`${b}/sessions`, SESSION),
      () => s.fa.get(`/api/v1/sessions/${s.sessionB.id}`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'not_found' });
      expect(response.body).not.toContain('Group B');
    }
    // The same answer as for a group that does not exist.
    const ghost = await s.fa.get('/api/v1/groups/doesnotexist');
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json()).toEqual((await s.fa.get(b)).json());
    expect((await s.fb.get(b)).json()).toEqual(snapshot);
    expect(before.participants).toEqual([]);
    const listed = (await s.fa.get('/api/v1/groups')).json() as { groups: Array<{ id: string }> };
    expect(listed.groups.map((g) => g.id)).toEqual([s.groupA]);
  });

  it('refuses group B session streams before the upgrade; group A and group-less streams still open', async () => {
    expect(await openStatus(s.fa, s.sessionB.streamId)).toBe(404);
    expect(await openStatus(s.ca, s.sessionB.streamId)).toBe(404);
    expect(await openStatus(s.admin, s.sessionA.streamId)).toBe(404);
    expect(await openStatus(s.fb, s.sessionB.streamId)).toBe('open');
    expect(await openStatus(s.fa, s.sessionA.streamId)).toBe('open');
    expect(await openStatus(s.ca, s.sessionA.streamId)).toBe('open');
    expect(await openStatus(s.fa, await createStream(h))).toBe('open');
    const denials = (await s.admin.get('/api/v1/audit?limit=200'))
      .json()
      .entries.filter(
        (e: { action: string; details: { what?: string } }) =>
          e.action === 'authz.denied' && e.details.what === 'stream.open',
      );
    expect(denials.length).toBeGreaterThanOrEqual(3);
  });
});

describe('group roles', () => {
  it('a co-therapist sees the group but cannot edit, enrol, withdraw or schedule', async () => {
    const a = `/api/v1/groups/${s.groupA}`;
    const view = await s.ca.get(a);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ name: 'Group A', myRoles: ['co_therapist'] });
    expect((await s.ca.get(`/api/v1/sessions/${s.sessionA.id}`)).statusCode).toBe(200);
    for (const response of [
      await s.ca.request('PATCH', a, { name: 'Renamed' }),
      await s.ca.post(`${a}/participants`, person(3)),
      await s.ca.post(`${a}/sessions`, SESSION),
      await s.ca.request('PUT', `${a}/staff`, { staff: [{ userId: s.caId, roles: ['co_therapist'] }] }),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'forbidden' });
    }
    // Creating groups is for admins and facilitators.
    expect((await s.ca.post('/api/v1/groups', GROUP)).statusCode).toBe(404);
    expect((await s.ca.get(a)).json()).toMatchObject({ name: 'Group A', participants: [] });
  });

  it('a facilitator edits their group', async () => {
    const patched = await s.fa.request('PATCH', `/api/v1/groups/${s.groupA}`, {
      plan: { preparation: 3, dosing: 2, integration: 4 },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Group A',
      plan: { preparation: 3, dosing: 2, integration: 4 },
    });
  });

  it('an admin-only account creates groups and assigns staff, but sees no participants or sessions', async () => {
    const created = await s.admin.post('/api/v1/groups', { ...GROUP, name: 'Admin made' });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect(created.json()).toMatchObject({ staff: [], myRoles: [] });
    const listed = (await s.admin.get('/api/v1/groups')).json() as {
      groups: Array<{ id: string; myRoles: string[] }>;
    };
    expect(listed.groups.map((g) => g.id).sort()).toEqual([s.groupA, s.groupB, id].sort());
    expect(listed.groups.every((g) => g.myRoles.length === 0)).toBe(true);
    expect((await s.admin.get(`/api/v1/groups/${s.groupA}`)).statusCode).toBe(404);
    expect((await s.admin.post(`/api/v1/groups/${s.groupA}/participants`, person(4))).statusCode).toBe(404);
    expect((await s.admin.post(`/api/v1/groups/${s.groupA}/sessions`, SESSION)).statusCode).toBe(404);
    expect((await s.admin.get(`/api/v1/sessions/${s.sessionA.id}`)).statusCode).toBe(404);
    expect((await s.admin.request('PATCH', `/api/v1/groups/${id}`, { name: 'x' })).statusCode).toBe(404);
    const staffed = await s.admin.request('PUT', `/api/v1/groups/${id}/staff`, {
      staff: [{ userId: s.faId, roles: ['facilitator'] }],
    });
    expect(staffed.statusCode).toBe(200);
    expect((await s.fa.get(`/api/v1/groups/${id}`)).statusCode).toBe(200);
    // A group role the person does not hold in the clinic is refused.
    const wrong = await s.admin.request('PUT', `/api/v1/groups/${id}/staff`, {
      staff: [{ userId: s.caId, roles: ['facilitator'] }],
    });
    expect(wrong.statusCode).toBe(422);
    expect((await s.fa.get(`/api/v1/groups/${id}`)).statusCode).toBe(200);
  });

  it("an admin outside the group sees its staff (names and roles) and nothing else; group B's facilitator sees nothing", async () => {
    const enrolled = await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, person(8, 'Quill Marsh'));
    expect(enrolled.statusCode).toBe(201);
    const outside = await s.admin.get(`/api/v1/groups/${s.groupA}/staff`);
    expect(outside.statusCode).toBe(200);
    const { staff } = outside.json() as { staff: Array<{ userId: string; roles: string[] }> };
    expect(staff.map((m) => [m.userId, m.roles])).toEqual(
      expect.arrayContaining([
        [s.faId, ['facilitator']],
        [s.caId, ['co_therapist']],
      ]),
    );
    expect(Object.keys(outside.json() as object)).toEqual(['staff']);
    expect(outside.body).not.toContain('Quill');
    expect((await s.ca.get(`/api/v1/groups/${s.groupA}/staff`)).statusCode).toBe(200);
    const other = await s.fb.get(`/api/v1/groups/${s.groupA}/staff`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('fay');
  });
});

describe('participants', () => {
  it('refuses the 13th participant with a clear message and stores nothing; withdrawing keeps history and frees a place', async () => {
    const created = await s.fa.post('/api/v1/groups', { ...GROUP, name: 'Full house' });
    const g = `/api/v1/groups/${(created.json() as { id: string }).id}`;
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const r = await s.fa.post(`${g}/participants`, person(100 + i));
      expect(r.statusCode).toBe(201);
      ids.push((r.json() as { id: string }).id);
    }
    const thirteenth = await s.fa.post(`${g}/participants`, person(113, 'Thirteenth Person'));
    expect(thirteenth.statusCode).toBe(409);
    expect(thirteenth.json()).toMatchObject({ error: 'group_full' });
    expect((thirteenth.json() as { message: string }).message).toMatch(
      /^A group has at most 12 participants/,
    );
    let view = (await s.fa.get(g)).json();
    expect(view.participants).toHaveLength(12);
    expect(JSON.stringify(view)).not.toContain('Thirteenth Person');

    const withdrawn = await s.fa.post(`${g}/participants/${ids[2]}/withdraw`, { reason: 'Moved away' });
    expect(withdrawn.statusCode).toBe(204);
    expect((await s.fa.post(`${g}/participants/${ids[2]}/withdraw`, { reason: 'again' })).statusCode).toBe(
      404,
    );
    view = (await s.fa.get(g)).json();
    expect(view.activeParticipants).toBe(11);
    expect(view.participants.find((p: { id: string }) => p.id === ids[2])).toMatchObject({
      status: 'withdrawn',
      withdrawalReason: 'Moved away',
      preferredName: 'Person 103',
    });
    expect((await s.fa.post(`${g}/participants`, person(114))).statusCode).toBe(201);
    view = (await s.fa.get(g)).json();
    expect(view.participants).toHaveLength(13);
    expect(view.activeParticipants).toBe(12);
  });

  it('concurrent enrolments never exceed 12', async () => {
    const created = await s.fa.post('/api/v1/groups', { ...GROUP, name: 'Race' });
    const g = `/api/v1/groups/${(created.json() as { id: string }).id}`;
    for (let i = 1; i <= 9; i++) await s.fa.post(`${g}/participants`, person(200 + i));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => s.fa.post(`${g}/participants`, person(300 + i))),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(5);
    expect((await s.fa.get(g)).json().activeParticipants).toBe(12);
  });

  it('records consents and schedules numbered sessions with their streams', async () => {
    const created = await s.fa.post('/api/v1/groups', { ...GROUP, name: 'Consents' });
    const g = `/api/v1/groups/${(created.json() as { id: string }).id}`;
    const enrolled = await s.fa.post(`${g}/participants`, {
      ...person(2),
      escortContact: { name: 'Escort Person', phone: '555 0199' },
    });
    expect(enrolled.json()).toMatchObject({
      status: 'active',
      escortContact: { name: 'Escort Person', phone: '555 0199' },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    });
    const first = (
      await s.fa.post(`${g}/sessions`, { ...SESSION, kind: 'preparation', room: undefined })
    ).json();
    const second = (await s.fa.post(`${g}/sessions`, { ...SESSION, kind: 'preparation' })).json();
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first.streamId).not.toBe(second.streamId);
    expect(await h.core.store.getEventStream(first.streamId)).not.toBeNull();
    const listed = (await s.fa.get(`${g}/sessions`)).json();
    expect(listed.sessions).toHaveLength(2);
    expect((await s.fa.get(`/api/v1/sessions/${first.id}`)).json()).toEqual(first);
  });
});

describe('PHI stays out of logs and the audit log', () => {
  it('names, contacts and withdrawal reasons appear in neither', async () => {
    const created = await s.fa.post('/api/v1/groups', { ...GROUP, name: 'Quiet' });
    const g = `/api/v1/groups/${(created.json() as { id: string }).id}`;
    const secretPerson = {
      preferredName: 'Zephyrine Quillfeather',
      pronouns: 'xe/xem',
      emergencyContact: { name: 'Oswaldo Brightwater', phone: '+1 555 867 5309' },
      escortContact: { name: 'Marisol Thistledown', phone: '+1 555 222 7777' },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    };
    const enrolled = await s.fa.post(`${g}/participants`, secretPerson);
    expect(enrolled.statusCode).toBe(201);
    const pid = (enrolled.json() as { id: string }).id;
    await s.fa.post(`${g}/participants/${pid}/withdraw`, { reason: 'Hospitalised for appendicitis' });
    await s.fa.post(`${g}/participants`, { ...secretPerson, preferredName: 'x'.repeat(500) });
    await s.fa.post(`${g}/participants`, { ...secretPerson, extra: 'Zephyrine Quillfeather' });
    const audit = JSON.stringify((await s.admin.get('/api/v1/audit?limit=200')).json());
    expect(audit).toContain('group.participant_enrolled');
    expect(audit).toContain('group.participant_withdrawn');
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(100);
    for (const phi of [
      'Zephyrine',
      'Quillfeather',
      'Oswaldo',
      'Brightwater',
      '867 5309',
      'Marisol',
      '222 7777',
      'appendicitis',
      'xe/xem',
    ]) {
      expect(audit).not.toContain(phi);
      expect(log).not.toContain(phi);
    }
  });
});
