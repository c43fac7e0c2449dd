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

function reactiveView(): JournalView {
  const initial = initialJournalView();
  let phase = $state.raw<JournalPhase>(initial.phase);
  let doc = $state.raw<Y.Doc | null>(initial.doc);
  let entries = $state.raw<JournalEntryView[]>(initial.entries);
  let pending = $state.raw(initial.pending);
  let saved = $state.raw(initial.saved);
  let online = $state.raw(initial.online);
  let failedSinceLastUnlock = $state.raw<JournalFailedUnlockView[]>(initial.failedSinceLastUnlock);
  let retryAfterSeconds = $state.raw<number | null>(initial.retryAfterSeconds);
  let problem = $state.raw<JournalProblem | null>(initial.problem);
  return {
    get phase() {
      return phase;
    },
    set phase(value) {
      phase = value;
    },
    get doc() {
      return doc;
    },
    set doc(value) {
      doc = value;
    },
    get entries() {
      return entries;
    },
    set entries(value) {
      entries = value;
    },
    get pending() {
      return pending;
    },
    set pending(value) {
      pending = value;
    },
    get saved() {
      return saved;
    },
    set saved(value) {
      saved = value;
    },
    get online() {
      return online;
    },
    set online(value) {
      online = value;
    },
    get failedSinceLastUnlock() {
      return failedSinceLastUnlock;
    },
    set failedSinceLastUnlock(value) {
      failedSinceLastUnlock = value;
    },
    get retryAfterSeconds() {
      return retryAfterSeconds;
    },
    set retryAfterSeconds(value) {
      retryAfterSeconds = value;
    },
    get problem() {
      return problem;
    },
    set problem(value) {
      problem = value;
    },
  };
}

export class Journal extends JournalEngine {
  constructor(options: JournalOptions = {}) {
    super(reactiveView(), options);
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
