/**
 * W10, the live room's board (issue 5): N sessions × (12 admitted tablets + 2 staff boards) on
 * the session event stream. Every tablet sends one `checkin.submit` (moment 'arrival') and one
 * `support.request` at seeded, jittered moments over the window; each must reach both staff
 * sockets of its session. Measured: tablet → board (each staff socket) and tablet → ack, lost
 * events (never arrived within the drain limit: must be 0), server CPU, event loop and memory.
 * The baseline is a raw relay of the same frames to the same two staff sockets, in the same
 * process. (The research plan's W8 and W9 are the slow consumer and isolation, not yet built.)
 */
import { fileURLToPath } from 'node:url';
import { setUpBoardClinic, type BoardClinic } from '../servers/cairn-board-setup.ts';
import { ServerProcess, type Pinning } from '../servers/process.ts';
import { SYSTEMS } from '../servers/systems.ts';
import type { DriverHealth, DriverMonitor } from '../stats/driver-monitor.ts';
import { summarize, type Summary } from '../stats/percentiles.ts';
import { BoardLog, boardSchedule } from './board-log.ts';
import { connectBoard, type BoardTarget } from './board-sockets.ts';
import { runSchedule } from './schedule.ts';
import { MB, sleep, sleepUntil, waitFor } from './util.ts';

/** How long events may take to arrive after the last send before they count as lost. */
const DRAIN_LIMIT_MS = 5000;
const RAW_BOARD = fileURLToPath(new URL('../servers/raw-board.ts', import.meta.url));

export type BoardSystem = 'cairn' | 'raw';

export interface BoardConfig {
  sessions: number;
  tabletsPerSession: number;
  /** Every tablet's two sends fall somewhere in this window. */
  windowMs: number;
  /** The co-therapist's board answers each support request as it arrives (Cairn only). */
  acknowledge: boolean;
  /**
   * Connected and silent this long before the window: the server's CPU for holding the
   * sockets alone (heartbeats, revocation re-checks), to tell apart from the commands' cost.
   */
  quietMs: number;
  setupLimitMs: number;
  seed: number;
}

/** A valid arrival check-in (check-in-form.ts), with no answer that raises an alert. */
const CHECK_IN = {
  type: 'checkin.submit',
  moment: 'arrival',
  answers: { distress: 3, mood: 6, anxiety: 4, safety: 8, ride_home: true },
};
const SUPPORT = { type: 'support.request' };

export interface BoardResult {
  system: BoardSystem;
  sessions: number;
  tabletsPerSession: number;
  windowMs: number;
  /** Building the clinic over HTTP (Cairn only); not measured, shown so it stays bounded. */
  setupMs: number;
  connectMs: number;
  counts: ReturnType<BoardLog['counts']>;
  duplicates: number;
  /** Refusal reasons with how often each came (e.g. a command not built yet). */
  rejections: Record<string, number>;
  /** Tablet → each staff socket, from the scheduled send: both kinds, then each. */
  board: BoardSummary;
  boardCheckIn: BoardSummary;
  boardSupport: BoardSummary;
  boardFromSend: BoardSummary;
  ack: BoardSummary;
  staffAnswer: { sent: number; refused: number; toTablet: BoardSummary } | null;
  closedByServer: Record<string, number>;
  /** A few commands that got no answer, as `session/seat kind`, to look them up. */
  unansweredSample: string[];
  sendLag: Summary;
  server: { cpuPercent: number; quietCpuPercent: number; eldP99Ms: number; rssMb: number };
  memory: { idleRssMb: number; loadedRssMb: number };
  driver: DriverHealth;
}

/** The shared Summary plus the p95 the board's target is read next to. */
export type BoardSummary = Summary & { p95: number };

function summaryOf(values: Float64Array): BoardSummary {
  const sorted = Float64Array.from(values).sort();
  const p95 =
    sorted.length === 0
      ? Number.NaN
      : sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { ...summarize(sorted), p95 };
}

function merged(...parts: Array<{ toArray(): Float64Array }>): Float64Array {
  const arrays = parts.map((p) => p.toArray());
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

export async function runBoard(
  env: { workDir: string; pinning: Pinning; log: (message: string) => void },
  system: BoardSystem,
  config: BoardConfig,
  driver: DriverMonitor,
): Promise<BoardResult> {
  let clinic: BoardClinic | undefined;
  if (system === 'cairn') {
    clinic = await setUpBoardClinic(env.workDir, env.pinning, config, env.log);
    env.log(`board setup: ${config.sessions} sessions, ${(clinic.setupMs / 1000).toFixed(1)} s over HTTP`);
  }
  const server = clinic
    ? await ServerProcess.start(SYSTEMS.cairn.entry, clinic.env, env.pinning)
    : await ServerProcess.start(RAW_BOARD, {}, env.pinning);
  const log = new BoardLog(config.sessions, config.tabletsPerSession);
  let sockets: Awaited<ReturnType<typeof connectBoard>> | undefined;
  try {
    const idle = await server.sample({ gc: true });
    const target: BoardTarget = clinic
      ? { system: 'cairn', port: server.port, clinic }
      : {
          system: 'raw',
          port: server.port,
          sessions: config.sessions,
          tabletsPerSession: config.tabletsPerSession,
        };
    sockets = await connectBoard(target, log, { acknowledge: config.acknowledge && system === 'cairn' });
    const connected = sockets;
    const quietFrom = await server.sample();
    await sleep(config.quietMs);
    const quietTo = await server.sample();

    const start = performance.now() + 500;
    const schedule = boardSchedule(log.tablets, config.windowMs, config.seed, start);
    // The schedule's "rooms" are command indices here: tablet × 2 + kind.
    const run = runSchedule(schedule, (command, at) => {
      log.sending(command, at);
      const tablet = Math.floor(command / 2);
      connected.tablets[tablet]!.command(
        BoardLog.idOf(command),
        BoardLog.kindOf(command) === 'checkin' ? CHECK_IN : SUPPORT,
      );
    });

    await sleepUntil(start);
    const before = await server.sample({ resetEventLoop: true });
    driver.reset();
    await sleepUntil(start + config.windowMs);
    const driverHealth = driver.read();
    const after = await server.sample();
    await run.done;
    await sleep(200);
    await waitFor(() => log.complete(), DRAIN_LIMIT_MS);
    const loaded = await server.sample({ gc: true });

    return {
      system,
      sessions: config.sessions,
      tabletsPerSession: config.tabletsPerSession,
      windowMs: config.windowMs,
      setupMs: clinic?.setupMs ?? 0,
      connectMs: connected.connectMs,
      counts: log.counts(),
      duplicates: log.duplicates,
      rejections: Object.fromEntries(log.rejections),
      board: summaryOf(merged(log.board.checkin, log.board.support)),
      boardCheckIn: summaryOf(log.board.checkin.toArray()),
      boardSupport: summaryOf(log.board.support.toArray()),
      boardFromSend: summaryOf(log.boardFromSend.toArray()),
      ack: summaryOf(log.ack.toArray()),
      staffAnswer:
        config.acknowledge && system === 'cairn'
          ? {
              sent: log.staffAcksSent,
              refused: log.staffAcksRefused,
              toTablet: summaryOf(log.staffAckToTablet.toArray()),
            }
          : null,
      closedByServer: connected.closedByServer(),
      unansweredSample: log.unanswered(10).map((c) => {
        const tablet = Math.floor(c / 2);
        const seat = (tablet % config.tabletsPerSession) + 1;
        return `${Math.floor(tablet / config.tabletsPerSession)}/${seat} ${BoardLog.kindOf(c)}`;
      }),
      sendLag: run.lag.summary(),
      server: {
        cpuPercent: (after.cpuMicros - before.cpuMicros) / 1e4 / (config.windowMs / 1000),
        quietCpuPercent: (quietTo.cpuMicros - quietFrom.cpuMicros) / 1e4 / (config.quietMs / 1000),
        eldP99Ms: after.eldP99Ms,
        rssMb: after.rss / MB,
      },
      memory: { idleRssMb: idle.rss / MB, loadedRssMb: loaded.rss / MB },
      driver: driverHealth,
    };
  } finally {
    sockets?.close();
    await server.stop();
  }
}
