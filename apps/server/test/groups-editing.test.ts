/**
 * Editing what was entered, on the real server: correcting a participant's details, giving and
 * revoking consents (history kept), rescheduling and cancelling a session before it started.
 * Access narrowed like every group endpoint (AC-04: 404 outside one's groups, audited; 403 for
 * the group's own staff without the role; 401 for tablet and home cookies), hostile bodies
 * refused with nothing changed (reliability.md §7), a started session refused, and a cancelled
 * one closed to tablets, phase commands and the participant's home view. PHI stays out of the
 * audit log.
 */
import { CommandRefused, type StreamCommand } from '@cairn/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notObjects, person, type BadBodyCase } from './groups-support.ts';
import { ORIGIN, startHarness, type Browser, type Harness } from './harness.ts';
import { until } from './realtime-support.ts';
import { watchStream, type WatchedStream } from './stream-support.ts';
import { admittedTablet, Device, tabletScene, type TabletScene } from './tablets-support.ts';

let h: Harness;
let s: TabletScene;
const opened: Array<{ close(): void }> = [];

beforeAll(async () => {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  s = await tabletScene(h);
}, 60_000);

afterAll(async () => {
  for (const item of opened.splice(0)) item.close();
  await h.close();
});

const NEW_NAME = 'Marisol Quintero-Vale';
const NEW_PHONE = '+1 555 013 7788';
const ESCORT = { name: 'Ezequiel Brandt', phone: '+1 555 014 2299' };
const CANCEL_REASON = 'Facilitator unwell with flu';
const LONG = 'x'.repeat(10_000);
const TEN_MB = 'p'.repeat(10 * 1024 * 1024);

const groupA = () => `/api/v1/groups/${s.groupA}`;
const participantUrl = (pid: string, group = s.groupA) => `/api/v1/groups/${group}/participants/${pid}`;

interface ParticipantJson {
  id: string;
  preferredName: string;
  pronouns: string | null;
  emergencyContact: { name: string; phone: string };
  escortContact: { name: string; phone: string } | null;
  status: string;
  consents: { groupConfidentialityAgreement: boolean; tabletDataUse: boolean };
}
interface SessionJson {
  id: string;
  kind: string;
  number: number;
  scheduledStart: string;
  plannedMinutes: number;
  room: string | null;
  streamId: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}

async function schedule(kind: string, scheduledStart: string): Promise<SessionJson> {
  const r = await s.fa.post(`${groupA()}/sessions`, { kind, scheduledStart, plannedMinutes: 90 });
  expect(r.statusCode).toBe(201);
  return r.json() as SessionJson;
}

const inDays = (days: number) => new Date(h.clock.now.getTime() + days * 24 * 60 * 60 * 1000).toISOString();

async function groupView(): Promise<unknown> {
  const r = await s.fa.get(groupA());
  expect(r.statusCode).toBe(200);
  return r.json();
}

async function auditEntries(): Promise<
  Array<{ action: string; targetId: string | null; details: Record<string, unknown> }>
> {
  const r = await s.admin.get('/api/v1/audit?limit=200');
  expect(r.statusCode).toBe(200);
  return (
    r.json() as {
      entries: Array<{ action: string; targetId: string | null; details: Record<string, unknown> }>;
    }
  ).entries;
}

function watch(streamId: string, browser: Browser): WatchedStream {
  const watched = watchStream(h, streamId, browser.cookie);
  opened.push(watched.client);
  return watched;
}

async function refusal(promise: Promise<unknown>): Promise<{ reason: string; explanation: string | null }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommandRefused);
  const refused = error as CommandRefused;
  return { reason: refused.reason, explanation: refused.explanation };
}

describe('correcting a participant', () => {
  it('changes only the fields given, with enrolment rules; null clears pronouns and escort; audited without PHI', async () => {
    const robin = s.participantsA[0]!.id;
    const changed = await s.fa.request('PATCH', participantUrl(robin), {
      preferredName: `  ${NEW_NAME} `,
      escortContact: ESCORT,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      id: robin,
      preferredName: NEW_NAME,
      pronouns: 'they/them',
      emergencyContact: { name: 'Contact 1' },
      escortContact: ESCORT,
      status: 'active',
    });
    const cleared = await s.fa.request('PATCH', participantUrl(robin), {
      pronouns: null,
      escortContact: null,
      emergencyContact: { name: 'Contact 1', phone: NEW_PHONE },
    });
    expect(cleared.statusCode).toBe(200);
    const view = cleared.json() as ParticipantJson;
    expect(view).toMatchObject({
      preferredName: NEW_NAME,
      pronouns: null,
      escortContact: null,
      emergencyContact: { name: 'Contact 1', phone: NEW_PHONE },
    });
    const roster = (await groupView()) as { participants: ParticipantJson[] };
    expect(roster.participants.find((p) => p.id === robin)).toEqual(view);

    const entries = (await auditEntries()).filter((e) => e.action === 'group.participant_updated');
    expect(entries.map((e) => e.details)).toEqual([
      { participantId: robin, fields: ['emergencyContact', 'escortContact', 'pronouns'] },
      { participantId: robin, fields: ['escortContact', 'preferredName'] },
    ]);
  });

  it('a withdrawn participant can still be corrected and can revoke, but is given no new consent', async () => {
    const enrolled = await s.fa.post(`${groupA()}/participants`, {
      preferredName: 'Vik',
      emergencyContact: { name: 'Contact 9', phone: '+1 555 010 1009' },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: false },
    });
    expect(enrolled.statusCode).toBe(201);
    const vik = (enrolled.json() as { id: string }).id;
    expect((await s.fa.post(`${participantUrl(vik)}/withdraw`, { reason: 'moved' })).statusCode).toBe(204);

    const fixed = await s.fa.request('PATCH', participantUrl(vik), { preferredName: 'Viktor' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ preferredName: 'Viktor', status: 'withdrawn' });

    const before = await groupView();
    const given = await s.fa.post(`${participantUrl(vik)}/consents`, {
      type: 'tablet_data_use',
      given: true,
    });
    expect(given.statusCode).toBe(409);
    expect(given.json()).toMatchObject({ error: 'participant_withdrawn' });
    expect(await groupView()).toEqual(before);

    const revoked = await s.fa.post(`${participantUrl(vik)}/consents`, {
      type: 'group_confidentiality_agreement',
      given: false,
    });
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as ParticipantJson).consents).toEqual({
      groupConfidentialityAgreement: false,
      tabletDataUse: false,
    });
  });
});

describe('consents', () => {
  it('giving records a new row with version, time and recorder; revoking keeps the row; repeats are 409', async () => {
    // Enrolled without the tablet-data-use consent (person 7), unlike tabletScene's participants.
    const enrolled = await s.fa.post(`${groupA()}/participants`, person(7, 'Wim'));
    expect(enrolled.statusCode).toBe(201);
    const wim = (enrolled.json() as { id: string }).id;
    const url = `${participantUrl(wim)}/consents`;
    const revokeNothing = await s.fa.post(url, { type: 'tablet_data_use', given: false });
    expect(revokeNothing.statusCode).toBe(409);
    expect(revokeNothing.json()).toMatchObject({ error: 'not_given' });

    const givenAt = h.clock.now.getTime();
    const given = await s.fa.post(url, { type: 'tablet_data_use', given: true });
    expect(given.statusCode).toBe(200);
    expect((given.json() as ParticipantJson).consents).toEqual({
      groupConfidentialityAgreement: true,
      tabletDataUse: true,
    });

    const before = await groupView();
    const again = await s.fa.post(url, { type: 'tablet_data_use', given: true });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_given' });
    expect(await groupView()).toEqual(before);

    h.clock.advance(60_000);
    const revoked = await s.fa.post(url, { type: 'tablet_data_use', given: false });
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as ParticipantJson).consents.tabletDataUse).toBe(false);
    const twice = await s.fa.post(url, { type: 'tablet_data_use', given: false });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: 'not_given' });

    const [entry] = (await h.core.store.listRoster(s.groupA)).filter((e) => e.participant.id === wim);
    const rows = entry!.consents.filter((c) => c.type === 'tablet_data_use');
    expect(rows).toEqual([
      {
        id: expect.any(String),
        participantId: wim,
        type: 'tablet_data_use',
        version: 1,
        signedAt: new Date(givenAt),
        recordedBy: s.faId,
        revokedAt: new Date(givenAt + 60_000),
      },
    ]);
    const actions = (await auditEntries())
      .filter((e) => e.action === 'group.consent_given' || e.action === 'group.consent_revoked')
      .filter((e) => e.details['participantId'] === wim);
    expect(actions.map((e) => [e.action, e.details['type']])).toEqual([
      ['group.consent_revoked', 'tablet_data_use'],
      ['group.consent_given', 'tablet_data_use'],
    ]);
  });
});

describe('rescheduling and cancelling', () => {
  it('reschedules time, length and room; the kind and number stay', async () => {
    const session = await schedule('integration', inDays(10));
    const moved = await s.fa.request('PATCH', `/api/v1/sessions/${session.id}`, {
      scheduledStart: '2026-12-01T10:00:00+01:00',
      plannedMinutes: 120,
      room: 'Birch room',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({
      ...session,
      scheduledStart: '2026-12-01T09:00:00.000Z',
      plannedMinutes: 120,
      room: 'Birch room',
    });
    const noRoom = await s.fa.request('PATCH', `/api/v1/sessions/${session.id}`, { room: null });
    expect(noRoom.statusCode).toBe(200);
    expect((noRoom.json() as SessionJson).room).toBeNull();
    expect((await s.fa.get(`/api/v1/sessions/${session.id}`)).json()).toEqual(noRoom.json());
    const audited = (await auditEntries()).filter(
      (e) => e.action === 'group.session_rescheduled' && e.targetId === session.id,
    );
    expect(audited.map((e) => e.details['fields'])).toEqual([
      ['room'],
      ['plannedMinutes', 'room', 'scheduledStart'],
    ]);
  });

  it('a cancelled session stays listed with its number, takes no tablet, no phase command and leaves the home view', async () => {
    const first = await schedule('preparation', inDays(7));
    const second = await schedule('preparation', inDays(14));
    const third = await schedule('preparation', inDays(21));

    const cancelled = await s.fa.post(`/api/v1/sessions/${second.id}/cancel`, {
      reason: ` ${CANCEL_REASON} `,
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toEqual({
      ...second,
      cancelledAt: h.clock.now.toISOString(),
      cancelReason: CANCEL_REASON,
    });
    const row = await h.core.store.getGroupSession(second.id);
    expect(row?.cancelledBy).toBe(s.faId);

    const listed = (await s.fa.get(`${groupA()}/sessions`)).json() as { sessions: SessionJson[] };
    const byId = new Map(listed.sessions.map((x) => [x.id, x]));
    expect(
      [first, second, third].map((x) => [byId.get(x.id)?.number, byId.get(x.id)?.cancelledAt !== null]),
    ).toEqual([
      [first.number, false],
      [second.number, true],
      [third.number, false],
    ]);
    expect(second.number).toBe(first.number + 1);
    const fourth = await schedule('preparation', inDays(28));
    expect(fourth.number).toBe(third.number + 1);

    const before = await groupView();
    for (const [send, error] of [
      [
        () => s.fa.request('PATCH', `/api/v1/sessions/${second.id}`, { plannedMinutes: 60 }),
        'session_cancelled',
      ],
      [() => s.fa.post(`/api/v1/sessions/${second.id}/cancel`, { reason: 'again' }), 'session_cancelled'],
      [() => s.fa.post(`/api/v1/sessions/${second.id}/join-codes`), 'session_over'],
    ] as const) {
      const response = await send();
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error });
    }
    expect(await groupView()).toEqual(before);

    const fay = watch(second.streamId, s.fa);
    await until(() => fay.client.status === 'live', 5000, 'live');
    expect(await refusal(fay.client.send({ type: 'phase.advance', to: 'open' } as StreamCommand))).toEqual({
      reason: 'not_allowed',
      explanation: 'This session was cancelled.',
    });
    expect((await s.fa.get(`/api/v1/sessions/${second.id}/state`)).json()).toMatchObject({
      phase: 'scheduled',
    });

    // The participant's phone lists what is coming, not what was cancelled.
    const card = await s.fa.post(`${participantUrl(s.participantsA[1]!.id)}/access-card`);
    expect(card.statusCode).toBe(201);
    const phone = new Device(h.app);
    expect(
      (await phone.post('/api/v1/home/sign-in', { code: (card.json() as { code: string }).code })).statusCode,
    ).toBe(200);
    const me = await phone.get('/api/v1/home/me');
    expect(me.statusCode).toBe(200);
    const upcoming = (me.json() as { upcomingSessions: Array<{ kind: string; number: number }> })
      .upcomingSessions;
    const preparation = upcoming.filter((u) => u.kind === 'preparation').map((u) => u.number);
    expect(preparation).toEqual([first.number, third.number, fourth.number]);
    expect(me.body).not.toContain(CANCEL_REASON);
  });

  it('once the session started, rescheduling and cancelling are 409 and nothing changes', async () => {
    const session = await schedule('integration', inDays(3));
    const fay = watch(session.streamId, s.fa);
    await until(() => fay.client.status === 'live', 5000, 'live');
    await fay.client.send({ type: 'phase.advance', to: 'open' } as StreamCommand);
    const before = await groupView();
    for (const send of [
      () => s.fa.request('PATCH', `/api/v1/sessions/${session.id}`, { scheduledStart: inDays(4) }),
      () => s.fa.post(`/api/v1/sessions/${session.id}/cancel`, { reason: 'too late' }),
    ]) {
      const response = await send();
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: 'session_started' });
    }
    expect(await groupView()).toEqual(before);
    expect((await s.fa.get(`/api/v1/sessions/${session.id}/state`)).json()).toMatchObject({ phase: 'open' });
  });
});

describe('[AC-04] who may edit', () => {
  const routes = (pid: string, sessionId: string, group: string) =>
    [
      ['PATCH', participantUrl(pid, group), { preferredName: 'Taken over' }],
      ['POST', `${participantUrl(pid, group)}/consents`, { type: 'tablet_data_use', given: true }],
      ['PATCH', `/api/v1/sessions/${sessionId}`, { plannedMinutes: 60 }],
      ['POST', `/api/v1/sessions/${sessionId}/cancel`, { reason: 'no' }],
    ] as const;

  it('the facilitator of group B gets 404, audited; a co-therapist of group A gets 403; nothing changes', async () => {
    const before = await groupView();
    const sasha = s.participantsA[1]!.id;
    const denialsBefore = (await auditEntries()).filter((e) => e.action === 'authz.denied').length;
    for (const [method, url, body] of routes(sasha, s.sessionA.id, s.groupA)) {
      const outsider = await s.fb.request(method, url, body);
      expect(outsider.statusCode).toBe(404);
      expect(outsider.json()).toMatchObject({ error: 'not_found' });
      expect(outsider.body).not.toContain('Group A');
      const coTherapist = await s.ca.request(method, url, body);
      expect(coTherapist.statusCode).toBe(403);
      expect(coTherapist.json()).toMatchObject({ error: 'forbidden' });
    }
    // Group A's facilitator reaching group B's participant through group A's path: not found.
    const wren = s.participantsB[0]!.id;
    for (const [method, url, body] of routes(wren, s.sessionB.id, s.groupA)) {
      expect((await s.fa.request(method, url, body)).statusCode).toBe(404);
    }
    // The same answer as for things that do not exist.
    const ghost = await s.fa.request('PATCH', '/api/v1/sessions/doesnotexist', { plannedMinutes: 60 });
    const theirs = await s.fa.request('PATCH', `/api/v1/sessions/${s.sessionB.id}`, { plannedMinutes: 60 });
    expect(theirs.json()).toEqual(ghost.json());
    expect(await groupView()).toEqual(before);
    const denials = (await auditEntries()).filter((e) => e.action === 'authz.denied');
    // 4 outsider + 4 co-therapist + 4 cross-group + 2 sessions that are not theirs.
    expect(denials.length - denialsBefore).toBe(14);
  });

  it('tablet and home cookies get 401', async () => {
    const { tablet } = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[2]!.id);
    const card = await s.fa.post(`${participantUrl(s.participantsA[3]!.id)}/access-card`);
    const phone = new Device(h.app);
    expect(
      (await phone.post('/api/v1/home/sign-in', { code: (card.json() as { code: string }).code })).statusCode,
    ).toBe(200);
    const after = await groupView();
    for (const device of [tablet, phone]) {
      for (const [method, url, body] of routes(s.participantsA[2]!.id, s.sessionA.id, s.groupA)) {
        expect((await device.request(method, url, body)).statusCode).toBe(401);
      }
    }
    expect(await groupView()).toEqual(after);
  });
});

const participantCases: BadBodyCase[] = [
  ...notObjects,
  ['an empty patch', {}, 422],
  ['[BI-A11] status', { status: 'withdrawn' }, 400],
  ['[BI-A11] id', { id: 'other', preferredName: 'x' }, 400],
  ['[BI-A11] consents', { consents: { tabletDataUse: true } }, 400],
  [
    '[BI-A11] a contact field',
    { emergencyContact: { name: 'Sam', phone: '+1 555 010 0200', relation: 'x' } },
    400,
  ],
  ['a 10k-character name', { preferredName: LONG }, 422],
  ['41-character pronouns', { pronouns: 'x'.repeat(41) }, 422],
  ['a name that is a number', { preferredName: 7 }, 422],
  ['a null name', { preferredName: null }, 422],
  ['a null emergency contact', { emergencyContact: null }, 422],
  ['an escort that is a string', { escortContact: 'Sam' }, 422],
  ['NUL in the name', { preferredName: 'a\u0000b' }, 422],
  ['a C1 control in pronouns', { pronouns: 'she\u009bher' }, 422],
  ['[BI-A9] a lone surrogate', { preferredName: 'a\ud800' }, 422],
  ['words for a phone', { escortContact: { name: 'Sam', phone: 'ring me' } }, 422],
];

const consentCases: BadBodyCase[] = [
  ...notObjects,
  ['nothing', {}, 422],
  ['an unknown consent', { type: 'research', given: true }, 422],
  ['a 10k type', { type: LONG, given: true }, 422],
  ['given as "yes"', { type: 'tablet_data_use', given: 'yes' }, 422],
  ['given as null', { type: 'tablet_data_use', given: null }, 422],
  ['[BI-A11] version', { type: 'tablet_data_use', given: true, version: 2 }, 400],
  ['[BI-A11] signedAt', { type: 'tablet_data_use', given: true, signedAt: '2020-01-01T00:00:00Z' }, 400],
];

const rescheduleCases: BadBodyCase[] = [
  ...notObjects,
  ['an empty patch', {}, 422],
  ['[BI-A11] kind', { kind: 'integration' }, 400],
  ['[BI-A11] number', { number: 9, plannedMinutes: 60 }, 400],
  ['[BI-A11] cancelledAt', { cancelledAt: null }, 400],
  ['a null start', { scheduledStart: null }, 422],
  ['null minutes', { plannedMinutes: null }, 422],
  ['29 minutes', { plannedMinutes: 29 }, 422],
  ['minutes as a string', { plannedMinutes: '60' }, 422],
  ['30 February', { scheduledStart: '2026-02-30T09:00:00Z' }, 422],
  ['year 9999', { scheduledStart: '9999-12-31T23:59:59Z' }, 422],
  ['a 10k room', { room: LONG }, 422],
  ['NUL in the room', { room: 'a\u0000b' }, 422],
];

const cancelCases: BadBodyCase[] = [
  ...notObjects,
  ['no reason', {}, 422],
  ['a blank reason', { reason: '   ' }, 422],
  ['a null reason', { reason: null }, 422],
  ['a 10k reason', { reason: LONG }, 422],
  ['a control character', { reason: 'snow\u0007' }, 422],
  ['[BI-A9] a lone surrogate', { reason: 'snow\udc00' }, 422],
  ['[BI-A11] cancelledAt', { reason: 'snow', cancelledAt: '2020-01-01T00:00:00Z' }, 400],
];

async function expectRefused(send: () => Promise<{ statusCode: number; json(): unknown }>, status: number) {
  const before = await groupView();
  const response = await send();
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: string; fields?: Record<string, string> };
  if (status === 422) expect(Object.keys(body.fields ?? {}).length).toBeGreaterThan(0);
  expect(await groupView()).toEqual(before);
}

describe('hostile editing bodies change nothing', () => {
  const robin = () => participantUrl(s.participantsA[0]!.id);

  it.each(participantCases)('PATCH …/participants/:pid refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.request('PATCH', robin(), body), status);
  });

  it.each(consentCases)('POST …/consents refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.post(`${robin()}/consents`, body), status);
  });

  it.each(rescheduleCases)('PATCH /sessions/:id refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.request('PATCH', `/api/v1/sessions/${s.sessionA.id}`, body), status);
  });

  it.each(cancelCases)('POST /sessions/:id/cancel refuses %s', async (_, body, status) => {
    await expectRefused(() => s.fa.post(`/api/v1/sessions/${s.sessionA.id}/cancel`, body), status);
  });

  it('[BI-A4] a 10 MB body is 413 on every editing endpoint', async () => {
    const before = await groupView();
    for (const [method, url, payload] of [
      ['PATCH', robin(), { preferredName: TEN_MB }],
      ['POST', `${robin()}/consents`, { type: TEN_MB, given: true }],
      ['PATCH', `/api/v1/sessions/${s.sessionA.id}`, { room: TEN_MB }],
      ['POST', `/api/v1/sessions/${s.sessionA.id}/cancel`, { reason: TEN_MB }],
    ] as const) {
      const response = await h.app.inject({
        method,
        url,
        headers: { origin: ORIGIN, 'content-type': 'application/json', cookie: s.fa.cookie! },
        payload: JSON.stringify(payload),
      });
      expect(response.statusCode).toBe(413);
    }
    expect(await groupView()).toEqual(before);
  });

  it('refuses malformed ids in the path with 400', async () => {
    expect(
      (await s.fa.request('PATCH', `${groupA()}/participants/a.b`, { preferredName: 'x' })).statusCode,
    ).toBe(400);
    expect((await s.fa.post(`/api/v1/sessions/${'a'.repeat(65)}/cancel`, { reason: 'x' })).statusCode).toBe(
      400,
    );
  });
});

describe('PHI stays out of the audit log', () => {
  it('names, contacts and the cancellation reason are nowhere in it', async () => {
    const audit = JSON.stringify(await auditEntries());
    for (const action of [
      'group.participant_updated',
      'group.consent_given',
      'group.consent_revoked',
      'group.session_rescheduled',
      'group.session_cancelled',
    ]) {
      expect(audit).toContain(action);
    }
    for (const phi of [
      NEW_NAME,
      NEW_PHONE,
      ESCORT.name,
      ESCORT.phone,
      CANCEL_REASON,
      'Viktor',
      'Birch room',
    ]) {
      expect(audit).not.toContain(phi);
    }
  });
});
