/**
 * Loaded rooms by document id. Loading is single-flight (two sockets opening a cold document
 * share one load), and an idle room is unloaded after a grace period — never while a write
 * is in flight.
 */
import type { DocumentRecord, Store } from '@cairn/db';
import type { CommitQueue } from './commit-queue.ts';
import type { Doorbell } from './doorbell.ts';
import { DocRoom } from './doc-room.ts';

export class DocRooms {
  readonly #rooms = new Map<string, { room: DocRoom; ready: Promise<DocRoom> }>();
  readonly #unloadTimers = new Map<string, NodeJS.Timeout>();
  readonly #store: Store;
  readonly #commits: CommitQueue;
  readonly #graceMs: number;
  readonly #doorbell: Doorbell;
  readonly #poller: NodeJS.Timeout;

  /**
   * `pollMs`: while the doorbell cannot vouch for itself (several instances without Redis, or
   * Redis down), every loaded room reads the database this often for others' updates (FT-05).
   */
  constructor(store: Store, commits: CommitQueue, doorbell: Doorbell, graceMs: number, pollMs: number) {
    this.#store = store;
    this.#commits = commits;
    this.#doorbell = doorbell;
    this.#graceMs = graceMs;
    this.#poller = setInterval(() => {
      if (!doorbell.reliable) this.#catchUpAll();
    }, pollMs);
    this.#poller.unref();
    doorbell.onRecovered(() => this.#catchUpAll());
  }

  #catchUpAll(): void {
    for (const { room, ready } of this.#rooms.values())
      void ready.then(
        () => room.catchUp(),
        () => undefined,
      );
  }

  get loaded(): number {
    return this.#rooms.size;
  }

  async join(document: DocumentRecord): Promise<DocRoom> {
    clearTimeout(this.#unloadTimers.get(document.id));
    this.#unloadTimers.delete(document.id);
    let entry = this.#rooms.get(document.id);
    if (!entry) {
      const room = new DocRoom(document, this.#store, this.#commits, this.#doorbell, (broken) =>
        this.#forget(broken),
      );
      const ready = room.load().then(
        () => room,
        (error: unknown) => {
          this.#forget(room);
          throw error;
        },
      );
      entry = { room, ready };
      this.#rooms.set(document.id, entry);
    }
    return entry.ready;
  }

  /** The loaded room of `docId`, if this instance has it (see DocRoom.freeze). */
  loadedRoom(docId: string): DocRoom | undefined {
    return this.#rooms.get(docId)?.room;
  }

  /** Called when a member leaves: unload later if nobody came back and nothing is pending. */
  release(room: DocRoom): void {
    if (!room.idle || room.broken) return;
    clearTimeout(this.#unloadTimers.get(room.document.id));
    const timer = setTimeout(() => {
      this.#unloadTimers.delete(room.document.id);
      if (room.idle) this.#forget(room);
      else this.release(room);
    }, this.#graceMs);
    timer.unref();
    this.#unloadTimers.set(room.document.id, timer);
  }

  /** Synchronous, so the next join after a broken room always loads a fresh one. */
  #forget(room: DocRoom): void {
    if (this.#rooms.get(room.document.id)?.room !== room) return;
    this.#rooms.delete(room.document.id);
    room.destroy();
  }

  close(): void {
    clearInterval(this.#poller);
    for (const timer of this.#unloadTimers.values()) clearTimeout(timer);
    this.#unloadTimers.clear();
    for (const { room } of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
  }
}
