/**
 * A session event stream socket as the board and the tablet open it (protocol: @cairn/sync
 * stream-messages.ts), on a plain `ws` with the browser's Origin and cookie: `hello` from seq
 * 0, then history until `live`. Frames are timestamped on arrival and handed on raw-parsed
 * (JSON.parse, no zod), so the driver's cost per frame stays small and equal for every socket.
 */
import type WebSocket from 'ws';
import { closeSocket, opened, openSocket } from './socket.ts';

export interface StreamEventFrame {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
}

export interface StreamHandlers {
  onEvent?: (event: StreamEventFrame, at: number) => void;
  onAck?: (id: string, at: number) => void;
  onRejected?: (id: string, reason: string, message: string | undefined) => void;
}

const LIVE_TIMEOUT_MS = 20_000;

export class StreamSocket {
  readonly #socket: WebSocket;
  /** Resolves once the server said `live` (history delivered); rejects on refusal or timeout. */
  readonly live: Promise<void>;
  /** Close code and reason when the server closed this socket (a refusal, a shed slow consumer). */
  closedByServer: string | null = null;

  constructor(url: string, headers: Record<string, string>, handlers: StreamHandlers) {
    this.#socket = openSocket(url, headers);
    let markLive: () => void = () => undefined;
    const wentLive = new Promise<void>((resolve) => (markLive = resolve));
    this.#socket.on('message', (data: Buffer) => {
      const at = performance.now();
      const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      switch (message.type) {
        case 'events':
          for (const event of message.events as StreamEventFrame[]) handlers.onEvent?.(event, at);
          break;
        case 'live':
          markLive();
          break;
        case 'ack':
          handlers.onAck?.(String(message.id), at);
          break;
        case 'rejected':
          handlers.onRejected?.(String(message.id), String(message.reason), message.message as string);
          break;
      }
    });
    this.#socket.on('close', (code: number, reason: Buffer) => {
      this.closedByServer = `${code} ${reason.toString('utf8')}`.trim();
    });
    // A socket error is followed by 'close'; without a listener it would throw in the driver.
    this.#socket.on('error', () => undefined);
    this.live = opened(this.#socket).then(() => {
      this.#socket.send(JSON.stringify({ type: 'hello', since: 0 }));
      return Promise.race([
        wentLive,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error('stream socket did not go live in time')),
            LIVE_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
    });
  }

  command(id: string, command: Record<string, unknown>): void {
    this.#socket.send(JSON.stringify({ type: 'command', id, command }));
  }

  close(): void {
    this.#socket.removeAllListeners('close');
    closeSocket(this.#socket);
  }
}
