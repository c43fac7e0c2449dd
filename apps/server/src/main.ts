/**
 * `pnpm start`: one process, one port — pages, JSON API, WebSockets, /healthz and /readyz.
 */
import { openCore } from '@cairn/core';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { coreConfigFrom } from './core-config.ts';
import { loadWebHandler } from './web.ts';

async function main(): Promise<void> {
  let config: ServerConfig;
  let coreConfig;
  try {
    config = loadConfig();
    coreConfig = coreConfigFrom(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.serveWeb && config.publicOrigin) process.env.ORIGIN ??= config.publicOrigin;
  const core = await openCore(coreConfig);
  const webHandler = config.serveWeb ? await loadWebHandler() : undefined;
  const app = await buildApp({ config, core, ...(webHandler ? { webHandler } : {}) });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await core.store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const where =
    config.publicOrigin ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  app.log.info({ database: core.store.engine }, `Cairn is running at ${where}`);
}

main().catch((error: unknown) => {
  console.error('Cairn failed to start:', error instanceof Error ? error.message : 'unknown error');
  process.exit(1);
});
