/**
 * This tablet's part in released prompts: "seen" once per prompt when the person opens it, and
 * their answer — kept private in their journal, or shared with the circle or the therapist.
 * Commands go through the stream's outbox (offline: in memory only, sent once on reconnect).
 * Drafts stay here, not in the card, so an answer being written survives the card closing or
 * the journal screen taking over.
 *
 * A private answer goes into the encrypted journal first; only then is `prompt.answer`
 * (journal, no words) sent. While the journal is not open on this tablet the answer is held in
 * this object's memory — never in the browser's storage — until the participant opens it;
 * `clear()` (Sign out & clear) drops it with the drafts.
 */
import type { SessionStream } from '#lib/session-stream.svelte.ts';
import {
  journalCommand,
  shareCommand,
  writeToJournal,
  type AnswerJournal,
  type ShareDestination,
} from '#lib/tablet/prompt-answers.ts';

export type AnswerOutcome =
  /** Held in memory until the participant opens (or sets up) their journal on this tablet. */
  | { status: 'waiting_for_journal' }
  /** The journal could not take it; still held, "try again" writes it. */
  | { status: 'journal_failed' }
  | { status: 'sending'; share: 'journal' | ShareDestination }
  | { status: 'sent'; share: 'journal' | ShareDestination }
  | { status: 'refused'; reason: string | null };

interface HeldAnswer {
  promptText: string;
  text: string;
}

export class PromptSender {
  drafts: Record<string, string> = $state({});
  outcomes: Record<string, AnswerOutcome> = $state({});
  /** The participant's journal on this tablet, once made (the page makes it when first opened). */
  journal: AnswerJournal | null = $state.raw(null);
  // Private answers waiting for the journal: memory only, and not drawn (outcomes say what to show).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #held = new Map<string, HeldAnswer>();
  // Not drawn anywhere, so deliberately not reactive: the fold's `seenAt` is what screens show.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #seen = new Set<string>();
  readonly #stream: SessionStream;
  readonly #openJournal: () => void;

  constructor(stream: SessionStream, openJournal: () => void) {
    this.#stream = stream;
    this.#openJournal = openJournal;
  }

  /** Something tapped that a reload would lose: a command in flight, or an answer held for the journal. */
  get pending(): boolean {
    return Object.values(this.outcomes).some(
      (o) => o.status === 'sending' || o.status === 'waiting_for_journal' || o.status === 'journal_failed',
    );
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

  /** Shares a plaintext copy of the words (the participant saw exactly these in the preview). */
  async share(promptId: string, share: ShareDestination, text: string): Promise<void> {
    if (this.outcomes[promptId]?.status === 'sending') return;
    await this.#send(promptId, share, () => this.#stream.send(shareCommand(promptId, share, text)));
  }

  /** Keeps the answer in the journal now if it is open here, or holds it until it is. */
  async keepInJournal(promptId: string, promptText: string, text: string): Promise<void> {
    const status = this.outcomes[promptId]?.status;
    if (status === 'sending' || status === 'sent') return;
    this.#held.set(promptId, { promptText, text });
    if (this.journal?.phase === 'unlocked') await this.#writeHeld(promptId);
    else this.outcomes[promptId] = { status: 'waiting_for_journal' };
  }

  /** Writes every held answer into the journal, if it is now unlocked (the page calls this as it opens). */
  async keepHeldAnswers(): Promise<void> {
    if (this.journal?.phase !== 'unlocked') return;
    for (const promptId of [...this.#held.keys()]) {
      if (this.outcomes[promptId]?.status === 'waiting_for_journal') await this.#writeHeld(promptId);
    }
  }

  /** "Try again" after the journal could not take a held answer. */
  async retryHeld(promptId: string): Promise<void> {
    if (!this.#held.has(promptId)) return;
    if (this.journal?.phase === 'unlocked') await this.#writeHeld(promptId);
    else this.outcomes[promptId] = { status: 'waiting_for_journal' };
  }

  /** Gives a held answer back to its draft, to change it or send it elsewhere. */
  unhold(promptId: string): void {
    const held = this.#held.get(promptId);
    if (!held) return;
    this.#held.delete(promptId);
    // The draft is still there as typed; the held words stand in only if it is gone.
    this.drafts[promptId] ??= held.text;
    delete this.outcomes[promptId];
  }

  /** Asks the page to show the journal's unlock (or set-up) screen. */
  openJournal(): void {
    this.#openJournal();
  }

  /** Sign out & clear: every draft and held answer leaves this tablet's memory. */
  clear(): void {
    this.#held.clear();
    this.drafts = {};
    this.outcomes = {};
  }

  async #writeHeld(promptId: string): Promise<void> {
    const held = this.#held.get(promptId);
    if (!held) return;
    this.outcomes[promptId] = { status: 'sending', share: 'journal' };
    const written = await writeToJournal(this.journal, { promptId, ...held });
    if (!written.ok) {
      // Locked meanwhile (the idle lock): it waits again; a failed write offers "try again".
      this.outcomes[promptId] = {
        status: written.reason === 'locked' ? 'waiting_for_journal' : 'journal_failed',
      };
      return;
    }
    // In the journal now: the plaintext copy in memory has done its job.
    this.#held.delete(promptId);
    await this.#send(promptId, 'journal', () => this.#stream.send(journalCommand(promptId)));
  }

  async #send(
    promptId: string,
    share: 'journal' | ShareDestination,
    send: () => ReturnType<SessionStream['send']>,
  ): Promise<void> {
    this.outcomes[promptId] = { status: 'sending', share };
    const result = await send();
    if (result.ok) {
      this.outcomes[promptId] = { status: 'sent', share };
      delete this.drafts[promptId];
    } else {
      this.outcomes[promptId] = { status: 'refused', reason: result.explanation };
    }
  }
}
