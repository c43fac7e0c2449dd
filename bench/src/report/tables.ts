/**
 * One table per workload, a row per system, each next to the system's durability guarantee
 * and the driver's validity verdict for that run (⚠ = the driver was the bottleneck: CPU ≥
 * 85% or event-loop p99 ≥ 5 ms, so the row describes the load generator as much as the server;
 * "other … ⚠" = processes outside the bench took over 25% of a core meanwhile).
 */
import { SYSTEMS, type SystemId } from '../servers/systems.ts';
import type { DriverHealth } from '../stats/driver-monitor.ts';
import type { W1Result } from '../workloads/w1-typing.ts';
import type { W2Result } from '../workloads/w2-saturation.ts';
import type { W3Result } from '../workloads/w3-cold-sync.ts';
import type { W7Result } from '../workloads/w7-durability.ts';
import { delta, int, ms, pct, ratio, table } from './format.ts';

export interface Failure {
  system: SystemId;
  error: string;
}

export interface Outcome<T> {
  results: T[];
  failures: Failure[];
}

/** Other processes using more than this share of a core during a window make it noisy. */
const OTHER_CPU_LIMIT = 25;
/** So does a hypervisor taking more than this share of a core from the VM (shared hosts). */
const STEAL_LIMIT = 10;

/**
 * The driver's verdict (ok or ⚠ by the 85% / 5 ms rule, worst window shown), the CPU that
 * neither the server nor the driver used ("other": the machine's total minus both) and, when
 * there was any, the CPU the hypervisor took from the VM ("steal").
 */
export function driverCell(windows: Array<{ driver: DriverHealth; serverCpu: number }>): string {
  const worstCpu = Math.max(...windows.map((w) => w.driver.cpuPercent));
  const worstEld = Math.max(...windows.map((w) => w.driver.eldP99Ms));
  const other = Math.max(
    ...windows.map((w) => w.driver.machineCpuPercent - w.driver.cpuPercent - w.serverCpu),
  );
  const steal = Math.max(...windows.map((w) => w.driver.stealPercent ?? Number.NaN));
  const valid = windows.every((w) => w.driver.valid);
  const busy = other > OTHER_CPU_LIMIT ? ' ⚠' : '';
  const otherText = Number.isFinite(other) ? `; other ${Math.max(0, other).toFixed(0)}%${busy}` : '';
  const stealText =
    Number.isFinite(steal) && steal >= 1
      ? `; steal ${steal.toFixed(0)}%${steal > STEAL_LIMIT ? ' ⚠' : ''}`
      : '';
  return `${valid ? 'ok' : '⚠'} ${worstCpu.toFixed(0)}% / ${worstEld.toFixed(1)} ms${otherText}${stealText}`;
}

export function failureRows(failures: Failure[], width: number): string[][] {
  return failures.map((f) => [
    SYSTEMS[f.system].label,
    `failed: ${f.error.slice(0, 80)}`,
    ...new Array<string>(width - 2).fill(''),
  ]);
}

export function w1Tables(outcome: Outcome<W1Result>): string {
  const raw = outcome.results.find((r) => r.system === 'raw');
  const rates = outcome.results[0]?.phases.map((p) => p.rate) ?? [];
  const headers = [
    'System',
    'fan-out p50',
    'p90',
    'p99',
    'max',
    'p50 vs raw',
    'p99 vs raw',
    'from send p50',
    'echo p50',
    'echo p99',
    'missing',
    'server CPU',
    'server ELD p99',
    'RSS MB',
    'RSS/room KB',
    'heap/room KB',
    'durability',
    'driver CPU / ELD p99; other CPU',
  ];
  return rates
    .map((rate, i) => {
      const base = raw?.phases[i];
      const rows = outcome.results.map((r) => {
        const p = r.phases[i]!;
        // Frames that never came were counted as arriving at the end: figures are lower bounds.
        const f = (v: number) => (p.missingDeliveries > 0 ? '≥' : '') + ms(v);
        const e = (v: number | undefined) => (p.missingEchoes > 0 ? '≥' : '') + ms(v);
        return [
          SYSTEMS[r.system].label,
          f(p.fanout.p50),
          f(p.fanout.p90),
          f(p.fanout.p99),
          f(p.fanout.max),
          r.system === 'raw' ? '–' : delta(p.fanout.p50, base?.fanout.p50),
          r.system === 'raw' ? '–' : ratio(p.fanout.p99, base?.fanout.p99),
          f(p.fanoutFromSend.p50),
          e(p.echo?.p50),
          e(p.echo?.p99),
          `${int(p.missingDeliveries)} / ${int(p.expectedDeliveries)}`,
          pct(p.server.cpuPercent),
          ms(p.server.eldP99Ms),
          int(p.server.rssMb),
          int(r.memory.perRoomKb),
          int(r.memory.perRoomHeapKb),
          SYSTEMS[r.system].durability,
          driverCell([{ driver: p.driver, serverCpu: p.server.cpuPercent }]),
        ];
      });
      const rooms = outcome.results[0]?.rooms ?? 0;
      return [
        `W1 realistic typing at ${rate} updates/s per writer — ${rooms} rooms × 14 sockets (latencies in ms)`,
        '',
        table(headers, [...rows, ...failureRows(outcome.failures, headers.length)]),
      ].join('\n');
    })
    .join('\n\n');
}

export function w2Table(outcome: Outcome<W2Result>): string {
  const raw = outcome.results.find((r) => r.system === 'raw');
  const counts = outcome.results[0]?.points.map((p) => p.rooms) ?? [];
  const headers = [
    'System',
    ...counts.map((n) => `N=${n} updates/s (vs raw)`),
    ...counts.map((n) => `CPU N=${n}`),
    `ack p50 N=${counts.at(-1) ?? ''}`,
    'durability',
    'driver CPU / ELD p99; other CPU',
  ];
  const rows = outcome.results.map((r) => [
    SYSTEMS[r.system].label,
    ...r.points.map((p, i) => {
      const cut = p.exhausted ? '*' : '';
      return `${int(p.updatesPerSecond)}${cut} (${ratio(p.updatesPerSecond, raw?.points[i]?.updatesPerSecond)})`;
    }),
    ...r.points.map((p) => pct(p.server.cpuPercent)),
    ms(r.points.at(-1)?.ackLatency.p50),
    SYSTEMS[r.system].durability,
    driverCell(r.points.map((p) => ({ driver: p.driver, serverCpu: p.server.cpuPercent }))),
  ]);
  const window = outcome.results[0]?.window ?? 0;
  return [
    `W2 saturation — closed loop, ${window} outstanding per writer, 13 listeners per room (* = ran out of pre-encoded updates early)`,
    '',
    table(headers, [...rows, ...failureRows(outcome.failures, headers.length)]),
  ].join('\n');
}

export function w3Table(outcome: Outcome<W3Result>, applyMs: number, encodeMs: number): string {
  const raw = outcome.results.find((r) => r.system === 'raw');
  const headers = [
    'System',
    'mode',
    '1 joiner ms',
    '14 joiners p50 ms',
    '14 joiners max ms',
    '1 vs raw',
    '14 max vs raw',
    'server CPU ms (1 / 14)',
    'bytes',
    'state verified',
    'durability',
  ];
  const rows = outcome.results.map((r) => {
    const [one, many] = r.cases;
    const [rawOne, rawMany] = raw?.cases ?? [];
    return [
      SYSTEMS[r.system].label,
      r.mode,
      ms(one?.times.p50),
      ms(many?.times.p50),
      ms(many?.times.max),
      r.system === 'raw' ? '–' : ratio(one?.times.p50, rawOne?.times.p50),
      r.system === 'raw' ? '–' : ratio(many?.times.max, rawMany?.times.max),
      `${ms(one?.serverCpuMs)} / ${ms(many?.serverCpuMs)}`,
      int(one?.bytes),
      r.cases.every((c) => c.verified) ? 'yes' : 'NO',
      SYSTEMS[r.system].durability,
    ];
  });
  return [
    `W3 1 MB sync — open → whole document received (a real client adds ${ms(applyMs)} ms to apply it; encoding it costs a server ${ms(encodeMs)} ms)`,
    '',
    table(headers, [...rows, ...failureRows(outcome.failures, headers.length)]),
  ].join('\n');
}

export function w7Table(outcome: Outcome<W7Result>): string {
  const headers = [
    'System',
    'kill -9 after',
    'writes sent',
    'echoed',
    'persisted',
    'echoed but lost',
    'rooms with loss',
    'restart ms',
    'durability',
  ];
  const rows = outcome.results.map((r) => [
    SYSTEMS[r.system].label,
    `${(r.killAfterMs / 1000).toFixed(2)} s`,
    int(r.writesSent),
    int(r.echoed),
    int(r.persisted),
    `${int(r.lostEchoed)} (${pct((r.lostEchoed / Math.max(1, r.echoed)) * 100)})`,
    int(r.roomsWithLoss),
    int(r.restartMs),
    SYSTEMS[r.system].durability,
  ]);
  rows.push([SYSTEMS.raw.label, 'n/a: holds no document', '', '', '', '', '', '', SYSTEMS.raw.durability]);
  return [
    'W7 durability — kill -9 during typing, clients die too, restart, look for every echoed write',
    '',
    table(headers, [...rows, ...failureRows(outcome.failures, headers.length)]),
  ].join('\n');
}
