/**
 * Builds a real Cairn app on a fresh SQLite file (or PostgreSQL, see `engine`) for each test
 * file, with a clock the test can move, and small helpers that behave like a browser on the
 * same origin (Origin header, cookie jar).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCore, totpCodeAt, type CoreContext } from '@cairn/core';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { coreConfigFrom } from '../src/core-config.ts';

export const ORIGIN = 'http://cairn.test';

export interface Harness {
  app: FastifyInstance;
  core: CoreContext;
  dataDir: string;
  clock: Clock;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Add routes before the app is ready (e.g. a WebSocket test route). */
  extend?: (app: FastifyInstance) => void;
  logStream?: Writable;
  /** Share one clock between several harnesses (instances of one deployment). */
  clock?: Clock;
  realtime?: BuildOptions['realtime'];
}

export interface Clock {
  now: Date;
  advance(ms: number): void;
}

export function createClock(): Clock {
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  return clock;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-test-'));
  const config = loadConfig({
    CAIRN_DATA_DIR: dataDir,
    CAIRN_ORIGIN: ORIGIN,
    LOG_LEVEL: 'silent',
    SERVE_WEB: 'false',
    ...options.env,
  });
  const clock = options.clock ?? createClock();
  const core = await openCore({ ...coreConfigFrom(config), now: () => clock.now });
  const app = await buildApp({
    config,
    core,
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.realtime ? { realtime: options.realtime } : {}),
  });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    core,
    dataDir,
    clock,
    async close() {
      await app.close();
      await core.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser on Cairn's origin: sends Origin and keeps the session cookie it is given. */
export class Browser {
  cookie: string | undefined;
  readonly #app: FastifyInstance;
  readonly ip: string;

  constructor(app: FastifyInstance, ip = '10.0.0.1') {
    this.#app = app;
    this.ip = ip;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { origin: ORIGIN };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#app.inject({
      method,
      url,
      headers,
      remoteAddress: this.ip,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const setCookie = response.cookies.find((c) => c.name.endsWith('cairn_session'));
    if (setCookie) this.cookie = setCookie.value ? `${setCookie.name}=${setCookie.value}` : undefined;
    return response;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, body: unknown = {}) {
    return this.request('POST', url, body);
  }
}

export const ADMIN = {
  clinicName: 'Juniper Test Clinic',
  displayName: 'Ana Admin',
  email: 'ana@juniper.test',
  password: 'correct horse battery staple',
};

/** Runs first-run setup and MFA enrolment; returns the admin's browser and TOTP secret. */
export async function setUpAdmin(
  h: Harness,
): Promise<{ admin: Browser; secret: string; recoveryCodes: string[] }> {
  const admin = new Browser(h.app);
  const setup = await admin.post('/api/v1/setup', ADMIN);
  if (setup.statusCode !== 201) throw new Error(`setup failed: ${setup.statusCode} ${setup.body}`);
  const { secret, recoveryCodes } = await enrolTotp(h, admin);
  return { admin, secret, recoveryCodes };
}

export async function enrolTotp(
  h: Harness,
  browser: Browser,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await browser.post('/api/v1/auth/mfa/enrol/start');
  if (start.statusCode !== 200) throw new Error(`enrol start failed: ${start.statusCode} ${start.body}`);
  const { secret } = start.json() as { secret: string };
  const confirm = await browser.post('/api/v1/auth/mfa/enrol/confirm', {
    code: totpCodeAt(secret, h.clock.now),
  });
  if (confirm.statusCode !== 200)
    throw new Error(`enrol confirm failed: ${confirm.statusCode} ${confirm.body}`);
  return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** Moves to the next 30-second TOTP step so a fresh code is not a replay. */
export function nextTotpStep(h: Harness): void {
  h.clock.advance(30_000);
}

export async function signIn(
  h: Harness,
  email: string,
  password: string,
  secret: string,
  ip?: string,
): Promise<Browser> {
  const browser = new Browser(h.app, ip);
  const login = await browser.post('/api/v1/auth/login', { email, password });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  nextTotpStep(h);
  const verify = await browser.post('/api/v1/auth/mfa/verify', { code: totpCodeAt(secret, h.clock.now) });
  if (verify.statusCode !== 200) throw new Error(`verify failed: ${verify.statusCode} ${verify.body}`);
  return browser;
}
