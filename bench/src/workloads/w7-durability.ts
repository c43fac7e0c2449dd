/**
 * W7, durability: W1-style typing (real writers at `rate`, thin listeners), then `kill -9`
 * of the server at a seeded random moment. Clients die with it (variant ii: nobody is left to
 * re-send what the server lost). After a restart on the same storage, a fresh client reads
 * each document, and every write the writer had seen ECHOED is looked for in it. For Cairn an
 * echo is its acknowledgement that the write is durable, so the count must be 0.
 */
import * as Y from 'yjs';
import { INSERT_CHARS } from '../clients/frames.ts';
import { ThinClient, withTimeout } from '../clients/thin-client.ts';
import type { Lab, Running } from '../servers/lab.ts';
import type { SystemId } from '../servers/systems.ts';
import { mulberry32 } from '../stats/prng.ts';
import type { RoomLog } from './room-log.ts';
import { buildSchedule, runSchedule } from './schedule.ts';
import { connectTypingRooms } from './typing-rooms.ts';
import { sleep, sleepUntil, waitFor } from './util.ts';

export interface W7Config {
  rooms: number;
  listenersPerRoom: number;
  rate: number;
  /** The kill falls at a seeded random moment in this range after typing starts. */
  killAfterMs: [number, number];
  seed: number;
}

export interface W7Result {
  system: SystemId;
  killAfterMs: number;
  writesSent: number;
  echoed: number;
  /** Writes found in the documents after the restart. */
  persisted: number;
  /** Echoed (acknowledged) writes missing after the restart. */
  lostEchoed: number;
  roomsWithLoss: number;
  restartMs: number;
}

/** Frames already in the driver's socket buffers at the kill still count as echoed. */
const DRAIN_MS = 250;
const VERIFY_TIMEOUT_MS = 30_000;

/** Types until the kill; returns each room's log (what was sent and what was echoed). */
async function typeUntilKilled(
  running: Running,
  names: string[],
  config: W7Config,
  killAfterMs: number,
): Promise<RoomLog[]> {
  const phase = { rate: config.rate, warmupMs: 0, measureMs: config.killAfterMs[1] + 1000 };
  const sizing = buildSchedule(config.rooms, [phase], config.seed, 0);
  const rooms = await connectTypingRooms(running.target, names, {
    listenersPerRoom: config.listenersPerRoom,
    capacity: sizing.maxPerRoom + 1,
    windows: [],
    seed: config.seed,
  });
  try {
    const startAt = performance.now() + 300;
    const schedule = buildSchedule(config.rooms, [phase], config.seed, startAt);
    let killed = false;
    const run = runSchedule(
      schedule,
      (room, at) => rooms.writers[room]!.write(rooms.logs[room]!.schedule(at)),
      () => killed,
    );
    await sleepUntil(startAt + killAfterMs);
    killed = true;
    await running.server.kill9();
    await run.done;
    await sleep(DRAIN_MS);
    return rooms.logs;
  } finally {
    rooms.close();
  }
}

/** Reads each document from the restarted server: the writer's clock in its state vector. */
async function persistedClocks(running: Running, names: string[]): Promise<number[]> {
  // Filled, not holey: every() and map() skip holes, which would end the wait too early.
  const clocks = new Array<number | undefined>(names.length).fill(undefined);
  const verifiers = names.map(
    (name, r) =>
      new ThinClient(
        running.target,
        name,
        {
          onStep2: (payload) => {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, payload);
            clocks[r] = Y.decodeStateVector(Y.encodeStateVector(doc)).get(1000 + r) ?? 0;
            doc.destroy();
          },
        },
        { requestState: true },
      ),
  );
  try {
    await withTimeout(Promise.all(verifiers.map((v) => v.ready)), VERIFY_TIMEOUT_MS, 'verifiers');
    if (!(await waitFor(() => clocks.every((c) => c !== undefined), VERIFY_TIMEOUT_MS))) {
      throw new Error('verifiers did not receive the documents');
    }
    return clocks as number[];
  } finally {
    for (const verifier of verifiers) verifier.close();
  }
}

export async function runW7(lab: Lab, id: SystemId, config: W7Config): Promise<W7Result> {
  const sqliteFile = id === 'hocuspocus-sqlite' ? lab.newSqliteFile() : undefined;
  const names = lab.rooms(id, 'w7', config.rooms);
  const [minKill, maxKill] = config.killAfterMs;
  // One seeded moment for every system, so they are killed at the same point of the same load.
  const killAfterMs = minKill + mulberry32(config.seed)() * (maxKill - minKill);

  const first = await lab.start(id, sqliteFile ? { sqliteFile } : {});
  let logs: RoomLog[];
  try {
    logs = await typeUntilKilled(first, names, config, killAfterMs);
  } finally {
    await first.server.stop();
  }

  const restartedAt = performance.now();
  const second = await lab.start(id, sqliteFile ? { sqliteFile } : {});
  try {
    const restartMs = performance.now() - restartedAt;
    const clocks = await persistedClocks(second, names);
    const result: W7Result = {
      system: id,
      killAfterMs,
      writesSent: 0,
      echoed: 0,
      persisted: 0,
      lostEchoed: 0,
      roomsWithLoss: 0,
      restartMs,
    };
    logs.forEach((log, r) => {
      const persistedWrites = Math.floor(clocks[r]! / INSERT_CHARS);
      let lost = 0;
      for (let i = 0; i < log.written; i++) if (log.echoed[i] && i >= persistedWrites) lost += 1;
      result.writesSent += log.written;
      result.echoed += log.echoedCount();
      result.persisted += Math.min(persistedWrites, log.written);
      result.lostEchoed += lost;
      if (lost > 0) result.roomsWithLoss += 1;
    });
    return result;
  } finally {
    await second.server.stop();
  }
}
