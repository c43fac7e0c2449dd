import { PasswordHasher, DEFAULT_ARGON2, totpCodeAt } from '@cairn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, Browser, nextTotpStep, setUpAdmin, signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('password sign-in', () => {
  it('answers an unknown email and a wrong password alike', async () => {
    await setUpAdmin(h);
    const unknown = await new Browser(h.app, '10.1.0.1').post('/api/v1/auth/login', {
      email: 'nobody@juniper.test',
      password: ADMIN.password,
    });
    const wrong = await new Browser(h.app, '10.1.0.2').post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: 'not the password at all',
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    expect(unknown.cookies).toEqual([]);
    expect(wrong.cookies).toEqual([]);
  });

  it('[BI-A13] refuses a 1 MB password at the HTTP layer and never hashes an over-cap password', async () => {
    await setUpAdmin(h);
    const huge = await new Browser(h.app).post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: 'x'.repeat(1024 * 1024),
    });
    expect(huge.statusCode).toBe(413);

    // A hasher whose only slot is busy and whose queue is zero: any argon2 call would throw
    // "busy". An over-cap password is answered "wrong" without reaching the queue at all.
    const hasher = new PasswordHasher({ params: DEFAULT_ARGON2, concurrency: 1, maxQueue: 0 });
    const stored = await hasher.hash('a perfectly fine password');
    const occupying = hasher.verify(stored, 'a perfectly fine password');
    await expect(hasher.verify(stored, 'y'.repeat(2000))).resolves.toBe(false);
    await expect(hasher.verify(stored, 'é'.repeat(600))).resolves.toBe(false);
    await expect(hasher.verify(stored, 'a perfectly fine password')).rejects.toMatchObject({ kind: 'busy' });
    await expect(occupying).resolves.toBe(true);
  });

  it('[BI-A13] NFC and NFD forms of the same password both sign in', async () => {
    const admin = new Browser(h.app);
    const password = 'café con leche y pan dulce';
    await admin.post('/api/v1/setup', { ...ADMIN, password: password.normalize('NFC') });
    const nfd = await new Browser(h.app).post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: password.normalize('NFD'),
    });
    expect(nfd.statusCode).toBe(200);
    const nfc = await new Browser(h.app).post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: password.normalize('NFC'),
    });
    expect(nfc.statusCode).toBe(200);
  });

  it('[BI-A14] 200 parallel logins stay bounded: extras get 503 with Retry-After, then a real user signs in', async () => {
    const { secret } = await setUpAdmin(h);
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new Browser(h.app, `10.2.${Math.floor(i / 250)}.${i % 250}`).post('/api/v1/auth/login', {
          email: `guess${i}@juniper.test`,
          password: `guess number ${i} for the burst`,
        }),
      ),
    );
    const statuses = new Map<number, number>();
    for (const r of burst) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    expect([...statuses.keys()].every((s) => s === 401 || s === 503)).toBe(true);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    for (const r of burst.filter((b) => b.statusCode === 503)) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.json()).toMatchObject({ error: 'busy' });
    }
    await signIn(h, ADMIN.email, ADMIN.password, secret, '10.3.0.1');
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('throttles repeated failures for one account from one address without locking the owner out elsewhere', async () => {
    const { secret } = await setUpAdmin(h);
    const attacker = new Browser(h.app, '10.4.0.1');
    for (let i = 0; i < 5; i++) {
      expect(
        (await attacker.post('/api/v1/auth/login', { email: ADMIN.email, password: `wrong guess ${i} xxxx` }))
          .statusCode,
      ).toBe(401);
    }
    const limited = await attacker.post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: ADMIN.password,
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    // The real admin, elsewhere, is not affected.
    await signIn(h, ADMIN.email, ADMIN.password, secret, '10.4.0.2');
    // And the block ends by itself.
    h.clock.advance(15 * 60_000 + 1000);
    expect(
      (await attacker.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password }))
        .statusCode,
    ).toBe(200);
  });
});

describe('sessions', () => {
  it('[AC-21] a token planted before login is not the one that works after it', async () => {
    const { secret } = await setUpAdmin(h);
    const victim = new Browser(h.app);
    victim.cookie = 'cairn_session=planted-by-attacker-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await victim.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const passwordStage = victim.cookie;
    expect(passwordStage).not.toContain('planted-by-attacker');
    nextTotpStep(h);
    await victim.post('/api/v1/auth/mfa/verify', { code: totpCodeAt(secret, h.clock.now) });
    expect(victim.cookie).not.toBe(passwordStage);

    const attacker = new Browser(h.app);
    attacker.cookie = 'cairn_session=planted-by-attacker-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect((await attacker.get('/api/v1/me')).statusCode).toBe(401);
    attacker.cookie = passwordStage;
    expect((await attacker.get('/api/v1/me')).statusCode).toBe(401);
    expect((await victim.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('sets an HttpOnly, SameSite=Lax cookie, with the __Host- prefix and Secure behind HTTPS', async () => {
    const plain = new Browser(h.app);
    const answer = await plain.post('/api/v1/setup', ADMIN);
    const cookie = answer.cookies.find((c) => c.name === 'cairn_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    await h.close();

    h = await startHarness({ env: { CAIRN_ORIGIN: 'https://cairn.test' } });
    const secure = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { origin: 'https://cairn.test', 'content-type': 'application/json' },
      payload: JSON.stringify(ADMIN),
    });
    expect(secure.cookies.find((c) => c.name === '__Host-cairn_session')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(secure.headers['strict-transport-security']).toContain('max-age=31536000');
  });

  it('ends after 30 idle minutes', async () => {
    const { admin } = await setUpAdmin(h);
    h.clock.advance(29 * 60_000);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    h.clock.advance(29 * 60_000);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    h.clock.advance(30 * 60_000);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('ends 12 hours after sign-in however active it is', async () => {
    const { admin } = await setUpAdmin(h);
    // Active every 15 minutes for 11 h 45 min: the idle limit never bites.
    for (let quarter = 0; quarter < 47; quarter++) {
      h.clock.advance(15 * 60_000);
      expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    }
    h.clock.advance(15 * 60_000 - 1);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    h.clock.advance(1);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('logout kills the token on the server and clears the browser', async () => {
    const { admin } = await setUpAdmin(h);
    const token = admin.cookie;
    const out = await admin.post('/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toContain('"cookies"');
    const replay = new Browser(h.app);
    replay.cookie = token;
    expect((await replay.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('"sign out everywhere" ends every session of that person only', async () => {
    const { admin, secret } = await setUpAdmin(h);
    const laptop = await signIn(h, ADMIN.email, ADMIN.password, secret, '10.5.0.1');
    const { token } = (
      await admin.post('/api/v1/staff/invites', { email: 'kai@juniper.test', roles: ['facilitator'] })
    ).json();
    const kai = new Browser(h.app, '10.5.0.9');
    await kai.post('/api/v1/invites/accept', {
      token,
      displayName: 'Kai',
      password: 'the river runs slowly',
    });

    expect((await laptop.post('/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/me')).statusCode).toBe(401);
    expect((await kai.get('/api/v1/me')).statusCode).toBe(200);
  });
});
