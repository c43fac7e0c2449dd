/**
 * Cairn as `apps/server/src/main.ts` starts it (config from the environment, SQLite in
 * CAIRN_DATA_DIR, group commit before broadcast), with one difference: the per-socket message
 * rate limit (production: burst 200, 100 frames/s, then close 4429) is lifted, so W2's closed
 * loop measures the server rather than the limiter. At W1's 5 and 20 updates/s per writer the
 * limiter never fires, and its per-frame cost (one token-bucket take) is the same either way.
 */
import { openCore } from '@cairn/core';
import { buildApp } from '@cairn/server/src/app.ts';
import { loadConfig } from '@cairn/server/src/config.ts';
import { coreConfigFrom } from '@cairn/server/src/core-config.ts';
import { DEFAULT_REALTIME } from '@cairn/server/src/realtime/plugin.ts';
import { announceReady, HOST } from './ready.ts';

const UNLIMITED = 1_000_000_000;

const config = loadConfig(process.env);
const core = await openCore(coreConfigFrom(config));
const app = await buildApp({
  config,
  core,
  realtime: { limits: { ...DEFAULT_REALTIME.limits, messageBurst: UNLIMITED, messagesPerSecond: UNLIMITED } },
});
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => core.store.close())
    .finally(() => process.exit(0));
});
await app.listen({ port: config.port, host: HOST });
announceReady(config.port);
