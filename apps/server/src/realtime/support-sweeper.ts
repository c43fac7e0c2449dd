/**
 * Escalates "I need support" requests nobody answered within the clinic's limit (PRODUCT §3.1),
 * on every instance: each tick looks at the session streams loaded here, and core's
 * `escalateDueSupport` writes `support.escalated` once whichever instance is first (its
 * idempotency key is the request's). Then the doorbell rings so every socket delivers it.
 *
 * Cheap when the room is quiet: a stream is read only if a `support.requested` arrived since the
 * sweeper last read it (StreamRoom.supportRequestedAt), or when a request it saw waiting falls
 * due (core re-reads a waiting stream at least every few seconds, so a limit the clinic
 * shortened meanwhile still counts). A stream nobody
 * follows is not loaded anywhere and not swept; the first socket to follow it again (a staff
 * member reconnecting after a restart) loads it, and the next tick escalates what is due.
 */
import { escalateDueSupport, type CoreContext } from '@cairn/core';
import type { FastifyBaseLogger } from 'fastify';
import type { StreamRooms } from './stream-rooms.ts';

export class SupportSweeper {
  readonly #core: CoreContext;
  readonly #rooms: StreamRooms;
  readonly #log: FastifyBaseLogger;
  readonly #timer: NodeJS.Timeout;
  /** By stream id: the seq the last sweep read up to, and when its next waiting request falls due. */
  readonly #read = new Map<string, { through: number; nextDueAt: number | null }>();
  /** The pass in flight, if any: closing waits for it, so nothing is written after close. */
  #sweeping: Promise<void> | null = null;
  #stopped = false;

  constructor(core: CoreContext, rooms: StreamRooms, tickMs: number, log: FastifyBaseLogger) {
    this.#core = core;
    this.#rooms = rooms;
    this.#log = log;
    this.#timer = setInterval(() => void this.sweep(), tickMs);
    this.#timer.unref();
  }

  /** One pass over the loaded streams that may have a request waiting. */
  sweep(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#sweeping ??= this.#pass().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  async #pass(): Promise<void> {
    const loaded = this.#rooms.loadedRooms();
    const ids = new Set(loaded.map((room) => room.streamId));
    for (const id of this.#read.keys()) if (!ids.has(id)) this.#read.delete(id);
    for (const room of loaded) {
      const read = this.#read.get(room.streamId);
      const nothingNew = read !== undefined && read.through >= room.supportRequestedAt;
      const dueAt = read?.nextDueAt ?? null;
      const nothingDue = dueAt === null || this.#core.now().getTime() < dueAt;
      if (nothingNew && nothingDue) continue;
      if (this.#stopped) return;
      await this.#sweepStream(room.streamId);
    }
  }

  async #sweepStream(streamId: string): Promise<void> {
    try {
      const result = await escalateDueSupport(this.#core, streamId);
      for (const seq of result.escalated) this.#rooms.announce(streamId, seq);
      this.#read.set(streamId, { through: result.checkedThrough, nextDueAt: result.nextDueAt });
    } catch {
      // The database cannot answer now: the next tick tries again. No ids or PHI in the log.
      this.#log.warn({ event: 'support_sweep_failed' }, 'support escalation sweep failed; retrying');
    }
  }

  /**
   * Stops ticking and waits for the pass in flight. An escalation committed after its server
   * closed would ring a doorbell nobody listens to any more: a server restarting in the same
   * process (tests; an embedding host) would load the stream before it and never hear of it.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#sweeping;
  }
}
