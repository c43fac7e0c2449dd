import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { totpCodeAt } from '@cairn/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, Browser, nextTotpStep, setUpAdmin, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('audit log', () => {
  it('records sign-ins, failures, MFA, invites and role changes, with ids and no personal data', async () => {
    h = await startHarness();
    const { admin, secret } = await setUpAdmin(h);
    await new Browser(h.app, '10.6.0.1').post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: 'definitely the wrong one',
    });
    await new Browser(h.app, '10.6.0.2').post('/api/v1/auth/login', {
      email: 'ghost@juniper.test',
      password: 'whatever it is here',
    });
    const invited = (
      await admin.post('/api/v1/staff/invites', { email: 'lee@juniper.test', roles: ['co_therapist'] })
    ).json();
    const lee = new Browser(h.app);
    await lee.post('/api/v1/invites/accept', {
      token: invited.token,
      displayName: 'Lee',
      password: 'mountain air at dawn',
    });
    const leeId = (await lee.get('/api/v1/me')).json().id;
    await admin.request('PUT', `/api/v1/staff/${leeId}/roles`, { roles: ['facilitator'] });
    const second = new Browser(h.app);
    await second.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    nextTotpStep(h);
    await second.post('/api/v1/auth/mfa/verify', { code: totpCodeAt(secret, h.clock.now) });
    await second.post('/api/v1/auth/logout');

    const page = (await admin.get('/api/v1/audit?limit=200')).json();
    expect(page.chain).toMatchObject({ ok: true });
    const actions = page.entries.map((e: { action: string }) => e.action);
    for (const action of [
      'clinic.setup',
      'auth.mfa.enrolled',
      'auth.login.failed',
      'staff.invited',
      'staff.invite_accepted',
      'staff.roles_changed',
      'auth.password.accepted',
      'auth.login.succeeded',
      'auth.logout',
    ]) {
      expect(actions).toContain(action);
    }
    const failed = page.entries.filter((e: { action: string }) => e.action === 'auth.login.failed');
    expect(failed.map((e: { details: { reason: string } }) => e.details.reason).sort()).toEqual([
      'unknown_account',
      'wrong_password',
    ]);
    const serialised = JSON.stringify(page.entries);
    for (const secretText of [
      ADMIN.email,
      ADMIN.password,
      'ghost@juniper.test',
      'lee@juniper.test',
      invited.token,
      'definitely the wrong one',
    ]) {
      expect(serialised).not.toContain(secretText);
    }
  });

  it('is append-only in the database, and `pnpm cairn audit-verify` detects tampering', async () => {
    h = await startHarness();
    await setUpAdmin(h);
    const dataDir = h.dataDir;
    await h.core.store.close();
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const verify = () =>
      spawnSync(process.execPath, [cli, 'audit-verify'], {
        env: { ...process.env, CAIRN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 30_000,
      });

    const clean = verify();
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/Audit log intact: \d+ entries checked/);

    const db = new DatabaseSync(path.join(dataDir, 'cairn.db'));
    expect(() => db.exec(`UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 1`)).toThrow(
      /append-only/,
    );
    // An attacker with the file itself can drop the trigger — the hash chain still tells.
    const triggers = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
      .all() as Array<{ name: string }>;
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
    db.exec(`UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 1`);
    db.close();

    const tampered = verify();
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toContain('Audit log TAMPERED at entry 1');
    await h.app.close();
    rmSync(dataDir, { recursive: true, force: true });
    h = undefined;
  });
});

describe('logs', () => {
  it('hold no emails, passwords, tokens, cookies or codes', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    h = await startHarness({ env: { LOG_LEVEL: 'trace' }, logStream: stream });
    const { admin, secret } = await setUpAdmin(h);
    const invited = (
      await admin.post('/api/v1/staff/invites', { email: 'rio@juniper.test', roles: ['facilitator'] })
    ).json();
    await new Browser(h.app).post('/api/v1/auth/login', {
      email: ADMIN.email,
      password: 'a wrong password here',
    });
    const second = new Browser(h.app);
    await second.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    nextTotpStep(h);
    const code = totpCodeAt(secret, h.clock.now);
    await second.post('/api/v1/auth/mfa/verify', { code });
    await second.get('/api/v1/me?email=rio@juniper.test');
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(100);
    const cookieValue = second.cookie?.split('=')[1] ?? 'never';
    for (const forbidden of [
      ADMIN.email,
      ADMIN.password,
      'a wrong password here',
      'rio@juniper.test',
      invited.token,
      cookieValue,
      secret,
      `"${code}"`,
    ]) {
      expect(log).not.toContain(forbidden);
    }
  });
});
