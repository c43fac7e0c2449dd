/**
 * How big each workload is. W1–W7 of the full run take about five minutes on the 2-core box and
 * the board (W10) a few more; BENCH_QUICK=1 is a smoke run of a few minutes with the same code
 * paths. Both are
 * far shorter than the research plan's 15 s warm-up / 60 s × 3 repetitions: figures carry the
 * noise of one short run, which the report says.
 */
import type { SystemId } from './servers/systems.ts';
import type { BoardConfig, BoardSystem } from './workloads/w10-board.ts';
import type { W1Config } from './workloads/w1-typing.ts';
import type { W2Config } from './workloads/w2-saturation.ts';
import type { W7Config } from './workloads/w7-durability.ts';

export interface BenchConfig {
  quick: boolean;
  seed: number;
  /** Stop everything after this long, whatever happens. */
  hardLimitMs: number;
  w1: W1Config & { systems: SystemId[] };
  w2: W2Config & { systems: SystemId[] };
  w3: { targetBytes: number; joiners: number[]; systems: SystemId[] };
  w7: W7Config & { systems: SystemId[] };
  board: BoardConfig & { systems: BoardSystem[] };
}

/** Issue 5's board: 12 tablets per session (2 staff boards each, board-log.ts). */
const TABLETS = 12;
const BOARD_SYSTEMS: BoardSystem[] = ['cairn', 'raw'];

/** Thin listeners per room: 2 facilitators + 12 participants = 14 sockets with the writer. */
const LISTENERS = 13;
/** 38k typed updates ≈ 1.8 MB stored: under Cairn's 2 MiB cap for a clinician note. */
const POOL = 38_000;
const SEED = 20261121;

const ALL: SystemId[] = ['cairn', 'y-websocket-server', 'hocuspocus', 'hocuspocus-sqlite', 'raw'];
const LIVE: SystemId[] = ['cairn', 'y-websocket-server', 'hocuspocus', 'raw'];
const STATEFUL: SystemId[] = ['cairn', 'y-websocket-server', 'hocuspocus', 'hocuspocus-sqlite'];

export function benchConfig(quick: boolean): BenchConfig {
  if (quick) {
    return {
      quick,
      seed: SEED,
      hardLimitMs: 6 * 60_000,
      w1: {
        systems: LIVE,
        rooms: 10,
        listenersPerRoom: LISTENERS,
        phases: [
          { rate: 5, warmupMs: 500, measureMs: 2000 },
          { rate: 20, warmupMs: 500, measureMs: 2000 },
        ],
        seed: SEED,
      },
      w2: {
        systems: LIVE,
        roomCounts: [1, 10],
        listenersPerRoom: LISTENERS,
        window: 16,
        warmupMs: 300,
        measureMs: 1000,
        poolSize: POOL,
      },
      w3: { systems: ALL, targetBytes: 1_000_000, joiners: [1, 14] },
      w7: {
        systems: STATEFUL,
        rooms: 5,
        listenersPerRoom: LISTENERS,
        rate: 20,
        killAfterMs: [1000, 2000],
        seed: SEED,
      },
      board: {
        systems: BOARD_SYSTEMS,
        sessions: 10,
        tabletsPerSession: TABLETS,
        windowMs: 10_000,
        acknowledge: true,
        quietMs: 2000,
        setupLimitMs: 2 * 60_000,
        seed: SEED,
      },
    };
  }
  return {
    quick,
    seed: SEED,
    // The board's setup (100 groups over HTTP) and two 60 s windows come on top of W1–W7.
    hardLimitMs: 18 * 60_000,
    w1: {
      systems: ALL,
      rooms: 100,
      listenersPerRoom: LISTENERS,
      phases: [
        { rate: 5, warmupMs: 3000, measureMs: 10_000 },
        { rate: 20, warmupMs: 2000, measureMs: 10_000 },
      ],
      seed: SEED,
    },
    w2: {
      systems: ALL,
      roomCounts: [1, 10, 100],
      listenersPerRoom: LISTENERS,
      window: 16,
      warmupMs: 500,
      measureMs: 3000,
      poolSize: POOL,
    },
    w3: { systems: ALL, targetBytes: 1_000_000, joiners: [1, 14] },
    w7: {
      systems: STATEFUL,
      rooms: 20,
      listenersPerRoom: LISTENERS,
      rate: 20,
      // Spans Hocuspocus' first debounced store (maxDebounce 10 s under continuous typing).
      killAfterMs: [4000, 14_000],
      seed: SEED,
    },
    board: {
      systems: BOARD_SYSTEMS,
      sessions: 100,
      tabletsPerSession: TABLETS,
      windowMs: 60_000,
      acknowledge: true,
      quietMs: 5000,
      setupLimitMs: 6 * 60_000,
      seed: SEED,
    },
  };
}

/** Documents Cairn needs, by purpose: made once at setup, before any measured start. */
export function cairnDocumentPlan(config: BenchConfig): Record<string, number> {
  const plan: Record<string, number> = {
    w1: config.w1.rooms,
    w7: config.w7.rooms,
    'w3-one': 1,
    'w3-many': 1,
  };
  for (const n of config.w2.roomCounts) plan[`w2-${n}`] = n;
  return plan;
}
