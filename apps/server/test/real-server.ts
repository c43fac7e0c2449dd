/**
 * The real server as a child process (`src/main.ts`, the same entry `pnpm start` runs) on a
 * data dir of the test's choosing, for the tests that kill it (FT-01), and an admin created
 * through its API the way a person would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { totpCodeAt } from '@cairn/core';
import { ADMIN, ORIGIN } from './harness.ts';
import { until } from './realtime-support.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface RealServer {
  port: number;
  child: ChildProcess;
  stderr: () => string;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

export async function startServer(dir: string): Promise<RealServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CAIRN_DATA_DIR: dir,
      SERVE_WEB: 'false',
      LOG_LEVEL: 'silent',
      CAIRN_ORIGIN: ORIGIN,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started: RealServer = {
    port,
    child,
    stderr: () => stderr,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
        } catch {
          return false;
        }
      },
      15_000,
      'server start',
    );
  } catch (error) {
    await started.kill('SIGKILL');
    throw error;
  }
  return started;
}

/** The admin, created through the API like a person would (setup, then TOTP enrolment). */
export async function createAdmin(port: number): Promise<string> {
  let cookie = '';
  const call = async (url: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${url}`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      if (pair!.split('=')[0]!.endsWith('cairn_session')) cookie = pair!;
    }
    if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  await call('/api/v1/setup', ADMIN);
  const { secret } = (await call('/api/v1/auth/mfa/enrol/start', {})) as { secret: string };
  await call('/api/v1/auth/mfa/enrol/confirm', { code: totpCodeAt(secret, new Date()) });
  return cookie;
}
