/**
 * The browser's (and tests') side of a session event stream: one socket that reconnects by
 * itself, resumes with `since = last seq seen`, hands each event over exactly once in seq
 * order, and keeps every command until the server acknowledged it — resending it, with the
 * same id, after each reconnect. The server applies an id once, so a retry is always safe.
 */
import {
  commandIdSchema,
  encodeStreamMessage,
  parseServerStreamMessage,
  type CommandRefusal,
  type StreamCommand,
  type StreamEvent,
} from './stream-messages.ts';
import { CLOSE_CODES } from './protocol.ts';

/** The part of the WebSocket API this client uses (the browser's, or `ws` in Node). */
export interface StreamSocket {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type StreamStatus =
  /** Opening or re-opening the socket. */
  | 'connecting'
  /** Replaying what was missed. */
  | 'catching_up'
  /** Up to date; new events arrive as they happen. */
  | 'live'
  /** Lost the connection; retrying. Commands wait in the outbox. */
  | 'offline'
  /** The session ended (sign-out, expiry, revocation): nothing more until signing in again. */
  | 'signed_out'
  /** The server refused this client (bad frames, or no access): retrying would not help. */
  | 'refused'
  | 'closed';

export class CommandRefused extends Error {
  readonly reason: CommandRefusal | 'signed_out' | 'closed';
  /** For `not_allowed`: the server's sentence saying why, to show as it is. */
  readonly explanation: string | null;
  constructor(reason: CommandRefusal | 'signed_out' | 'closed', explanation: string | null = null) {
    super(`Command not applied: ${reason}.`);
    this.name = 'CommandRefused';
    this.reason = reason;
    this.explanation = explanation;
  }
}

export interface StreamClientOptions {
  /** `ws(s)://host/ws/stream/<streamId>`. */
  url: string;
  /** Opens a socket; the default is the global WebSocket. */
  connect?: (url: string) => StreamSocket;
  /** The last seq this client already holds (0 for a fresh start). */
  since?: number;
  onEvent: (event: StreamEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Makes command ids; the default is `crypto.randomUUID()`. */
  newId?: () => string;
}

interface Outgoing {
  id: string;
  command: StreamCommand;
  /** What every `send` of this id waits on (a second send of a waiting id joins the first). */
  answer: Promise<{ seq: number; duplicate: boolean }>;
  resolve: (ack: { seq: number; duplicate: boolean }) => void;
  reject: (error: CommandRefused) => void;
}

export class StreamClient {
  #lastSeq: number;
  #status: StreamStatus = 'connecting';
  #socket: StreamSocket | null = null;
  #attempts = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #outbox = new Map<string, Outgoing>();
  readonly #options: StreamClientOptions;

  constructor(options: StreamClientOptions) {
    this.#options = options;
    this.#lastSeq = options.since ?? 0;
    this.#open();
  }

  /** The seq of the last event handed over: what to resume from. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get status(): StreamStatus {
    return this.#status;
  }

  /** Commands sent or waiting to be, not yet acknowledged. */
  get pending(): number {
    return this.#outbox.size;
  }

  /**
   * Sends a command; resolves once its event is committed (`seq`), however many reconnects
   * that takes. Pass `id` to retry a command made earlier (e.g. kept across a reload).
   */
  send(command: StreamCommand, id = this.#newId()): Promise<{ seq: number; duplicate: boolean }> {
    if (this.#status === 'closed' || this.#status === 'signed_out' || this.#status === 'refused') {
      return Promise.reject(new CommandRefused(this.#status === 'signed_out' ? 'signed_out' : 'closed'));
    }
    // The server closes a socket that sends a malformed id: refuse it here instead.
    if (!commandIdSchema.safeParse(id).success) return Promise.reject(new CommandRefused('bad_command'));
    const waiting = this.#outbox.get(id);
    if (waiting) return waiting.answer;
    let settle!: Pick<Outgoing, 'resolve' | 'reject'>;
    const answer = new Promise<{ seq: number; duplicate: boolean }>((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.#outbox.set(id, { id, command, answer, ...settle });
    if (this.#status === 'catching_up' || this.#status === 'live') this.#transmit(id, command);
    return answer;
  }

  close(): void {
    this.#stop('closed', 'closed');
  }

  /**
   * The device says its network is gone (a browser's `offline` event). A socket over a dead
   * link is noticed only when TCP gives up, minutes later, and meanwhile the screen would say
   * "live" and a tap would wait on a socket that goes nowhere: drop it now, say so, and keep
   * trying. Unacknowledged commands stay in the outbox and go again, with their ids.
   */
  networkLost(): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = null;
    // Whatever the abandoned socket still says is not heard: the new one resumes from lastSeq.
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close(1000, 'network lost');
    this.#reconnectLater();
  }

  /** The network is back (a browser's `online` event): reconnect now, not after the backoff. */
  networkBack(): void {
    if (this.#socket || this.#status !== 'offline') return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#attempts = 0;
    this.#open();
  }

  #newId(): string {
    return this.#options.newId?.() ?? crypto.randomUUID();
  }

  #setStatus(status: StreamStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }

  #transmit(id: string, command: StreamCommand): void {
    this.#socket?.send(encodeStreamMessage({ type: 'command', id, command }));
  }

  #open(): void {
    this.#setStatus(this.#attempts === 0 ? 'connecting' : 'offline');
    const connect = this.#options.connect ?? ((url) => new WebSocket(url) as unknown as StreamSocket);
    const socket = connect(this.#options.url);
    this.#socket = socket;
    socket.onopen = () => {
      socket.send(encodeStreamMessage({ type: 'hello', since: this.#lastSeq }));
      this.#setStatus('catching_up');
      // Everything not yet acknowledged goes again, in the order it was made, with its id.
      for (const { id, command } of this.#outbox.values()) this.#transmit(id, command);
    };
    socket.onmessage = ({ data }) => {
      if (typeof data !== 'string') return;
      const message = parseServerStreamMessage(data);
      if (!message) return;
      switch (message.type) {
        case 'welcome':
          return;
        case 'live':
          this.#attempts = 0;
          return this.#setStatus('live');
        case 'events':
          for (const event of message.events) {
            if (event.seq <= this.#lastSeq) continue; // already handed over before a reconnect
            this.#lastSeq = event.seq;
            this.#options.onEvent(event);
          }
          return;
        case 'ack':
          return this.#settle(message.id, (out) =>
            out.resolve({ seq: message.seq, duplicate: message.duplicate }),
          );
        case 'rejected':
          if (message.reason === 'rate_limited') return this.#retryLater(message.id);
          return this.#settle(message.id, (out) =>
            out.reject(new CommandRefused(message.reason, message.message ?? null)),
          );
      }
    };
    socket.onerror = () => undefined;
    socket.onclose = ({ code }) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (code === CLOSE_CODES.signedOut) return this.#stop('signed_out', 'signed_out');
      if (code === CLOSE_CODES.badMessage || code === CLOSE_CODES.forbidden) {
        return this.#stop('refused', 'closed');
      }
      if (this.#status === 'closed') return;
      this.#reconnectLater();
    };
  }

  /** Jittered exponential backoff, so a room of tablets does not reconnect in lockstep (FT-21). */
  #reconnectLater(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#attempts += 1;
    this.#setStatus('offline');
    const min = this.#options.minBackoffMs ?? 100;
    const max = this.#options.maxBackoffMs ?? 5_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.#attempts - 1, 10));
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#open();
      },
      delay * (0.5 + Math.random() / 2),
    );
  }

  /** Too many commands at once: not applied, so the same id goes again a little later. */
  #retryLater(id: string): void {
    const delay = this.#options.minBackoffMs ?? 100;
    setTimeout(() => {
      const out = this.#outbox.get(id);
      if (out && (this.#status === 'catching_up' || this.#status === 'live')) this.#transmit(id, out.command);
    }, delay * 5);
  }

  #settle(id: string, settle: (out: Outgoing) => void): void {
    const out = this.#outbox.get(id);
    if (!out) return;
    this.#outbox.delete(id);
    settle(out);
  }

  #stop(status: StreamStatus, reason: 'signed_out' | 'closed'): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#setStatus(status);
    socket?.close(1000, 'client closed');
    for (const out of this.#outbox.values()) out.reject(new CommandRefused(reason));
    this.#outbox.clear();
  }
}
