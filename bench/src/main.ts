/**
 * `pnpm bench`: Cairn's realtime server next to @y/websocket-server, Hocuspocus (without and
 * with persistence) and a raw ws fan-out, each in its own process, driven from this one on
 * 127.0.0.1. Runs W1 (typing), W2 (saturation), W3 (1 MB sync), W7 (kill -9) and W10 (the live
 * room's board), prints a table per workload and writes bench/results/latest.{json,md}.
 * BENCH_QUICK=1 for a smoke run; BENCH_ONLY=board (or any of w1,w2,w3,w7,board, comma-separated)
 * runs only those, so one workload can be measured without the whole run.
 * Everything is bounded: a hard time limit ends the run, and servers exit with the driver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { typedUpdates } from './clients/writer.ts';
import { benchConfig, cairnDocumentPlan } from './config.ts';
import { pinCores } from './pinning.ts';
import { boardTable } from './report/board-table.ts';
import { w1Tables, w2Table, w3Table, w7Table, type Outcome } from './report/tables.ts';
import { writeResult } from './report/write-results.ts';
import { setUpCairn } from './servers/cairn-setup.ts';
import { Lab } from './servers/lab.ts';
import { SYSTEMS, type SystemId } from './servers/systems.ts';
import { DriverMonitor } from './stats/driver-monitor.ts';
import { applyCostMs, encodeCostMs, typedDocument } from './workloads/typed-doc.ts';
import { runW1 } from './workloads/w1-typing.ts';
import { framePool, runW2 } from './workloads/w2-saturation.ts';
import { runW3 } from './workloads/w3-cold-sync.ts';
import { runW7 } from './workloads/w7-durability.ts';
import { runBoard } from './workloads/w10-board.ts';

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const log = (message: string) => console.error(`[${seconds().padStart(6)} s] ${message}`);

const quick = process.env.BENCH_QUICK === '1';
const WORKLOADS = ['w1', 'w2', 'w3', 'w7', 'board'] as const;
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim().toLowerCase())
  .filter((name) => name !== '');
const unknown = only.filter((name) => !(WORKLOADS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`bench: BENCH_ONLY names ${unknown.join(', ')}; choose from ${WORKLOADS.join(', ')}`);
  process.exit(2);
}
const runs = (workload: (typeof WORKLOADS)[number]) => only.length === 0 || only.includes(workload);
const config = benchConfig(quick);
const hardStop = setTimeout(() => {
  console.error(`bench: hard time limit (${config.hardLimitMs / 60_000} min) reached, stopping`);
  process.exit(2); // the servers see the IPC channel close and exit too
}, config.hardLimitMs);
hardStop.unref();

/** Runs `task` for each system in turn; a failure is reported in its row, not fatal. */
async function each<T>(
  workload: string,
  systems: SystemId[],
  task: (id: SystemId, index: number) => Promise<T>,
): Promise<Outcome<T>> {
  const outcome: Outcome<T> = { results: [], failures: [] };
  for (const [index, id] of systems.entries()) {
    const t = performance.now();
    try {
      outcome.results.push(await task(id, index));
      log(`${workload} ${SYSTEMS[id].label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome.failures.push({ system: id, error: message });
      log(`${workload} ${SYSTEMS[id].label} FAILED: ${message}`);
    }
  }
  return outcome;
}

// y-websocket's provider adds a process 'exit' listener per instance (to say goodbye to its
// peers); with 100 writers that is expected, not a leak.
process.setMaxListeners(config.w1.rooms + config.w7.rooms + 20);

const pinning = pinCores();
const workDir = mkdtempSync(path.join(tmpdir(), 'cairn-bench-'));
const driver = new DriverMonitor();
try {
  log(
    `${quick ? 'quick' : 'full'} run; pinning ${pinning.enabled ? 'on (server core 1, driver core 0)' : 'OFF'}`,
  );
  const documents = runs('w1') || runs('w2') || runs('w3') || runs('w7');
  const doc = documents ? typedDocument(config.w3.targetBytes, config.seed) : null;
  const pool = documents ? framePool(typedUpdates(config.w2.poolSize, 4242, config.seed)) : null;
  if (doc && pool) {
    log(
      `W3 document: ${doc.state.byteLength} bytes from ${doc.operations} edits; W2 pool: ${pool.updates.length}`,
    );
  }
  const lab =
    doc &&
    new Lab(
      workDir,
      pinning,
      await setUpCairn(workDir, pinning, cairnDocumentPlan(config), {
        'w3-one': doc.state,
        'w3-many': doc.state,
      }),
    );
  if (lab) log('Cairn set up (admin + MFA over HTTP, documents through the Store)');

  const w1 =
    lab && runs('w1') ? await each('W1', config.w1.systems, (id) => runW1(lab, id, config.w1, driver)) : null;
  const w2 =
    lab && pool && runs('w2')
      ? await each('W2', config.w2.systems, (id) => runW2(lab, id, config.w2, pool, driver))
      : null;
  const w3 =
    lab && doc && runs('w3')
      ? await each('W3', config.w3.systems, (id) => runW3(lab, id, config.w3.joiners, doc))
      : null;
  const applyMs = doc && runs('w3') ? applyCostMs(doc.state) : null;
  const encodeMs = doc && runs('w3') ? encodeCostMs(doc.state) : null;
  const w7 =
    lab && runs('w7') ? await each('W7', config.w7.systems, (id) => runW7(lab, id, config.w7)) : null;
  const board = runs('board')
    ? await each('W10', config.board.systems, (id) =>
        runBoard({ workDir, pinning, log }, id === 'cairn' ? 'cairn' : 'raw', config.board, driver),
      )
    : null;

  const totalSeconds = (performance.now() - started) / 1000;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`;
  const header = [
    `Cairn realtime benchmark — ${new Date().toISOString()}`,
    `${quick ? 'BENCH_QUICK=1 (smoke)' : 'full run'}${only.length > 0 ? ` (BENCH_ONLY=${only.join(',')})` : ''}; ${machine}; pinning: ${
      pinning.enabled ? 'server on core 1, driver on core 0 (taskset)' : 'not available, unpinned'
    }; total ${totalSeconds.toFixed(0)} s`,
  ].join('\n');
  const report = [
    header,
    w1 && w1Tables(w1),
    w2 && w2Table(w2),
    w3 && w3Table(w3, applyMs ?? Number.NaN, encodeMs ?? Number.NaN),
    w7 && w7Table(w7),
    board && boardTable(board),
  ]
    .filter((section) => section !== null)
    .join('\n\n');
  console.log(`\n${report}\n`);

  await writeResult('latest.md', `${report}\n`);
  await writeResult(
    'latest.json',
    JSON.stringify({
      date: new Date().toISOString(),
      quick,
      machine,
      pinning,
      totalSeconds,
      config,
      w1,
      w2,
      w3,
      w7,
      board,
      applyMs,
      encodeMs,
    }),
  );
  log(`done in ${totalSeconds.toFixed(0)} s; results in bench/results/latest.{json,md}`);
  // A board event that never arrived, or a refused command, fails the run like a crash would.
  const boardBroken = board?.results.some((r) => r.counts.lost + r.counts.unanswered + r.counts.rejected > 0);
  const failed = [w1, w2, w3, w7, board].some((o) => (o?.failures.length ?? 0) > 0) || boardBroken === true;
  process.exitCode = failed ? 1 : 0;
} finally {
  driver.stop();
  rmSync(workDir, { recursive: true, force: true });
}
