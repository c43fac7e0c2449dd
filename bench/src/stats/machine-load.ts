/**
 * How busy the whole machine was (all cores, from /proc/stat), so a window in which some
 * other process (a test suite, a build) took CPU from the server or the driver is visible
 * instead of being read as the server's fault. Linux only; elsewhere it reads as NaN.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

interface Jiffies {
  busy: number;
  total: number;
  /** Time the hypervisor gave this VM's CPUs to someone else while they had work. */
  steal: number;
}

function readJiffies(): Jiffies | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - fields[3]! - fields[4]!, total, steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

export class MachineLoad {
  #start = readJiffies();

  reset(): void {
    this.#start = readJiffies();
  }

  /** CPU used on the whole machine since reset, in % of one core (2 cores busy = 200%). */
  percent(): number {
    return this.#share((jiffies) => jiffies.busy);
  }

  /**
   * CPU the hypervisor took from this VM since reset, in % of one core. On a shared host it
   * slows server and driver alike without showing in any process's CPU time.
   */
  stealPercent(): number {
    return this.#share((jiffies) => jiffies.steal);
  }

  #share(pick: (jiffies: Jiffies) => number): number {
    const end = readJiffies();
    if (!end || !this.#start || end.total === this.#start.total) return Number.NaN;
    return ((pick(end) - pick(this.#start)) / (end.total - this.#start.total)) * availableParallelism() * 100;
  }
}
