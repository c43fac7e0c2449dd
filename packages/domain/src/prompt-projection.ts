/**
 * Released prompts as a session's stream tells them: what each participant was given, saw and
 * answered, the answers shared with the circle, and what waits to go out as people return.
 * The server folds it to decide (release on return, reveal), the board for seen/answered
 * tracking, a tablet for its own prompts and answers. Pure; each screen folds what it may see,
 * so the same fold on a tablet holds only that participant's prompts and answers, and on a
 * staff screen never a private answer's words. Since issue 6 a private answer's words go into
 * the participant's encrypted journal and reach no stream at all; `prompt.answer_kept` (the
 * words of a private answer, to its author only) is still folded for streams written before.
 */
import { PROMPT_ANSWER_SHARES, PROMPT_STAGES, type PromptAnswerShare, type PromptStage } from './prompts.ts';
import type { FoldableEvent } from './session-projection.ts';

/** One prompt as released to one participant, with what they did with it. */
export interface ReleasedPrompt {
  releaseId: string;
  promptId: string;
  participantId: string;
  libraryId: string | null;
  stage: PromptStage;
  text: string;
  hideSharedUntilRevealed: boolean;
  releasedAt: string;
  seenAt: string | null;
  /** The seq of its `prompt.seen`, when the folded events carry seqs (a repeated "seen" is answered with it). */
  seenSeq: number | null;
  /**
   * Whether they answered, and where the answer went: `private` (their journal, or kept before
   * issue 6), `circle` or `therapist`; never the words (those are in the answer lists).
   */
  answered: AnsweredAs | null;
}

/** Where an answer went, as tracking tells it. */
export type AnsweredAs = 'private' | 'circle' | 'therapist';

/** A prompt waiting in the staff's queue for each participant's return. */
export interface QueuedPrompt {
  promptId: string;
  libraryId: string | null;
  stage: PromptStage;
  text: string;
  hideSharedUntilRevealed: boolean;
  queuedAt: string;
}

/** An answer's words: kept (its author's alone, before issue 6), held, shared with the circle or the therapist. */
export interface PromptAnswer {
  answerId: string;
  promptId: string;
  participantId: string;
  text: string;
  at: string;
}

/** An answer for the circle or the therapist carries the name its author goes by in the group. */
export interface CircleAnswer extends PromptAnswer {
  name: string;
}

export interface PromptSnapshot {
  /** Every release, by `participantId|promptId`: a prompt reaches a participant at most once. */
  released: ReadonlyMap<string, ReleasedPrompt>;
  /** The return queue, in the order it was filled (staff only). */
  queue: readonly QueuedPrompt[];
  /** Private answers written before issue 6: only their author's tablet ever folds these. */
  kept: readonly PromptAnswer[];
  /** Shared answers waiting for the facilitator's reveal (staff and the author see them). */
  held: readonly CircleAnswer[];
  /** Answers shared with the circle, in the order they were shared. */
  shared: readonly CircleAnswer[];
  /** Answers shared with the therapist: staff and each answer's author fold these, no one else. */
  toTherapist: readonly CircleAnswer[];
  /** Prompts whose held answers were revealed: later shares go straight to the circle. */
  revealed: ReadonlySet<string>;
}

export function initialPrompts(): PromptSnapshot {
  return {
    released: new Map(),
    queue: [],
    kept: [],
    held: [],
    shared: [],
    toTherapist: [],
    revealed: new Set(),
  };
}

export const releaseKey = (participantId: string, promptId: string) => `${participantId}|${promptId}`;

const str = (value: unknown): value is string => typeof value === 'string';
const isStage = (value: unknown): value is PromptStage =>
  str(value) && (PROMPT_STAGES as readonly string[]).includes(value);
const atOf = (event: FoldableEvent) => (typeof event.at === 'string' ? event.at : event.at.toISOString());

/** The fields every answer event carries, or null for a malformed one (ignored, fail closed). */
function answerOf(event: FoldableEvent): PromptAnswer | null {
  const { answerId, promptId, participantId, text } = event.payload;
  if (!str(answerId) || !str(promptId) || !str(participantId) || !str(text)) return null;
  return { answerId, promptId, participantId, text, at: atOf(event) };
}

function circleAnswerOf(event: FoldableEvent): CircleAnswer | null {
  const answer = answerOf(event);
  const name = event.payload['name'];
  return answer && str(name) ? { ...answer, name } : null;
}

/**
 * Where a `prompt.answered` says the answer went: `share` since issue 6, the boolean `shared`
 * before it (true: the circle; false: kept private).
 */
function answeredAs(payload: Record<string, unknown>): AnsweredAs {
  const share = payload['share'];
  if (str(share) && (PROMPT_ANSWER_SHARES as readonly string[]).includes(share)) {
    return (share as PromptAnswerShare) === 'journal' ? 'private' : (share as AnsweredAs);
  }
  return payload['shared'] === true ? 'circle' : 'private';
}

function withRelease(prompts: PromptSnapshot, event: FoldableEvent): PromptSnapshot {
  const { releaseId, promptId, participantId, libraryId, stage, text, hideSharedUntilRevealed } =
    event.payload;
  if (!str(releaseId) || !str(promptId) || !str(participantId) || !str(text) || !isStage(stage))
    return prompts;
  const key = releaseKey(participantId, promptId);
  // The first release counts; the server never writes a second, and a second never resets tracking.
  if (prompts.released.has(key)) return prompts;
  const released = new Map(prompts.released);
  released.set(key, {
    releaseId,
    promptId,
    participantId,
    libraryId: str(libraryId) ? libraryId : null,
    stage,
    text,
    hideSharedUntilRevealed: hideSharedUntilRevealed === true,
    releasedAt: atOf(event),
    seenAt: null,
    seenSeq: null,
    answered: null,
  });
  return { ...prompts, released };
}

/** `prompts` with one release changed, if that participant has it. */
function updateRelease(
  prompts: PromptSnapshot,
  payload: Record<string, unknown>,
  change: (release: ReleasedPrompt) => ReleasedPrompt,
): PromptSnapshot {
  const { promptId, participantId } = payload;
  if (!str(promptId) || !str(participantId)) return prompts;
  const key = releaseKey(participantId, promptId);
  const release = prompts.released.get(key);
  if (!release) return prompts;
  const next = change(release);
  if (next === release) return prompts;
  const released = new Map(prompts.released);
  released.set(key, next);
  return { ...prompts, released };
}

function withQueued(prompts: PromptSnapshot, event: FoldableEvent): PromptSnapshot {
  const { promptId, libraryId, stage, text, hideSharedUntilRevealed } = event.payload;
  if (!str(promptId) || !str(text) || !isStage(stage)) return prompts;
  if (prompts.queue.some((q) => q.promptId === promptId)) return prompts;
  const queued: QueuedPrompt = {
    promptId,
    libraryId: str(libraryId) ? libraryId : null,
    stage,
    text,
    hideSharedUntilRevealed: hideSharedUntilRevealed === true,
    queuedAt: atOf(event),
  };
  return { ...prompts, queue: [...prompts.queue, queued] };
}

/** A stored event carries its seq; a screen's copy may not. */
type PromptEvent = FoldableEvent & { seq?: number };

/** `prompts` after `event` (a new object when something changed; the input is not changed). */
export function applyPromptEvent(prompts: PromptSnapshot, event: PromptEvent): PromptSnapshot {
  switch (event.type) {
    case 'prompt.released':
      return withRelease(prompts, event);
    case 'prompt.queued_for_return':
      return withQueued(prompts, event);
    case 'prompt.seen':
      return updateRelease(prompts, event.payload, (r) =>
        r.seenAt
          ? r
          : { ...r, seenAt: atOf(event), seenSeq: typeof event.seq === 'number' ? event.seq : null },
      );
    case 'prompt.answered': {
      const answered = answeredAs(event.payload);
      return updateRelease(prompts, event.payload, (r) => (r.answered ? r : { ...r, answered }));
    }
    case 'prompt.answer_kept': {
      const answer = answerOf(event);
      if (!answer || prompts.kept.some((a) => a.answerId === answer.answerId)) return prompts;
      return { ...prompts, kept: [...prompts.kept, answer] };
    }
    case 'prompt.answer_to_therapist': {
      const answer = circleAnswerOf(event);
      if (!answer || prompts.toTherapist.some((a) => a.answerId === answer.answerId)) return prompts;
      return { ...prompts, toTherapist: [...prompts.toTherapist, answer] };
    }
    case 'prompt.answer_held': {
      const answer = circleAnswerOf(event);
      if (!answer || prompts.held.some((a) => a.answerId === answer.answerId)) return prompts;
      return { ...prompts, held: [...prompts.held, answer] };
    }
    case 'prompt.answer_shared': {
      // A revealed answer keeps its id: it leaves the held list as it joins the circle's.
      const answer = circleAnswerOf(event);
      if (!answer || prompts.shared.some((a) => a.answerId === answer.answerId)) return prompts;
      return {
        ...prompts,
        held: prompts.held.filter((a) => a.answerId !== answer.answerId),
        shared: [...prompts.shared, answer],
      };
    }
    case 'prompt.revealed': {
      const promptId = event.payload['promptId'];
      if (!str(promptId) || prompts.revealed.has(promptId)) return prompts;
      return { ...prompts, revealed: new Set([...prompts.revealed, promptId]) };
    }
    default:
      return prompts;
  }
}

export function foldPromptEvents(events: Iterable<FoldableEvent>): PromptSnapshot {
  let prompts = initialPrompts();
  for (const event of events) prompts = applyPromptEvent(prompts, event);
  return prompts;
}

/** The release of `promptId` to `participantId`, if it was released to them. */
export function releaseOf(
  prompts: PromptSnapshot,
  promptId: string,
  participantId: string,
): ReleasedPrompt | undefined {
  return prompts.released.get(releaseKey(participantId, promptId));
}

export function isReleasedTo(prompts: PromptSnapshot, promptId: string, participantId: string): boolean {
  return releaseOf(prompts, promptId, participantId) !== undefined;
}

/** What one participant was given, oldest first (their tablet's list). */
export function releasedTo(prompts: PromptSnapshot, participantId: string): ReleasedPrompt[] {
  return [...prompts.released.values()].filter((r) => r.participantId === participantId);
}

/** Whether a share of `promptId` by this participant waits for the reveal. */
export function holdsSharedAnswers(prompts: PromptSnapshot, release: ReleasedPrompt): boolean {
  return release.hideSharedUntilRevealed && !prompts.revealed.has(release.promptId);
}

/** Answers held back for `promptId`, oldest first. */
export function heldAnswersOf(prompts: PromptSnapshot, promptId: string): CircleAnswer[] {
  return prompts.held.filter((a) => a.promptId === promptId);
}

/** The board's line for one prompt: how many have it, saw it, answered it, and shared. */
export interface PromptTracking {
  promptId: string;
  text: string;
  stage: PromptStage;
  releasedTo: number;
  seen: number;
  answered: number;
  /** Answers shared with the circle (held ones included). */
  shared: number;
  /** Answers shared with the therapist only. */
  toTherapist: number;
  /** Shared answers waiting for the reveal. */
  held: number;
  revealed: boolean;
  /** Still in the return queue. */
  queued: boolean;
}

/** Tracking per released or queued prompt, in the order each first went out or was queued. */
export function promptTracking(prompts: PromptSnapshot): PromptTracking[] {
  const lines = new Map<string, PromptTracking>();
  const lineOf = (promptId: string, text: string, stage: PromptStage) => {
    let line = lines.get(promptId);
    if (!line) {
      line = {
        promptId,
        text,
        stage,
        releasedTo: 0,
        seen: 0,
        answered: 0,
        shared: 0,
        toTherapist: 0,
        held: heldAnswersOf(prompts, promptId).length,
        revealed: prompts.revealed.has(promptId),
        queued: prompts.queue.some((q) => q.promptId === promptId),
      };
      lines.set(promptId, line);
    }
    return line;
  };
  for (const release of prompts.released.values()) {
    const line = lineOf(release.promptId, release.text, release.stage);
    line.releasedTo += 1;
    if (release.seenAt) line.seen += 1;
    if (release.answered) line.answered += 1;
    if (release.answered === 'circle') line.shared += 1;
    if (release.answered === 'therapist') line.toTherapist += 1;
  }
  for (const queued of prompts.queue) lineOf(queued.promptId, queued.text, queued.stage);
  return [...lines.values()];
}
