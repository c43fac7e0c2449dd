import { ObservableV2 } from 'lib0/observable';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  encodeAwarenessMessage,
  encodeSyncMessage,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './doc-messages.ts';
import {
  normalizeRanges,
  readServerSyncFrame,
  readUpdateFacts,
  SaveLedger,
  subtractRanges,
  trackSavedState,
  unionRanges,
  type ClockRanges,
  type SavedState,
  type SavedStateProvider,
} from './saved-state.ts';

/** The clocks a range list covers, as a set: the model the range functions must agree with. */
function clocksOf(ranges: ClockRanges): Set<number> {
  const clocks = new Set<number>();
  for (const [start, end] of ranges) for (let c = start; c < end; c++) clocks.add(c);
  return clocks;
}

function isNormal(ranges: ClockRanges): boolean {
  return ranges.every(([start, end], i) => start < end && (i === 0 || ranges[i - 1]![1] < start));
}

function randomRanges(random: () => number): ClockRanges {
  const list: Array<[number, number]> = [];
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const start = Math.floor(random() * 40);
    list.push([start, start + Math.floor(random() * 8)]);
  }
  return normalizeRanges(list);
}

describe('clock ranges', () => {
  it('normalizes: sorts, merges overlapping and touching ranges, drops empty ones', () => {
    expect(
      normalizeRanges([
        [10, 12],
        [0, 3],
        [3, 5],
        [7, 7],
        [11, 15],
      ]),
    ).toEqual([
      [0, 5],
      [10, 15],
    ]);
    expect(normalizeRanges([])).toEqual([]);
  });

  it('subtracts a hole, a prefix, a suffix, everything and nothing', () => {
    const ranges = normalizeRanges([
      [0, 10],
      [20, 30],
    ]);
    expect(subtractRanges(ranges, [[3, 5]])).toEqual([
      [0, 3],
      [5, 10],
      [20, 30],
    ]);
    expect(subtractRanges(ranges, [[0, 25]])).toEqual([[25, 30]]);
    expect(subtractRanges(ranges, [[8, 100]])).toEqual([[0, 8]]);
    expect(subtractRanges(ranges, [[-5, 100]])).toEqual([]);
    expect(subtractRanges(ranges, [[10, 20]])).toEqual(ranges);
    expect(subtractRanges(ranges, [])).toEqual(ranges);
  });

  it('agrees with a set of clocks on random inputs', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let round = 0; round < 2000; round++) {
      const a = randomRanges(random);
      const b = randomRanges(random);
      const union = unionRanges(a, b);
      const difference = subtractRanges(a, b);
      expect(isNormal(union) && isNormal(difference)).toBe(true);
      expect(clocksOf(union)).toEqual(new Set([...clocksOf(a), ...clocksOf(b)]));
      expect(clocksOf(difference)).toEqual(new Set([...clocksOf(a)].filter((c) => !clocksOf(b).has(c))));
    }
  });
});

/** A doc with a fixed client id whose local updates are collected. */
function writer(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') updates.push(update);
  });
  return { doc, text: doc.getText('content'), updates, last: () => updates.at(-1)! };
}

describe('readServerSyncFrame and readUpdateFacts', () => {
  it('reads a step 1 as a state vector and a step 2 or an update as an update', () => {
    const { doc, text } = writer(5);
    text.insert(0, 'hello');
    const sv = Y.encodeStateVector(doc);
    expect(readServerSyncFrame(encodeSyncMessage(SYNC_STEP_1, sv))).toEqual({
      kind: 'state-vector',
      stateVector: new Map([[5, 5]]),
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(readServerSyncFrame(encodeSyncMessage(SYNC_STEP_2, update))).toEqual({ kind: 'update', update });
    expect(readServerSyncFrame(encodeSyncMessage(SYNC_UPDATE, update))).toEqual({ kind: 'update', update });
  });

  it('ignores awareness, unknown sync types and malformed bytes', () => {
    expect(readServerSyncFrame(encodeAwarenessMessage(new Uint8Array([0])))).toBeNull();
    expect(readServerSyncFrame(encodeSyncMessage(7, new Uint8Array([0, 0])))).toBeNull();
    expect(readServerSyncFrame(new Uint8Array([0, 1, 200]))).toBeNull();
    expect(readServerSyncFrame(new Uint8Array([]))).toBeNull();
  });

  it("gives each client's struct end and deleted ranges", () => {
    const a = writer(1);
    a.text.insert(0, 'abcdef');
    const b = writer(2);
    Y.applyUpdate(b.doc, a.last(), 'remote');
    b.text.insert(6, 'XY');
    expect(readUpdateFacts(b.last()).ends).toEqual(new Map([[2, 2]])); // client 2's clocks start at 0
    b.text.delete(1, 6); // bcdef of client 1, X of client 2
    const facts = readUpdateFacts(b.last());
    expect(facts.ends.size).toBe(0);
    expect(facts.deletes).toEqual(
      new Map([
        [1, [[1, 6]]],
        [2, [[0, 1]]],
      ]),
    );
  });
});

describe('SaveLedger', () => {
  it('owes a local insert until an update carrying it (the echo) arrives', () => {
    const ledger = new SaveLedger();
    const { text, last } = writer(1);
    text.insert(0, 'hi');
    ledger.recordLocal(last());
    expect(ledger.unsaved).toBe(true);
    ledger.confirm({ kind: 'update', update: last() });
    expect(ledger.unsaved).toBe(false);
    ledger.confirm({ kind: 'update', update: last() }); // twice: nothing changes
    expect(ledger.unsaved).toBe(false);
  });

  it('takes an echo of a later update as covering the earlier ones (clocks are gapless)', () => {
    const ledger = new SaveLedger();
    const { text, updates } = writer(1);
    text.insert(0, 'a');
    text.insert(1, 'b');
    for (const update of updates) ledger.recordLocal(update);
    ledger.confirm({ kind: 'update', update: updates[0]! });
    expect(ledger.unsaved).toBe(true);
    ledger.confirm({ kind: 'update', update: updates[1]! });
    expect(ledger.unsaved).toBe(false);
  });

  it("is not settled by a step 2 (it never carries the client's own structs) but by a step 1", () => {
    const ledger = new SaveLedger();
    const client = writer(1);
    client.text.insert(0, 'typed offline');
    ledger.recordLocal(client.last());
    const server = new Y.Doc();
    Y.applyUpdate(server, client.last());
    const step2 = Y.encodeStateAsUpdate(server, Y.encodeStateVector(client.doc));
    ledger.confirm({ kind: 'update', update: step2 });
    expect(ledger.unsaved).toBe(true);
    ledger.confirm({ kind: 'state-vector', stateVector: Y.decodeStateVector(Y.encodeStateVector(server)) });
    expect(ledger.unsaved).toBe(false);
  });

  it('owes deletes until a delete set covers them, whoever deleted', () => {
    const ledger = new SaveLedger();
    const a = writer(1);
    a.text.insert(0, 'abcdef');
    const b = writer(2);
    Y.applyUpdate(b.doc, a.last(), 'remote');
    ledger.confirm({ kind: 'update', update: a.last() });
    b.text.delete(0, 6);
    ledger.recordLocal(b.last());
    expect(ledger.unsaved).toBe(true);
    a.text.delete(0, 3); // someone else's concurrent delete of part of it, committed
    ledger.confirm({ kind: 'update', update: a.last() });
    expect(ledger.unsaved).toBe(true);
    ledger.confirm({ kind: 'update', update: b.last() });
    expect(ledger.unsaved).toBe(false);
  });

  it('owes a delete even if an earlier frame showed it deleted (deletes are not pre-credited)', () => {
    const ledger = new SaveLedger();
    const b = writer(2);
    b.text.insert(0, 'xyz');
    const server = new Y.Doc();
    Y.applyUpdate(server, b.last());
    server.getText('content').delete(0, 3);
    ledger.confirm({ kind: 'update', update: Y.encodeStateAsUpdate(server) });
    b.text.delete(0, 3); // (the provider would normally have applied the server's delete first)
    ledger.recordLocal(b.last());
    expect(ledger.unsaved).toBe(true);
    ledger.confirm({ kind: 'update', update: Y.encodeStateAsUpdate(server) }); // e.g. the next step 2
    expect(ledger.unsaved).toBe(false);
  });

  it('does not owe what the server already said it holds', () => {
    const ledger = new SaveLedger();
    ledger.confirm({ kind: 'state-vector', stateVector: new Map([[1, 10]]) });
    ledger.owe(1, 10);
    expect(ledger.unsaved).toBe(false);
    ledger.owe(1, 11);
    expect(ledger.unsaved).toBe(true);
  });
});

/** The provider as the tracker sees it: status events, the current socket, and the doc. */
class FakeProvider
  extends ObservableV2<{ status: (event: { status: 'connected' | 'disconnected' | 'connecting' }) => void }>
  implements SavedStateProvider
{
  ws: EventTarget | null = null;
  wsconnected = false;
  readonly doc: Y.Doc;
  constructor(doc: Y.Doc) {
    super();
    this.doc = doc;
  }
  open(): EventTarget {
    this.ws = new EventTarget();
    this.wsconnected = true;
    this.emit('status', [{ status: 'connected' }]);
    return this.ws;
  }
  drop(): void {
    this.ws?.dispatchEvent(new Event('close'));
    this.ws = null;
    this.wsconnected = false;
    this.emit('status', [{ status: 'disconnected' }]);
  }
  receive(frame: Uint8Array): void {
    const data = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
    this.ws!.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('trackSavedState', () => {
  it('goes saving → saved on the echo, and offline-unsaved → saved through a reconnect', () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider(doc);
    const seen: SavedState[] = [];
    const tracker = trackSavedState(provider, (state) => seen.push(state));
    expect(tracker.state).toBe('offline');
    provider.open();
    expect(tracker.state).toBe('saved');

    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('content').insert(0, 'hello');
    expect(tracker.state).toBe('saving');
    provider.receive(encodeSyncMessage(SYNC_UPDATE, updates[0]!));
    expect(tracker.state).toBe('saved');

    provider.drop();
    expect(tracker.state).toBe('offline');
    doc.getText('content').insert(5, '!');
    expect(tracker.state).toBe('offline-unsaved');
    provider.open();
    expect(tracker.state).toBe('saving');
    provider.receive(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(doc)));
    expect(tracker.state).toBe('saved');
    expect(seen).toEqual(['saved', 'saving', 'saved', 'offline', 'offline-unsaved', 'saving', 'saved']);
    tracker.destroy();
  });

  it("ignores updates the provider applied (the server's) and frames on sockets it closed", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider(doc);
    const tracker = trackSavedState(provider);
    const old = provider.open();
    const other = writer(99);
    other.text.insert(0, 'from someone else');
    Y.applyUpdate(doc, other.last(), provider);
    expect(tracker.state).toBe('saved');
    provider.drop();
    doc.getText('content').insert(0, 'x');
    old.dispatchEvent(new MessageEvent('message', { data: new ArrayBuffer(0) }));
    expect(tracker.state).toBe('offline-unsaved');
    tracker.destroy();
  });

  it('counts edits made before it existed as unsaved', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'early');
    const provider = new FakeProvider(doc);
    const tracker = trackSavedState(provider);
    provider.open();
    expect(tracker.state).toBe('saving');
    provider.receive(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(doc)));
    expect(tracker.state).toBe('saved');
    tracker.destroy();
  });

  it('removes every listener on destroy', () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider(doc);
    const seen: SavedState[] = [];
    const tracker = trackSavedState(provider, (state) => seen.push(state));
    const socket = provider.open();
    const before = seen.length;
    tracker.destroy();
    doc.getText('content').insert(0, 'after');
    provider.receive(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(doc)));
    socket.dispatchEvent(new Event('close'));
    provider.drop();
    expect(seen.length).toBe(before);
    expect(doc._observers.get('update')?.size ?? 0).toBe(0);
    expect(provider._observers.get('status')?.size ?? 0).toBe(0);
  });
});
