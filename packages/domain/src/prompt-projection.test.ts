import { describe, expect, it } from 'vitest';
import {
  applyPromptEvent,
  foldPromptEvents,
  heldAnswersOf,
  holdsSharedAnswers,
  isReleasedTo,
  promptTracking,
  releasedTo,
  releaseOf,
} from './prompt-projection.ts';
import type { FoldableEvent } from './session-projection.ts';

let minute = 0;
const ev = (type: string, payload: Record<string, unknown>): FoldableEvent => ({
  type,
  payload,
  at: new Date(Date.UTC(2026, 4, 1, 10, minute++)),
});
const release = (promptId: string, participantId: string, extra: object = {}) =>
  ev('prompt.released', {
    releaseId: `r-${promptId}-${participantId}`,
    promptId,
    participantId,
    libraryId: null,
    stage: 'sharing',
    text: `Text of ${promptId}`,
    hideSharedUntilRevealed: false,
    ...extra,
  });
const answer = (type: string, promptId: string, participantId: string, answerId: string, extra = {}) =>
  ev(type, { answerId, promptId, participantId, text: `Words of ${participantId}`, ...extra });

describe('prompt projection', () => {
  it('tracks what each participant was released, saw and answered', () => {
    const prompts = foldPromptEvents([
      release('q1', 'ana'),
      release('q1', 'bo'),
      release('q2', 'ana'),
      ev('prompt.seen', { promptId: 'q1', participantId: 'ana' }),
      ev('prompt.answered', { promptId: 'q1', participantId: 'ana', shared: false }),
      ev('prompt.seen', { promptId: 'q1', participantId: 'bo' }),
      ev('prompt.answered', { promptId: 'q1', participantId: 'bo', shared: true }),
    ]);
    expect(releasedTo(prompts, 'ana').map((r) => [r.promptId, r.answered, r.seenAt !== null])).toEqual([
      ['q1', 'private', true],
      ['q2', null, false],
    ]);
    expect(isReleasedTo(prompts, 'q2', 'ana')).toBe(true);
    expect(isReleasedTo(prompts, 'q2', 'bo')).toBe(false);
    expect(isReleasedTo(prompts, 'unknown', 'ana')).toBe(false);
    expect(promptTracking(prompts)).toEqual([
      expect.objectContaining({ promptId: 'q1', releasedTo: 2, seen: 2, answered: 2, shared: 1 }),
      expect.objectContaining({ promptId: 'q2', releasedTo: 1, seen: 0, answered: 0, shared: 0 }),
    ]);
  });

  it.each([
    ['a second release of the same prompt', [release('q1', 'ana', { releaseId: 'other', text: 'Changed' })]],
    ['a second seen', [ev('prompt.seen', { promptId: 'q1', participantId: 'ana' })]],
    ['a second answered', [ev('prompt.answered', { promptId: 'q1', participantId: 'ana', shared: true })]],
  ])('keeps the first fact over %s', (_what, later) => {
    const first = [
      release('q1', 'ana'),
      ev('prompt.seen', { promptId: 'q1', participantId: 'ana' }),
      ev('prompt.answered', { promptId: 'q1', participantId: 'ana', shared: false }),
    ];
    const before = releaseOf(foldPromptEvents(first), 'q1', 'ana');
    expect(releaseOf(foldPromptEvents([...first, ...later]), 'q1', 'ana')).toEqual(before);
  });

  it.each([
    ['seen', ev('prompt.seen', { promptId: 'q9', participantId: 'ana' })],
    ['answered', ev('prompt.answered', { promptId: 'q9', participantId: 'ana', shared: true })],
    [
      'a release without text',
      ev('prompt.released', { releaseId: 'r', promptId: 'q9', participantId: 'ana', stage: 'sharing' }),
    ],
    ['a release with an unknown stage', release('q9', 'ana', { stage: 'journey' })],
  ])('ignores %s for a prompt never (validly) released', (_what, event) => {
    const prompts = foldPromptEvents([event]);
    expect(prompts.released.size).toBe(0);
    expect(promptTracking(prompts)).toEqual([]);
  });

  it('keeps private answers apart from the circle, and moves held answers on reveal', () => {
    const prompts = foldPromptEvents([
      release('q1', 'ana', { hideSharedUntilRevealed: true }),
      release('q1', 'bo', { hideSharedUntilRevealed: true }),
      answer('prompt.answer_kept', 'q1', 'ana', 'a1'),
      answer('prompt.answer_held', 'q1', 'bo', 'a2', { name: 'Bo' }),
    ]);
    expect(prompts.kept.map((a) => a.answerId)).toEqual(['a1']);
    expect(heldAnswersOf(prompts, 'q1').map((a) => a.name)).toEqual(['Bo']);
    expect(prompts.shared).toEqual([]);
    expect(holdsSharedAnswers(prompts, releaseOf(prompts, 'q1', 'ana')!)).toBe(true);

    const revealed = foldPromptEvents([
      release('q1', 'ana', { hideSharedUntilRevealed: true }),
      answer('prompt.answer_held', 'q1', 'bo', 'a2', { name: 'Bo' }),
      answer('prompt.answer_shared', 'q1', 'bo', 'a2', { name: 'Bo' }),
      answer('prompt.answer_shared', 'q1', 'bo', 'a2', { name: 'Bo' }),
      ev('prompt.revealed', { promptId: 'q1' }),
    ]);
    expect(revealed.held).toEqual([]);
    expect(revealed.shared.map((a) => [a.answerId, a.name, a.text])).toEqual([['a2', 'Bo', 'Words of bo']]);
    expect(revealed.revealed.has('q1')).toBe(true);
    expect(holdsSharedAnswers(revealed, releaseOf(revealed, 'q1', 'ana')!)).toBe(false);
  });

  it('reads where an answer went, from issue 6 streams (`share`) and from older ones (`shared`)', () => {
    const answered = (participantId: string, payload: object) =>
      ev('prompt.answered', { promptId: 'q1', participantId, ...payload });
    const prompts = foldPromptEvents([
      ...['ana', 'bo', 'cy', 'di', 'ed', 'fa'].map((p) => release('q1', p)),
      answered('ana', { share: 'journal' }),
      answered('bo', { share: 'circle' }),
      answered('cy', { share: 'therapist' }),
      answered('di', { shared: false }),
      answered('ed', { shared: true }),
      // Neither field readable: counted as private, never as a share nobody made.
      answered('fa', { share: 'everyone' }),
    ]);
    expect(['ana', 'bo', 'cy', 'di', 'ed', 'fa'].map((p) => releaseOf(prompts, 'q1', p)!.answered)).toEqual([
      'private',
      'circle',
      'therapist',
      'private',
      'circle',
      'private',
    ]);
    expect(promptTracking(prompts)).toEqual([
      expect.objectContaining({ promptId: 'q1', answered: 6, shared: 2, toTherapist: 1 }),
    ]);
  });

  it('keeps answers for the therapist apart from the circle, once each', () => {
    const toTherapist = answer('prompt.answer_to_therapist', 'q1', 'ana', 'a1', { name: 'Ana' });
    const prompts = foldPromptEvents([
      release('q1', 'ana'),
      toTherapist,
      toTherapist,
      answer('prompt.answer_shared', 'q1', 'bo', 'a2', { name: 'Bo' }),
      // Without the name a therapist is told: malformed, ignored.
      answer('prompt.answer_to_therapist', 'q1', 'cy', 'a3'),
    ]);
    expect(prompts.toTherapist.map((a) => [a.answerId, a.name, a.text])).toEqual([
      ['a1', 'Ana', 'Words of ana'],
    ]);
    expect(prompts.shared.map((a) => a.answerId)).toEqual(['a2']);
    expect(prompts.kept).toEqual([]);
    expect(prompts.held).toEqual([]);
  });

  it('still folds a kept answer from a stream written before issue 6', () => {
    const prompts = foldPromptEvents([
      release('q1', 'ana'),
      answer('prompt.answer_kept', 'q1', 'ana', 'a1'),
      ev('prompt.answered', { promptId: 'q1', participantId: 'ana', shared: false }),
    ]);
    expect(prompts.kept.map((a) => [a.answerId, a.text])).toEqual([['a1', 'Words of ana']]);
    expect(releaseOf(prompts, 'q1', 'ana')!.answered).toBe('private');
    expect(prompts.toTherapist).toEqual([]);
  });

  it('keeps the return queue once per prompt, in order, and tracks queued prompts', () => {
    const queued = (promptId: string) =>
      ev('prompt.queued_for_return', {
        promptId,
        libraryId: 'return-1',
        stage: 'return',
        text: `Text of ${promptId}`,
        hideSharedUntilRevealed: false,
      });
    const prompts = foldPromptEvents([queued('q1'), queued('q2'), queued('q1'), release('q2', 'ana')]);
    expect(prompts.queue.map((q) => [q.promptId, q.libraryId])).toEqual([
      ['q1', 'return-1'],
      ['q2', 'return-1'],
    ]);
    expect(promptTracking(prompts).map((t) => [t.promptId, t.releasedTo, t.queued])).toEqual([
      ['q2', 1, true],
      ['q1', 0, true],
    ]);
  });

  it('does not change its input', () => {
    const start = foldPromptEvents([release('q1', 'ana')]);
    const next = applyPromptEvent(start, release('q2', 'ana'));
    expect(next.released.size).toBe(2);
    expect(start.released.size).toBe(1);
  });
});
