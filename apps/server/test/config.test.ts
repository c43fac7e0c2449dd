import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has safe defaults: port 3000 on loopback, ./data, 30 min idle, 12 h absolute', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      session: { idleMinutes: 30, absoluteHours: 12 },
      argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://root@localhost/cairn' }, 'DATABASE_URL'],
    [{ CAIRN_ORIGIN: 'cairn.local' }, 'CAIRN_ORIGIN'],
    [{ CAIRN_SECRET_KEY: 'dG9vIHNob3J0' }, 'CAIRN_SECRET_KEY'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES'],
    [{ ARGON2_MEMORY_KIB: '1024' }, 'ARGON2_MEMORY_KIB'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, 'REDIS_URL'],
  ])('refuses %j with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });

  it('never echoes a secret value in the error', () => {
    const secret = 'c2VjcmV0LXZhbHVlLXRoYXQtaXMtd3Jvbmc=';
    try {
      loadConfig({ CAIRN_SECRET_KEY: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('stops the real process at start-up, naming the bad variable', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, [main], {
      env: { ...process.env, PORT: 'not-a-port', CAIRN_DATA_DIR: '/tmp/cairn-never' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT: must be a whole number');
  });
});
