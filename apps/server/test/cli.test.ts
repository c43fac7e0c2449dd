import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser, startHarness } from './harness.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cairn(args: string[], stdin = '') {
  return spawnSync(process.execPath, [cli, ...args], {
    input: stdin,
    env: { ...process.env, CAIRN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('pnpm cairn (headless administration)', () => {
  it('explains its usage when called wrongly', () => {
    const result = cairn(['setup', '--clinic', 'Only a clinic']);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('pnpm cairn setup --clinic');
  });

  it('refuses a weak password read from stdin, saying why', () => {
    const result = cairn(
      ['setup', '--clinic', 'Birch Lane Clinic', '--name', 'Dee Admin', '--email', 'dee@birch.example'],
      'short\n',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('at least 12 characters');
  });

  it('sets up the clinic, after which setup is closed on the web and on the command line', async () => {
    const args = [
      'setup',
      '--clinic',
      'Birch Lane Clinic',
      '--name',
      'Dee Admin',
      '--email',
      'dee@birch.example',
    ];
    const first = cairn(args, 'a calm evening by the water\n');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Clinic "Birch Lane Clinic" created');
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

    const second = cairn(args, 'a calm evening by the water\n');
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('already set up');

    const h = await startHarness({ env: { CAIRN_DATA_DIR: dataDir } });
    try {
      const browser = new Browser(h.app);
      expect((await browser.get('/api/v1/setup')).json()).toEqual({ needed: false });
      const login = await browser.post('/api/v1/auth/login', {
        email: 'dee@birch.example',
        password: 'a calm evening by the water',
      });
      expect(login.json()).toMatchObject({
        stage: 'enrol',
        user: { roles: ['admin'], clinic: { name: 'Birch Lane Clinic' } },
      });
    } finally {
      await h.app.close();
      await h.core.store.close();
    }
  });

  it('applies migrations and verifies the audit chain', () => {
    expect(cairn(['migrate']).stdout).toContain('Database is up to date (sqlite)');
    expect(cairn(['audit-verify']).stdout).toMatch(/Audit log intact: [1-9]\d* entr(y|ies) checked/);
  });
});
