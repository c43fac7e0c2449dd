/**
 * Home access for participants on the real server: the access card, sign-in on a phone, what a
 * home session may reach (its own view only) and may not (streams, documents, staff endpoints,
 * tablets, another participant), sign-out, revocation by a new card, and the guessing limits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { rawStream } from './stream-support.ts';
import { Device, redeemAndClaim, tabletScene, type TabletScene } from './tablets-support.ts';

const INVALID = "That code isn't valid. Check it against your card, or ask your facilitator for a new card.";

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

async function start(): Promise<{ h: Harness; s: TabletScene }> {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, s: await tabletScene(h) };
}

async function card(s: TabletScene, n = 0): Promise<string> {
  const r = await s.fa.post(`/api/v1/groups/${s.groupA}/participants/${s.participantsA[n]!.id}/access-card`);
  expect(r.statusCode).toBe(201);
  return (r.json() as { code: string }).code;
}

describe('home access', () => {
  it('a card signs a participant in on a phone: their own view, nothing else', async () => {
    const { h, s } = await start();
    const issued = await s.fa.post(
      `/api/v1/groups/${s.groupA}/participants/${s.participantsA[0]!.id}/access-card`,
    );
    expect(issued.statusCode).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { code } = issued.json() as { code: string };
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);

    const phone = new Device(h.app);
    // Typed the way people type: lower case, spaces instead of hyphens.
    const signIn = await phone.post('/api/v1/home/sign-in', { code: code.toLowerCase().replace(/-/g, ' ') });
    expect(signIn.statusCode).toBe(200);
    const homeCookie = signIn.cookies.find((c) => c.name.endsWith('cairn_home'))!;
    expect(homeCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(
      signIn.cookies.some((c) => c.name.endsWith('cairn_session') || c.name.endsWith('cairn_tablet')),
    ).toBe(false);
    // The scene's dosing session lies in the past of the test clock; one next week is upcoming.
    const nextWeek = new Date(h.clock.now.getTime() + 7 * 24 * 60 * 60 * 1000).toISOString();
    const scheduled = await s.fa.post(`/api/v1/groups/${s.groupA}/sessions`, {
      kind: 'integration',
      scheduledStart: nextWeek,
      plannedMinutes: 90,
    });
    expect(scheduled.statusCode).toBe(201);
    const me = await phone.get('/api/v1/home/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      preferredName: 'Robin',
      groupName: 'Group A',
      upcomingSessions: [{ kind: 'integration', number: 1, scheduledStart: nextWeek }],
    });
    for (const name of ['Sasha', 'Tove', 'Uma', 'Wren', 'Contact']) expect(me.body).not.toContain(name);

    // No stream, no document, no staff endpoint, no tablet power.
    for (const streamId of [s.sessionA.streamId, s.sessionB.streamId]) {
      const stream = rawStream(h, streamId, phone.cookie);
      opened.push({ close: () => stream.socket.terminate() });
      expect(await stream.opened).toBe(401);
    }
    const doc = rawStream(h, 'x', phone.cookie, {}, `/ws/doc/${s.sessionA.id}`);
    opened.push({ close: () => doc.socket.terminate() });
    expect(await doc.opened).toBe(401);
    const waiting = await redeemAndClaim(h, s.fa, s.sessionA.id, s.participantsA[1]!.id);
    for (const [method, url] of [
      ['GET', `/api/v1/groups/${s.groupA}`],
      ['GET', `/api/v1/sessions/${s.sessionA.id}`],
      ['GET', `/api/v1/sessions/${s.sessionA.id}/tablets`],
      ['POST', `/api/v1/sessions/${s.sessionA.id}/tablets/${waiting.deviceId}/admit`],
      ['POST', `/api/v1/groups/${s.groupA}/participants/${s.participantsA[1]!.id}/access-card`],
      ['GET', '/api/v1/tablet/me'],
      ['POST', '/api/v1/tablet/claim'],
    ] as const) {
      const r = await phone.request(method, url, method === 'POST' ? {} : undefined);
      expect([401, 404], `${method} ${url}`).toContain(r.statusCode);
      expect(r.body).not.toContain('Sasha');
    }
    expect((await waiting.tablet.get('/api/v1/tablet/me')).json()).toMatchObject({
      state: 'awaiting_admission',
    });
  });

  it('sign-out ends the home session and asks the browser to clear site data', async () => {
    const { h, s } = await start();
    const phone = new Device(h.app);
    expect((await phone.post('/api/v1/home/sign-in', { code: await card(s) })).statusCode).toBe(200);
    const kept = phone.cookie!;
    const out = await phone.post('/api/v1/home/sign-out');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
    expect(out.cookies.find((c) => c.name.endsWith('cairn_home'))?.value).toBe('');
    expect((await phone.get('/api/v1/home/me')).statusCode).toBe(401);
    const replay = new Device(h.app);
    replay.jar.set('cairn_home', kept.match(/cairn_home=([^;]+)/)![1]!);
    expect((await replay.get('/api/v1/home/me')).statusCode).toBe(401);
  });

  it('a new card revokes the old card and its sessions; a withdrawn participant cannot sign in', async () => {
    const { h, s } = await start();
    const first = await card(s);
    const phone = new Device(h.app);
    expect((await phone.post('/api/v1/home/sign-in', { code: first })).statusCode).toBe(200);
    const second = await card(s);
    expect(second).not.toBe(first);
    expect((await phone.get('/api/v1/home/me')).statusCode).toBe(401);
    const old = await new Device(h.app).post('/api/v1/home/sign-in', { code: first });
    expect(old.statusCode).toBe(401);
    expect(old.json()).toEqual({ error: 'invalid_code', message: INVALID });
    const fresh = new Device(h.app);
    expect((await fresh.post('/api/v1/home/sign-in', { code: second })).statusCode).toBe(200);
    const robin = s.participantsA[0]!.id;
    await s.fa.post(`/api/v1/groups/${s.groupA}/participants/${robin}/withdraw`, { reason: 'Moved away' });
    expect((await fresh.get('/api/v1/home/me')).statusCode).toBe(401);
    expect((await new Device(h.app).post('/api/v1/home/sign-in', { code: second })).statusCode).toBe(401);
  });

  it('idle and absolute limits end a home session', async () => {
    const { h, s } = await start();
    const code = await card(s);
    const idle = new Device(h.app);
    await idle.post('/api/v1/home/sign-in', { code });
    h.clock.advance(30 * 60 * 1000);
    expect((await idle.get('/api/v1/home/me')).statusCode).toBe(401);
    const busy = new Device(h.app);
    await busy.post('/api/v1/home/sign-in', { code });
    for (let i = 0; i < 25; i++) {
      h.clock.advance(29 * 60 * 1000);
      expect((await busy.get('/api/v1/home/me')).statusCode).toBe(i < 24 ? 200 : 401);
    }
  });

  it('[AC-04] only the group’s facilitator issues cards, for its own active participants', async () => {
    const { s } = await start();
    const robin = s.participantsA[0]!.id;
    expect((await s.ca.post(`/api/v1/groups/${s.groupA}/participants/${robin}/access-card`)).statusCode).toBe(
      403,
    );
    expect((await s.fb.post(`/api/v1/groups/${s.groupA}/participants/${robin}/access-card`)).statusCode).toBe(
      404,
    );
    expect(
      (await s.admin.post(`/api/v1/groups/${s.groupA}/participants/${robin}/access-card`)).statusCode,
    ).toBe(404);
    // A participant of group B through group A's URL: not found.
    const wren = s.participantsB[0]!.id;
    expect((await s.fa.post(`/api/v1/groups/${s.groupA}/participants/${wren}/access-card`)).statusCode).toBe(
      404,
    );
  });

  it('wrong codes: generic answer, increasing delay per address, clinic-wide limit, codes never in a URL', async () => {
    const { h, s } = await start();
    const code = await card(s);
    const guesser = new Device(h.app, '10.60.0.1');
    for (let i = 0; i < 5; i++) {
      const r = await guesser.post('/api/v1/home/sign-in', { code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ error: 'invalid_code', message: INVALID });
    }
    const limited = await guesser.post('/api/v1/home/sign-in', { code });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The owner elsewhere is not locked out.
    expect((await new Device(h.app, '10.60.0.2').post('/api/v1/home/sign-in', { code })).statusCode).toBe(
      200,
    );
    for (let i = 0; i < 200; i++) {
      await new Device(h.app, `10.61.${Math.floor(i / 250)}.${i % 250}`).post('/api/v1/home/sign-in', {
        code: 'x',
      });
    }
    expect((await new Device(h.app, '10.62.0.1').post('/api/v1/home/sign-in', { code })).statusCode).toBe(
      429,
    );
    h.clock.advance(10 * 60 * 1000 + 1000);
    const viaUrl = await new Device(h.app).request('POST', `/api/v1/home/sign-in?code=${code}`, { code });
    expect(viaUrl.statusCode).toBe(400);
    expect((await new Device(h.app).post('/api/v1/home/sign-in', { code })).statusCode).toBe(200);
  });
});
