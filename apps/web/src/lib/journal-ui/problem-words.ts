import type { JournalProblem } from '#lib/journal/journal.svelte.ts';
import { m } from '#lib/paraglide/messages.js';

/** What stands in the way (journal-engine.ts's codes), in the reader's language. */
export const PROBLEM_WORDS: Record<JournalProblem, () => string> = {
  unreachable: m.journal_problem_unreachable,
  signed_out: m.journal_problem_signed_out,
  journal_exists: m.journal_problem_journal_exists,
  proof_rejected: m.journal_problem_proof_rejected,
  too_large: m.journal_problem_too_large,
  damaged: m.journal_problem_damaged,
  unexpected: m.journal_problem_unexpected,
};
