/**
 * Preloaded (`--import`) into every server under test, so the servers themselves stay
 * unmodified. It answers the driver's IPC requests with the process's CPU time (all threads,
 * so Cairn's update-guard worker counts), memory after an optional forced GC (`--expose-gc`),
 * and its event-loop delay. If the driver goes away, the server goes too: nothing outlives a run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface SampleRequest {
  type: 'sample';
  id: number;
  gc: boolean;
  resetEventLoop: boolean;
}

export interface ServerSample {
  type: 'sample';
  id: number;
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  external: number;
  eldP50Ms: number;
  eldP99Ms: number;
  eldMaxMs: number;
}

const RESOLUTION_MS = 1;
const eld = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
eld.enable();
const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

process.on('message', (message: SampleRequest) => {
  if (message?.type !== 'sample') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (message.gc && gc) {
    // Twice: the first pass can leave weakly held garbage for the second.
    gc();
    gc();
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const sample: ServerSample = {
    type: 'sample',
    id: message.id,
    cpuMicros: cpu.user + cpu.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    eldP50Ms: eld.count > 0 ? late(eld.percentile(50)) : 0,
    eldP99Ms: eld.count > 0 ? late(eld.percentile(99)) : 0,
    eldMaxMs: eld.count > 0 ? late(eld.max) : 0,
  };
  if (message.resetEventLoop) eld.reset();
  process.send?.(sample);
});

process.on('disconnect', () => process.exit(0));
