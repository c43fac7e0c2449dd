/**
 * Loaded event streams by id. Loading is single-flight; a stream nobody follows is dropped at
 * once (reloading costs one query). While the doorbell cannot vouch for itself, every loaded
 * stream polls the database, so events written on another instance still arrive (FT-05).
 */
import type { Store } from '@cairn/db';
import type { Doorbell } from './doorbell.ts';
import { StreamRoom, streamTopic, type StreamMember } from './stream-room.ts';

export class StreamRooms {
  readonly #rooms = new Map<string, { room: StreamRoom; ready: Promise<StreamRoom> }>();
  readonly #store: Store;
  readonly #doorbell: Doorbell;
  readonly #poller: NodeJS.Timeout;
  readonly #tabletSockets = new Map<string, number>();

  constructor(store: Store, doorbell: Doorbell, pollMs: number) {
    this.#store = store;
    this.#doorbell = doorbell;
    this.#poller = setInterval(() => {
      if (!doorbell.reliable) this.#catchUpAll();
    }, pollMs);
    this.#poller.unref();
    doorbell.onRecovered(() => this.#catchUpAll());
  }

  #catchUpAll(): void {
    for (const { room, ready } of this.#rooms.values()) {
      void ready.then(
        () => room.catchUp(),
        () => undefined,
      );
    }
  }

  get loaded(): number {
    return this.#rooms.size;
  }

  /** The rooms loaded on this instance (those with a socket following them), ready to read. */
  loadedRooms(): StreamRoom[] {
    return [...this.#rooms.values()].map(({ room }) => room).filter((room) => room.loaded);
  }

  /**
   * Counts a tablet socket of `participantId` opening (+1) or closing (-1) on this instance and
   * returns how many stay open: presence changes only on the first open and the last close, so
   * a tablet reconnecting before its old socket closed does not show as offline.
   */
  countTabletSocket(streamId: string, participantId: string, change: 1 | -1): number {
    const key = `${streamId}|${participantId}`;
    const count = Math.max(0, (this.#tabletSockets.get(key) ?? 0) + change);
    if (count === 0) this.#tabletSockets.delete(key);
    else this.#tabletSockets.set(key, count);
    return count;
  }

  /** Joins `member` to the stream's room, loading it first if needed. */
  async join(streamId: string, member: StreamMember): Promise<StreamRoom> {
    let entry = this.#rooms.get(streamId);
    if (!entry) {
      const room = new StreamRoom(streamId, this.#store, this.#doorbell);
      const ready = room.load().then(
        () => room,
        (error: unknown) => {
          this.#forget(room);
          throw error;
        },
      );
      entry = { room, ready };
      this.#rooms.set(streamId, entry);
    }
    entry.room.members.add(member);
    try {
      return await entry.ready;
    } catch (error) {
      entry.room.members.delete(member);
      throw error;
    }
  }

  leave(room: StreamRoom, member: StreamMember): void {
    room.members.delete(member);
    if (room.members.size === 0) this.#forget(room);
  }

  /** Tells every instance (this one included) that `streamId` has a new event at `seq`. */
  announce(streamId: string, seq: number): void {
    this.#doorbell.ring(streamTopic(streamId), seq);
  }

  #forget(room: StreamRoom): void {
    if (this.#rooms.get(room.streamId)?.room !== room) return;
    this.#rooms.delete(room.streamId);
    room.destroy();
  }

  close(): void {
    clearInterval(this.#poller);
    for (const { room } of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
  }
}
