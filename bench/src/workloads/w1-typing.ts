/**
 * W1, realistic typing: N rooms × (1 real writer + 13 thin listeners), open-loop Poisson
 * writes at 5/s then 20/s per writer. Fan-out latency at the listeners and echo RTT at the
 * writer (for Cairn the echo is the durable acknowledgement), server CPU and event loop, and
 * server memory per room (RSS and heap growth over the idle server, after forced GC).
 */
import type { Lab } from '../servers/lab.ts';
import { SYSTEMS, type SystemId } from '../servers/systems.ts';
import type { DriverHealth, DriverMonitor } from '../stats/driver-monitor.ts';
import type { Summary } from '../stats/percentiles.ts';
import { WindowStats } from './room-log.ts';
import { buildSchedule, runSchedule, type Phase } from './schedule.ts';
import { connectTypingRooms } from './typing-rooms.ts';
import { MB, sleep, sleepUntil, waitFor } from './util.ts';

/** How long an overloaded server may take to deliver its backlog after the last write. */
const DRAIN_LIMIT_MS = 5000;

export interface W1Config {
  rooms: number;
  listenersPerRoom: number;
  phases: Phase[];
  seed: number;
}

export interface W1Phase {
  rate: number;
  writes: number;
  fanout: Summary;
  fanoutFromSend: Summary;
  echo: Summary | null;
  expectedDeliveries: number;
  /** Deliveries (and echoes) that had not arrived when counted; their latency is a lower bound. */
  missingDeliveries: number;
  missingEchoes: number;
  sendLag: Summary;
  server: { cpuPercent: number; eldP99Ms: number; rssMb: number };
  driver: DriverHealth;
}

export interface W1Result {
  system: SystemId;
  rooms: number;
  connectMs: number;
  phases: W1Phase[];
  memory: { idleRssMb: number; loadedRssMb: number; perRoomKb: number; perRoomHeapKb: number };
}

export async function runW1(
  lab: Lab,
  id: SystemId,
  config: W1Config,
  driver: DriverMonitor,
): Promise<W1Result> {
  const { server, target } = await lab.start(id);
  let rooms: Awaited<ReturnType<typeof connectTypingRooms>> | undefined;
  try {
    const idle = await server.sample({ gc: true });
    // The schedule is laid out relative to "now" once everyone is connected; sized first.
    const probe = buildSchedule(config.rooms, config.phases, config.seed, 0);
    const windows = probe.windows.map((w) => new WindowStats({ ...w }));
    rooms = await connectTypingRooms(target, lab.rooms(id, 'w1', config.rooms), {
      listenersPerRoom: config.listenersPerRoom,
      capacity: probe.maxPerRoom + 1,
      windows,
      seed: config.seed,
    });
    const connected = rooms;

    const schedule = buildSchedule(config.rooms, config.phases, config.seed, performance.now() + 500);
    schedule.windows.forEach((w, i) => Object.assign(windows[i]!.window, w));
    const run = runSchedule(schedule, (room, at) => {
      const index = connected.logs[room]!.schedule(at);
      connected.writers[room]!.write(index);
    });

    // Server and driver health are read at each measured window's edges, while it runs.
    const health: Array<Pick<W1Phase, 'server' | 'driver'>> = [];
    for (const stats of windows) {
      await sleepUntil(stats.window.start);
      const before = await server.sample({ resetEventLoop: true });
      driver.reset();
      await sleepUntil(stats.window.end);
      const driverHealth = driver.read();
      const after = await server.sample();
      const seconds = (stats.window.end - stats.window.start) / 1000;
      health.push({
        server: {
          cpuPercent: (after.cpuMicros - before.cpuMicros) / 1e4 / seconds,
          eldP99Ms: after.eldP99Ms,
          rssMb: after.rss / MB,
        },
        driver: driverHealth,
      });
    }
    await run.done;
    // Let the last frames land; an overloaded server gets a few seconds to work off its queue.
    const echo = SYSTEMS[id].protocol !== 'raw';
    const listeners = config.listenersPerRoom;
    await sleep(200);
    await waitFor(() => connected.logs.every((log) => log.complete(listeners, echo)), DRAIN_LIMIT_MS);
    const countedAt = performance.now();

    for (const log of connected.logs) log.recordMissingAsOf(countedAt, listeners, echo);
    const phases = windows.map((stats, i): W1Phase => {
      let expected = 0;
      let missing = 0;
      let unechoed = 0;
      for (const log of connected.logs) {
        const counted = log.missing(stats.window, listeners);
        expected += counted.expected;
        missing += counted.missing;
        unechoed += counted.unechoed;
      }
      return {
        rate: stats.window.rate,
        writes: expected / listeners,
        fanout: stats.fanout.summary(),
        fanoutFromSend: stats.fanoutFromSend.summary(),
        echo: echo ? stats.echo.summary() : null,
        expectedDeliveries: expected,
        missingDeliveries: missing,
        missingEchoes: echo ? unechoed : 0,
        sendLag: run.lag.summary(),
        ...health[i]!,
      };
    });
    const loaded = await server.sample({ gc: true });
    return {
      system: id,
      rooms: config.rooms,
      connectMs: connected.connectMs,
      phases,
      memory: {
        idleRssMb: idle.rss / MB,
        loadedRssMb: loaded.rss / MB,
        perRoomKb: (loaded.rss - idle.rss) / 1024 / config.rooms,
        perRoomHeapKb: (loaded.heapUsed - idle.heapUsed) / 1024 / config.rooms,
      },
    };
  } finally {
    rooms?.close();
    await server.stop();
  }
}
