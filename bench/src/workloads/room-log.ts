/**
 * Per-room bookkeeping for an open-loop run: when each write was scheduled, how many
 * listeners got it, and whether its echo came back. One writer per room means the write index
 * (clock / 30) identifies a write in every frame, so arrival and schedule share one clock
 * (performance.now() in this process) with no synchronisation needed.
 */
import type { WriteSpan } from '../clients/frames.ts';
import { Samples } from '../stats/percentiles.ts';
import type { PhaseWindow } from './schedule.ts';

export class WindowStats {
  /** From the scheduled send time (what a user waits; includes the driver's timer lag). */
  readonly fanout = new Samples();
  readonly echo = new Samples();
  /** From the moment the writer actually sent: the server + network part alone. */
  readonly fanoutFromSend = new Samples();
  readonly window: PhaseWindow;

  constructor(window: PhaseWindow) {
    this.window = window;
  }
}

export class RoomLog {
  readonly scheduled: Float64Array;
  readonly sent: Float64Array;
  readonly deliveries: Uint8Array;
  readonly echoed: Uint8Array;
  written = 0;
  readonly #windows: WindowStats[];

  constructor(capacity: number, windows: WindowStats[]) {
    this.scheduled = new Float64Array(capacity).fill(Number.NaN);
    this.sent = new Float64Array(capacity).fill(Number.NaN);
    this.deliveries = new Uint8Array(capacity);
    this.echoed = new Uint8Array(capacity);
    this.#windows = windows;
  }

  /** Records write `written`, scheduled at `at` and sent now, and returns its index. */
  schedule(at: number): number {
    const index = this.written++;
    this.scheduled[index] = at;
    this.sent[index] = performance.now();
    return index;
  }

  #statsFor(scheduledAt: number): WindowStats | undefined {
    for (const stats of this.#windows) {
      if (scheduledAt >= stats.window.start && scheduledAt < stats.window.end) return stats;
    }
    return undefined;
  }

  fanout(span: WriteSpan, at: number): void {
    const end = Math.min(span.first + span.count, this.written);
    for (let i = span.first; i < end; i++) {
      this.deliveries[i]! += 1;
      const stats = this.#statsFor(this.scheduled[i]!);
      stats?.fanout.push(at - this.scheduled[i]!);
      stats?.fanoutFromSend.push(at - this.sent[i]!);
    }
  }

  echo(span: WriteSpan, at: number): void {
    const end = Math.min(span.first + span.count, this.written);
    for (let i = span.first; i < end; i++) {
      if (this.echoed[i]) continue;
      this.echoed[i] = 1;
      this.#statsFor(this.scheduled[i]!)?.echo.push(at - this.scheduled[i]!);
    }
  }

  /** Whether every write so far reached all `listeners` (and came back, if `echo`). */
  complete(listeners: number, echo: boolean): boolean {
    for (let i = 0; i < this.written; i++) {
      if (this.deliveries[i]! < listeners || (echo && !this.echoed[i])) return false;
    }
    return true;
  }

  /**
   * Counts what never arrived as arriving `now`: a lower bound, so an overloaded server's
   * percentiles are not computed over the lucky frames only.
   */
  recordMissingAsOf(now: number, listeners: number, echo: boolean): void {
    for (let i = 0; i < this.written; i++) {
      const stats = this.#statsFor(this.scheduled[i]!);
      if (!stats) continue;
      for (let n = this.deliveries[i]!; n < listeners; n++) {
        stats.fanout.push(now - this.scheduled[i]!);
        stats.fanoutFromSend.push(now - this.sent[i]!);
      }
      if (echo && !this.echoed[i]) stats.echo.push(now - this.scheduled[i]!);
    }
  }

  /** Deliveries missing for writes scheduled inside `window` (expected `listeners` each). */
  missing(window: PhaseWindow, listeners: number): { expected: number; missing: number; unechoed: number } {
    let expected = 0;
    let missing = 0;
    let unechoed = 0;
    for (let i = 0; i < this.written; i++) {
      const t = this.scheduled[i]!;
      if (t < window.start || t >= window.end) continue;
      expected += listeners;
      missing += Math.max(0, listeners - this.deliveries[i]!);
      unechoed += 1 - this.echoed[i]!;
    }
    return { expected, missing, unechoed };
  }

  echoedCount(): number {
    let n = 0;
    for (let i = 0; i < this.written; i++) n += this.echoed[i]!;
    return n;
  }
}
