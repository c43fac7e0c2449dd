/**
 * A fresh PostgreSQL database per test on the server named by TEST_DATABASE_URL, dropped
 * afterwards, plus the environment two Cairn instances need to share it.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

export class FreshDatabases {
  #admin: ReturnType<typeof postgres> | undefined;
  readonly #created: string[] = [];

  /** Environment for instances sharing a new empty database (and one secret key). */
  async sharedEnv(): Promise<Record<string, string>> {
    this.#admin ??= postgres(testDatabaseUrl!, { max: 1, onnotice: () => undefined });
    const name = `cairn_app_${randomBytes(6).toString('hex')}`;
    await this.#admin.unsafe(`CREATE DATABASE ${name}`);
    this.#created.push(name);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    return { DATABASE_URL: url.toString(), CAIRN_SECRET_KEY: randomBytes(32).toString('base64') };
  }

  async dropAll(): Promise<void> {
    for (const name of this.#created.splice(0)) {
      await this.#admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await this.#admin?.end();
    this.#admin = undefined;
  }
}
