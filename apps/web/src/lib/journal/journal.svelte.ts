/**
 * The participant journal as reactive state for the tablet and home pages. All behaviour is in
 * JournalEngine (journal-engine.ts, tested under Node); this file only makes its view reactive
 * with Svelte 5 runes. Each field is its own `$state.raw` signal: the entries list is replaced
 * whole on every change, and a raw signal does not wrap every stroke's points in proxies.
 *
 * Usage: `const journal = new Journal(); onMount(() => { journal.load(); return () => journal.destroy(); })`.
 * On a shared clinic tablet also `$effect(() => journal.useIdleLock())`.
 */
import { JOURNAL_IDLE_LOCK_MS, type JournalFailedUnlockView } from '@cairn/domain';
import type * as Y from 'yjs';
import { downloadJournal } from './export.ts';
import { watchIdle } from './idle-lock.ts';
import {
  initialJournalView,
  JournalEngine,
  type JournalOptions,
  type JournalPhase,
  type JournalProblem,
  type JournalView,
} from './journal-engine.ts';
import type { JournalEntryView } from './journal-doc.ts';

/** The engine's view, each field a raw signal (fields of a class compile to getter/setter pairs). */
class ReactiveView implements JournalView {
  readonly #initial = initialJournalView();
  phase = $state.raw<JournalPhase>(this.#initial.phase);
  doc = $state.raw<Y.Doc | null>(this.#initial.doc);
  entries = $state.raw<JournalEntryView[]>(this.#initial.entries);
  pending = $state.raw(this.#initial.pending);
  saved = $state.raw(this.#initial.saved);
  online = $state.raw(this.#initial.online);
  failedSinceLastUnlock = $state.raw<JournalFailedUnlockView[]>(this.#initial.failedSinceLastUnlock);
  retryAfterSeconds = $state.raw<number | null>(this.#initial.retryAfterSeconds);
  problem = $state.raw<JournalProblem | null>(this.#initial.problem);
}

export class Journal extends JournalEngine {
  constructor(options: JournalOptions = {}) {
    super(new ReactiveView(), options);
  }

  /**
   * Locks the journal after `ms` without a touch or key (shared tablets, AC-10). Returns the
   * function that stops watching, so `$effect(() => journal.useIdleLock())` cleans up after itself.
   * The watch starts when the journal is unlocked and stops when it locks.
   */
  useIdleLock(ms: number = JOURNAL_IDLE_LOCK_MS): () => void {
    if (this.phase !== 'unlocked') return () => undefined;
    const watch = watchIdle(() => void this.lock(), { ms });
    return () => watch.stop();
  }

  /** Exports the decrypted journal as a Markdown or HTML file (made here; nothing is uploaded). */
  download(format: 'markdown' | 'html'): void {
    if (this.phase !== 'unlocked') return;
    downloadJournal(this.entries, format);
  }
}

export type {
  JournalPhase,
  JournalProblem,
  JournalOptions,
  UnlockResult,
  SetUpResult,
} from './journal-engine.ts';
export type { JournalEntryView } from './journal-doc.ts';
export type { JournalStroke } from './drawing.ts';
