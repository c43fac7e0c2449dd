/**
 * One loaded document and the sockets that have it open. The room owns the in-memory Y.Doc
 * and its awareness; every change goes through `commit`, which persists the *effective*
 * update (what Yjs says changed, so replays and pending structs write nothing) and only then
 * sends it to everyone — the author's copy is its acknowledgement: echoed means saved.
 */
import type { DocumentRecord, Store } from '@cairn/db';
import { encodeAwarenessMessage, encodeSyncMessage, SYNC_UPDATE } from '@cairn/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CommitQueue } from './commit-queue.ts';

/** What a room needs from each connection: sending, closing, and whose client ids it holds. */
export interface RoomMember {
  userId: string;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Client ids whose awareness entries this connection set (removed when it leaves). */
  awarenessClients: Set<number>;
}

/** Compact once this many bytes of updates sit after the snapshot. */
export const COMPACT_AFTER_BYTES = 512 * 1024;

export class DocRoom {
  readonly document: DocumentRecord;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly members = new Set<RoomMember>();
  /** Which user first wrote with each client id; another user may not reuse it (BI-Y6). */
  readonly clientOwners = new Map<number, string>();
  /** Approximate stored size: snapshot plus the updates after it. */
  storedBytes = 0;
  #snapshotSeq = 0;
  #lastSeq = 0;
  #tailBytes = 0;
  #inFlight = 0;
  #compacting = false;
  #broken = false;
  readonly #store: Store;
  readonly #commits: CommitQueue;
  readonly #onBroken: (room: DocRoom) => void;

  constructor(
    document: DocumentRecord,
    store: Store,
    commits: CommitQueue,
    onBroken: (room: DocRoom) => void,
  ) {
    this.document = document;
    this.#store = store;
    this.#commits = commits;
    this.#onBroken = onBroken;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      const frame = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const member of this.members) if (member !== origin) member.send(frame);
    });
  }

  /** Cold load: the snapshot, then the log after it. Stored data was checked when written. */
  async load(): Promise<void> {
    const state = await this.#store.loadDocState(this.document.id);
    if (state.snapshot) Y.applyUpdate(this.doc, state.snapshot);
    for (const { update } of state.updates) Y.applyUpdate(this.doc, update);
    this.#snapshotSeq = state.snapshotSeq;
    this.#lastSeq = state.updates.at(-1)?.seq ?? state.snapshotSeq;
    this.#tailBytes = state.tailBytes;
    this.storedBytes = (state.snapshot?.byteLength ?? 0) + state.tailBytes;
  }

  get idle(): boolean {
    return this.members.size === 0 && this.#inFlight === 0 && !this.#compacting;
  }

  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Applies an update that passed the guard and the rules, persists what actually changed,
   * then broadcasts it. Resolves when it is durable (or when nothing changed).
   */
  async commit(update: Uint8Array, origin: RoomMember): Promise<void> {
    let effective: Uint8Array | null = null;
    const capture = (change: Uint8Array) => {
      effective = effective ? Y.mergeUpdates([effective, change]) : change;
    };
    this.doc.on('update', capture);
    try {
      Y.applyUpdate(this.doc, update, origin);
    } finally {
      this.doc.off('update', capture);
    }
    if (!effective) return; // a replay, or structs still waiting for their dependencies
    const change: Uint8Array = effective;
    this.#inFlight += 1;
    try {
      const seq = await this.#commits.append(this.document.id, change);
      this.#lastSeq = Math.max(this.#lastSeq, seq);
      this.#tailBytes += change.byteLength;
      this.storedBytes += change.byteLength;
    } catch {
      this.#break();
      return;
    } finally {
      this.#inFlight -= 1;
    }
    const frame = encodeSyncMessage(SYNC_UPDATE, change);
    for (const member of this.members) member.send(frame);
    if (this.#tailBytes > COMPACT_AFTER_BYTES) setImmediate(() => void this.#compact());
  }

  leave(member: RoomMember): void {
    this.members.delete(member);
    if (member.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...member.awarenessClients], member);
    }
  }

  /** Snapshot = the whole state; written with compare-and-set so a stale writer cannot win. */
  async #compact(): Promise<void> {
    if (this.#compacting || this.#broken || this.#inFlight > 0 || this.#lastSeq <= this.#snapshotSeq) return;
    this.#compacting = true;
    try {
      const uptoSeq = this.#lastSeq;
      const state = Y.encodeStateAsUpdate(this.doc);
      if (await this.#store.compactDoc(this.document.id, this.#snapshotSeq, uptoSeq, state)) {
        this.#snapshotSeq = uptoSeq;
        this.#tailBytes = 0;
        this.storedBytes = state.byteLength;
      } else {
        // Another instance compacted first: our view of the log is stale; reload next time.
        this.#break();
      }
    } catch {
      // Compaction is an optimisation: the log still holds everything. Try again later.
    } finally {
      this.#compacting = false;
    }
  }

  /**
   * The database refused a write: what this room holds in memory may no longer match what is
   * durable. Close everyone (their clients keep unacknowledged edits and resend them after
   * reconnecting) and drop the room so the next open reloads from the database.
   */
  #break(): void {
    if (this.#broken) return;
    this.#broken = true;
    for (const member of [...this.members]) member.close(4503, 'saving paused, reconnecting');
    this.members.clear();
    this.#onBroken(this);
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
