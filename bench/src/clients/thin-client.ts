/**
 * A raw socket speaking just enough of a system's protocol to be a member of a room: it
 * answers the server's SyncStep1 with an empty SyncStep2 (Hocuspocus: sends its Auth frame
 * first), then only timestamps what arrives. It never applies Yjs, so 13 of them per room
 * cost the driver almost nothing. Also used as W2's pre-encoded writer, W3's joiner and W7's
 * verifier, which is why it can send updates and request the full state.
 */
import type WebSocket from 'ws';
import type { Protocol, Target } from '../servers/systems.ts';
import {
  asBytes,
  EMPTY_STATE_VECTOR,
  EMPTY_UPDATE,
  HP_PONG_FRAME,
  hpAuthFrame,
  hpSyncFrame,
  readHocuspocus,
  readYws,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
  updateSpan,
  ywsSyncFrame,
  type WriteSpan,
} from './frames.ts';
import { closeSocket, opened, openSocket } from './socket.ts';

export interface ThinHandlers {
  /** An update frame arrived at `at` (performance.now()), carrying `span`'s writes. */
  onUpdate?: (span: WriteSpan, at: number) => void;
  /** A SyncStep2 arrived: `payload` is the update it carries (a view into the frame). */
  onStep2?: (payload: Uint8Array, at: number) => void;
  /** A SyncStep1 arrived (the raw baseline's W3 seeder answers these itself). */
  onStep1?: () => void;
}

export interface ThinOptions {
  /** Send a SyncStep1 for the whole document as soon as the socket opens, like a provider. */
  requestState?: boolean;
}

const YWS_EMPTY_STEP2 = ywsSyncFrame(SYNC_STEP_2, EMPTY_UPDATE);
const READY_TIMEOUT_MS = 20_000;

export class ThinClient {
  readonly socket: WebSocket;
  readonly ready: Promise<void>;
  readonly #protocol: Protocol;
  readonly #room: string;
  readonly #emptyStep2: Uint8Array;

  constructor(target: Target, room: string, handlers: ThinHandlers = {}, options: ThinOptions = {}) {
    this.#protocol = target.spec.protocol;
    this.#room = room;
    this.#emptyStep2 =
      this.#protocol === 'hocuspocus' ? hpSyncFrame(room, SYNC_STEP_2, EMPTY_UPDATE) : YWS_EMPTY_STEP2;
    const { url, headers } = target.address(room);
    this.socket = openSocket(url, headers);
    const read = this.#protocol === 'hocuspocus' ? readHocuspocus : readYws;

    let markReady: () => void = () => undefined;
    const greeted = new Promise<void>((resolve) => (markReady = resolve));
    this.socket.on('message', (data: unknown) => {
      const at = performance.now();
      const frame = asBytes(data);
      const inbound = read(frame);
      switch (inbound.kind) {
        case 'update': {
          const span = handlers.onUpdate && updateSpan(frame, inbound.start);
          if (span) handlers.onUpdate!(span, at);
          return;
        }
        case 'step2':
          handlers.onStep2?.(frame.subarray(inbound.start, inbound.end), at);
          return;
        case 'step1':
          handlers.onStep1?.();
          if (this.#protocol === 'raw') return; // a peer's frame relayed, not a server greeting
          // y-websocket servers greet with their SyncStep1 once the socket joined the room.
          this.socket.send(this.#emptyStep2);
          markReady();
          return;
        case 'authenticated':
          markReady();
          return;
        case 'ping':
          this.socket.send(HP_PONG_FRAME);
          return;
        default:
          return;
      }
    });
    this.socket.on('error', () => undefined); // W7 kills servers under live sockets

    const open = opened(this.socket).then(() => {
      if (this.#protocol === 'hocuspocus') this.socket.send(hpAuthFrame(room, 'bench'));
      if (options.requestState) this.requestState();
      if (this.#protocol === 'raw') markReady();
    });
    this.ready = open.then(() => withTimeout(greeted, READY_TIMEOUT_MS, `room ${room} handshake`));
  }

  /** Sends a Yjs update as this protocol's Update message. */
  sendUpdate(update: Uint8Array): void {
    this.socket.send(this.updateFrame(update));
  }

  updateFrame(update: Uint8Array): Uint8Array {
    return this.#protocol === 'hocuspocus'
      ? hpSyncFrame(this.#room, SYNC_UPDATE, update)
      : ywsSyncFrame(SYNC_UPDATE, update);
  }

  /** Asks for the whole document (a SyncStep1 with an empty state vector). */
  requestState(): void {
    this.socket.send(
      this.#protocol === 'hocuspocus'
        ? hpSyncFrame(this.#room, SYNC_STEP_1, EMPTY_STATE_VECTOR)
        : ywsSyncFrame(SYNC_STEP_1, EMPTY_STATE_VECTOR),
    );
  }

  close(): void {
    closeSocket(this.socket);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
