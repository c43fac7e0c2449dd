/**
 * The board workload's bookkeeping. Every tablet sends exactly one check-in and one support
 * request, so (session, tablet, kind) names a command everywhere: in its id, and on a staff
 * socket by the event's type and participant. Send, ack and each staff socket's arrival share
 * one process clock (performance.now()), as in W1, so no clock synchronisation is needed.
 */
import { mulberry32 } from '../stats/prng.ts';
import { Samples } from '../stats/percentiles.ts';
import type { Schedule } from './schedule.ts';

export const KINDS = ['checkin', 'support'] as const;
export type BoardKind = (typeof KINDS)[number];
export const STAFF_PER_SESSION = 2;

/** The event a staff socket receives for each kind of tablet command. */
export const EVENT_OF_KIND: Record<BoardKind, string> = {
  checkin: 'checkin.submitted',
  support: 'support.requested',
};

export class BoardLog {
  readonly tablets: number;
  readonly scheduled: Float64Array;
  readonly sent: Float64Array;
  readonly answered: Uint8Array;
  readonly arrivals: Uint8Array;
  rejected = 0;
  duplicates = 0;
  readonly rejections = new Map<string, number>();
  /** From the scheduled send (what a person waits, driver timer lag included), by kind. */
  readonly board = { checkin: new Samples(), support: new Samples() };
  /** From the moment the tablet actually sent: the server + loopback part alone. */
  readonly boardFromSend = new Samples();
  readonly ack = new Samples();
  /** A staff board's "I'm coming" (support.acknowledge sent) → the tablet sees it. */
  readonly staffAckSentAt: Float64Array;
  readonly staffAckSeen: Uint8Array;
  readonly staffAckToTablet = new Samples();
  staffAcksSent = 0;
  staffAcksRefused = 0;

  constructor(sessions: number, tabletsPerSession: number) {
    this.tablets = sessions * tabletsPerSession;
    const commands = this.tablets * KINDS.length;
    this.scheduled = new Float64Array(commands).fill(Number.NaN);
    this.sent = new Float64Array(commands).fill(Number.NaN);
    this.answered = new Uint8Array(commands);
    this.arrivals = new Uint8Array(commands);
    this.staffAckSentAt = new Float64Array(this.tablets).fill(Number.NaN);
    this.staffAckSeen = new Uint8Array(this.tablets);
  }

  static command(tablet: number, kind: BoardKind): number {
    return tablet * KINDS.length + KINDS.indexOf(kind);
  }

  static kindOf(command: number): BoardKind {
    return KINDS[command % KINDS.length]!;
  }

  /** An id the server accepts (8–64 of [A-Za-z0-9_-]) that names the command. */
  static idOf(command: number): string {
    return `board-${String(command).padStart(6, '0')}`;
  }

  static commandOfId(id: string): number | undefined {
    const n = id.startsWith('board-') ? Number(id.slice(6)) : Number.NaN;
    return Number.isInteger(n) ? n : undefined;
  }

  sending(command: number, scheduledAt: number): void {
    this.scheduled[command] = scheduledAt;
    this.sent[command] = performance.now();
  }

  /** Staff socket `staff` (0 or 1) of the session received the command's event. */
  arrived(command: number, staff: number, at: number): void {
    const bit = 1 << staff;
    if (this.arrivals[command]! & bit || Number.isNaN(this.scheduled[command]!)) {
      this.duplicates += 1;
      return;
    }
    this.arrivals[command]! |= bit;
    this.board[BoardLog.kindOf(command)].push(at - this.scheduled[command]!);
    this.boardFromSend.push(at - this.sent[command]!);
  }

  acked(command: number, at: number): void {
    if (this.answered[command]) return;
    this.answered[command] = 1;
    this.ack.push(at - this.scheduled[command]!);
  }

  refused(command: number, reason: string, message: string | undefined): void {
    if (this.answered[command]) return;
    this.answered[command] = 2;
    this.rejected += 1;
    const key = `${reason}${message ? `: ${message}` : ''}`.slice(0, 120);
    this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
  }

  staffAckSending(tablet: number): void {
    this.staffAckSentAt[tablet] = performance.now();
    this.staffAcksSent += 1;
  }

  /** The tablet saw support.acknowledged for its request. */
  staffAckArrived(tablet: number, at: number): void {
    if (this.staffAckSeen[tablet] || Number.isNaN(this.staffAckSentAt[tablet]!)) return;
    this.staffAckSeen[tablet] = 1;
    this.staffAckToTablet.push(at - this.staffAckSentAt[tablet]!);
  }

  staffAckRefused(tablet: number): void {
    if (this.staffAckSeen[tablet]) return;
    this.staffAckSeen[tablet] = 2;
    this.staffAcksRefused += 1;
  }

  /** Whether every sent command was answered and every accepted one reached both boards. */
  complete(): boolean {
    const both = (1 << STAFF_PER_SESSION) - 1;
    for (let i = 0; i < this.sent.length; i++) {
      if (Number.isNaN(this.sent[i]!)) continue;
      if (this.answered[i] === 0 || (this.answered[i] === 1 && this.arrivals[i] !== both)) return false;
    }
    for (let t = 0; t < this.tablets; t++) {
      if (!Number.isNaN(this.staffAckSentAt[t]!) && this.staffAckSeen[t] === 0) return false;
    }
    return true;
  }

  /** Up to `max` sent commands with neither ack nor refusal. */
  unanswered(max: number): number[] {
    const found: number[] = [];
    for (let i = 0; i < this.sent.length && found.length < max; i++) {
      if (!Number.isNaN(this.sent[i]!) && this.answered[i] === 0) found.push(i);
    }
    return found;
  }

  counts() {
    let sent = 0;
    let acked = 0;
    let delivered = 0;
    let unanswered = 0;
    for (let i = 0; i < this.sent.length; i++) {
      if (Number.isNaN(this.sent[i]!)) continue;
      sent += 1;
      if (this.answered[i] === 1) acked += 1;
      if (this.answered[i] === 0) unanswered += 1;
      for (let staff = 0; staff < STAFF_PER_SESSION; staff++)
        if (this.arrivals[i]! & (1 << staff)) delivered += 1;
    }
    // A refused command has no event to deliver; every other one owes one to each staff socket.
    const expected = (sent - this.rejected) * STAFF_PER_SESSION;
    return {
      sent,
      acked,
      rejected: this.rejected,
      unanswered,
      expected,
      delivered,
      lost: expected - delivered,
    };
  }
}

/**
 * Each tablet's two sends at independent, seeded, uniformly jittered moments over the window
 * (open loop: the times are fixed before the run; latency counts from them).
 */
export function boardSchedule(tablets: number, windowMs: number, seed: number, startAt: number): Schedule {
  const times: number[] = [];
  const commands: number[] = [];
  for (let tablet = 0; tablet < tablets; tablet++) {
    const random = mulberry32(seed + tablet * 7919);
    for (const kind of KINDS) {
      times.push(startAt + random() * windowMs);
      commands.push(BoardLog.command(tablet, kind));
    }
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  return {
    times: Float64Array.from(order, (i) => times[i]!),
    rooms: Uint32Array.from(order, (i) => commands[i]!),
    windows: [{ rate: 0, start: startAt, end: startAt + windowMs }],
    end: startAt + windowMs,
    maxPerRoom: KINDS.length,
  };
}
