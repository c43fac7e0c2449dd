import { applyPromptEvent, initialPrompts, type PromptSnapshot } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { tileAnswers } from './tile-answers.ts';

let minute = 0;
function fold(events: [string, Record<string, unknown>][]): PromptSnapshot {
  return events.reduce(
    (prompts, [type, payload]) =>
      applyPromptEvent(prompts, { type, payload, at: new Date(Date.UTC(2026, 10, 22, 9, minute++)) }),
    initialPrompts(),
  );
}
const released = (promptId: string, participantId: string): [string, Record<string, unknown>] => [
  'prompt.released',
  {
    releaseId: `r-${promptId}-${participantId}`,
    promptId,
    participantId,
    libraryId: null,
    stage: 'sharing',
    text: `Prompt ${promptId}`,
    hideSharedUntilRevealed: false,
  },
];
const answered = (
  promptId: string,
  participantId: string,
  share: string,
): [string, Record<string, unknown>] => ['prompt.answered', { promptId, participantId, share }];
const words = (
  type: string,
  promptId: string,
  participantId: string,
  text: string,
): [string, Record<string, unknown>] => [
  type,
  { answerId: `a-${promptId}-${participantId}`, promptId, participantId, name: 'Ana', text },
];

describe('tileAnswers', () => {
  const prompts = fold([
    released('q1', 'p-ana'),
    released('q2', 'p-ana'),
    released('q3', 'p-ana'),
    released('q4', 'p-ana'),
    released('q1', 'p-ben'),
    answered('q1', 'p-ana', 'journal'),
    words('prompt.answer_to_therapist', 'q2', 'p-ana', 'Only for the team'),
    answered('q2', 'p-ana', 'therapist'),
    words('prompt.answer_shared', 'q3', 'p-ana', 'For the whole circle'),
    answered('q3', 'p-ana', 'circle'),
    words('prompt.answer_to_therapist', 'q1', 'p-ben', 'Ben to the team'),
    answered('q1', 'p-ben', 'therapist'),
  ]);

  it("shows a therapist share's words and only the fact of a private answer, newest first", () => {
    expect(tileAnswers(prompts, 'p-ana')).toEqual([
      {
        kind: 'therapist',
        promptId: 'q2',
        promptText: 'Prompt q2',
        answerId: 'a-q2-p-ana',
        text: 'Only for the team',
      },
      { kind: 'private', promptId: 'q1', promptText: 'Prompt q1' },
    ]);
  });

  it("leaves the circle's answers and unanswered prompts off the tile, and keeps each person's own", () => {
    const texts = JSON.stringify(tileAnswers(prompts, 'p-ana'));
    expect(texts).not.toContain('For the whole circle');
    expect(texts).not.toContain('Ben to the team');
    expect(tileAnswers(prompts, 'p-ben').map((a) => a.kind)).toEqual(['therapist']);
    expect(tileAnswers(prompts, 'p-cy')).toEqual([]);
  });

  it('shows an answer kept private before issue 6 as private, never with its words', () => {
    const old = fold([
      released('q1', 'p-ana'),
      words('prompt.answer_kept', 'q1', 'p-ana', 'Kept words'),
      ['prompt.answered', { promptId: 'q1', participantId: 'p-ana', shared: false }],
    ]);
    expect(tileAnswers(old, 'p-ana')).toEqual([{ kind: 'private', promptId: 'q1', promptText: 'Prompt q1' }]);
  });
});
