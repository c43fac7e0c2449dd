/**
 * Sockets outlive the request that opened them, so their session is re-checked on a short
 * interval: a logout, an expiry, a role change or "sign out everywhere" — on this instance or
 * any other sharing the database — closes the socket within one interval (AC-07, AC-09,
 * AC-17). If the database cannot answer, sockets stay as they are; new opens fail closed
 * because they need the database to be authorised at all.
 */
import {
  isSessionActive,
  newSweepMemo,
  type CoreContext,
  type SessionsEnded,
  type SweepMemo,
} from '@cairn/core';
import { CLOSE_CODES } from '@cairn/sync';

interface Watched {
  sessionId: string;
  userId: string;
  close(code: number, reason: string): void;
  /**
   * Whether the socket's grant still holds (e.g. still on the group's staff). Sockets sharing
   * a `key` share one check per sweep.
   */
  access?: { key: string; stillAllowed: () => Promise<boolean> };
  /**
   * How this socket's session is checked: a staff session unless given (a tablet's, AC-22).
   * `memo` is the sweep's: checks of one sweep share what they read (tablet-sign-in.ts).
   */
  isActive?: (sessionId: string, memo: SweepMemo) => Promise<boolean>;
}

export class RevocationSweeper {
  readonly #watched = new Set<Watched>();
  readonly #timer: NodeJS.Timeout;
  readonly #core: CoreContext;
  #sweeping = false;

  constructor(core: CoreContext, intervalMs: number) {
    this.#core = core;
    this.#timer = setInterval(() => void this.sweep(), intervalMs);
    this.#timer.unref();
  }

  watch(
    sessionId: string,
    userId: string,
    close: Watched['close'],
    access?: Watched['access'],
    isActive?: Watched['isActive'],
  ): () => void {
    const entry: Watched = {
      sessionId,
      userId,
      close,
      ...(access ? { access } : {}),
      ...(isActive ? { isActive } : {}),
    };
    this.#watched.add(entry);
    return () => this.#watched.delete(entry);
  }

  /**
   * Closes at once the sockets of sessions this process just ended, so not one more edit is
   * taken on them (AC-09); other instances learn it from the next sweep.
   */
  revoke(ended: SessionsEnded): void {
    for (const watched of [...this.#watched]) {
      if (watched.userId !== ended.userId) continue;
      if (ended.sessionIds && !ended.sessionIds.includes(watched.sessionId)) continue;
      this.#watched.delete(watched);
      watched.close(CLOSE_CODES.signedOut, 'session ended');
    }
  }

  /** One look-up per distinct session, however many sockets it has open. */
  async sweep(): Promise<void> {
    if (this.#sweeping || this.#watched.size === 0) return;
    this.#sweeping = true;
    try {
      const memo = newSweepMemo();
      const sessions = new Map<string, Watched['isActive']>();
      for (const w of this.#watched) if (!sessions.has(w.sessionId)) sessions.set(w.sessionId, w.isActive);
      for (const [sessionId, isActive] of sessions) {
        let active: boolean;
        try {
          active = await (isActive ?? ((id: string) => isSessionActive(this.#core, id)))(sessionId, memo);
        } catch {
          continue;
        }
        if (active) continue;
        for (const watched of [...this.#watched]) {
          if (watched.sessionId !== sessionId) continue;
          this.#watched.delete(watched);
          watched.close(CLOSE_CODES.signedOut, 'session ended');
        }
      }
      await this.#recheckAccess();
    } finally {
      this.#sweeping = false;
    }
  }

  /** Grants that can end without the session ending: removal from a group's staff. */
  async #recheckAccess(): Promise<void> {
    const checks = new Map<string, () => Promise<boolean>>();
    for (const watched of this.#watched) {
      if (watched.access && !checks.has(watched.access.key)) {
        checks.set(watched.access.key, watched.access.stillAllowed);
      }
    }
    for (const [key, stillAllowed] of checks) {
      let allowed: boolean;
      try {
        allowed = await stillAllowed();
      } catch {
        continue; // the database cannot answer: keep sockets as they are, as for sessions
      }
      if (allowed) continue;
      for (const watched of [...this.#watched]) {
        if (watched.access?.key !== key) continue;
        this.#watched.delete(watched);
        watched.close(CLOSE_CODES.forbidden, 'access ended');
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
