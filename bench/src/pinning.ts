/**
 * CPU split on the 2-core box: the server under test on core 1, this driver on core 0, so
 * neither steals the other's time. Without `taskset` (or with fewer than 2 cores) the run
 * goes on unpinned and says so.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Pinning } from './servers/process.ts';

export function pinCores(): Pinning {
  const unpinned: Pinning = { enabled: false, server: [] };
  if (availableParallelism() < 2) return unpinned;
  try {
    // -a: every thread of this process (libuv pool, V8 helpers) moves to core 0.
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' });
    return { enabled: true, server: ['taskset', '-c', '1'] };
  } catch {
    return unpinned;
  }
}
