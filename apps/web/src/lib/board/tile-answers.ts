/**
 * A participant's prompt answers as their board tile shows them to staff: the words of an
 * answer they shared with the therapist, and only the fact of an answer kept private (its
 * words are in their encrypted journal, which no staff screen can read). Answers shared with
 * the circle are the circle's: they show with the deck's prompt, not here.
 */
import { releasedTo, type PromptSnapshot } from '@cairn/domain';

export type TileAnswer =
  | { kind: 'therapist'; promptId: string; promptText: string; answerId: string; text: string }
  | { kind: 'private'; promptId: string; promptText: string };

/** Newest answered prompt first. */
export function tileAnswers(prompts: PromptSnapshot, participantId: string): TileAnswer[] {
  const answers: TileAnswer[] = [];
  for (const release of releasedTo(prompts, participantId).reverse()) {
    const { promptId, text: promptText } = release;
    if (release.answered === 'private') answers.push({ kind: 'private', promptId, promptText });
    if (release.answered !== 'therapist') continue;
    const words = prompts.toTherapist.find(
      (a) => a.promptId === promptId && a.participantId === participantId,
    );
    if (words)
      answers.push({ kind: 'therapist', promptId, promptText, answerId: words.answerId, text: words.text });
  }
  return answers;
}
