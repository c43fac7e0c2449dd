/**
 * "Saved means saved" (PRODUCT §5) end to end: `@cairn/sync` `trackSavedState` on the stock
 * y-websocket `WebsocketProvider`, against the real server and store. The store's commits can
 * be held at a gate (fault injection on the real store): whatever the gate holds must never
 * show as saved, and no server frame may describe it before it is committed.
 */
import { trackSavedState, type SavedState, type SavedStateTracker } from '@cairn/sync';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGIN, type Harness } from './harness.ts';
import {
  BASELINE,
  decodeServerFrame,
  RawDocClient,
  Stage,
  step1Frame,
  storedText,
  until,
  wsBase,
  type WatchedClient,
} from './realtime-support.ts';

/** How long "stays unsaved while the gate is shut" is watched. */
const HELD_MS = 300;

let stage: Stage | undefined;
let commits: CommitGate | undefined;
afterEach(async () => {
  commits?.release();
  commits = undefined;
  await stage?.stop();
  stage = undefined;
});

interface CommitGate {
  hold(): void;
  release(): void;
  /** The clock up to which `client`'s structs reached the store (held or not). */
  arrivedClock(client: number): number;
  /** The clock up to which `client`'s structs are committed. */
  committedClock(client: number): number;
}

/** Wraps the harness store's `appendDocUpdates`: records what is committed, and can hold it. */
function gateCommits(h: Harness): CommitGate {
  const store = h.core.store;
  const append = store.appendDocUpdates.bind(store);
  const arrived: Uint8Array[] = [];
  const committed: Uint8Array[] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  store.appendDocUpdates = async (batch) => {
    for (const { update } of batch) arrived.push(update);
    if (gate) await gate;
    const seqs = await append(batch);
    for (const { update } of batch) committed.push(update);
    return seqs;
  };
  const clockOf = (updates: Uint8Array[], client: number) =>
    Math.max(0, ...updates.map((update) => Y.parseUpdateMeta(update).to.get(client) ?? 0));
  return {
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    arrivedClock: (client) => clockOf(arrived, client),
    committedClock: (client) => clockOf(committed, client),
  };
}

/** A provider with a tracker; every time it says saved, its own structs must be committed. */
function trackedClient(docId: string, cookie: string | undefined) {
  const gate = commits!;
  const client: WatchedClient = stage!.provider(docId, cookie);
  const states: SavedState[] = [];
  const premature: string[] = [];
  const tracker: SavedStateTracker = trackSavedState(client.provider, (state) => {
    states.push(state);
    if (state === 'saved' || state === 'offline') {
      const local = Y.getState(client.doc.store, client.doc.clientID);
      const durable = gate.committedClock(client.doc.clientID);
      if (durable < local) premature.push(`${state} at clock ${local}, committed ${durable}`);
    }
  });
  stage!.track({ close: () => tracker.destroy() });
  const text = client.doc.getText('content');
  const ownClock = () => Y.getState(client.doc.store, client.doc.clientID);
  /** Whether everything this client wrote reached the store (`committed`: and is committed). */
  const reached = () => gate.arrivedClock(client.doc.clientID) >= ownClock();
  const committed = () => gate.committedClock(client.doc.clientID) >= ownClock();
  return { ...client, tracker, states, premature, text, reached, committed };
}

async function setUp() {
  stage = await Stage.start();
  const { admin, docId, bystander } = await stage.scene();
  commits = gateCommits(stage.h);
  const client = trackedClient(docId, admin.cookie);
  await until(() => client.provider.synced && client.tracker.state === 'saved', 5000, 'client synced');
  return { admin, docId, bystander, client };
}

/** Types `marker` at the end, one keystroke (one update) per character. */
function type(text: Y.Text, marker: string): void {
  for (const char of marker) text.insert(text.length, char);
}

/** Appends `marker` in one keystroke (one update). */
function append(text: Y.Text, marker: string): void {
  text.insert(text.length, marker);
}

/** The tracker's state does not leave `state` for `ms`. */
async function staysFor(tracker: SavedStateTracker, state: SavedState, ms = HELD_MS): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    expect(tracker.state).toBe(state);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('saved indicator (trackSavedState on the stock provider)', () => {
  it('typing goes saving → saved, and saved only once every keystroke is in the database', async () => {
    const { docId, client } = await setUp();
    client.states.length = 0;
    type(client.text, ' [typed]');
    expect(client.tracker.state).toBe('saving');
    await until(() => client.tracker.state === 'saved', 5000, 'saved');
    expect(client.states).toEqual(['saving', 'saved']);
    expect(client.premature).toEqual([]);
    expect(commits!.committedClock(client.doc.clientID)).toBe(' [typed]'.length);
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [typed]`);
  });

  it('a commit held back keeps it saving; releasing it makes it saved', async () => {
    const { docId, client } = await setUp();
    commits!.hold();
    append(client.text, ' [held]'); // one update: one batch, held at the gate
    await until(client.reached, 5000, 'the commit to reach the store');
    await staysFor(client.tracker, 'saving');
    expect(await storedText(stage!.h, docId)).toBe(BASELINE);

    commits!.release();
    await until(() => client.tracker.state === 'saved', 5000, 'saved after release');
    expect(client.premature).toEqual([]);
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [held]`);
  });

  it("select-all + delete (everyone's text) stays saving until the delete is committed", async () => {
    const { docId, client, bystander } = await setUp();
    type(client.text, ' [mine]');
    await until(() => client.tracker.state === 'saved', 5000, 'own text saved');
    await until(() => bystander.doc.getText('content').toString().endsWith(' [mine]'), 5000, 'bystander');
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [mine]`);

    commits!.hold();
    client.text.delete(0, client.text.length);
    expect(Y.getState(client.doc.store, client.doc.clientID)).toBe(' [mine]'.length); // deletes only
    expect(client.tracker.state).toBe('saving');
    await staysFor(client.tracker, 'saving');
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [mine]`);

    commits!.release();
    await until(() => client.tracker.state === 'saved', 5000, 'saved after release');
    expect(await storedText(stage!.h, docId)).toBe('');
  });

  it('offline with unsaved edits shows offline-unsaved; reconnecting resends them and ends saved', async () => {
    const { docId, client } = await setUp();
    client.provider.disconnect();
    expect(client.tracker.state).toBe('offline');
    client.states.length = 0;
    type(client.text, ' [offline]');
    expect(client.tracker.state).toBe('offline-unsaved');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.reached()).toBe(false);

    client.provider.connect();
    await until(() => client.tracker.state === 'saved', 5000, 'saved after reconnect');
    expect(client.states).toEqual(['offline-unsaved', 'saving', 'saved']);
    expect(client.premature).toEqual([]);
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [offline]`);
  });

  it('after a reconnect where the server already had the edits (no echo), the durable greeting says saved', async () => {
    const { docId, client } = await setUp();
    // The edit reaches the server, whose commit is held; the socket goes before the echo.
    commits!.hold();
    append(client.text, ' [no echo]'); // one update: one batch, held at the gate
    await until(client.reached, 5000, 'the commit to reach the store');
    const old = client.provider.ws!;
    const oldClosed = new Promise((resolve) => old.addEventListener('close', resolve));
    client.provider.disconnect();
    expect(client.tracker.state).toBe('offline-unsaved');
    await oldClosed; // fully closed: not even a late echo can reach the old socket now
    commits!.release();
    await until(client.committed, 5000, 'the commit');
    expect(client.tracker.state).toBe('offline-unsaved');

    // Watch every frame of the next socket: the edit must not come back as an update.
    const echoes: Uint8Array[] = [];
    client.provider.on('status', ({ status }) => {
      if (status !== 'connected') return;
      client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
        const frame = decodeServerFrame(new Uint8Array(event.data as ArrayBuffer));
        if (frame.type === 'sync' && frame.syncType === 2) echoes.push(frame.payload);
      });
    });
    client.provider.connect();
    await until(() => client.tracker.state === 'saved', 5000, 'saved after reconnect');
    expect(client.premature).toEqual([]);
    expect(echoes.filter((update) => Y.parseUpdateMeta(update).to.has(client.doc.clientID))).toEqual([]);
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [no echo]`);
  });

  it('reconnecting while the commit is still held stays saving: the greeting waits for it', async () => {
    const { docId, client } = await setUp();
    commits!.hold();
    append(client.text, ' [in flight]');
    await until(client.reached, 5000, 'the commit to reach the store');
    client.provider.disconnect();
    client.provider.connect();
    await until(() => client.provider.wsconnected, 5000, 'reconnected');
    await staysFor(client.tracker, 'saving');
    expect(client.premature).toEqual([]);

    commits!.release();
    await until(() => client.tracker.state === 'saved', 5000, 'saved after release');
    expect(client.premature).toEqual([]);
    expect(await storedText(stage!.h, docId)).toBe(`${BASELINE} [in flight]`);
  });

  it('no step 1 or step 2 describing a held commit is sent before it is committed', async () => {
    const { admin, docId, client } = await setUp();
    commits!.hold();
    append(client.text, ' [gated]'); // one update: one batch, held at the gate
    await until(client.reached, 5000, 'the commit to reach the store');

    const second = stage!.track(
      new RawDocClient(`${wsBase(stage!.h)}/ws/doc/${docId}`, { origin: ORIGIN, cookie: admin.cookie! }),
    );
    expect(await second.opened).toBe('open');
    // Whenever a sync frame arrives, note whether the held commit was durable at that moment.
    const committedWhenSynced: boolean[] = [];
    second.socket.on('message', (data: Buffer) => {
      const frame = decodeServerFrame(new Uint8Array(data));
      if (frame.type === 'sync') committedWhenSynced.push(client.committed());
    });
    second.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
    await new Promise((resolve) => setTimeout(resolve, HELD_MS));
    expect(second.syncFrames(0)).toEqual([]); // the greeting's state vector would include it
    expect(second.syncFrames(1)).toEqual([]);
    expect(client.tracker.state).toBe('saving');

    commits!.release();
    await until(() => second.syncFrames(1).length > 0, 5000, 'step 2 after release');
    expect(second.syncFrames(0).length).toBe(1);
    expect(committedWhenSynced.length).toBeGreaterThanOrEqual(2);
    expect(committedWhenSynced.every(Boolean)).toBe(true);
    second.applyReceived();
    expect(second.doc.getText('content').toString()).toBe(`${BASELINE} [gated]`);
    await until(() => client.tracker.state === 'saved', 5000, 'saved after release');
  });
});
