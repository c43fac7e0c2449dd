/**
 * The driver's own health during a measurement window. On the 2-core box the server and this
 * load generator get a core each; if the driver is busy (CPU ≥ 85%) or its event loop lags
 * (p99 ≥ 5 ms), timestamps are late and the numbers describe the driver, not the server.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MachineLoad } from './machine-load.ts';

export const DRIVER_CPU_LIMIT = 85;
export const DRIVER_ELD_P99_LIMIT_MS = 5;

export interface DriverHealth {
  cpuPercent: number;
  eldP99Ms: number;
  eldMaxMs: number;
  valid: boolean;
  /** The whole machine's CPU in the window (% of one core): server + driver + anything else. */
  machineCpuPercent: number;
  /** CPU the hypervisor took from this VM in the window (% of one core). */
  stealPercent: number;
}

const RESOLUTION_MS = 1;

export class DriverMonitor {
  readonly #eld = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  #cpu = process.cpuUsage();
  #wall = performance.now();
  readonly #machine = new MachineLoad();

  constructor() {
    this.#eld.enable();
  }

  /** Starts a new window. */
  reset(): void {
    this.#eld.reset();
    this.#cpu = process.cpuUsage();
    this.#wall = performance.now();
    this.#machine.reset();
  }

  read(): DriverHealth {
    const cpu = process.cpuUsage(this.#cpu);
    const wallMs = performance.now() - this.#wall;
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(wallMs, 1)) * 100;
    // The histogram measures how late a 1 ms timer fires; subtract the period itself.
    const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const eldP99Ms = this.#eld.count > 0 ? late(this.#eld.percentile(99)) : 0;
    const eldMaxMs = this.#eld.count > 0 ? late(this.#eld.max) : 0;
    return {
      cpuPercent,
      eldP99Ms,
      eldMaxMs,
      valid: cpuPercent < DRIVER_CPU_LIMIT && eldP99Ms < DRIVER_ELD_P99_LIMIT_MS,
      machineCpuPercent: this.#machine.percent(),
      stealPercent: this.#machine.stealPercent(),
    };
  }

  stop(): void {
    this.#eld.disable();
  }
}
