import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPromptAnswer, listEntries } from '#lib/journal/journal-doc.ts';
import {
  answerWords,
  journalCommand,
  shareCommand,
  writeToJournal,
  type AnswerJournal,
} from './prompt-answers.ts';

/** A journal as answering sees it, over a real journal document (the engine's own `addPromptAnswer`). */
function journalOver(doc: Y.Doc, phase: AnswerJournal['phase']) {
  const journal = {
    phase,
    flushes: 0,
    addPromptAnswer: (entry: { promptId: string; promptText: string; answer: string }) =>
      journal.phase === 'unlocked' ? addPromptAnswer(doc, entry) : null,
    flush: async () => {
      journal.flushes += 1;
    },
  };
  return journal;
}

const answer = { promptId: 'q1', promptText: 'What surprised you?', text: 'The quiet after the drum' };

describe('prompt answers on the tablet', () => {
  it('a journal answer’s command carries no words; a share carries them trimmed', () => {
    expect(journalCommand('q1')).toEqual({ type: 'prompt.answer', promptId: 'q1', share: 'journal' });
    expect(shareCommand('q1', 'therapist', '  \nHeavy, then light \n')).toEqual({
      type: 'prompt.answer',
      promptId: 'q1',
      share: 'therapist',
      text: 'Heavy, then light',
    });
    // The preview shows `answerWords` of the draft: exactly what `shareCommand` sends.
    const draft = '  Heavy,\nthen light  ';
    expect(shareCommand('q1', 'circle', draft)).toMatchObject({ text: answerWords(draft) });
    expect(answerWords(undefined)).toBe('');
  });

  it('writes into an unlocked journal and asks it to save, once per prompt', async () => {
    const doc = new Y.Doc();
    const journal = journalOver(doc, 'unlocked');
    expect(await writeToJournal(journal, answer)).toEqual({ ok: true });
    expect(await writeToJournal(journal, { ...answer, text: 'Changed my mind' })).toEqual({ ok: true });
    expect(listEntries(doc).map((e) => [e.kind, e.promptId, e.promptText, e.text])).toEqual([
      ['prompt_answer', 'q1', 'What surprised you?', 'Changed my mind'],
    ]);
    expect(journal.flushes).toBe(2);
  });

  it.each(['absent', 'locked', 'loading', 'error'] as const)(
    'writes nothing while the journal is %s: the answer must wait',
    async (phase) => {
      const doc = new Y.Doc();
      const journal = journalOver(doc, phase);
      expect(await writeToJournal(journal, answer)).toEqual({ ok: false, reason: 'locked' });
      expect(listEntries(doc)).toEqual([]);
      expect(journal.flushes).toBe(0);
    },
  );

  it('waits too when there is no journal on this tablet yet, or it locked between the check and the write', async () => {
    expect(await writeToJournal(null, answer)).toEqual({ ok: false, reason: 'locked' });
    const doc = new Y.Doc();
    const lockedMeanwhile = { ...journalOver(doc, 'unlocked'), addPromptAnswer: () => null };
    expect(await writeToJournal(lockedMeanwhile, answer)).toEqual({ ok: false, reason: 'locked' });
  });

  it('says the write failed when the journal throws, so the tablet does not tell the team it answered', async () => {
    const broken: AnswerJournal = {
      phase: 'unlocked',
      addPromptAnswer: () => {
        throw new Error('document destroyed');
      },
      flush: async () => undefined,
    };
    expect(await writeToJournal(broken, answer)).toEqual({ ok: false, reason: 'failed' });
  });
});
