/**
 * Open-loop load: every write's send time is fixed before the run (Poisson arrivals per room,
 * seeded), and latency is measured from that *scheduled* time. A slow server then shows up as
 * latency instead of silently lowering the offered load (coordinated omission).
 */
import { mulberry32, poissonGapMs } from '../stats/prng.ts';
import { Samples } from '../stats/percentiles.ts';

export interface Phase {
  /** Writes per second per writer. */
  rate: number;
  warmupMs: number;
  measureMs: number;
}

/** Where a phase's measured writes were scheduled (absolute performance.now() ms). */
export interface PhaseWindow {
  rate: number;
  start: number;
  end: number;
}

export interface Schedule {
  /** Sorted send times and the room of each. */
  times: Float64Array;
  rooms: Uint32Array;
  windows: PhaseWindow[];
  end: number;
  /** The most writes any single room gets. */
  maxPerRoom: number;
}

export function buildSchedule(roomCount: number, phases: Phase[], seed: number, startAt: number): Schedule {
  const times: number[] = [];
  const rooms: number[] = [];
  const windows: PhaseWindow[] = [];
  let maxPerRoom = 0;
  let phaseStart = startAt;
  const perRoom = new Array<number>(roomCount).fill(0);
  for (const [p, phase] of phases.entries()) {
    const phaseEnd = phaseStart + phase.warmupMs + phase.measureMs;
    windows.push({ rate: phase.rate, start: phaseStart + phase.warmupMs, end: phaseEnd });
    for (let room = 0; room < roomCount; room++) {
      const random = mulberry32(seed + room * 7919 + p * 104729);
      for (
        let t = phaseStart + random() * (1000 / phase.rate);
        t < phaseEnd;
        t += poissonGapMs(random, phase.rate)
      ) {
        times.push(t);
        rooms.push(room);
        perRoom[room]! += 1;
      }
    }
    phaseStart = phaseEnd;
  }
  for (const n of perRoom) maxPerRoom = Math.max(maxPerRoom, n);
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  return {
    times: Float64Array.from(order, (i) => times[i]!),
    rooms: Uint32Array.from(order, (i) => rooms[i]!),
    windows,
    end: phaseStart,
    maxPerRoom,
  };
}

/**
 * Fires each scheduled event from one timer chain (one timer at a time, not one per write).
 * `lag` records how late the driver fired each event: that lateness is inside every latency
 * figure, equally for every system. Stops at the end of the schedule or when `stop()` says so.
 */
export function runSchedule(
  schedule: Schedule,
  fire: (room: number, scheduledAt: number) => void,
  stop: () => boolean = () => false,
): { done: Promise<void>; lag: Samples } {
  const lag = new Samples();
  const { times, rooms } = schedule;
  let next = 0;
  const done = new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < times.length && times[next]! <= now && !stop()) {
        lag.push(now - times[next]!);
        fire(rooms[next]!, times[next]!);
        next += 1;
      }
      if (next >= times.length || stop()) return resolve();
      setTimeout(tick, Math.max(0, times[next]! - performance.now()));
    };
    setTimeout(tick, Math.max(0, (times[0] ?? 0) - performance.now()));
  });
  return { done, lag };
}
