import { applyPromptEvent, initialPrompts, PROMPT_LIBRARY, type PromptSnapshot } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { promptText, tabletPrompts } from './tablet-prompts.ts';

const library = PROMPT_LIBRARY[0]!;

function fold(events: [string, Record<string, unknown>, string][]): PromptSnapshot {
  return events.reduce(
    (prompts, [type, payload, at]) => applyPromptEvent(prompts, { type, payload, at }),
    initialPrompts(),
  );
}

const released = (promptId: string, participantId: string, extra: Record<string, unknown> = {}) => ({
  releaseId: `r-${promptId}-${participantId}`,
  promptId,
  participantId,
  libraryId: null,
  stage: 'return',
  text: `Words of ${promptId}`,
  hideSharedUntilRevealed: false,
  ...extra,
});

describe('promptText', () => {
  it("shows a default prompt in the tablet's language, a facilitator's own words as written", () => {
    expect(promptText(library.id, 'as released', 'es')).toBe(library.text.es);
    expect(promptText(library.id, 'as released', 'en')).toBe(library.text.en);
    expect(promptText(null, 'as released', 'es')).toBe('as released');
    expect(promptText('no-such-prompt', 'as released', 'es')).toBe('as released');
  });
});

describe('tabletPrompts', () => {
  const prompts = fold([
    ['prompt.released', released('a', 'p-ana'), '2026-11-22T08:00:00.000Z'],
    ['prompt.released', released('b', 'p-ana', { libraryId: library.id }), '2026-11-22T08:05:00.000Z'],
    ['prompt.released', released('c', 'p-ben'), '2026-11-22T08:06:00.000Z'],
    ['prompt.released', released('a', 'p-ben'), '2026-11-22T08:00:00.000Z'],
    ['prompt.seen', { promptId: 'a', participantId: 'p-ana' }, '2026-11-22T08:01:00.000Z'],
    ['prompt.answered', { promptId: 'a', participantId: 'p-ana', shared: false }, '2026-11-22T08:02:00.000Z'],
    [
      'prompt.answer_kept',
      { answerId: 'k1', promptId: 'a', participantId: 'p-ana', text: 'mine' },
      '2026-11-22T08:02:00.000Z',
    ],
    [
      'prompt.answer_shared',
      { answerId: 's1', promptId: 'a', participantId: 'p-ben', name: 'Ben', text: 'his' },
      '2026-11-22T08:03:00.000Z',
    ],
  ]);

  it('lists only the prompts released to this participant, newest first', () => {
    expect(tabletPrompts(prompts, 'p-ana', 'es').map((p) => [p.promptId, p.text])).toEqual([
      ['b', library.text.es],
      ['a', 'Words of a'],
    ]);
    expect(tabletPrompts(prompts, 'p-cy', 'en')).toEqual([]);
  });

  it('tells what this participant saw and answered, and what the others shared', () => {
    const [b, a] = tabletPrompts(prompts, 'p-ana', 'en');
    expect(b).toMatchObject({ seen: false, answered: null, ownAnswer: null, circle: [] });
    expect(b!.sharesWaitForReveal).toBe(false);
    expect(a).toMatchObject({ seen: true, answered: 'private', ownAnswer: 'mine', waitingForReveal: false });
    expect(a!.circle).toEqual([{ answerId: 's1', name: 'Ben', text: 'his' }]);
  });

  it('shows an answer held for the reveal as waiting, not among the circle', () => {
    const held = fold([
      [
        'prompt.released',
        released('a', 'p-ana', { hideSharedUntilRevealed: true }),
        '2026-11-22T08:00:00.000Z',
      ],
      [
        'prompt.answered',
        { promptId: 'a', participantId: 'p-ana', share: 'circle' },
        '2026-11-22T08:02:00.000Z',
      ],
      [
        'prompt.answer_held',
        { answerId: 'h1', promptId: 'a', participantId: 'p-ana', name: 'Ana', text: 'mine' },
        '2026-11-22T08:02:00.000Z',
      ],
    ]);
    expect(tabletPrompts(held, 'p-ana', 'en')[0]).toMatchObject({
      answered: 'circle',
      ownAnswer: 'mine',
      sharesWaitForReveal: true,
      waitingForReveal: true,
      circle: [],
    });
  });

  it("shows an answer for the therapist as this participant's own, never among the circle", () => {
    const toTherapist = fold([
      ['prompt.released', released('a', 'p-ana'), '2026-11-22T08:00:00.000Z'],
      [
        'prompt.answer_to_therapist',
        { answerId: 't1', promptId: 'a', participantId: 'p-ana', name: 'Ana', text: 'for you only' },
        '2026-11-22T08:02:00.000Z',
      ],
      [
        'prompt.answered',
        { promptId: 'a', participantId: 'p-ana', share: 'therapist' },
        '2026-11-22T08:02:00.000Z',
      ],
    ]);
    expect(tabletPrompts(toTherapist, 'p-ana', 'en')[0]).toMatchObject({
      answered: 'therapist',
      ownAnswer: 'for you only',
      waitingForReveal: false,
      circle: [],
    });
  });

  it('knows a journal answer happened without holding its words', () => {
    const kept = fold([
      ['prompt.released', released('a', 'p-ana'), '2026-11-22T08:00:00.000Z'],
      [
        'prompt.answered',
        { promptId: 'a', participantId: 'p-ana', share: 'journal' },
        '2026-11-22T08:02:00.000Z',
      ],
    ]);
    expect(tabletPrompts(kept, 'p-ana', 'en')[0]).toMatchObject({ answered: 'private', ownAnswer: null });
  });
});
