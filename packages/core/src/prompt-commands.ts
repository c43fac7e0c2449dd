/**
 * Staged prompts' commands: release (to all, to some, to each as they return), reveal held
 * answers, a participant's "seen" and their answer. Each is decided on the session as it
 * stands and committed by session-decisions.ts, so a repeated command id writes nothing twice.
 *
 * Who reads what is the events' audiences (session-events.ts): a release reaches only the
 * participant it names (and staff); an answer for the therapist reaches staff and its author,
 * never another participant; a private answer's words never reach the server at all (they go
 * into the participant's encrypted journal: the command carries none). A participant
 * can therefore never hold a prompt that was not released to them: the deck itself is a staff
 * document (documents.ts), and nothing here echoes a prompt id a tablet sent that it was not given.
 *
 * Ids of releases and answers are derived from the actor and the command key: the same on every
 * retry of one command, different for every person and command, and revealing neither.
 */
import { createHash } from 'node:crypto';
import {
  answerTextProblem,
  hasReturned,
  heldAnswersOf,
  holdsSharedAnswers,
  isReleasedTo,
  libraryPrompt,
  PROMPT_REFUSALS,
  releaseOf,
  type PromptStage,
  type StateActor,
} from '@cairn/domain';
import type { StreamCommand } from '@cairn/sync';
import type { CoreContext } from './context.ts';
import type { OpenedStream } from './event-streams.ts';
import {
  draft,
  invalid,
  refuse,
  runDecidedCommand,
  type DecidedOutcome,
  type Decision,
  type DecisionInput,
  type Draft,
} from './session-decisions.ts';
import type { SessionSeat, SessionState } from './session-state.ts';

export type PromptCommand = Extract<
  StreamCommand,
  { type: 'prompt.release' | 'prompt.reveal' | 'prompt.seen' | 'prompt.answer' }
>;
type Release = Extract<PromptCommand, { type: 'prompt.release' }>;
type Answer = Extract<PromptCommand, { type: 'prompt.answer' }>;

export function isPromptCommand(command: StreamCommand): command is PromptCommand {
  return command.type.startsWith('prompt.');
}

/** An id the server makes for one part of one command: stable across retries, opaque. */
function derivedId(actorId: string, key: string, part: string): string {
  return createHash('sha256').update(`${actorId}\n${key}\n${part}`).digest('base64url').slice(0, 22);
}

/**
 * The command's own key goes on the last event of its commit, the others keep keys scoped from
 * it: a repeated command is recognised by that key and answered with the same seq as the
 * first time (the runner acknowledges a commit with its last event's seq).
 */
function keyLast(events: Draft[], key: string): Draft[] {
  return events.map((event, i) => (i === events.length - 1 ? { ...event, key } : event));
}

/** What a release carries besides whom it goes to, as the deck gave it. */
interface PromptContent {
  promptId: string;
  libraryId: string | null;
  stage: PromptStage;
  text: string;
  hideSharedUntilRevealed: boolean;
}

/**
 * The default's id travels only while the words are the default's own: a tablet shows a
 * library prompt in its reader's language, so an edited prompt must be shown as written.
 */
function libraryIdFor(libraryId: string | null, text: string): string | null {
  const prompt = libraryId === null ? undefined : libraryPrompt(libraryId);
  return prompt && (prompt.text.en === text || prompt.text.es === text) ? prompt.id : null;
}

/** Staff who may release and reveal: the group's facilitators and co-therapists. */
function promptStaffRefusal(actor: StateActor, action: 'release' | 'reveal'): Decision | null {
  const roles: readonly string[] = actor.kind === 'staff' ? actor.roles : [];
  if (roles.includes('facilitator') || roles.includes('co_therapist')) return null;
  if (roles.includes('medical_provider'))
    return refuse(action === 'release' ? PROMPT_REFUSALS.medicalRelease : PROMPT_REFUSALS.medicalReveal);
  return refuse(action === 'release' ? PROMPT_REFUSALS.staffRelease : PROMPT_REFUSALS.staffReveal);
}

function releasedDraft(content: PromptContent, participantId: string, releaseId: string, key: string) {
  return draft('prompt.released', { ...content, releaseId, participantId }, key);
}

/** In the room and still enrolled: who a release "to all" reaches. */
const mayReceive = (seat: SessionSeat) =>
  seat.active && seat.state !== 'absent' && seat.state !== 'left_against_advice';

/** The participants a release names, or the refusal (one sentence whatever the id was). */
function targetsOf(state: SessionState, command: Release): SessionSeat[] | Decision {
  switch (command.to.kind) {
    case 'all':
      return state.seats.filter(mayReceive);
    case 'on_return':
      return state.seats.filter((seat) => seat.active && hasReturned(seat.state));
    case 'participants': {
      const targets: SessionSeat[] = [];
      for (const id of new Set(command.to.participantIds)) {
        const seat = state.seats.find((s) => s.participantId === id);
        // Unknown and of another group alike: no oracle for ids.
        if (!seat) return refuse(PROMPT_REFUSALS.notAParticipant);
        targets.push(seat);
      }
      return targets;
    }
  }
}

function decideRelease(actorId: string, input: DecisionInput, command: Release): Decision {
  const { session, state, actor, key } = input;
  const refusal = promptStaffRefusal(actor, 'release');
  if (refusal) return refusal;
  const text = command.text.trim();
  if (text === '') return invalid(PROMPT_REFUSALS.promptText);
  const onReturn = command.to.kind === 'on_return';
  if (onReturn && session.kind !== 'dosing') return refuse(PROMPT_REFUSALS.returnOnlyInDosing);
  const targets = targetsOf(state, command);
  if (!Array.isArray(targets)) return targets;
  const content: PromptContent = {
    promptId: command.promptId,
    libraryId: libraryIdFor(command.libraryId, text),
    stage: command.stage,
    text,
    hideSharedUntilRevealed: command.hideSharedUntilRevealed,
  };
  const events: Draft[] = [];
  const queued = state.prompts.queue.some((q) => q.promptId === command.promptId);
  if (onReturn && !queued) events.push(draft('prompt.queued_for_return', content, `${key}:queued`));
  // Never twice to the same person: a second release to all reaches only those who lack it.
  for (const seat of targets.filter((t) => !isReleasedTo(state.prompts, command.promptId, t.participantId))) {
    const releaseId = derivedId(actorId, key, `release:${seat.participantId}`);
    events.push(
      releasedDraft(content, seat.participantId, releaseId, `${key}:release:${seat.participantId}`),
    );
  }
  if (events.length > 0) return { ok: true, events: keyLast(events, key) };
  if (onReturn) return refuse(PROMPT_REFUSALS.alreadyQueued);
  return refuse(targets.length === 0 ? PROMPT_REFUSALS.nobodyToReceive : PROMPT_REFUSALS.alreadyReleased);
}

/**
 * The prompts queued for return that `participantId` lacks, as releases to add to the decision
 * that marks them returned (session-commands.ts): they arrive in the same commit as the state.
 * Empty when the move is not a return, or nothing waits.
 */
export function releasesOnReturn(
  state: SessionState,
  participantId: string,
  to: string,
  actorId: string,
  key: string,
): Draft[] {
  const seat = state.seats.find((s) => s.participantId === participantId);
  if (!seat?.active || hasReturned(seat.state) || !hasReturned(to)) return [];
  return state.prompts.queue
    .filter((q) => !isReleasedTo(state.prompts, q.promptId, seat.participantId))
    .map((q) => {
      const { queuedAt: _, ...content } = q;
      const part = `return:${q.promptId}`;
      return releasedDraft(content, seat.participantId, derivedId(actorId, key, part), `${key}:${part}`);
    });
}

/** `decision` (a participant's state change) with the releases their return sets off. */
export function withReleasesOnReturn(
  decision: Decision,
  state: SessionState,
  participantId: string,
  to: string,
  actorId: string,
  key: string,
): Decision {
  if (!decision.ok || !('events' in decision)) return decision;
  const releases = releasesOnReturn(state, participantId, to, actorId, key);
  if (releases.length === 0) return decision;
  const moved = decision.events.map((event) =>
    event.key === key ? { ...event, key: `${key}:moved` } : event,
  );
  return { ok: true, events: keyLast([...moved, ...releases], key) };
}

function decideReveal(input: DecisionInput, promptId: string): Decision {
  const { state, actor, key } = input;
  const refusal = promptStaffRefusal(actor, 'reveal');
  if (refusal) return refusal;
  const released = [...state.prompts.released.values()].some((r) => r.promptId === promptId);
  if (!released) return refuse(PROMPT_REFUSALS.notReleasedYet);
  if (state.prompts.revealed.has(promptId)) return refuse(PROMPT_REFUSALS.alreadyRevealed);
  // Each held answer joins the circle under its own id, then the reveal itself.
  const shared = heldAnswersOf(state.prompts, promptId).map(({ at: _, ...answer }) =>
    draft('prompt.answer_shared', answer, `${key}:reveal:${answer.answerId}`),
  );
  return { ok: true, events: keyLast([...shared, draft('prompt.revealed', { promptId }, key)], key) };
}

function decideSeen(input: DecisionInput, participantId: string, promptId: string): Decision {
  const release = releaseOf(input.state.prompts, promptId, participantId);
  if (!release) return refuse(PROMPT_REFUSALS.notReleasedToYou);
  // Seen again (the tablet shows it again): already so, nothing new to write.
  if (release.seenAt !== null) return { ok: true, answeredBy: release.seenSeq ?? input.state.lastSeq };
  return { ok: true, events: [draft('prompt.seen', { promptId, participantId }, input.key)] };
}

function decideAnswer(
  actorId: string,
  input: DecisionInput,
  participantId: string,
  command: Answer,
): Decision {
  const { state, key } = input;
  const { promptId, share } = command;
  const release = releaseOf(state.prompts, promptId, participantId);
  const seat = state.seats.find((s) => s.participantId === participantId);
  if (!release || !seat) return refuse(PROMPT_REFUSALS.notReleasedToYou);
  const text = command.share === 'journal' ? null : command.text.trim();
  const problem = text === null ? null : answerTextProblem(text);
  if (problem) return invalid(problem);
  if (release.answered !== null) return refuse(PROMPT_REFUSALS.alreadyAnswered);
  // The tracking fact, never the words; it carries the command's key (see keyLast).
  const answered = draft('prompt.answered', { promptId, participantId, share }, key);
  // Kept in the journal: the words are the tablet's to encrypt, and nothing else is written.
  if (text === null) return { ok: true, events: [answered] };
  const words = {
    answerId: derivedId(actorId, key, `answer:${promptId}`),
    promptId,
    participantId,
    name: seat.preferredName,
    text,
  };
  const wordsKey = `${key}:words`;
  const shared =
    share === 'therapist'
      ? draft('prompt.answer_to_therapist', words, wordsKey)
      : holdsSharedAnswers(state.prompts, release)
        ? draft('prompt.answer_held', words, wordsKey)
        : draft('prompt.answer_shared', words, wordsKey);
  return { ok: true, events: [shared, answered] };
}

function decide(opened: OpenedStream, command: PromptCommand, input: DecisionInput): Decision {
  const { recipient, actorId } = opened;
  switch (command.type) {
    case 'prompt.release':
      return decideRelease(actorId, input, command);
    case 'prompt.reveal':
      return decideReveal(input, command.promptId);
    case 'prompt.seen':
    case 'prompt.answer':
      // A participant's own acts: the tablet speaks only for its own participant.
      if (recipient.kind !== 'participant') return refuse(PROMPT_REFUSALS.notReleasedToYou);
      return command.type === 'prompt.seen'
        ? decideSeen(input, recipient.participantId, command.promptId)
        : decideAnswer(actorId, input, recipient.participantId, command);
  }
}

export function runPromptCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  command: PromptCommand,
): Promise<DecidedOutcome> {
  return runDecidedCommand(ctx, opened, commandId, (input) => decide(opened, command, input));
}
