/**
 * One session's event stream as this instance knows it: the highest committed seq it has
 * read, a window of recent events in memory, and the sockets following it. The database is
 * the truth: the room learns of new events from the doorbell (or a poll), reads them back in
 * seq order, and only then tells its members — so every instance delivers the same gapless
 * sequence, whoever wrote it.
 */
import type { EventRecord, Store } from '@cairn/db';
import type { Doorbell } from './doorbell.ts';

/** What the room needs of a socket: a nudge when events arrived. */
export interface StreamMember {
  advance(): void;
}

/** Recent events kept in memory so a room's members rarely read the database themselves. */
const WINDOW = 1_000;
const READ_PAGE = 500;

export function streamTopic(streamId: string): string {
  return `stream/${streamId}`;
}

export class StreamRoom {
  readonly streamId: string;
  readonly members = new Set<StreamMember>();
  /** Every event with seq ≤ head has been read; the window holds the last of them, gapless. */
  #head = 0;
  #window: EventRecord[] = [];
  #reading = false;
  #readAgain = false;
  #loaded = false;
  /**
   * The seq of the last `support.requested` this room read (its head when loaded: the history
   * before may hold one). The support sweeper reads the stream only when this is past the seq
   * at which it last found nothing waiting — so a quiet room costs it nothing.
   */
  #supportRequestedAt = 0;
  readonly #store: Store;
  readonly #stopListening: () => void;

  constructor(streamId: string, store: Store, doorbell: Doorbell) {
    this.streamId = streamId;
    this.#store = store;
    this.#stopListening = doorbell.listen(streamTopic(streamId), (seq) => {
      if (seq > this.#head) void this.catchUp();
    });
  }

  async load(): Promise<void> {
    this.#head = await this.#store.lastEventSeq(this.streamId);
    this.#supportRequestedAt = this.#head;
    this.#loaded = true;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get supportRequestedAt(): number {
    return this.#supportRequestedAt;
  }

  get head(): number {
    return this.#head;
  }

  /**
   * Reads what was committed after `head`, from any instance, and nudges the members. Single
   * flight: a ring during a read makes the read go round once more instead of racing it.
   */
  async catchUp(): Promise<void> {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    let advanced = false;
    try {
      do {
        this.#readAgain = false;
        let page: EventRecord[];
        do {
          page = await this.#store.readEvents(this.streamId, this.#head, READ_PAGE);
          for (const event of page) {
            if (event.seq !== this.#head + 1) throw new Error('event stream out of order');
            this.#window.push(event);
            this.#head = event.seq;
            if (event.type === 'support.requested') this.#supportRequestedAt = event.seq;
            advanced = true;
          }
          if (this.#window.length > WINDOW) this.#window = this.#window.slice(-WINDOW);
        } while (page.length === READ_PAGE);
      } while (this.#readAgain);
    } catch {
      // The database is unreachable: the next ring or poll tries again. Members keep what
      // they have; nothing is skipped because `head` only moves over events actually read.
    } finally {
      this.#reading = false;
    }
    if (advanced) for (const member of [...this.members]) member.advance();
  }

  /**
   * Up to `limit` events after `cursor`, oldest first, with no gap: from the window when it
   * reaches back that far, else from the database (a client resuming from long ago). Never
   * beyond `head`, so a member never runs ahead of what its room has confirmed.
   */
  async eventsAfter(cursor: number, limit: number): Promise<EventRecord[]> {
    if (cursor >= this.#head) return [];
    const first = this.#window[0];
    if (first && cursor >= first.seq - 1) {
      const start = cursor - first.seq + 1;
      return this.#window.slice(start, start + limit);
    }
    const read = await this.#store.readEvents(this.streamId, cursor, limit);
    return read.filter((event) => event.seq <= this.#head);
  }

  destroy(): void {
    this.#stopListening();
    this.members.clear();
    this.#window = [];
  }
}
