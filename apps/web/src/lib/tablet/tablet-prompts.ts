/**
 * The prompts on a participant's tablet, from the prompts fold: only those released to them
 * (the server sends no other, and the tablet does not show another), newest first, each in the
 * tablet's language when it is one of Cairn's defaults, with the participant's own answer (when
 * it travelled on the stream: shared with the circle or the therapist, or kept before issue 6 —
 * an answer kept in the journal since then is in the journal only) and what the others shared
 * with the circle.
 */
import { libraryPrompt, type AnsweredAs, type PromptSnapshot, type PromptStage } from '@cairn/domain';

export type TabletLocale = 'en' | 'es';

export interface TabletPrompt {
  promptId: string;
  text: string;
  stage: PromptStage;
  releasedAt: string;
  seen: boolean;
  answered: AnsweredAs | null;
  /** This participant's own answer's words as the stream holds them (a share, or kept before issue 6). */
  ownAnswer: string | null;
  /** A share now waits for the facilitator's reveal before the circle reads it. */
  sharesWaitForReveal: boolean;
  /** Shared, but the facilitator shows shared answers only when revealing them. */
  waitingForReveal: boolean;
  /** What the others shared with the circle, oldest first. */
  circle: { answerId: string; name: string; text: string }[];
}

/** A default prompt in the tablet's language; a facilitator's own words as they wrote them. */
export function promptText(libraryId: string | null, released: string, locale: TabletLocale): string {
  const fromLibrary = libraryId === null ? undefined : libraryPrompt(libraryId);
  return fromLibrary?.text[locale] ?? released;
}

export function tabletPrompts(
  prompts: PromptSnapshot,
  participantId: string,
  locale: TabletLocale,
): TabletPrompt[] {
  const mine = [...prompts.released.values()].filter((r) => r.participantId === participantId);
  const own = (promptId: string) =>
    [...prompts.kept, ...prompts.held, ...prompts.shared, ...prompts.toTherapist].find(
      (a) => a.promptId === promptId && a.participantId === participantId,
    );
  return mine
    .map((release) => {
      const { promptId } = release;
      const ownAnswer = own(promptId);
      return {
        promptId,
        text: promptText(release.libraryId, release.text, locale),
        stage: release.stage,
        releasedAt: release.releasedAt,
        seen: release.seenAt !== null,
        answered: release.answered,
        ownAnswer: ownAnswer?.text ?? null,
        sharesWaitForReveal: release.hideSharedUntilRevealed && !prompts.revealed.has(promptId),
        waitingForReveal: prompts.held.some(
          (a) => a.promptId === promptId && a.participantId === participantId,
        ),
        circle: prompts.shared
          .filter((a) => a.promptId === promptId && a.participantId !== participantId)
          .map(({ answerId, name, text }) => ({ answerId, name, text })),
      };
    })
    .sort((a, b) => Date.parse(b.releasedAt) - Date.parse(a.releasedAt));
}
