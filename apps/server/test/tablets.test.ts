/**
 * Tablets in the room on the real server (SQLite file, real sockets): join codes, redeeming,
 * picking a name, admission by staff, the participant's view of the stream, End session and
 * sign-out. Named by the catalog (reliability.md §7): BI-J1…J6, AC-04, AC-22.
 */
import { SESSION_EVENT_TYPES } from '@cairn/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { person } from './groups-support.ts';
import { startHarness, type Harness } from './harness.ts';
import { until } from './realtime-support.ts';
import { rawEvents, rawStream, watchStream, type RawStream } from './stream-support.ts';
import {
  admittedTablet,
  Device,
  newCode,
  redeemAndClaim,
  tabletScene,
  type TabletScene,
} from './tablets-support.ts';

const INVALID = "That code isn't valid. Ask your facilitator for a new code.";

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

async function start(): Promise<{ h: Harness; s: TabletScene }> {
  h = await startHarness({ realtime: { revocationIntervalMs: 300 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, s: await tabletScene(h) };
}

function track(stream: RawStream): RawStream {
  opened.push({ close: () => stream.socket.terminate() });
  return stream;
}

async function liveTabletStream(
  h: Harness,
  streamId: string,
  cookie: string | undefined,
): Promise<RawStream> {
  const stream = track(rawStream(h, streamId, cookie));
  expect(await stream.opened).toBe('open');
  stream.send({ type: 'hello', since: 0 });
  await until(() => stream.messages.some((m) => m.type === 'live'), 5000, 'tablet live');
  return stream;
}

describe('tablets: the whole path', () => {
  it('code → redeem → claim → staff sees the request → admit → the tablet joins as that participant only', async () => {
    const { h, s } = await start();
    const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
    opened.push(fay.client);
    await until(() => fay.client.status === 'live', 5000, 'staff live');

    const issued = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`);
    expect(issued.statusCode).toBe(201);
    const body = issued.json() as { code: string; expiresAt: string; qrDataUrl: string };
    expect(body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Date(body.expiresAt).getTime() - h.clock.now.getTime()).toBe(10 * 60 * 1000);
    expect(body.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(body.qrDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');

    const tablet = new Device(h.app);
    const redeemed = await tablet.post('/api/v1/tablet/redeem', { code: body.code });
    expect(redeemed.statusCode).toBe(200);
    // Everyone active in the group, by name, for the picker.
    expect(redeemed.json()).toEqual({ groupName: 'Group A', participants: s.participantsA });
    const tabletCookie = redeemed.cookies.find((c) => c.name.endsWith('cairn_tablet'))!;
    expect(tabletCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(redeemed.cookies.some((c) => c.name.endsWith('cairn_session'))).toBe(false);
    expect((await tablet.get('/api/v1/tablet/me')).json()).toMatchObject({
      state: 'pending',
      groupName: 'Group A',
    });

    const robin = s.participantsA[0]!;
    const claimed = await tablet.post('/api/v1/tablet/claim', { participantId: robin.id });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ state: 'awaiting_admission', participant: robin });
    expect((claimed.json() as Record<string, unknown>)['session']).toBeUndefined();

    // Nothing joins silently: the stream stays shut until staff admit.
    const early = track(rawStream(h, s.sessionA.streamId, tablet.cookie));
    expect(await early.opened).toBe(404);

    await until(() => fay.events.some((e) => e.type === 'tablet.admission_requested'), 5000, 'request seen');
    const request = fay.events.find((e) => e.type === 'tablet.admission_requested')!;
    expect(request.payload).toMatchObject({ participantId: robin.id });
    const deviceId = (request.payload as { deviceId: string }).deviceId;
    const listed = await s.ca.get(`/api/v1/sessions/${s.sessionA.id}/tablets`);
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { tablets: unknown[] }).tablets).toEqual([
      { deviceId, state: 'awaiting_admission', participant: robin, since: expect.any(String) },
    ]);

    const admitted = await s.ca.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/admit`);
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toMatchObject({ deviceId, state: 'admitted', participant: robin });
    const me = (await tablet.get('/api/v1/tablet/me')).json();
    expect(me).toEqual({
      state: 'admitted',
      groupName: 'Group A',
      participant: robin,
      session: { id: s.sessionA.id, streamId: s.sessionA.streamId, kind: 'dosing', number: 1 },
    });

    // A second tablet for Sasha waits; Robin's tablet must not learn of it.
    const sasha = s.participantsA[1]!;
    const other = await redeemAndClaim(h, s.fa, s.sessionA.id, sasha.id);

    const robinStream = await liveTabletStream(h, s.sessionA.streamId, tablet.cookie);
    // A phase change reaches everyone; the second admission (about Sasha) reaches staff only.
    expect(SESSION_EVENT_TYPES['session.phase_changed'].audience).toBe('everyone');
    await fay.client.send({ type: 'phase.advance', to: 'arrival' });
    await until(
      () => rawEvents(robinStream).some((e) => e.type === 'session.phase_changed'),
      5000,
      'phase event',
    );
    await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${other.deviceId}/admit`);
    await until(
      () =>
        fay.events.some(
          (e) =>
            e.type === 'tablet.admitted' &&
            (e.payload as { participantId: string }).participantId === sasha.id,
        ),
      5000,
      'second admit',
    );

    const seen = rawEvents(robinStream);
    const types = seen.map((e) => e.type);
    expect(types).toContain('session.phase_changed');
    expect(
      seen
        .filter((e) => e.type === 'tablet.admitted')
        .map((e) => (e.payload as { participantId: string }).participantId),
    ).toEqual([robin.id]);
    for (const hidden of ['presence.joined', 'tablet.admission_requested', 'staff.duty_changed'])
      expect(types).not.toContain(hidden);
    const frames = JSON.stringify(robinStream.messages);
    expect(frames).not.toContain(sasha.id);
    expect(frames).not.toContain(sasha.preferredName);
  });

  it('a rejected tablet stays out; the name is free for another tablet', async () => {
    const { h, s } = await start();
    const robin = s.participantsA[0]!;
    const { tablet, deviceId } = await redeemAndClaim(h, s.fa, s.sessionA.id, robin.id);
    // While Robin's name is held it is not offered to another tablet, nor claimable.
    const second = new Device(h.app);
    const r = await second.post('/api/v1/tablet/redeem', { code: await newCode(s.fa, s.sessionA.id) });
    expect((r.json() as { participants: Array<{ id: string }> }).participants.map((p) => p.id)).not.toContain(
      robin.id,
    );
    expect((await second.post('/api/v1/tablet/claim', { participantId: robin.id })).statusCode).toBe(404);

    expect((await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/reject`)).statusCode).toBe(
      200,
    );
    expect((await tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'rejected' });
    expect(await track(rawStream(h, s.sessionA.streamId, tablet.cookie)).opened).toBe(404);
    expect((await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/admit`)).statusCode).toBe(
      409,
    );
    expect((await second.post('/api/v1/tablet/claim', { participantId: robin.id })).statusCode).toBe(200);
  });
});

describe('tablets: guessing and misuse of codes', () => {
  it('[BI-J1] wrong codes: generic answer, then an increasing delay per device and per address', async () => {
    const { h, s } = await start();
    const tablet = new Device(h.app, '10.7.0.1');
    for (let i = 0; i < 5; i++) {
      const r = await tablet.post('/api/v1/tablet/redeem', { code: 'ZZZZ-ZZZZ' });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: 'invalid_code', message: INVALID });
    }
    const limited = await tablet.post('/api/v1/tablet/redeem', { code: 'ZZZZ-ZZZY' });
    expect(limited.statusCode).toBe(429);
    const first = Number(limited.headers['retry-after']);
    expect(first).toBeGreaterThan(0);
    expect((limited.json() as { message: string }).message).toMatch(/Wait \d+ seconds/);
    // Even the right code waits: limits are checked before anything is looked up.
    const code = await newCode(s.fa, s.sessionA.id);
    expect((await tablet.post('/api/v1/tablet/redeem', { code })).statusCode).toBe(429);
    h.clock.advance(first * 1000);
    expect((await tablet.post('/api/v1/tablet/redeem', { code: 'ZZZZ-ZZZX' })).statusCode).toBe(404);
    const again = await tablet.post('/api/v1/tablet/redeem', { code: 'ZZZZ-ZZZW' });
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(first);

    // A fresh device cookie on the same address is still limited (per address).
    const sameIp = new Device(h.app, '10.7.0.1');
    expect((await sameIp.post('/api/v1/tablet/redeem', { code: 'ZZZZ-ZZZV' })).statusCode).toBe(429);
    // No lockout of the participant: another tablet redeems the code at once.
    const elsewhere = new Device(h.app, '10.7.0.2');
    expect((await elsewhere.post('/api/v1/tablet/redeem', { code })).statusCode).toBe(200);
  });

  it('[BI-J1] 20 wrong guesses retire the open code and tell the staff; a new code works', async () => {
    const { h, s } = await start();
    const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
    opened.push(fay.client);
    await until(() => fay.client.status === 'live', 5000, 'staff live');
    const code = await newCode(s.fa, s.sessionA.id);
    for (let i = 0; i < 20; i++) {
      const guesser = new Device(h.app, `10.8.${i}.1`);
      expect(
        (await guesser.post('/api/v1/tablet/redeem', { code: `ZZZZ-ZZ${'0123456789ABCDEFGHJK'[i]}Z` }))
          .statusCode,
      ).toBe(404);
    }
    await until(() => fay.events.some((e) => e.type === 'tablet.code_retired'), 5000, 'staff told');
    const retired = await new Device(h.app, '10.8.99.1').post('/api/v1/tablet/redeem', { code });
    expect(retired.statusCode).toBe(404);
    expect(retired.json()).toEqual({ error: 'invalid_code', message: INVALID });
    const fresh = await newCode(s.fa, s.sessionA.id);
    expect(
      (await new Device(h.app, '10.8.99.2').post('/api/v1/tablet/redeem', { code: fresh })).statusCode,
    ).toBe(200);
  });

  it('[BI-J2] an expired code and a code for an ended session get the same generic answer', async () => {
    const { h, s } = await start();
    const expired = await newCode(s.fa, s.sessionA.id);
    h.clock.advance(10 * 60 * 1000);
    const late = await new Device(h.app).post('/api/v1/tablet/redeem', { code: expired });
    expect(late.statusCode).toBe(404);
    expect(late.json()).toEqual({ error: 'invalid_code', message: INVALID });

    const beforeEnd = await newCode(s.fa, s.sessionA.id);
    expect((await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/end-tablets`)).statusCode).toBe(200);
    const ended = await new Device(h.app).post('/api/v1/tablet/redeem', { code: beforeEnd });
    expect(ended.statusCode).toBe(404);
    expect(ended.json()).toEqual({ error: 'invalid_code', message: INVALID });
    const refused = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`);
    expect(refused.statusCode).toBe(409);
  });

  it('[BI-J2] a session whose phase is completed takes no new tablet', async () => {
    const { h, s } = await start();
    const before = await newCode(s.fa, s.sessionA.id);
    await h.core.store.appendEvents(s.sessionA.streamId, [
      {
        type: 'session.phase_changed',
        payload: { action: 'advance', from: 'closing', phase: 'completed', paused: false, aborted: false },
        actorId: s.faId,
        deviceId: null,
        idempotencyKey: null,
        at: h.clock.now,
      },
    ]);
    const late = await new Device(h.app).post('/api/v1/tablet/redeem', { code: before });
    expect(late.statusCode).toBe(404);
    expect(late.json()).toEqual({ error: 'invalid_code', message: INVALID });
    expect((await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`)).statusCode).toBe(409);
    // Another session of the group is not affected.
    expect((await s.fa.post(`/api/v1/sessions/${s.sessionB.id}/join-codes`)).statusCode).toBe(404);
  });

  it('[BI-J2] a new code retires the previous unredeemed one', async () => {
    const { h, s } = await start();
    const old = await newCode(s.fa, s.sessionA.id);
    const current = await newCode(s.fa, s.sessionA.id);
    expect((await new Device(h.app).post('/api/v1/tablet/redeem', { code: old })).statusCode).toBe(404);
    expect((await new Device(h.app).post('/api/v1/tablet/redeem', { code: current })).statusCode).toBe(200);
  });

  it('[BI-J3] a used code from a second tablet is refused and the staff see the second attempt', async () => {
    const { h, s } = await start();
    const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
    opened.push(fay.client);
    await until(() => fay.client.status === 'live', 5000, 'staff live');
    const code = await newCode(s.fa, s.sessionA.id);
    expect((await new Device(h.app).post('/api/v1/tablet/redeem', { code })).statusCode).toBe(200);
    const second = await new Device(h.app).post('/api/v1/tablet/redeem', { code });
    expect(second.statusCode).toBe(404);
    expect(second.json()).toEqual({ error: 'invalid_code', message: INVALID });
    await until(() => fay.events.some((e) => e.type === 'tablet.code_reused'), 5000, 'staff told');
    expect(fay.events.find((e) => e.type === 'tablet.code_reused')!.payload).toEqual({
      message: 'Second attempt to use a code that was already used.',
    });
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toMatchObject({
      tablets: [{ state: 'pending' }],
    });
  });

  it('[BI-J4] look-alikes, lower case, spaces and hyphens are folded before the compare', async () => {
    const { h, s } = await start();
    let code = '';
    // Until the code holds a 0 or a 1, so the o/O and i/I/l/L folding is exercised for real.
    for (let i = 0; i < 60 && !/[01]/.test(code); i++) code = await newCode(s.fa, s.sessionA.id);
    expect(code).toMatch(/[01]/);
    const typed = code
      .replace(/0/g, 'o')
      .replace(/1/g, () => 'l')
      .toLowerCase()
      .replace('-', ' - ');
    expect(typed).not.toBe(code);
    const r = await new Device(h.app).post('/api/v1/tablet/redeem', {
      code: ` ${typed.toUpperCase().replace(/L/g, 'I')} `,
    });
    expect(r.statusCode).toBe(200);
  });

  it('[BI-J5] many addresses with one guess each engage the clinic-wide limiter; a right guess still waits for admission', async () => {
    const { h, s } = await start();
    for (let i = 0; i < 100; i++) {
      const r = await new Device(h.app, `10.50.${Math.floor(i / 250)}.${i % 250}`).post(
        '/api/v1/tablet/redeem',
        {
          code: `Y${String(i).padStart(7, '0')}`,
        },
      );
      expect(r.statusCode).toBe(404);
    }
    const code = await newCode(s.fa, s.sessionA.id);
    const blocked = await new Device(h.app, '10.51.0.1').post('/api/v1/tablet/redeem', { code });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // After the window, even the right code only reaches the waiting room.
    h.clock.advance(10 * 60 * 1000 + 1000);
    const fresh = await newCode(s.fa, s.sessionA.id);
    const guesser = new Device(h.app, '10.51.0.2');
    expect((await guesser.post('/api/v1/tablet/redeem', { code: fresh })).statusCode).toBe(200);
    expect(
      (await guesser.post('/api/v1/tablet/claim', { participantId: s.participantsA[0]!.id })).statusCode,
    ).toBe(200);
    expect((await guesser.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'awaiting_admission' });
    expect(await track(rawStream(h, s.sessionA.streamId, guesser.cookie)).opened).toBe(404);
  });

  it('[BI-J6] a code in a query string is refused, never redeemed and never logged', async () => {
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    h = await startHarness({ env: { LOG_LEVEL: 'info' }, logStream });
    const s = await tabletScene(h);
    const code = await newCode(s.fa, s.sessionA.id);
    const tablet = new Device(h.app);
    const viaQuery = await tablet.request('POST', `/api/v1/tablet/redeem?code=${code}`, { code: 'x' });
    expect(viaQuery.statusCode).toBe(400);
    expect((viaQuery.json() as { error: string }).error).toBe('code_in_url');
    const viaGet = await tablet.get(`/api/v1/tablet/redeem?code=${code}`);
    expect([400, 404, 405]).toContain(viaGet.statusCode);
    const viaMe = await tablet.get(`/api/v1/tablet/me?code=${code}`);
    expect(viaMe.statusCode).toBe(400);
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toEqual({ tablets: [] });
    // Still unused: the body is the only way in.
    expect((await tablet.post('/api/v1/tablet/redeem', { code })).statusCode).toBe(200);
    const audit = JSON.stringify(
      await h.core.store.listAudit((await h.core.store.getFirstClinic())!.id, { limit: 100 }),
    );
    expect(audit).toContain('tablet.code_issued');
    expect(audit).toContain('tablet.code_redeemed');
    expect(audit).not.toContain(code);
    expect(audit).not.toContain(code.replace('-', '').toLowerCase());
    const logs = lines.join('\n');
    expect(logs).toContain('/api/v1/tablet/redeem');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(code.replace('-', ''));
  });
});

describe('tablets: access', () => {
  it('[AC-04] staff of group B cannot make codes for, list, admit into, end or open a session of group A', async () => {
    const { h, s } = await start();
    const { deviceId } = await redeemAndClaim(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    const a = `/api/v1/sessions/${s.sessionA.id}`;
    for (const [method, url] of [
      ['POST', `${a}/join-codes`],
      ['GET', `${a}/tablets`],
      ['POST', `${a}/tablets/${deviceId}/admit`],
      ['POST', `${a}/tablets/${deviceId}/reject`],
      ['POST', `${a}/end-tablets`],
    ] as const) {
      const r = await s.fb.request(method, url, method === 'POST' ? {} : undefined);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.body).not.toContain('Robin');
    }
    // Nor through group B's own session: the device belongs to A.
    expect((await s.fb.post(`/api/v1/sessions/${s.sessionB.id}/tablets/${deviceId}/admit`)).statusCode).toBe(
      404,
    );
    expect(await track(rawStream(h, s.sessionA.streamId, s.fb.cookie)).opened).toBe(404);
    expect((await s.fa.get(`${a}/tablets`)).json()).toMatchObject({
      tablets: [{ state: 'awaiting_admission' }],
    });
    const audit = await h.core.store.listAudit((await h.core.store.getFirstClinic())!.id, { limit: 50 });
    expect(
      audit.filter((e) => e.action === 'authz.denied' && e.actorUserId === s.fbId).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('[AC-04] a medical provider on the group staff gets 403; the admin outside it 404', async () => {
    const { s } = await start();
    const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
      staff: [
        { userId: s.faId, roles: ['facilitator'] },
        { userId: s.caId, roles: ['co_therapist'] },
        { userId: s.fbId, roles: ['medical_provider'] },
      ],
    });
    expect(staffed.statusCode).toBe(200);
    expect((await s.fb.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`)).statusCode).toBe(403);
    expect((await s.admin.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`)).statusCode).toBe(404);
    expect((await s.ca.post(`/api/v1/sessions/${s.sessionA.id}/join-codes`)).statusCode).toBe(201);
  });

  it('[AC-04] an admitted tablet reaches nothing but its own session, as its own participant', async () => {
    const { h, s } = await start();
    const robin = s.participantsA[0]!;
    const { tablet, deviceId } = await admittedTablet(h, s.fa, s.sessionA.id, robin.id);
    // Another session of the same group, and a session of another group.
    const a2 = await s.fa.post(`/api/v1/groups/${s.groupA}/sessions`, {
      kind: 'integration',
      scheduledStart: '2026-05-02T09:30:00Z',
      plannedMinutes: 90,
    });
    const sessionA2 = a2.json() as { id: string; streamId: string };
    for (const streamId of [sessionA2.streamId, s.sessionB.streamId, 'unknownstream']) {
      expect(await track(rawStream(h, streamId, tablet.cookie)).opened).toBe(404);
    }
    expect(
      (await tablet.post('/api/v1/tablet/claim', { participantId: s.participantsA[1]!.id })).statusCode,
    ).toBe(409);
    const staffCalls = [
      ['POST', `/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/admit`],
      ['POST', `/api/v1/sessions/${s.sessionA.id}/join-codes`],
      ['GET', `/api/v1/sessions/${s.sessionA.id}/tablets`],
      ['POST', `/api/v1/sessions/${s.sessionA.id}/end-tablets`],
      ['GET', `/api/v1/sessions/${s.sessionA.id}`],
      ['GET', `/api/v1/groups/${s.groupA}`],
      ['GET', '/api/v1/groups'],
      ['GET', '/api/v1/auth/me'],
    ] as const;
    for (const [method, url] of staffCalls) {
      const r = await tablet.request(method, url, method === 'POST' ? {} : undefined);
      expect([401, 404], `${method} ${url}`).toContain(r.statusCode);
      expect(r.body).not.toContain('Sasha');
    }
    // Documents never open for a tablet.
    const doc = track(rawStream(h, 'x', tablet.cookie, {}, `/ws/doc/${s.sessionA.id}`));
    expect(await doc.opened).toBe(401);
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toMatchObject({
      tablets: [{ deviceId, state: 'admitted', participant: robin }],
    });
  });

  it('[AC-04] a staff member removed from the group can no longer admit', async () => {
    const { h, s } = await start();
    const { deviceId } = await redeemAndClaim(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
      staff: [{ userId: s.faId, roles: ['facilitator'] }],
    });
    expect((await s.ca.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/admit`)).statusCode).toBe(
      404,
    );
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toMatchObject({
      tablets: [{ state: 'awaiting_admission' }],
    });
  });
});

describe('tablets: ending', () => {
  it('[AC-22] End session closes every tablet socket, nothing more reaches them, and /tablet/me says ended', async () => {
    const { h, s } = await start();
    const one = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    const two = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[1]!.id);
    const sockets = [
      await liveTabletStream(h, s.sessionA.streamId, one.tablet.cookie),
      await liveTabletStream(h, s.sessionA.streamId, two.tablet.cookie),
    ];
    const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
    opened.push(fay.client);
    await until(() => fay.client.status === 'live', 5000, 'staff live');

    const ended = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/end-tablets`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ tabletsEnded: 2 });
    const closes = await Promise.all(sockets.map((socket) => socket.closed));
    for (const close of closes) expect(close.code).toBeGreaterThanOrEqual(4000);
    const counts = sockets.map((socket) => socket.messages.length);
    await fay.client.send({ type: 'duty.set', onDuty: true });
    await until(() => fay.events.some((e) => e.type === 'staff.duty_changed'), 5000, 'later event');
    const more = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/end-tablets`);
    expect(more.json()).toEqual({ tabletsEnded: 0 });
    await until(
      () => fay.events.filter((e) => e.type === 'tablet.sessions_ended').length === 2,
      5000,
      'later event',
    );
    expect(sockets.map((socket) => socket.messages.length)).toEqual(counts);
    for (const t of [one, two]) {
      expect((await t.tablet.get('/api/v1/tablet/me')).json()).toEqual({
        state: 'ended',
        groupName: 'Group A',
      });
      expect(await track(rawStream(h, s.sessionA.streamId, t.tablet.cookie)).opened).toBe(404);
    }
  });

  it('[AC-22] an ending written by another instance closes the socket within one sweep', async () => {
    const { h, s } = await start();
    const one = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    const socket = await liveTabletStream(h, s.sessionA.streamId, one.tablet.cookie);
    // Straight through the Store: no in-process notice, as if another instance ended it.
    await h.core.store.endTablets(s.sessionA.id, h.clock.now);
    const closed = await socket.closed;
    expect(closed.code).toBeGreaterThanOrEqual(4000);
  });

  it('[AC-22] a withdrawn participant’s tablet socket closes at the next sweep', async () => {
    const { h, s } = await start();
    const robin = s.participantsA[0]!;
    const one = await admittedTablet(h, s.fa, s.sessionA.id, robin.id);
    const socket = await liveTabletStream(h, s.sessionA.streamId, one.tablet.cookie);
    const w = await s.fa.post(`/api/v1/groups/${s.groupA}/participants/${robin.id}/withdraw`, {
      reason: 'Moved away',
    });
    expect(w.statusCode).toBe(204);
    expect((await socket.closed).code).toBeGreaterThanOrEqual(4000);
    expect((await one.tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'ended' });
  });

  it('Sign out & clear ends the tablet, clears its cookie and asks the browser to clear site data', async () => {
    const { h, s } = await start();
    const one = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    const socket = await liveTabletStream(h, s.sessionA.streamId, one.tablet.cookie);
    const cookieBefore = one.tablet.cookie;
    const out = await one.tablet.post('/api/v1/tablet/sign-out');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
    const cleared = out.cookies.find((c) => c.name.endsWith('cairn_tablet'))!;
    expect(cleared.value).toBe('');
    expect((await socket.closed).code).toBeGreaterThanOrEqual(4000);
    expect((await one.tablet.get('/api/v1/tablet/me')).statusCode).toBe(401);
    // The old cookie, replayed, finds an ended tablet that opens nothing.
    const replay = new Device(h.app);
    replay.jar.set('cairn_tablet', cookieBefore!.match(/cairn_tablet=([^;]+)/)![1]!);
    expect((await replay.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'ended' });
    expect(await track(rawStream(h, s.sessionA.streamId, replay.cookie)).opened).toBe(404);
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toEqual({ tablets: [] });
  });
});

describe('tablets: only for a participant consenting to tablet data use', () => {
  const names = (body: unknown) =>
    ((body as { participants: Array<{ preferredName: string }> }).participants ?? []).map(
      (p) => p.preferredName,
    );

  async function enrol(s: TabletScene, body: object): Promise<string> {
    const r = await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, body);
    expect(r.statusCode).toBe(201);
    return (r.json() as { id: string }).id;
  }

  const setConsent = (s: TabletScene, participantId: string, given: boolean) =>
    s.fa.post(`/api/v1/groups/${s.groupA}/participants/${participantId}/consents`, {
      type: 'tablet_data_use',
      given,
    });

  it('leaves a participant without the consent off the list, and refuses picking them like an unknown name', async () => {
    const { h, s } = await start();
    const vera = await enrol(s, person(7, 'Vera')); // odd n: no tablet-data-use consent
    const tablet = new Device(h.app);
    const redeemed = await tablet.post('/api/v1/tablet/redeem', { code: await newCode(s.fa, s.sessionA.id) });
    expect(redeemed.statusCode).toBe(200);
    expect(names(redeemed.json())).toEqual(['Robin', 'Sasha', 'Tove', 'Uma']);
    expect(names((await tablet.get('/api/v1/tablet/me')).json())).toEqual(['Robin', 'Sasha', 'Tove', 'Uma']);

    const unknown = await tablet.post('/api/v1/tablet/claim', { participantId: 'p'.repeat(21) });
    const refused = await tablet.post('/api/v1/tablet/claim', { participantId: vera });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual(unknown.json());
    expect((await tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'pending' });
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toMatchObject({
      tablets: [{ state: 'pending', participant: null }],
    });
  });

  it('follows the consent as it is given and revoked, for a tablet still picking', async () => {
    const { h, s } = await start();
    const vera = await enrol(s, person(7, 'Vera'));
    const tablet = new Device(h.app);
    await tablet.post('/api/v1/tablet/redeem', { code: await newCode(s.fa, s.sessionA.id) });
    expect((await setConsent(s, vera, true)).statusCode).toBe(200);
    expect(names((await tablet.get('/api/v1/tablet/me')).json())).toContain('Vera');
    const robin = s.participantsA[0]!;
    expect((await setConsent(s, robin.id, false)).statusCode).toBe(200);
    expect(names((await tablet.get('/api/v1/tablet/me')).json())).toEqual(['Sasha', 'Tove', 'Uma', 'Vera']);
    expect((await tablet.post('/api/v1/tablet/claim', { participantId: robin.id })).statusCode).toBe(404);
    expect((await tablet.post('/api/v1/tablet/claim', { participantId: vera })).statusCode).toBe(200);
  });

  it('refuses staff admitting a tablet whose participant revoked the consent while it waited (409 no_tablet_consent)', async () => {
    const { h, s } = await start();
    const sasha = s.participantsA[1]!;
    const { tablet, deviceId } = await redeemAndClaim(h, s.fa, s.sessionA.id, sasha.id);
    expect((await setConsent(s, sasha.id, false)).statusCode).toBe(200);
    const admit = await s.fa.post(`/api/v1/sessions/${s.sessionA.id}/tablets/${deviceId}/admit`);
    expect(admit.statusCode).toBe(409);
    expect(admit.json()).toMatchObject({
      error: 'no_tablet_consent',
      message: 'This participant has not consented to tablet data use; record their consent first.',
    });
    expect(JSON.stringify(admit.json())).not.toContain(sasha.preferredName);
    expect((await tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'ended' });
    expect(await track(rawStream(h, s.sessionA.streamId, tablet.cookie)).opened).toBe(404);
  });

  it('[AC-22] an admitted tablet ends at the next sweep once its participant revokes the consent', async () => {
    const { h, s } = await start();
    const tove = s.participantsA[2]!;
    const one = await admittedTablet(h, s.fa, s.sessionA.id, tove.id);
    const socket = await liveTabletStream(h, s.sessionA.streamId, one.tablet.cookie);
    expect((await setConsent(s, tove.id, false)).statusCode).toBe(200);
    expect((await socket.closed).code).toBeGreaterThanOrEqual(4000);
    expect((await one.tablet.get('/api/v1/tablet/me')).json()).toEqual({
      state: 'ended',
      groupName: 'Group A',
    });
    expect(await track(rawStream(h, s.sessionA.streamId, one.tablet.cookie)).opened).toBe(404);
    // Giving the consent again does not revive the ended tablet: it needs a new code and admission.
    expect((await setConsent(s, tove.id, true)).statusCode).toBe(200);
    expect((await one.tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'ended' });
    await admittedTablet(h, s.fa, s.sessionA.id, tove.id);
  });
});
