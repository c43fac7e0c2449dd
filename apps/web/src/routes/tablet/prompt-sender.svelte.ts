/**
 * This tablet's part in released prompts: "seen" once per prompt when the person opens it,
 * and their answer, kept private unless they choose to share it. Both go through the stream's
 * outbox (offline: in memory only, sent once on reconnect). Drafts stay here, not in the card,
 * so an answer being written survives the card closing or the journey screen taking over.
 */
import type { SessionStream } from '#lib/session-stream.svelte.ts';

export type AnswerOutcome =
  | { status: 'sending'; share: boolean }
  | { status: 'sent'; share: boolean }
  | { status: 'refused'; reason: string | null };

export class PromptSender {
  drafts: Record<string, string> = $state({});
  outcomes: Record<string, AnswerOutcome> = $state({});
  // Not drawn anywhere, so deliberately not reactive: the fold's `seenAt` is what screens show.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #seen = new Set<string>();
  readonly #stream: SessionStream;

  constructor(stream: SessionStream) {
    this.#stream = stream;
  }

  get pending(): boolean {
    return Object.values(this.outcomes).some((o) => o.status === 'sending');
  }

  /** Tells the team the prompt was opened; once per prompt, and never when the fold already has it. */
  seen(promptId: string, alreadySeen: boolean): void {
    if (alreadySeen || this.#seen.has(promptId)) return;
    this.#seen.add(promptId);
    void this.#stream.send({ type: 'prompt.seen', promptId }).then((result) => {
      // Refused (closed): let a later opening try again.
      if (!result.ok) this.#seen.delete(promptId);
    });
  }

  async answer(promptId: string, text: string, share: boolean): Promise<void> {
    if (this.outcomes[promptId]?.status === 'sending') return;
    this.outcomes[promptId] = { status: 'sending', share };
    const result = await this.#stream.send({ type: 'prompt.answer', promptId, text, share });
    if (result.ok) {
      this.outcomes[promptId] = { status: 'sent', share };
      delete this.drafts[promptId];
    } else {
      this.outcomes[promptId] = { status: 'refused', reason: result.explanation };
    }
  }
}
