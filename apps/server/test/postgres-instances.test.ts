/**
 * The same server on PostgreSQL, as two instances sharing one database (the hosted shape):
 * an account made on one works on the other, and sign-out on one ends the session on both.
 * Runs when TEST_DATABASE_URL is set (CI sets it).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, Browser, createClock, enrolTotp, signIn, startHarness, type Harness } from './harness.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'two instances on PostgreSQL'
    : 'two instances on PostgreSQL (skipped: TEST_DATABASE_URL is not set)',
  () => {
    const databases: string[] = [];
    const harnesses: Harness[] = [];
    let admin: ReturnType<typeof postgres> | undefined;

    afterAll(async () => {
      for (const h of harnesses) await h.close();
      for (const name of databases) await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin?.end();
    });

    it('share accounts, sessions and sign-out', async () => {
      admin = postgres(serverUrl!, { max: 1, onnotice: () => undefined });
      const name = `cairn_app_${randomBytes(6).toString('hex')}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      databases.push(name);
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      const env = { DATABASE_URL: url.toString(), CAIRN_SECRET_KEY: randomBytes(32).toString('base64') };
      const clock = createClock();
      const [a, b] = await Promise.all([startHarness({ env, clock }), startHarness({ env, clock })]);
      harnesses.push(a!, b!);

      expect((await a!.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
        status: 'ready',
        database: 'postgres',
      });
      const setup = await new Browser(a!.app).post('/api/v1/setup', ADMIN);
      expect(setup.statusCode).toBe(201);
      expect((await new Browser(b!.app).get('/api/v1/setup')).json()).toEqual({ needed: false });

      const onA = new Browser(a!.app);
      onA.cookie = setup.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const { secret } = await enrolTotp(a!, onA);

      const onB = await signIn(b!, ADMIN.email, ADMIN.password, secret);
      const sameSessionOnA = new Browser(a!.app);
      sameSessionOnA.cookie = onB.cookie;
      expect((await sameSessionOnA.get('/api/v1/me')).json()).toMatchObject({
        email: ADMIN.email,
        stage: 'full',
      });

      expect((await sameSessionOnA.post('/api/v1/auth/logout')).statusCode).toBe(204);
      expect((await onB.get('/api/v1/me')).statusCode).toBe(401);
      expect((await b!.core.store.verifyAuditChain()).ok).toBe(true);
    });
  },
);
