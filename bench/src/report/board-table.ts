/**
 * W10's table: a row per system, tablet → board latency (each event at each of its session's
 * two staff sockets) next to the raw relay's, the tablet's ack, and every count a reader needs
 * to trust the row (sent, refused, lost: must be 0). Latencies from the scheduled send.
 */
import type { BoardResult, BoardSystem } from '../workloads/w10-board.ts';
import { driverCell, failureRows, type Outcome } from './tables.ts';
import { int, ms, pct, ratio, table } from './format.ts';

const LABELS: Record<BoardSystem, string> = {
  cairn: 'Cairn',
  raw: 'raw ws relay (tablet → 2 staff + echo)',
};

export function boardTable(outcome: Outcome<BoardResult>): string {
  const raw = outcome.results.find((r) => r.system === 'raw');
  const headers = [
    'System',
    'board p50',
    'p95',
    'p99',
    'max',
    'p99 vs raw',
    'support p99',
    'from send p50',
    'ack p50',
    'ack p99',
    'sent',
    'refused',
    'lost',
    'answer → tablet p99',
    'server CPU (quiet)',
    'server ELD p99',
    'RSS MB',
    'driver CPU / ELD p99; other CPU',
  ];
  const rows = outcome.results.map((r) => {
    const lost = r.counts.lost + r.counts.unanswered;
    const f = (v: number | undefined) => (lost > 0 ? '≥' : '') + ms(v);
    return [
      LABELS[r.system],
      f(r.board.p50),
      f(r.board.p95),
      f(r.board.p99),
      f(r.board.max),
      r.system === 'raw' ? '–' : ratio(r.board.p99, raw?.board.p99),
      f(r.boardSupport.p99),
      f(r.boardFromSend.p50),
      ms(r.ack.p50),
      ms(r.ack.p99),
      int(r.counts.sent),
      int(r.counts.rejected),
      `${int(r.counts.lost)} / ${int(r.counts.expected)}${r.counts.unanswered ? ` (+${int(r.counts.unanswered)} unanswered)` : ''}`,
      r.staffAnswer ? ms(r.staffAnswer.toTablet.p99) : '–',
      `${pct(r.server.cpuPercent)} (${pct(r.server.quietCpuPercent)})`,
      ms(r.server.eldP99Ms),
      int(r.server.rssMb),
      driverCell([{ driver: r.driver, serverCpu: r.server.cpuPercent }]),
    ];
  });
  const first = outcome.results[0];
  const shape = first
    ? `${first.sessions} sessions × (${first.tabletsPerSession} tablets + 2 staff boards), each tablet 1 check-in + 1 support request over ${first.windowMs / 1000} s`
    : 'no result';
  const notes = outcome.results.flatMap((r) => {
    const tally = (counts: Record<string, number>) =>
      Object.entries(counts)
        .map(([why, n]) => `${n}× "${why}"`)
        .join('; ');
    return [
      ...(Object.keys(r.rejections).length > 0
        ? [`${LABELS[r.system]} refused: ${tally(r.rejections)}`]
        : []),
      ...(Object.keys(r.closedByServer).length > 0
        ? [`${LABELS[r.system]} closed sockets: ${tally(r.closedByServer)}`]
        : []),
    ];
  });
  return [
    `W10 board — ${shape} (latencies in ms, target p99 ≤ 250)`,
    '',
    table(headers, [...rows, ...failureRows(outcome.failures, headers.length)]),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}
