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
import type { Doorbell } from './doorbell.ts';

/** What a room needs from each connection: sending, closing, and whose client ids it holds. */
export interface RoomMember {
  userId: string;
  /** The socket was opened for writing (closed when the document is frozen, see `freeze`). */
  writes: boolean;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Client ids whose awareness entries this connection set (removed when it leaves). */
  awarenessClients: Set<number>;
}

/** Compact once this many bytes of updates sit after the snapshot. */
export const COMPACT_AFTER_BYTES = 512 * 1024;
const CATCH_UP_PAGE = 500;
/** Transaction origin of updates read back from the database. */
const REMOTE = Symbol('remote');

export class DocRoom {
  readonly document: DocumentRecord;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly members = new Set<RoomMember>();
  /**
   * Which user writes under each client id (a cache of the database's `doc_clients`); another
   * user may not reuse it (BI-Y6).
   */
  readonly clientOwners = new Map<number, string>();
  /** Which user shows presence under each client id (a writer's binding takes precedence). */
  readonly #presenceOwners = new Map<number, string>();
  /** The same, for presence shown from sockets that may write. */
  readonly #writerPresence = new Map<number, string>();
  /** Approximate stored size: snapshot plus the updates after it. */
  storedBytes = 0;
  #snapshotSeq = 0;
  /** Every update with seq ≤ this is applied here; later ones may be missing (other instances). */
  #contiguous = 0;
  #tailBytes = 0;
  #inFlight = 0;
  #compacting = false;
  /** Another instance compacts this document: leave it to that one until we reload. */
  #compactionLost = false;
  #catchingUp = false;
  #catchUpAgain = false;
  #broken = false;
  #frozen: { code: number; reason: string } | null = null;
  /** Changes handed to the commit queue, and how many of them are committed (in order). */
  #submitted = 0;
  #persisted = 0;
  /** `whenDurable` callers, each waiting for `#persisted` to reach `upTo` (ascending). */
  #durableWaiters: Array<{ upTo: number; resolve: () => void; reject: (error: Error) => void }> = [];
  readonly #store: Store;
  readonly #commits: CommitQueue;
  readonly #doorbell: Doorbell;
  readonly #onBroken: (room: DocRoom) => void;
  readonly #stopListening: () => void;

  constructor(
    document: DocumentRecord,
    store: Store,
    commits: CommitQueue,
    doorbell: Doorbell,
    onBroken: (room: DocRoom) => void,
  ) {
    this.document = document;
    this.#store = store;
    this.#commits = commits;
    this.#doorbell = doorbell;
    this.#onBroken = onBroken;
    this.#stopListening = doorbell.listen(document.id, (seq) => {
      if (seq > this.#contiguous) void this.catchUp();
    });
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
    this.#contiguous = state.updates.at(-1)?.seq ?? state.snapshotSeq;
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
   * Applies an update that passed the guard and the rules, then persists what actually changed
   * and broadcasts it once durable — in the background, so the socket can go on to its next
   * frame while the group commit gathers more. Order holds: the commit queue resolves in order.
   * Returns whether parts were dropped for missing dependencies (the caller asks for a resync).
   */
  submit(update: Uint8Array, origin: RoomMember): { incomplete: boolean } {
    const { change, incomplete } = this.#apply(update, origin);
    if (change) {
      this.storedBytes += change.byteLength;
      this.#track(this.#persist(change, origin));
    }
    return { incomplete };
  }

  /**
   * Resolves once every change submitted before this call is committed, so a description of
   * the room's state taken *now* (a sync step 2, a state vector) may be sent as durable: the
   * state holds nothing else (loads and catch-ups come from the database). Rejects if the room
   * breaks first (its members are closed then anyway).
   */
  whenDurable(): Promise<void> {
    if (this.#broken) return Promise.reject(new Error('room broken'));
    if (this.#persisted >= this.#submitted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#durableWaiters.push({ upTo: this.#submitted, resolve, reject });
    });
  }

  /** Counts a change as submitted, and as persisted once `#persist` is done with it. */
  #track(persisting: Promise<void>): void {
    this.#submitted += 1;
    void persisting.finally(() => {
      if (this.#broken) return; // this or an earlier commit failed: #break rejected the waiters
      this.#persisted += 1; // commits resolve in order, so this counts a prefix of the submitted
      while (this.#durableWaiters.length > 0 && this.#durableWaiters[0]!.upTo <= this.#persisted) {
        this.#durableWaiters.shift()!.resolve();
      }
    });
  }

  async #persist(change: Uint8Array, author: RoomMember): Promise<void> {
    this.#inFlight += 1;
    let seq: number;
    try {
      // Stored with who sent it (BI-Y12). Staff browsers have no device id; tablets will.
      seq = await this.#commits.append(this.document.id, change, { actorId: author.userId, deviceId: null });
    } catch {
      this.#break();
      return;
    } finally {
      this.#inFlight -= 1;
    }
    this.#tailBytes += change.byteLength;
    if (seq === this.#contiguous + 1) this.#contiguous = seq;
    else if (seq > this.#contiguous + 1) void this.catchUp(); // another instance wrote in between
    this.#broadcast(change);
    this.#doorbell.ring(this.document.id, seq);
    if (this.#tailBytes > COMPACT_AFTER_BYTES) setImmediate(() => void this.#compact());
  }

  /**
   * Reads what other instances committed since `#contiguous` and applies it. Our own updates
   * come back too and change nothing (Yjs applies idempotently), so only news is broadcast.
   */
  async catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return;
    }
    this.#catchingUp = true;
    try {
      do {
        this.#catchUpAgain = false;
        let page: Awaited<ReturnType<Store['readDocUpdates']>>;
        do {
          page = await this.#store.readDocUpdates(this.document.id, this.#contiguous, CATCH_UP_PAGE);
          for (const { seq, update } of page) {
            if (this.#broken) return;
            const { change } = this.#apply(update, REMOTE);
            if (change) this.#broadcast(change);
            this.#contiguous = Math.max(this.#contiguous, seq);
            this.#tailBytes += update.byteLength;
            this.storedBytes += update.byteLength;
          }
        } while (page.length === CATCH_UP_PAGE);
      } while (this.#catchUpAgain);
    } catch {
      // The database is unreachable: the next ring or poll tries again.
    } finally {
      this.#catchingUp = false;
    }
  }

  /**
   * Applies an update and returns what actually changed (null if nothing did). Structs whose
   * dependencies are missing are not kept waiting here: Yjs would hold them in memory without
   * bound and re-merge them on every later update (BI-Y7). They are dropped — never stored,
   * never acknowledged — and `incomplete` tells the caller to ask its client to sync again.
   */
  #apply(update: Uint8Array, origin: unknown): { change: Uint8Array | null; incomplete: boolean } {
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
    const store = this.doc.store;
    const incomplete = store.pendingStructs !== null || store.pendingDs !== null;
    if (incomplete) {
      store.pendingStructs = null;
      store.pendingDs = null;
    }
    return { change: effective, incomplete };
  }

  #broadcast(change: Uint8Array): void {
    const frame = encodeSyncMessage(SYNC_UPDATE, change);
    for (const member of this.members) member.send(frame);
  }

  /**
   * Whether, as far as this room knows, `userId` may write structs under `clientId`: not if
   * another user writes under it, nor if another *writer* already shows presence with it (so a
   * co-author cannot squat an id they saw in presence). A read-only viewer's presence does not
   * count: it must not lock a writer out.
   */
  mayWriteAs(clientId: number, userId: string): boolean {
    const owner = this.clientOwners.get(clientId) ?? this.#writerPresence.get(clientId);
    return owner === undefined || owner === userId;
  }

  /**
   * Binds client ids to the user writing with them, durably: ids new to this room are claimed
   * in the database first. False (binding nothing new) if any id belongs to someone else.
   */
  async claimWriter(clientIds: number[], userId: string): Promise<boolean> {
    const unseen = clientIds.filter((id) => !this.clientOwners.has(id));
    if (unseen.length > 0) {
      const owners = await this.#store.claimDocClients(this.document.id, userId, unseen);
      for (const [id, owner] of owners) this.clientOwners.set(id, owner);
    }
    if (clientIds.some((id) => this.clientOwners.get(id) !== userId)) return false;
    for (const id of clientIds) this.#takePresence(id, userId);
    return true;
  }

  /** Presence under an id follows its writer; someone else's (forged) entry there goes. */
  #takePresence(clientId: number, userId: string): void {
    const shownBy = this.#presenceOwners.get(clientId);
    this.#presenceOwners.set(clientId, userId);
    this.#writerPresence.set(clientId, userId);
    if (shownBy !== undefined && shownBy !== userId) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], 'rebound');
    }
  }

  /** Whether `userId` may show presence under `clientId`, claiming it if nobody has. */
  mayShowPresence(clientId: number, userId: string, canWrite: boolean): boolean {
    const owner = this.clientOwners.get(clientId) ?? this.#presenceOwners.get(clientId);
    if (owner !== undefined && owner !== userId) return false;
    this.#presenceOwners.set(clientId, userId);
    if (canWrite) this.#writerPresence.set(clientId, userId);
    return true;
  }

  /**
   * The document just became read-only (signed notes). Writers are closed rather than told to
   * stop: the stock y-websocket client has no "read-only now" message, but it reconnects after
   * `reopen`, and the new socket opens read-only. Closing also drops every update of theirs
   * still being checked (a socket checks `closed` right before it applies anything), so nothing
   * is written after the signature on this instance; other instances close theirs within one
   * revocation sweep (their access, read again, changed).
   */
  freeze(code: number, reason: string): void {
    this.#frozen = { code, reason };
    for (const member of [...this.members]) if (member.writes) member.close(code, reason);
  }

  /**
   * Set once the document is frozen: a writer whose socket was authorised just before, and
   * joins after, is closed the same way (`DocRooms.join` callers check it).
   */
  get frozen(): { code: number; reason: string } | null {
    return this.#frozen;
  }

  leave(member: RoomMember): void {
    this.members.delete(member);
    if (member.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...member.awarenessClients], member);
    }
  }

  /** Snapshot = the whole state; written with compare-and-set so a stale writer cannot win. */
  async #compact(): Promise<void> {
    if (this.#compacting || this.#compactionLost || this.#broken || this.#inFlight > 0) return;
    if (this.#contiguous <= this.#snapshotSeq) return;
    this.#compacting = true;
    try {
      const uptoSeq = this.#contiguous;
      const state = Y.encodeStateAsUpdate(this.doc);
      if (await this.#store.compactDoc(this.document.id, this.#snapshotSeq, uptoSeq, state)) {
        this.#snapshotSeq = uptoSeq;
        this.#tailBytes = 0;
        this.storedBytes = state.byteLength;
      } else {
        this.#compactionLost = true;
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
    for (const waiter of this.#durableWaiters.splice(0)) waiter.reject(new Error('room broken'));
    for (const member of [...this.members]) member.close(4503, 'saving paused, reconnecting');
    this.members.clear();
    this.#onBroken(this);
  }

  destroy(): void {
    this.#stopListening();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
