/**
 * What a journal page shows (JournalView) and the results of its actions, apart from the engine
 * that drives them, plus how the server's refusals map to the problems a page can explain.
 */
import type { JournalFailedUnlockView } from '@cairn/domain';
import type * as Y from 'yjs';
import type { ApiFailure } from '../api.ts';
import type { JournalEntryView } from './journal-doc.ts';

export type JournalPhase = 'loading' | 'absent' | 'locked' | 'unlocked' | 'error';

/**
 * What stands in the way, as a stable code the page turns into words (messages `journal_problem_<code>`):
 * - `unreachable`: no answer from Cairn (offline); retried on its own.
 * - `signed_out`: the sign-in ended or this person has no journal here; sign in again.
 * - `journal_exists`: set-up raced another device; unlock with that passphrase instead.
 * - `proof_rejected`: the passphrase was changed on another device; unlock again.
 * - `too_large`: one change is larger than a blob may be (it is kept and saved with the next snapshot).
 * - `damaged`: the server's copy of a key or blob does not decrypt.
 * - `unexpected`: anything else.
 */
export type JournalProblem =
  'unreachable' | 'signed_out' | 'journal_exists' | 'proof_rejected' | 'too_large' | 'damaged' | 'unexpected';

export type UnlockResult = 'ok' | 'wrong' | { retryAfterSeconds: number } | { problem: JournalProblem };
export type SetUpResult = { recoveryCode: string } | { problem: JournalProblem };

/** The state a page shows; journal.svelte.ts makes every field reactive. */
export interface JournalView {
  phase: JournalPhase;
  /** The decrypted document while unlocked; null otherwise. */
  doc: Y.Doc | null;
  /** Newest first; empty while locked. */
  entries: JournalEntryView[];
  /** Local changes not yet acknowledged by the server (including ones buffered from before a reload). */
  pending: number;
  /** True only when the server has acknowledged every local change: "Saved" means durable. */
  saved: boolean;
  online: boolean;
  /** Wrong secrets someone tried since the participant last unlocked (AC-03). */
  failedSinceLastUnlock: JournalFailedUnlockView[];
  /** While locked: how long the server asks to wait before the next attempt. */
  retryAfterSeconds: number | null;
  problem: JournalProblem | null;
}

export function initialJournalView(): JournalView {
  return {
    phase: 'loading',
    doc: null,
    entries: [],
    pending: 0,
    saved: true,
    online: true,
    failedSinceLastUnlock: [],
    retryAfterSeconds: null,
    problem: null,
  };
}

export function problemOf(answer: ApiFailure): JournalProblem {
  if (answer.status === 0 || answer.error.error === 'unreachable') return 'unreachable';
  if (answer.status === 401 || answer.status === 404) return 'signed_out';
  if (answer.error.error === 'journal_exists') return 'journal_exists';
  return 'unexpected';
}

/**
 * The server refuses a wrong proof with 401 or 403 (the ApiError code says which secret was
 * wrong, but the page only needs to know it was).
 */
export function isWrongSecret(answer: ApiFailure): boolean {
  return answer.status === 401 || answer.status === 403 || answer.error.error === 'wrong_secret';
}
