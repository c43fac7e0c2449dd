/**
 * The prompt deck as the session page works with it, apart from Yjs: a new prompt's id, the
 * text a library prompt is copied in with, where a prompt goes when moved, and the tracking
 * line of each deck prompt from the stream's prompts fold. The deck's item shape is the
 * domain's (`PromptDeckItem`, prompts.ts); this file only reads and makes items.
 */
import { libraryPrompt, type LibraryPrompt, type PromptDeckItem, type PromptTracking } from '@cairn/domain';

/** A fresh id for a prompt in the deck: random, so two facilitators adding at once never clash. */
export function newPromptId(random: () => string = () => crypto.randomUUID()): string {
  return `p-${random().replaceAll('-', '').slice(0, 20)}`;
}

/** A library prompt as a deck item, its words in the language of the person adding it. */
export function deckItemFromLibrary(
  prompt: LibraryPrompt,
  locale: string,
  id: string = newPromptId(),
): PromptDeckItem {
  return {
    id,
    libraryId: prompt.id,
    stage: prompt.stage,
    text: locale === 'es' ? prompt.text.es : prompt.text.en,
  };
}

/**
 * The text a deck item shows to staff in their language: a library prompt nobody edited shows
 * in the reader's language (a Spanish-speaking co-therapist reads what the tablet will show
 * a Spanish-speaking participant); an edited or custom one shows as written.
 */
export function deckItemText(item: PromptDeckItem, locale: string): string {
  const library = item.libraryId ? libraryPrompt(item.libraryId) : undefined;
  if (!library || (item.text !== library.text.en && item.text !== library.text.es)) return item.text;
  return locale === 'es' ? library.text.es : library.text.en;
}

/** Where index `from` lands when moved by `delta` (−1 up, +1 down); null if it cannot move. */
export function movedIndex(from: number, delta: -1 | 1, length: number): number | null {
  const to = from + delta;
  return from < 0 || from >= length || to < 0 || to >= length ? null : to;
}

/** Whether a prompt's text may be saved: the same rule the server applies on release. */
export function isUsablePromptText(text: string, max: number): boolean {
  return text.trim().length > 0 && text.length <= max;
}

export type DeckTracking = Omit<PromptTracking, 'promptId' | 'text' | 'stage'>;

const UNTRACKED: DeckTracking = {
  releasedTo: 0,
  seen: 0,
  answered: 0,
  shared: 0,
  toTherapist: 0,
  held: 0,
  revealed: false,
  queued: false,
};

/** The tracking of each deck prompt by its id; a prompt never released has all zeros. */
export function trackingByPrompt(lines: readonly PromptTracking[]): (promptId: string) => DeckTracking {
  const byId = new Map(lines.map((line) => [line.promptId, line]));
  return (promptId) => byId.get(promptId) ?? UNTRACKED;
}
