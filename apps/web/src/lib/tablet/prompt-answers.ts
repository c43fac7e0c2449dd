/**
 * Where a tablet sends a prompt answer, apart from Svelte: the command for each destination,
 * and the order a private answer takes — into the participant's encrypted journal first, then
 * the `prompt.answer` that tells the team only that they answered. The words of a private
 * answer are never in a command (the server refuses them there too).
 */
import type { PromptAnswerShare } from '@cairn/domain';
import type { StreamCommand } from '@cairn/sync';

/** What answering needs of the participant's journal (the journal engine's `Journal` fits it). */
export interface AnswerJournal {
  readonly phase: 'loading' | 'absent' | 'locked' | 'unlocked' | 'error';
  /** The entry's id once the words are in the journal's document; null when it is locked. */
  addPromptAnswer(entry: { promptId: string; promptText: string; answer: string }): string | null;
  /** Sends the journal's waiting (encrypted) changes; resolves once the server has them or a send failed. */
  flush(): Promise<void>;
}

/** A share: a plaintext copy of the words, to the circle or to the group's staff. */
export type ShareDestination = Exclude<PromptAnswerShare, 'journal'>;

export function shareCommand(promptId: string, share: ShareDestination, text: string): StreamCommand {
  return { type: 'prompt.answer', promptId, share, text: text.trim() };
}

/** A journal answer's command: that the prompt was answered privately, and nothing more. */
export function journalCommand(promptId: string): StreamCommand {
  return { type: 'prompt.answer', promptId, share: 'journal' };
}

/** The words to keep or share: what the participant wrote, without the spaces around it. */
export function answerWords(draft: string | undefined): string {
  return (draft ?? '').trim();
}

export type JournalWrite = { ok: true } | { ok: false; reason: 'locked' | 'failed' };

/**
 * Writes one answer into the journal, which must be unlocked on this tablet, and asks it to
 * save at once; only when that write is done may the tablet send `journalCommand` (the team
 * would otherwise read "answered" for words that were never kept). Offline, the journal keeps
 * the change in its own encrypted buffer and saves it later: the words are kept either way.
 */
export async function writeToJournal(
  journal: AnswerJournal | null,
  answer: { promptId: string; promptText: string; text: string },
): Promise<JournalWrite> {
  if (journal?.phase !== 'unlocked') return { ok: false, reason: 'locked' };
  try {
    const entryId = journal.addPromptAnswer({
      promptId: answer.promptId,
      promptText: answer.promptText,
      answer: answer.text,
    });
    if (entryId === null) return { ok: false, reason: 'locked' };
    await journal.flush();
    return { ok: true };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}
