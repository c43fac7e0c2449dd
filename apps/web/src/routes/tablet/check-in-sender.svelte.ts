/**
 * This tablet's check-ins: the draft of each moment (kept while the person steps away, and
 * when the server refuses an answer, so nothing typed is lost) and what became of each one
 * sent. Sending goes through the stream's outbox: offline, it waits in memory — never in the
 * browser's storage (ASVS 14.3.3) — and goes once, with its first id, on reconnect.
 */
import type { CheckInAnswers, CheckInMoment } from '@cairn/domain';
import type { SessionStream } from '#lib/session-stream.svelte.ts';
import type { CheckInDraft } from '#lib/tablet/check-in-draft.ts';

export type CheckInOutcome =
  | { status: 'sending'; answers: CheckInAnswers }
  | { status: 'sent'; answers: CheckInAnswers }
  /** `reason`: the server's sentence for `invalid`, or null when the stream closed. */
  | { status: 'refused'; reason: string | null };

export class CheckInSender {
  drafts: Partial<Record<CheckInMoment, CheckInDraft>> = $state({});
  outcomes: Partial<Record<CheckInMoment, CheckInOutcome>> = $state({});
  readonly #stream: SessionStream;

  constructor(stream: SessionStream) {
    this.#stream = stream;
  }

  /** Moments sent or on their way from this tablet: not offered again. */
  get done(): string[] {
    return Object.entries(this.outcomes)
      .filter(([, outcome]) => outcome.status !== 'refused')
      .map(([moment]) => moment);
  }

  get pending(): boolean {
    return Object.values(this.outcomes).some((o) => o.status === 'sending');
  }

  /** The moment's draft, made when the form opens (from a tap: never while drawing the page). */
  startDraft(moment: CheckInMoment): CheckInDraft {
    return (this.drafts[moment] ??= {});
  }

  async submit(moment: CheckInMoment, answers: CheckInAnswers): Promise<void> {
    if (this.outcomes[moment]?.status === 'sending') return;
    this.outcomes[moment] = { status: 'sending', answers };
    const result = await this.#stream.send({ type: 'checkin.submit', moment, answers });
    if (result.ok) {
      this.outcomes[moment] = { status: 'sent', answers };
      delete this.drafts[moment];
    } else {
      this.outcomes[moment] = { status: 'refused', reason: result.explanation };
    }
  }
}
