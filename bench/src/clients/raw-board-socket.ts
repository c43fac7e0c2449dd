/**
 * The board workload's clients against the raw relay (servers/raw-board.ts), with the same
 * surface and handlers as StreamSocket so the workload drives both alike. A tablet sends the
 * same command frame Cairn gets, plus its participant id (Cairn knows that from the cookie);
 * a staff socket turns each relayed frame into the event Cairn would have sent, and a tablet
 * takes its own frame coming back as the ack. Ready on open: the relay has no `hello`.
 */
import type WebSocket from 'ws';
import { EVENT_OF_KIND, type BoardKind } from '../workloads/board-log.ts';
import { closeSocket, opened, openSocket } from './socket.ts';
import type { StreamHandlers } from './stream-socket.ts';

const KIND_OF_COMMAND: Record<string, BoardKind> = {
  'checkin.submit': 'checkin',
  'support.request': 'support',
};

export class RawBoardSocket {
  readonly #socket: WebSocket;
  readonly #participantId: string | null;
  readonly live: Promise<void>;
  closedByServer: string | null = null;

  /** `participantId`: the tablet's; null for a staff socket. */
  constructor(url: string, participantId: string | null, handlers: StreamHandlers) {
    this.#socket = openSocket(url, {});
    this.#participantId = participantId;
    this.#socket.on('message', (data: Buffer) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString('utf8')) as {
        id: string;
        participantId: string;
        command: { type: string };
      };
      if (participantId !== null) return handlers.onAck?.(frame.id, at);
      const kind = KIND_OF_COMMAND[frame.command.type];
      if (!kind) return;
      handlers.onEvent?.(
        { seq: 0, type: EVENT_OF_KIND[kind], payload: { participantId: frame.participantId } },
        at,
      );
    });
    this.#socket.on('close', (code: number, reason: Buffer) => {
      this.closedByServer = `${code} ${reason.toString('utf8')}`.trim();
    });
    this.#socket.on('error', () => undefined);
    this.live = opened(this.#socket);
  }

  command(id: string, command: Record<string, unknown>): void {
    this.#socket.send(JSON.stringify({ type: 'command', id, participantId: this.#participantId, command }));
  }

  close(): void {
    this.#socket.removeAllListeners('close');
    closeSocket(this.#socket);
  }
}
