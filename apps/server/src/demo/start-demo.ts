/**
 * `pnpm demo`: loads the fictional demo clinic (clinical.md §7.8) into a fresh embedded
 * database of its own, ./data/demo, then starts Cairn on it — the same server as `pnpm start`
 * — and prints how to sign in as each role. The normal data directory is never touched, and a
 * PostgreSQL DATABASE_URL is refused: demo data must never land in a real clinic's database.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type ServerConfig } from '../config.ts';
import { DemoRefusal } from './demo-dir.ts';
import { seedDemo } from './seed-demo.ts';
import { formatDemoWelcome } from './sign-in-table.ts';

const DEMO_DIR = path.resolve('data', 'demo');
const SERVER = fileURLToPath(new URL('../main.ts', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

const DATABASE_URL_REFUSAL =
  'pnpm demo runs only on its own embedded SQLite database (./data/demo) and never writes demo ' +
  'data into PostgreSQL. Unset DATABASE_URL and run it again.';

function addressOf(config: ServerConfig): { url: string; probe: string } {
  // What a person types; the probe goes to an address the server really listens on.
  const everywhere = config.host === '0.0.0.0';
  const shown = everywhere || config.host === '127.0.0.1' ? 'localhost' : config.host;
  return {
    url: config.publicOrigin ?? `http://${shown}:${config.port}`,
    probe: `http://${everywhere ? '127.0.0.1' : config.host}:${config.port}`,
  };
}

async function isAnswering(probe: string): Promise<boolean> {
  try {
    return (await fetch(`${probe}/readyz`)).ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(probe: string, stopped: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void stopped.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!gone && Date.now() < deadline) {
    if (await isAnswering(probe)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function run(): Promise<number> {
  if (process.env.DATABASE_URL) {
    console.error(DATABASE_URL_REFUSAL);
    return 1;
  }
  // Quiet request logs, so the sign-in table stays on screen; LOG_LEVEL still wins.
  const env = { ...process.env, CAIRN_DATA_DIR: DEMO_DIR, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' };
  const config = loadConfig(env);
  const { url, probe } = addressOf(config);
  // Otherwise the table below would describe whatever already answers there, not the demo.
  if (await isAnswering(probe)) {
    console.error(`Something already answers on port ${config.port}. Stop it, or: PORT=3100 pnpm demo`);
    return 1;
  }
  if (config.serveWeb && spawnSync('pnpm', ['build'], { stdio: 'inherit' }).status !== 0) {
    console.error('Building the web app failed; see above.');
    return 1;
  }
  console.log('Loading the fictional demo clinic…');
  const demo = await seedDemo(DEMO_DIR, {
    ...(config.secretKeyBase64 && { secretKeyBase64: config.secretKeyBase64 }),
  });

  const server = spawn(process.execPath, [SERVER], { env, stdio: 'inherit' });
  const exited = new Promise<number>((resolve) => server.on('exit', (code) => resolve(code ?? 1)));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  if (await waitUntilReady(probe, exited)) console.log(formatDemoWelcome(demo, url, DEMO_DIR));
  else
    console.error(
      `Cairn did not start on port ${config.port}. If something else uses it: PORT=3100 pnpm demo`,
    );
  return exited;
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DemoRefusal) console.error(error.message);
    else console.error('The demo failed:', error instanceof Error ? error.message : 'unknown error');
    process.exit(1);
  },
);
