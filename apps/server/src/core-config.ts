import type { CoreConfig } from '@cairn/core';
import type { ServerConfig } from './config.ts';
import { loadSecretKey } from './secret-key.ts';

export function coreConfigFrom(config: ServerConfig): CoreConfig {
  return {
    database: config.databaseUrl
      ? { engine: 'postgres', url: config.databaseUrl }
      : { engine: 'sqlite', dataDir: config.dataDir },
    secretKey: loadSecretKey(config),
    policy: {
      idleTimeoutMs: config.session.idleMinutes * 60_000,
      absoluteLifetimeMs: config.session.absoluteHours * 3_600_000,
      inviteLifetimeMs: config.inviteLifetimeHours * 3_600_000,
    },
    argon2: config.argon2,
    hashConcurrency: config.hashConcurrency,
    hashQueue: config.hashQueue,
  };
}
