/**
 * Staged prompts (PRODUCT §3.3, clinical.md §5): the stages a prompt belongs to and the limits
 * on what travels with one. Who receives a released prompt, and that an unreleased one reaches
 * no participant, is the session stream's rule (session-events.ts); the default library is
 * prompt-library.ts.
 */

/** Where a prompt belongs in a course (clinical.md §5.1–5.2). */
export const PROMPT_STAGES = [
  'preparation',
  'pre_dose',
  'return',
  'sharing',
  'integration',
  'closing',
  'home',
  'challenging_follow_up',
] as const;
export type PromptStage = (typeof PROMPT_STAGES)[number];

/** Longest prompt a facilitator may release (a few sentences; BI-A12 refuses more). */
export const PROMPT_TEXT_MAX = 1_000;
/** Longest answer a participant may send with one tap of "save" (the stream's frames are 16 KiB). */
export const PROMPT_ANSWER_MAX = 2_000;
/** Most participants one release may name (a group is at most 12; room to spare, no more). */
export const PROMPT_RELEASE_MAX_PARTICIPANTS = 24;

/**
 * Where a participant's answer goes (PRODUCT §3.5): `journal` keeps it in their end-to-end
 * encrypted journal — the words never travel on the session stream, only the fact that they
 * answered; `circle` shares a plaintext copy, with their name, with everyone in the session;
 * `therapist` shares a plaintext copy with the group's staff only.
 */
export const PROMPT_ANSWER_SHARES = ['journal', 'circle', 'therapist'] as const;
export type PromptAnswerShare = (typeof PROMPT_ANSWER_SHARES)[number];

/**
 * One prompt in a session's deck: the `prompt_deck` document's `prompts` root is a Y.Array of
 * Y.Maps with exactly these keys, written by the web editor and read by anyone releasing from
 * it. `id` is made by the editor (random, unique in the deck) and is the `promptId` of every
 * release of it; `libraryId` names the default it was copied from (prompt-library.ts), or null
 * for the facilitators' own words. Options of a release (to whom, hide shared answers) are not
 * here: they are chosen when releasing.
 */
export interface PromptDeckItem {
  id: string;
  libraryId: string | null;
  stage: PromptStage;
  text: string;
}

/** The deck document's root, and the keys of each item's Y.Map. */
export const PROMPT_DECK_ROOT = 'prompts';
export const PROMPT_DECK_ITEM_KEYS = ['id', 'libraryId', 'stage', 'text'] as const;

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A deck item read from its Y.Map's fields, or null when it is not one (a half-written or
 * foreign entry): both screens skip what they cannot read rather than guess.
 */
export function readPromptDeckItem(fields: Record<string, unknown>): PromptDeckItem | null {
  const { id, libraryId, stage, text } = fields;
  if (typeof id !== 'string' || !ITEM_ID.test(id)) return null;
  if (libraryId !== null && (typeof libraryId !== 'string' || libraryId.length > 64)) return null;
  if (typeof stage !== 'string' || !(PROMPT_STAGES as readonly string[]).includes(stage)) return null;
  if (typeof text !== 'string' || text.length > PROMPT_TEXT_MAX) return null;
  return { id, libraryId, stage: stage as PromptStage, text };
}

/**
 * A participant's states from their return on, while still in the room: a prompt queued "on
 * return" goes to them at once. Discharged people have left; their return prompts stay unsent.
 */
export const RETURNED_STATES = ['returned', 'observation', 'discharge_ready'] as const;

export function hasReturned(state: string): boolean {
  return (RETURNED_STATES as readonly string[]).includes(state);
}

/**
 * What the server says when a prompt command is refused, for a person: sent as the refusal's
 * `message`, translated by the web app by sentence (refusals.ts; its test walks this list).
 * A prompt that does not exist and one not released to this tablet get the same sentence: a
 * participant learns nothing about prompts they were not given.
 */
export const PROMPT_REFUSALS = {
  medicalRelease: 'A medical provider can read the deck but not release prompts.',
  staffRelease: "Only this group's facilitators and co-therapists can release prompts.",
  medicalReveal: 'A medical provider can read the deck but not reveal answers.',
  staffReveal: "Only this group's facilitators and co-therapists can reveal answers.",
  notAParticipant: 'That person is not a participant of this session.',
  nobodyToReceive: 'Nobody in this session can receive a prompt now.',
  alreadyReleased: 'Everyone you chose already has that prompt.',
  alreadyQueued: "That prompt is already waiting for each participant's return.",
  returnOnlyInDosing: 'Prompts go out on return only in a dosing session.',
  notReleasedYet: 'That prompt has not been released yet.',
  alreadyRevealed: 'Those answers have already been revealed.',
  notReleasedToYou: 'That prompt has not been released to you.',
  alreadyAnswered: 'You have already answered that prompt.',
  promptText: `text must be 1 to ${PROMPT_TEXT_MAX} characters, not only spaces.`,
  answerText: `text must be 1 to ${PROMPT_ANSWER_MAX} characters, not only spaces.`,
  answerCharacters: 'text contains characters that cannot be saved (control characters or broken ones).',
  /** An older tablet's `share: true/false`, or a value nobody knows: says what is accepted. */
  answerShare:
    'This answer was sent in an older way (share must be "journal", "circle" or "therapist"). Reload the page and answer again.',
  /** Words sent with a journal answer: they belong in the encrypted journal, not on the server. */
  journalAnswerText:
    'An answer kept in the journal is sent without its words: they go into the encrypted journal only.',
} as const;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAVABLE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Half of a surrogate pair on its own: not text, and it breaks exports (BI-A9). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why an answer's words (already trimmed) cannot be shared, as the refusal's sentence, or null
 * when they can. Line breaks and tabs are a person's; NUL, other control characters and lone
 * surrogates are not text (BI-A9). Direction marks and markup are kept exactly: screens show
 * them as text.
 */
export function answerTextProblem(text: string): string | null {
  if (text === '' || text.length > PROMPT_ANSWER_MAX) return PROMPT_REFUSALS.answerText;
  if (UNSAVABLE_CONTROL.test(text) || LONE_SURROGATE.test(text)) return PROMPT_REFUSALS.answerCharacters;
  return null;
}
