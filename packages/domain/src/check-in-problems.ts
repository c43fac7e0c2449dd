/**
 * What is wrong with a check-in's answers, in one sentence naming the item and what it
 * accepts ("distress must be a whole number from 0 to 10."). The tablet validates before it
 * sends, so a person rarely reads these; the server says them to a tablet that sent something
 * else (an old or broken client), and the web app translates them by pattern.
 */
import {
  CHECK_IN_ITEM_IDS,
  CHECK_IN_TEXT_MAX,
  checkInAnswerKind,
  checkInAnswersSchema,
  type CheckInAnswerKind,
  type CheckInAnswers,
  type CheckInItemId,
  type CheckInMoment,
} from './check-in-form.ts';

const ACCEPTS: Record<CheckInAnswerKind, string> = {
  scale: 'a whole number from 0 to 10',
  sensations: 'a list of different body sensations from the form, with "none" only alone',
  yes_no: 'yes or no',
  yes_no_unsure: 'yes, no or unsure',
  yes_no_note: `yes or no, with a note of at most ${CHECK_IN_TEXT_MAX} characters`,
  text: `text of 1 to ${CHECK_IN_TEXT_MAX} characters`,
};

/** Item names are echoed only when they look like one: a client's odd key is not repeated. */
const NAME_LIKE = /^[a-z][a-z_]{0,39}$/;

export const CHECK_IN_NO_SUCH_ITEM = 'The check-in form has no such item.';

export function checkInValueProblem(item: CheckInItemId): string {
  return `${item} must be ${ACCEPTS[checkInAnswerKind(item)]}.`;
}

export function checkInItemProblem(item: string): string {
  if ((CHECK_IN_ITEM_IDS as readonly string[]).includes(item))
    return `${item} is not asked at this check-in.`;
  return NAME_LIKE.test(item) ? `The check-in form has no item called ${item}.` : CHECK_IN_NO_SUCH_ITEM;
}

export type CheckInReading = { ok: true; answers: CheckInAnswers } | { ok: false; problem: string };

/**
 * The answers as the form reads them (free text trimmed), or the first problem with them. Every
 * item may be skipped; an item of another moment is refused, not dropped.
 */
export function readCheckInAnswers(
  moment: CheckInMoment,
  dosingSession: boolean,
  answers: Record<string, unknown>,
): CheckInReading {
  const parsed = checkInAnswersSchema(moment, dosingSession).safeParse(answers);
  if (parsed.success) return { ok: true, answers: parsed.data as CheckInAnswers };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return { ok: false, problem: checkInItemProblem(issue.keys[0]!) };
  const item = issue.path[0];
  const known = typeof item === 'string' && (CHECK_IN_ITEM_IDS as readonly string[]).includes(item);
  return { ok: false, problem: known ? checkInValueProblem(item as CheckInItemId) : CHECK_IN_NO_SUCH_ITEM };
}

/** The first problem with `answers` for `moment`, or null when they are valid. */
export function checkInProblem(
  moment: CheckInMoment,
  dosingSession: boolean,
  answers: Record<string, unknown>,
): string | null {
  const read = readCheckInAnswers(moment, dosingSession, answers);
  return read.ok ? null : read.problem;
}
