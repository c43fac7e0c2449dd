/**
 * A check-in as the participant taps it, and the answers it sends. Every item may be skipped,
 * and a second tap on a chosen answer takes it back (a tap on the wrong number in a dim room
 * must be undoable without typing). Validation is the domain's own schema, the same the server
 * applies, so the tablet never sends what would be refused.
 */
import {
  checkInAnswersSchema,
  checkInItemsFor,
  type BodySensation,
  type CheckInAnswers,
  type CheckInItemId,
  type CheckInMoment,
} from '@cairn/domain';

/** What has been tapped so far; free text is kept as typed and tidied only when sending. */
export type CheckInDraft = CheckInAnswers;

/** The same answer tapped again clears it: skipping stays possible after a slip. */
export function toggleAnswer<T>(current: T | undefined, tapped: T): T | undefined {
  return current === tapped ? undefined : tapped;
}

/** Body sensations: any together, but "none" only alone — choosing one clears the other. */
export function toggleSensation(
  current: readonly BodySensation[] | undefined,
  tapped: BodySensation,
): BodySensation[] | undefined {
  const chosen = current ?? [];
  let next: BodySensation[];
  if (chosen.includes(tapped)) next = chosen.filter((s) => s !== tapped);
  else if (tapped === 'none') next = ['none'];
  else next = [...chosen.filter((s) => s !== 'none'), tapped];
  return next.length === 0 ? undefined : next;
}

/**
 * The answers to send for `moment`: only its items, text trimmed, an empty intention or note
 * left out (they are optional, and an empty one is not an answer).
 */
export function answersToSend(
  draft: CheckInDraft,
  moment: CheckInMoment,
  dosingSession: boolean,
): CheckInAnswers {
  const answers: Record<string, unknown> = {};
  for (const id of checkInItemsFor(moment, dosingSession)) {
    const value = draft[id];
    if (value === undefined) continue;
    if (id === 'intention') {
      const text = (value as string).trim();
      if (text !== '') answers[id] = text;
    } else if (id === 'medication_changes') {
      const { answer, note } = value as { answer: boolean; note?: string };
      const trimmed = note?.trim() ?? '';
      answers[id] = answer && trimmed !== '' ? { answer, note: trimmed } : { answer };
    } else {
      answers[id] = value;
    }
  }
  return answers as CheckInAnswers;
}

/** The first item whose answer the form would refuse (too long a text), or null when all is well. */
export function itemWithProblem(
  answers: CheckInAnswers,
  moment: CheckInMoment,
  dosingSession: boolean,
): CheckInItemId | null {
  const parsed = checkInAnswersSchema(moment, dosingSession).safeParse(answers);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const item = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
  return typeof item === 'string' ? (item as CheckInItemId) : null;
}
