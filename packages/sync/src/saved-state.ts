/**
 * "Saved means saved" in the browser (PRODUCT §5): whether every local edit of a Yjs document
 * is durably committed on Cairn's server, computed from the stock y-websocket
 * `WebsocketProvider` alone (the protocol has no save-status message, and needs none).
 *
 * Local side: every update the provider would send (origin ≠ the provider) adds to what is
 * owed: for each client id, the clock its structs reach, and the ranges it deletes.
 *
 * Server side: Cairn sends nothing that is not durable (docs/realtime.md, "Saved indicator"):
 * updates go out only after their commit, and a sync step 1 or 2 goes out only once everything
 * in the state it describes is committed. So every server frame is a durable fact:
 *  - an update or step 2 says the server holds each client's structs up to the end of the
 *    structs it carries (Yjs keeps each client's structs gapless) and has deleted its delete
 *    set (a step 2 carries the server's whole delete set);
 *  - a step 1 carries the server's state vector. This is what confirms edits the server
 *    already had when it did not echo them (a replay after a reconnect): a step 2 never
 *    contains structs the client already has, so it says nothing about the client's own clock.
 *
 * A delete range is settled once server frames covered it, whoever's delete they carried. The
 * facts only grow, so the order of this listener and the provider's own handler does not matter,
 * nor does seeing a frame twice.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from './doc-messages.ts';

/**
 * - `saved`: connected, and every local edit is committed on the server.
 * - `saving`: connected, and some local edit is not yet known to be committed.
 * - `offline-unsaved`: not connected, and some local edit is not known to be committed (it is
 *   kept in this tab and resent on reconnect; closing the tab loses it).
 * - `offline`: not connected, and every local edit is committed.
 */
export type SavedState = 'saved' | 'saving' | 'offline-unsaved' | 'offline';

/** Half-open clock ranges `[start, end)`, sorted, disjoint and not touching. */
export type ClockRanges = ReadonlyArray<readonly [number, number]>;

/** Any list of ranges (unsorted, overlapping, empty ones) as `ClockRanges`. */
export function normalizeRanges(list: Iterable<readonly [number, number]>): ClockRanges {
  const sorted = [...list].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const result: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = result.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else result.push([start, end]);
  }
  return result;
}

/** `a ∪ b`, in linear time. */
export function unionRanges(a: ClockRanges, b: ClockRanges): ClockRanges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const merged: Array<readonly [number, number]> = [];
  for (let i = 0, j = 0; i < a.length || j < b.length;) {
    if (j >= b.length || (i < a.length && a[i]![0] <= b[j]![0])) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return normalizeRanges(merged); // already sorted: this only joins overlaps
}

/** `a \ b`, in linear time. */
export function subtractRanges(a: ClockRanges, b: ClockRanges): ClockRanges {
  if (a.length === 0 || b.length === 0) return a;
  const result: Array<readonly [number, number]> = [];
  let j = 0;
  for (const range of a) {
    let start = range[0];
    const end = range[1];
    while (j < b.length && b[j]![1] <= start) j++;
    for (let k = j; k < b.length && b[k]![0] < end; k++) {
      if (b[k]![0] > start) result.push([start, b[k]![0]]);
      start = Math.max(start, b[k]![1]);
      if (start >= end) break;
    }
    if (start < end) result.push([start, end]);
  }
  return result;
}

/** What one server frame states about the server's durable document. */
export type ServerSyncFact =
  { kind: 'state-vector'; stateVector: Map<number, number> } | { kind: 'update'; update: Uint8Array };

/**
 * Reads a y-websocket frame from the server: a sync step 1 gives its state vector, a step 2 or
 * an update gives its update; anything else (awareness, auth, malformed bytes) gives null.
 */
export function readServerSyncFrame(frame: Uint8Array): ServerSyncFact | null {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === SYNC_STEP_1) return { kind: 'state-vector', stateVector: Y.decodeStateVector(payload) };
    if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) return { kind: 'update', update: payload };
    return null;
  } catch {
    return null;
  }
}

/** Each client's struct end, and each client's deleted ranges, of one (v1) update. */
export function readUpdateFacts(update: Uint8Array): {
  ends: Map<number, number>;
  deletes: Map<number, ClockRanges>;
} {
  const { structs, ds } = Y.decodeUpdate(update);
  const ends = new Map<number, number>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue; // a gap in a merged update, not content
    const { client, clock } = struct.id;
    ends.set(client, Math.max(ends.get(client) ?? 0, clock + struct.length));
  }
  const deletes = new Map<number, ClockRanges>();
  for (const [client, items] of ds.clients) {
    const ranges = normalizeRanges(items.map((item) => [item.clock, item.clock + item.len] as const));
    if (ranges.length > 0) deletes.set(client, ranges);
  }
  return { ends, deletes };
}

/**
 * What local edits owe the server, and what the server's frames have settled. Pure: no
 * provider, no socket (see `trackSavedState` for the wiring).
 */
export class SaveLedger {
  /** Per client: the clock local edits reached that the server has not yet confirmed. */
  readonly #owed = new Map<number, number>();
  /** Per client: the clock the server durably holds, as its frames said. */
  readonly #durable = new Map<number, number>();
  /** Per client: ranges deleted locally that no server frame has shown deleted yet. */
  readonly #deletes = new Map<number, ClockRanges>();

  /** True while some local edit is not known to be committed. */
  get unsaved(): boolean {
    return this.#owed.size > 0 || this.#deletes.size > 0;
  }

  /** A local update (one the provider sends to the server). */
  recordLocal(update: Uint8Array): void {
    const { ends, deletes } = readUpdateFacts(update);
    for (const [client, end] of ends) this.owe(client, end);
    for (const [client, ranges] of deletes) {
      this.#deletes.set(client, unionRanges(this.#deletes.get(client) ?? [], ranges));
    }
  }

  /** Local structs of `client` up to `clock` (exclusive) must reach the server. */
  owe(client: number, clock: number): void {
    if (clock <= (this.#durable.get(client) ?? 0)) return;
    this.#owed.set(client, Math.max(this.#owed.get(client) ?? 0, clock));
  }

  /** A durable fact from a server frame. */
  confirm(fact: ServerSyncFact): void {
    if (fact.kind === 'state-vector') {
      for (const [client, clock] of fact.stateVector) this.#holds(client, clock);
      return;
    }
    const { ends, deletes } = readUpdateFacts(fact.update);
    for (const [client, end] of ends) this.#holds(client, end);
    for (const [client, ranges] of deletes) {
      const pending = this.#deletes.get(client);
      if (!pending) continue;
      const left = subtractRanges(pending, ranges);
      if (left.length > 0) this.#deletes.set(client, left);
      else this.#deletes.delete(client);
    }
  }

  #holds(client: number, clock: number): void {
    const durable = Math.max(this.#durable.get(client) ?? 0, clock);
    this.#durable.set(client, durable);
    if ((this.#owed.get(client) ?? Infinity) <= durable) this.#owed.delete(client);
  }
}

/** The part of a WebSocket (browser or `ws`) the tracker listens to. */
interface ListenableSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'close', listener: () => void): void;
}

type StatusListener = (event: { status: 'connected' | 'disconnected' | 'connecting' }) => void;

/** The parts of y-websocket's `WebsocketProvider` the tracker reads. */
export interface SavedStateProvider {
  readonly doc: Y.Doc;
  /** The current socket; the provider makes a new one for every connection attempt. */
  readonly ws: unknown;
  readonly wsconnected: boolean;
  on(name: 'status', listener: StatusListener): unknown;
  off(name: 'status', listener: StatusListener): unknown;
}

export interface SavedStateTracker {
  readonly state: SavedState;
  /** Removes every listener this tracker added (on the doc, the provider and its sockets). */
  destroy(): void;
}

/** Bytes of a WebSocket message event (the provider asks for ArrayBuffers); null for text. */
function bytesOf(data: unknown): Uint8Array | null {
  if (typeof data === 'string') return null;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  try {
    return new Uint8Array(data as ArrayBuffer);
  } catch {
    return null;
  }
}

/**
 * Follows whether `provider`'s document is saved; `onChange` hears every change of state.
 * Create it with the provider, before any local edit: edits made earlier under the doc's own
 * client id count as unsaved until the server's next sync says otherwise, and earlier deletes
 * are not known at all.
 */
export function trackSavedState(
  provider: SavedStateProvider,
  onChange: (state: SavedState) => void = () => {},
): SavedStateTracker {
  const { doc } = provider;
  const ledger = new SaveLedger();
  ledger.owe(doc.clientID, Y.getState(doc.store, doc.clientID));
  const sockets = new Map<ListenableSocket, () => void>();

  const compute = (): SavedState => {
    if (provider.wsconnected) return ledger.unsaved ? 'saving' : 'saved';
    return ledger.unsaved ? 'offline-unsaved' : 'offline';
  };
  let state = compute();
  const refresh = () => {
    const next = compute();
    if (next === state) return;
    state = next;
    onChange(state);
  };

  const onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return; // applied from the server: nothing to save
    ledger.recordLocal(update);
    refresh();
  };

  // Sockets are attached when they open (the provider's `connected` status is emitted from
  // `onopen`, before any message can arrive) and followed until they close: frames a closing
  // socket still delivers are durable facts too.
  const attach = (socket: ListenableSocket | null) => {
    if (!socket || sockets.has(socket)) return;
    const onMessage = (event: { data: unknown }) => {
      const bytes = bytesOf(event.data);
      const fact = bytes && readServerSyncFrame(bytes);
      if (!fact) return;
      ledger.confirm(fact);
      refresh();
    };
    const onClose = () => {
      sockets.get(socket)?.();
    };
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
    sockets.set(socket, () => {
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      sockets.delete(socket);
    });
  };
  const onStatus: StatusListener = () => {
    attach(provider.ws as ListenableSocket | null);
    refresh();
  };

  doc.on('update', onLocalUpdate);
  provider.on('status', onStatus);
  attach(provider.ws as ListenableSocket | null);

  return {
    get state() {
      return state;
    },
    destroy() {
      doc.off('update', onLocalUpdate);
      provider.off('status', onStatus);
      for (const detach of [...sockets.values()]) detach();
    },
  };
}
