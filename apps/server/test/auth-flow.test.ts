import { totpCodeAt } from '@cairn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  Browser,
  enrolTotp,
  nextTotpStep,
  setUpAdmin,
  signIn,
  startHarness,
  type Harness,
} from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('first run', () => {
  it('offers setup until a clinic exists, then closes it for good', async () => {
    const visitor = new Browser(h.app);
    expect((await visitor.get('/api/v1/setup')).json()).toEqual({ needed: true });
    const created = await visitor.post('/api/v1/setup', ADMIN);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ stage: 'enrol', user: { email: ADMIN.email, roles: ['admin'] } });
    expect((await visitor.get('/api/v1/setup')).json()).toEqual({ needed: false });

    const again = await new Browser(h.app).post('/api/v1/setup', { ...ADMIN, email: 'eve@evil.test' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'setup_closed' });
  });

  it('lets exactly one of several simultaneous setups through', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        new Browser(h.app).post('/api/v1/setup', { ...ADMIN, email: `a${i}@juniper.test` }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('[BI-A11] always requires two-step sign-in: a body asking otherwise is refused, and setup stays open', async () => {
    const visitor = new Browser(h.app);
    const refused = await visitor.post('/api/v1/setup', { ...ADMIN, mfaRequired: false });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'unknown_field' });
    expect((await visitor.get('/api/v1/setup')).json()).toEqual({ needed: true });

    const created = await visitor.post('/api/v1/setup', ADMIN);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ stage: 'enrol', user: { clinic: { mfaRequired: true } } });
    expect((await visitor.get('/api/v1/staff')).json()).toMatchObject({ error: 'mfa_required' });
  });

  it('refuses a weak password with a message naming the field', async () => {
    const answer = await new Browser(h.app).post('/api/v1/setup', { ...ADMIN, password: 'short' });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ error: 'weak_password', fields: { password: expect.any(String) } });
  });
});

describe('MFA enrolment and sign-in', () => {
  it('keeps a not-yet-enrolled admin away from staff data until MFA is set up', async () => {
    const admin = new Browser(h.app);
    await admin.post('/api/v1/setup', ADMIN);
    const staff = await admin.get('/api/v1/staff');
    expect(staff.statusCode).toBe(403);
    expect(staff.json()).toMatchObject({ error: 'mfa_required' });
  });

  it('enrols with a QR and a first code, returns 10 one-time recovery codes, and issues a new token', async () => {
    const admin = new Browser(h.app);
    await admin.post('/api/v1/setup', ADMIN);
    const before = admin.cookie;
    const start = await admin.post('/api/v1/auth/mfa/enrol/start');
    expect(start.json()).toMatchObject({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      qrDataUrl: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
    });
    expect(start.json().otpauthUrl).toMatch(/^otpauth:\/\/totp\//);

    const wrong = await admin.post('/api/v1/auth/mfa/enrol/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(401);

    const confirm = await admin.post('/api/v1/auth/mfa/enrol/confirm', {
      code: totpCodeAt(start.json().secret, h.clock.now),
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    expect(confirm.json().stage).toBe('full');
    expect(admin.cookie).not.toBe(before);
    expect((await admin.get('/api/v1/staff')).statusCode).toBe(200);
  });

  it('signs in with password then TOTP; refuses wrong and replayed codes', async () => {
    const { secret } = await setUpAdmin(h);
    const browser = new Browser(h.app);
    const login = await browser.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect(login.json()).toMatchObject({ stage: 'mfa' });
    expect((await browser.get('/api/v1/staff')).statusCode).toBe(403);

    nextTotpStep(h);
    const code = totpCodeAt(secret, h.clock.now);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await browser.post('/api/v1/auth/mfa/verify', { code: wrongCode })).statusCode).toBe(401);
    const ok = await browser.post('/api/v1/auth/mfa/verify', { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'full' });

    // Someone who saw that code and the password cannot use it again within its window.
    const thief = new Browser(h.app, '10.9.9.9');
    await thief.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const replay = await thief.post('/api/v1/auth/mfa/verify', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: 'invalid_code' });
  });

  it('accepts each recovery code exactly once', async () => {
    const { recoveryCodes } = await setUpAdmin(h);
    const first = new Browser(h.app);
    await first.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const typed = recoveryCodes[0]!.toLowerCase().replace('-', ' ');
    expect((await first.post('/api/v1/auth/mfa/verify', { code: typed })).statusCode).toBe(200);
    expect((await first.get('/api/v1/me')).json()).toMatchObject({ stage: 'full', recoveryCodesLeft: 9 });

    const second = new Browser(h.app);
    await second.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect((await second.post('/api/v1/auth/mfa/verify', { code: recoveryCodes[0] })).statusCode).toBe(401);
  });

  it('slows down code guessing after 5 wrong codes', async () => {
    await setUpAdmin(h);
    const browser = new Browser(h.app);
    await browser.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    for (let i = 0; i < 5; i++) await browser.post('/api/v1/auth/mfa/verify', { code: '123456' });
    const limited = await browser.post('/api/v1/auth/mfa/verify', { code: '123456' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('regenerates recovery codes only with a current code, and the old ones stop working', async () => {
    const { secret, recoveryCodes } = await setUpAdmin(h);
    const admin = await signIn(h, ADMIN.email, ADMIN.password, secret);
    expect((await admin.post('/api/v1/auth/mfa/recovery-codes', { code: '000000' })).statusCode).toBe(401);
    nextTotpStep(h);
    const fresh = await admin.post('/api/v1/auth/mfa/recovery-codes', {
      code: totpCodeAt(secret, h.clock.now),
    });
    expect(fresh.statusCode).toBe(200);
    const browser = new Browser(h.app);
    await browser.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect((await browser.post('/api/v1/auth/mfa/verify', { code: recoveryCodes[1] })).statusCode).toBe(401);
    expect(
      (await browser.post('/api/v1/auth/mfa/verify', { code: fresh.json().recoveryCodes[0] })).statusCode,
    ).toBe(200);
  });
});

describe('invites and roles', () => {
  it('invites a co-therapist who accepts once, enrols MFA and signs in', async () => {
    const { admin } = await setUpAdmin(h);
    const invited = await admin.post('/api/v1/staff/invites', {
      email: 'Cole@Juniper.test',
      roles: ['co_therapist'],
    });
    expect(invited.statusCode).toBe(201);
    const { token, invite } = invited.json() as { token: string; invite: { email: string } };
    expect(invite.email).toBe('cole@juniper.test');

    const cole = new Browser(h.app, '10.0.0.2');
    const inspect = await cole.post('/api/v1/invites/inspect', { token });
    expect(inspect.json()).toEqual({
      email: 'cole@juniper.test',
      roles: ['co_therapist'],
      clinicName: ADMIN.clinicName,
    });
    const accepted = await cole.post('/api/v1/invites/accept', {
      token,
      displayName: 'Cole Cotherapist',
      password: 'a long and quiet river',
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ stage: 'enrol', user: { roles: ['co_therapist'] } });
    const { secret } = await enrolTotp(h, cole);
    expect((await cole.get('/api/v1/me')).json()).toMatchObject({
      stage: 'full',
      displayName: 'Cole Cotherapist',
    });

    const reuse = await new Browser(h.app, '10.0.0.3').post('/api/v1/invites/accept', {
      token,
      displayName: 'Mallory',
      password: 'another long passphrase',
    });
    expect(reuse.statusCode).toBe(404);
    expect(reuse.json()).toMatchObject({ error: 'invite_invalid' });

    await signIn(h, 'cole@juniper.test', 'a long and quiet river', secret, '10.0.0.4');
    // A co-therapist is not an admin: the staff list does not exist for them.
    expect((await cole.get('/api/v1/staff')).statusCode).toBe(404);
  });

  it('refuses expired and revoked invites', async () => {
    const { admin } = await setUpAdmin(h);
    const a = (
      await admin.post('/api/v1/staff/invites', { email: 'a@juniper.test', roles: ['facilitator'] })
    ).json();
    const b = (
      await admin.post('/api/v1/staff/invites', { email: 'b@juniper.test', roles: ['facilitator'] })
    ).json();
    expect((await admin.request('DELETE', `/api/v1/staff/invites/${b.invite.id}`)).statusCode).toBe(204);
    expect((await new Browser(h.app).post('/api/v1/invites/inspect', { token: b.token })).statusCode).toBe(
      404,
    );
    h.clock.advance(73 * 3_600_000);
    expect((await new Browser(h.app).post('/api/v1/invites/inspect', { token: a.token })).statusCode).toBe(
      404,
    );
  });

  it("changes roles, ends the person's sessions, and never removes the last admin", async () => {
    const { admin, secret } = await setUpAdmin(h);
    const { token } = (
      await admin.post('/api/v1/staff/invites', { email: 'fay@juniper.test', roles: ['co_therapist'] })
    ).json();
    const fay = new Browser(h.app, '10.0.0.5');
    await fay.post('/api/v1/invites/accept', {
      token,
      displayName: 'Fay Facilitator',
      password: 'tall pines by the lake',
    });
    const fayId = (await fay.get('/api/v1/me')).json().id as string;

    const changed = await admin.request('PUT', `/api/v1/staff/${fayId}/roles`, {
      roles: ['facilitator', 'co_therapist'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().roles).toEqual(['facilitator', 'co_therapist']);
    expect((await fay.get('/api/v1/me')).statusCode).toBe(401);

    const adminId = (await admin.get('/api/v1/me')).json().id as string;
    const lastAdmin = await admin.request('PUT', `/api/v1/staff/${adminId}/roles`, {
      roles: ['facilitator'],
    });
    expect(lastAdmin.statusCode).toBe(409);
    expect(lastAdmin.json()).toMatchObject({ error: 'last_admin' });
    expect((await admin.get('/api/v1/me')).json().roles).toEqual(['admin']);

    const self = await admin.request('PUT', `/api/v1/staff/${adminId}/roles`, {
      roles: ['admin', 'facilitator'],
    });
    expect(self.statusCode).toBe(200);
    expect((await admin.get('/api/v1/me')).json().roles).toEqual(['admin', 'facilitator']);
    void secret;
  });

  it('lets an admin relax MFA: new staff then sign in with a password alone', async () => {
    const { admin } = await setUpAdmin(h);
    expect((await admin.request('PATCH', '/api/v1/clinic/settings', { mfaRequired: false })).json()).toEqual({
      mfaRequired: false,
      minMinutesBeforeDischarge: 120,
      supportEscalateAfterSeconds: 30,
    });
    const { token } = (
      await admin.post('/api/v1/staff/invites', { email: 'max@juniper.test', roles: ['medical_provider'] })
    ).json();
    const max = new Browser(h.app);
    const accepted = await max.post('/api/v1/invites/accept', {
      token,
      displayName: 'Max Medic',
      password: 'seven quiet meadows',
    });
    expect(accepted.json().stage).toBe('full');
    const login = await new Browser(h.app).post('/api/v1/auth/login', {
      email: 'max@juniper.test',
      password: 'seven quiet meadows',
    });
    expect(login.json().stage).toBe('full');

    // Turning the requirement back on sends Max to enrolment at the next request.
    await admin.request('PATCH', '/api/v1/clinic/settings', { mfaRequired: true });
    expect((await max.get('/api/v1/me')).json().stage).toBe('enrol');
  });
});

describe('the last admin', () => {
  it('survives two admins demoting each other at the same moment', async () => {
    const { admin } = await setUpAdmin(h);
    const { token } = (
      await admin.post('/api/v1/staff/invites', { email: 'bo@juniper.test', roles: ['admin'] })
    ).json();
    const bo = new Browser(h.app, '10.0.0.8');
    await bo.post('/api/v1/invites/accept', {
      token,
      displayName: 'Bo',
      password: 'quiet snow on the hills',
    });
    await enrolTotp(h, bo);
    const me = (await admin.get('/api/v1/me')).json() as { id: string; clinic: { id: string } };
    const boId = (await bo.get('/api/v1/me')).json().id as string;

    const [first, second] = await Promise.all([
      admin.request('PUT', `/api/v1/staff/${boId}/roles`, { roles: ['facilitator'] }),
      bo.request('PUT', `/api/v1/staff/${me.id}/roles`, { roles: ['facilitator'] }),
    ]);
    // One wins. The other is refused as the last admin, or finds its session already ended
    // because the winner's change signed it out.
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    expect(await h.core.store.countUsersWithRole(me.clinic.id, 'admin')).toBe(1);
  });
});
