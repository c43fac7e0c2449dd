/**
 * How instances tell each other "document X has a new update (seq N)" or "session stream Y has
 * a new event (seq N)". A topic is a document id or `stream/<id>` (ids never contain `/`,
 * so the two cannot collide). The database is the
 * truth; the doorbell only says where to look. A missed ring costs latency, never data: rooms
 * also notice gaps in the seqs they get back from their own commits, and poll the database
 * whenever the doorbell cannot vouch for itself (no Redis, or Redis down).
 */
import { Redis } from 'ioredis';

export interface Doorbell {
  ring(topic: string, seq: number): void;
  /** `onRing(seq)` for rings about `topic` from any instance (this one included). */
  listen(topic: string, onRing: (seq: number) => void): () => void;
  /** False while rings may be missed: rooms then poll the database. */
  readonly reliable: boolean;
  /** Called whenever `reliable` turns true again, so rooms catch up on what they missed. */
  onRecovered(callback: () => void): void;
  close(): Promise<void>;
}

/** One process with no peers (SQLite, or PostgreSQL with a single instance and no Redis). */
export class LocalDoorbell implements Doorbell {
  readonly #listeners = new Map<string, Set<(seq: number) => void>>();
  readonly reliable: boolean;

  /** `reliable` is false when other instances may write the same database unseen. */
  constructor(reliable: boolean) {
    this.reliable = reliable;
  }

  ring(topic: string, seq: number): void {
    for (const listener of this.#listeners.get(topic) ?? []) listener(seq);
  }

  listen(topic: string, onRing: (seq: number) => void): () => void {
    let set = this.#listeners.get(topic);
    if (!set) this.#listeners.set(topic, (set = new Set()));
    set.add(onRing);
    return () => {
      set.delete(onRing);
      if (set.size === 0) this.#listeners.delete(topic);
    };
  }

  onRecovered(): void {}

  async close(): Promise<void> {}
}

const CHANNEL_PREFIX = 'cairn:ring:';

/** Redis pub/sub between instances. Messages carry only an opaque id and a number: no PHI. */
export class RedisDoorbell implements Doorbell {
  readonly #local = new LocalDoorbell(true);
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #recovered = new Set<() => void>();
  #reliable = false;

  constructor(url: string) {
    const options = {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (n: number) => Math.min(n * 200, 2000),
    };
    this.#publisher = new Redis(url, options);
    this.#subscriber = new Redis(url, options);
    this.#publisher.on('error', () => undefined);
    this.#subscriber.on('error', () => {
      this.#reliable = false;
    });
    this.#subscriber.on('close', () => {
      this.#reliable = false;
    });
    this.#subscriber.on('ready', () => {
      void this.#subscriber.psubscribe(`${CHANNEL_PREFIX}*`).then(
        () => {
          this.#reliable = true;
          for (const callback of this.#recovered) callback();
        },
        () => undefined,
      );
    });
    this.#subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      const seq = Number(message);
      if (Number.isSafeInteger(seq)) this.#local.ring(channel.slice(CHANNEL_PREFIX.length), seq);
    });
  }

  get reliable(): boolean {
    return this.#reliable;
  }

  ring(topic: string, seq: number): void {
    // Local listeners hear it at once; peers through Redis. A failed publish is fine: peers
    // poll while the doorbell is unreliable, and notice gaps anyway.
    this.#local.ring(topic, seq);
    this.#publisher.publish(`${CHANNEL_PREFIX}${topic}`, String(seq)).catch(() => undefined);
  }

  listen(topic: string, onRing: (seq: number) => void): () => void {
    return this.#local.listen(topic, onRing);
  }

  onRecovered(callback: () => void): void {
    this.#recovered.add(callback);
  }

  async close(): Promise<void> {
    this.#reliable = false;
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}
