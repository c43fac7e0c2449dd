/**
 * The server's whole configuration, read once from the environment. A bad value stops
 * start-up with a message that names the variable (and never echoes a secret's value).
 */
import path from 'node:path';
import { z } from 'zod';

const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const booleanFlag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback)
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: intIn(0, 65535, 3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CAIRN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  CAIRN_ORIGIN: z
    .url({
      protocol: /^https?$/,
      message: 'must be the public URL people open, e.g. https://cairn.example.org',
    })
    .transform((u) => new URL(u).origin)
    .optional(),
  TRUST_PROXY: booleanFlag('false'),
  CAIRN_SECRET_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    )
    .optional(),
  SESSION_IDLE_MINUTES: intIn(1, 24 * 60, 30),
  SESSION_ABSOLUTE_HOURS: intIn(1, 7 * 24, 12),
  INVITE_LIFETIME_HOURS: intIn(1, 30 * 24, 72),
  ARGON2_MEMORY_KIB: intIn(19456, 1024 * 1024, 19456),
  ARGON2_TIME_COST: intIn(2, 20, 2),
  HASH_CONCURRENCY: intIn(1, 64, 2),
  HASH_QUEUE: intIn(0, 10_000, 16),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVE_WEB: booleanFlag('true'),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Redis for instant delivery between instances (several instances on PostgreSQL). */
  redisUrl: string | undefined;
  /** The origin browsers use; undefined means "the Host the request came to". */
  publicOrigin: string | undefined;
  trustProxy: boolean;
  secretKeyBase64: string | undefined;
  session: { idleMinutes: number; absoluteHours: number };
  inviteLifetimeHours: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  hashConcurrency: number;
  hashQueue: number;
  logLevel: string;
  /** Mount the built SvelteKit pages (off for `pnpm dev`, where Vite serves them). */
  serveWeb: boolean;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Cairn cannot start because of its configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // Empty strings in .env files mean "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError(['REDIS_URL: only used with DATABASE_URL (several instances sharing PostgreSQL)']);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.CAIRN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicOrigin: e.CAIRN_ORIGIN,
    trustProxy: e.TRUST_PROXY,
    secretKeyBase64: e.CAIRN_SECRET_KEY,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    inviteLifetimeHours: e.INVITE_LIFETIME_HOURS,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: 1 },
    hashConcurrency: e.HASH_CONCURRENCY,
    hashQueue: e.HASH_QUEUE,
    logLevel: e.LOG_LEVEL,
    serveWeb: e.SERVE_WEB,
  };
}
