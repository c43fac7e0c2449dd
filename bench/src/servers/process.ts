/**
 * One server under test in its own child process: pinned to core 1 when `taskset` works (the
 * driver keeps core 0), with the instrument preloaded and GC exposed. Every wait is bounded;
 * `stop()` escalates to SIGKILL, and the child exits by itself if the driver disappears.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SampleRequest, ServerSample } from './instrument.ts';

const INSTRUMENT = fileURLToPath(new URL('./instrument.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const SAMPLE_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface Pinning {
  server: string[];
  enabled: boolean;
}

/** A free loopback port, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  readonly #child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<void>;
  #nextSample = 1;
  readonly #waiting = new Map<number, (sample: ServerSample) => void>();

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: ServerSample) => {
      if (message?.type !== 'sample') return;
      this.#waiting.get(message.id)?.(message);
      this.#waiting.delete(message.id);
    });
  }

  static async start(
    entry: string,
    env: Record<string, string>,
    pinning: Pinning,
    port?: number,
  ): Promise<ServerProcess> {
    const chosen = port ?? (await freePort());
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of every server, written when it stops, to explain
    // where a server's time goes (bench/src/report/profile-top.ts summarises one).
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
    const nodeArgs = [...profile, '--expose-gc', '--import', INSTRUMENT, entry];
    const [command, ...args] = pinning.enabled
      ? [...pinning.server, process.execPath, ...nodeArgs]
      : [process.execPath, ...nodeArgs];
    const child = spawn(command!, args, {
      env: { ...process.env, NODE_ENV: 'production', ...env, PORT: String(chosen) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const server = new ServerProcess(child, chosen);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} did not start in time`)), READY_TIMEOUT_MS);
      child.on('message', (message: { type?: string }) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited during start-up (code ${code})`));
      });
    }).catch(async (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return server;
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** CPU time, memory (after GC if asked) and event-loop delay, read inside the server. */
  sample(options: { gc?: boolean; resetEventLoop?: boolean } = {}): Promise<ServerSample> {
    const id = this.#nextSample++;
    const request: SampleRequest = {
      type: 'sample',
      id,
      gc: options.gc ?? false,
      resetEventLoop: options.resetEventLoop ?? false,
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error('server did not answer a sample request'));
      }, SAMPLE_TIMEOUT_MS);
      this.#waiting.set(id, (sample) => {
        clearTimeout(timer);
        resolve(sample);
      });
      this.#child.send(request);
    });
  }

  /** The crash of W7: no shutdown hook runs, nothing is flushed. */
  async kill9(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
