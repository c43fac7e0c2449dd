/**
 * W2, saturation: a closed loop per room. One writer keeps `window` updates outstanding and
 * sends the next as each is acknowledged, N ∈ {1, 10, 100} rooms with 13 thin listeners
 * each. The acknowledgement is the server's echo to the writer (for Cairn: after the commit);
 * the raw baseline echoes nothing, so there a write counts once all 13 listeners have it.
 * Writers send pre-encoded updates (same typist as W1), so the driver does no Yjs work.
 */
import { ThinClient } from '../clients/thin-client.ts';
import { SYNC_UPDATE, ywsSyncFrame, type WriteSpan } from '../clients/frames.ts';
import type { Lab } from '../servers/lab.ts';
import type { SystemId, Target } from '../servers/systems.ts';
import type { DriverHealth, DriverMonitor } from '../stats/driver-monitor.ts';
import { Samples, type Summary } from '../stats/percentiles.ts';
import { inBatches, waitFor } from './util.ts';

export interface W2Config {
  roomCounts: number[];
  listenersPerRoom: number;
  window: number;
  warmupMs: number;
  measureMs: number;
  /** Updates available per room (Cairn caps a clinician note at 2 MiB). */
  poolSize: number;
}

export interface W2Point {
  rooms: number;
  updatesPerSecond: number;
  measuredMs: number;
  /** A room ran out of pre-encoded updates, so the window was cut short. */
  exhausted: boolean;
  ackLatency: Summary;
  server: { cpuPercent: number; eldP99Ms: number };
  driver: DriverHealth;
}

export interface W2Result {
  system: SystemId;
  window: number;
  points: W2Point[];
}

/** What every room shares: the typed updates and their y-websocket frames. */
export interface UpdatePool {
  updates: Uint8Array[];
  ywsFrames: Uint8Array[];
}

export function framePool(updates: Uint8Array[]): UpdatePool {
  return { updates, ywsFrames: updates.map((u) => ywsSyncFrame(SYNC_UPDATE, u)) };
}

interface Measure {
  running: boolean;
  start: number;
  end: number;
  acked: number;
  latency: Samples;
  exhaustedAt: number;
}

class ClosedLoopRoom {
  readonly writer: ThinClient;
  readonly listeners: ThinClient[] = [];
  next = 0;
  inFlight = 0;
  readonly #sentAt: Float64Array;
  readonly #done: Uint8Array;
  readonly #delivered: Uint8Array;
  readonly #send: (index: number) => void;

  constructor(
    target: Target,
    room: string,
    pool: UpdatePool,
    options: { listeners: number; window: number; measure: Measure },
  ) {
    const { listeners, window, measure } = options;
    const size = pool.updates.length;
    this.#sentAt = new Float64Array(size);
    this.#done = new Uint8Array(size);
    this.#delivered = new Uint8Array(size);
    const viaFanout = target.spec.protocol === 'raw';
    const ack = (span: WriteSpan, at: number) => {
      for (let i = span.first; i < Math.min(span.first + span.count, this.next); i++) {
        if (this.#done[i]) continue;
        this.#done[i] = 1;
        this.inFlight -= 1;
        if (at >= measure.start && at < measure.end) {
          measure.acked += 1;
          measure.latency.push(at - this.#sentAt[i]!);
        }
      }
      this.pump(window, measure);
    };
    this.writer = new ThinClient(target, room, viaFanout ? {} : { onUpdate: ack });
    const hocuspocus = target.spec.protocol === 'hocuspocus';
    this.#send = (index) =>
      this.writer.socket.send(
        hocuspocus ? this.writer.updateFrame(pool.updates[index]!) : pool.ywsFrames[index]!,
      );
    for (let l = 0; l < listeners; l++) {
      const onUpdate = viaFanout
        ? (span: WriteSpan, at: number) => {
            for (let i = span.first; i < Math.min(span.first + span.count, this.next); i++) {
              if (++this.#delivered[i]! === listeners) ack({ ...span, first: i, count: 1 }, at);
            }
          }
        : undefined;
      this.listeners.push(new ThinClient(target, room, onUpdate ? { onUpdate } : {}));
    }
  }

  get ready(): Promise<unknown> {
    return Promise.all([this.writer.ready, ...this.listeners.map((l) => l.ready)]);
  }

  pump(window: number, measure: Measure): void {
    while (measure.running && this.inFlight < window && this.next < this.#sentAt.length) {
      const index = this.next++;
      this.#sentAt[index] = performance.now();
      this.inFlight += 1;
      this.#send(index);
      if (this.next === this.#sentAt.length)
        measure.exhaustedAt = Math.min(measure.exhaustedAt, performance.now());
    }
  }

  close(): void {
    this.writer.close();
    for (const listener of this.listeners) listener.close();
  }
}

async function runPoint(
  lab: Lab,
  id: SystemId,
  target: Target,
  server: Awaited<ReturnType<Lab['start']>>['server'],
  rooms: number,
  pool: UpdatePool,
  config: W2Config,
  driver: DriverMonitor,
): Promise<W2Point> {
  const measure: Measure = {
    running: false,
    start: Infinity,
    end: Infinity,
    acked: 0,
    latency: new Samples(),
    exhaustedAt: Infinity,
  };
  const names = lab.rooms(id, `w2-${rooms}`, rooms);
  const loops: ClosedLoopRoom[] = [];
  try {
    await inBatches(names, 10, async (name) => {
      const loop = new ClosedLoopRoom(target, name, pool, {
        listeners: config.listenersPerRoom,
        window: config.window,
        measure,
      });
      loops.push(loop);
      await loop.ready;
    });
    measure.running = true;
    measure.start = performance.now() + config.warmupMs;
    measure.end = measure.start + config.measureMs;
    for (const loop of loops) loop.pump(config.window, measure);
    await waitFor(() => performance.now() >= measure.start, config.warmupMs + 1000, 5);
    const before = await server.sample({ resetEventLoop: true });
    driver.reset();
    await waitFor(
      () => performance.now() >= measure.end || measure.exhaustedAt < measure.end,
      config.measureMs + 1000,
      5,
    );
    const end = Math.min(performance.now(), measure.end);
    measure.end = end; // acks after this moment no longer count
    measure.running = false;
    const health = driver.read();
    const after = await server.sample();
    await waitFor(() => loops.every((l) => l.inFlight <= 0), 3000);
    const measuredMs = end - measure.start;
    return {
      rooms,
      updatesPerSecond: measure.acked / (measuredMs / 1000),
      measuredMs,
      exhausted: measure.exhaustedAt < Infinity,
      ackLatency: measure.latency.summary(),
      server: {
        cpuPercent: (after.cpuMicros - before.cpuMicros) / 10 / measuredMs,
        eldP99Ms: after.eldP99Ms,
      },
      driver: health,
    };
  } finally {
    for (const loop of loops) loop.close();
  }
}

export async function runW2(
  lab: Lab,
  id: SystemId,
  config: W2Config,
  pool: UpdatePool,
  driver: DriverMonitor,
): Promise<W2Result> {
  const { server, target } = await lab.start(id);
  try {
    const points: W2Point[] = [];
    for (const rooms of config.roomCounts) {
      points.push(await runPoint(lab, id, target, server, rooms, pool, config, driver));
    }
    return { system: id, window: config.window, points };
  } finally {
    await server.stop();
  }
}
