/**
 * A real writer: a Y.Doc behind the system's stock provider (y-websocket's WebsocketProvider,
 * or HocuspocusProvider), typing fixed 30-character inserts at a moving cursor. Its socket is
 * tapped so the echo of each write is timestamped on arrival. For the raw baseline, which
 * speaks no protocol, the same Y.Doc's updates go out as y-websocket frames on a plain socket.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Target } from '../servers/systems.ts';
import { mulberry32 } from '../stats/prng.ts';
import {
  asBytes,
  INSERT_CHARS,
  readHocuspocus,
  readYws,
  SYNC_UPDATE,
  updateSpan,
  ywsSyncFrame,
  type WriteSpan,
} from './frames.ts';
import { closeSocket, opened, openSocket, socketClass } from './socket.ts';
import { withTimeout } from './thin-client.ts';

const FILLER = 'typing-typing-typing'; // 20 chars after a 10-digit index: 30 in all
const JUMP_PROBABILITY = 0.15;

/** The text of write `index`: unique, ASCII, exactly INSERT_CHARS long. */
export function writeText(index: number): string {
  return String(index).padStart(INSERT_CHARS - FILLER.length, '0') + FILLER;
}

/** Types fixed-size writes into a Y.Text at a cursor that mostly moves on, sometimes jumps. */
export class Typist {
  readonly #text: Y.Text;
  readonly #random: () => number;
  #cursor = 0;

  constructor(text: Y.Text, seed: number) {
    this.#text = text;
    this.#random = mulberry32(seed);
  }

  type(index: number): void {
    const length = this.#text.length;
    if (this.#random() < JUMP_PROBABILITY) this.#cursor = Math.floor(this.#random() * (length + 1));
    const at = Math.min(this.#cursor, length);
    this.#text.insert(at, writeText(index));
    this.#cursor = at + INSERT_CHARS;
  }
}

/**
 * Every update a typist produces, in order, from its own Y.Doc: W2 sends these pre-encoded
 * so the driver spends no Yjs time while it saturates a server.
 */
export function typedUpdates(count: number, clientId: number, seed: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const typist = new Typist(doc.getText('content'), seed);
  for (let i = 0; i < count; i++) typist.type(i);
  doc.destroy();
  return updates;
}

export class RealWriter {
  readonly doc = new Y.Doc();
  readonly ready: Promise<void>;
  readonly #typist: Typist;
  #close: () => void;

  constructor(
    target: Target,
    room: string,
    options: { clientId: number; seed: number; onEcho?: (span: WriteSpan, at: number) => void },
  ) {
    this.doc.clientID = options.clientId;
    this.#typist = new Typist(this.doc.getText('content'), options.seed);
    const protocol = target.spec.protocol;
    const read = protocol === 'hocuspocus' ? readHocuspocus : readYws;
    const tap = (data: unknown, at: number) => {
      if (!options.onEcho) return;
      const frame = asBytes(data);
      const inbound = read(frame);
      if (inbound.kind !== 'update') return;
      const span = updateSpan(frame, inbound.start);
      if (span && span.client === options.clientId) options.onEcho(span, at);
    };

    if (protocol === 'y-websocket') {
      const provider = new WebsocketProvider(target.providerBase, room, this.doc, {
        WebSocketPolyfill: socketClass(target.headers, tap) as never,
        disableBc: true, // otherwise writers in one process would sync around the server
        maxBackoffTime: 1000,
      });
      this.ready = new Promise((resolve) => provider.once('sync', () => resolve()));
      this.#close = () => provider.destroy();
    } else if (protocol === 'hocuspocus') {
      const websocketProvider = new HocuspocusProviderWebsocket({
        url: target.address(room).url,
        WebSocketPolyfill: socketClass(target.headers, tap),
      });
      const provider = new HocuspocusProvider({
        websocketProvider,
        name: room,
        document: this.doc,
        token: 'bench',
      });
      provider.attach(); // required since v3 when the socket is passed in
      this.ready = new Promise((resolve) => provider.on('synced', () => resolve()));
      this.#close = () => {
        provider.destroy();
        websocketProvider.destroy();
      };
    } else {
      const { url, headers } = target.address(room);
      const socket = openSocket(url, headers);
      socket.on('error', () => undefined);
      this.doc.on('update', (update: Uint8Array) => {
        if (socket.readyState === socket.OPEN) socket.send(ywsSyncFrame(SYNC_UPDATE, update));
      });
      this.ready = opened(socket);
      this.#close = () => closeSocket(socket);
    }
    this.ready = withTimeout(this.ready, 20_000, `writer ${room} sync`);
  }

  /** Types write `index` (the provider sends the resulting update at once). */
  write(index: number): void {
    this.#typist.type(index);
  }

  destroy(): void {
    this.#close();
    this.#close = () => undefined;
    this.doc.destroy();
  }
}
