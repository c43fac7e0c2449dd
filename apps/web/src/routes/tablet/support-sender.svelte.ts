/**
 * "I need support" from this tablet: one request at a time, through the stream's outbox, so a
 * tap made offline goes once, with its first id, when the tablet reconnects. What the control
 * says comes from `supportShown` (#lib/tablet/support-view.ts); this only remembers the tap.
 */
import type { SessionStream } from '#lib/session-stream.svelte.ts';
import type { SupportTap } from '#lib/tablet/support-view.ts';

export class SupportSender {
  tap: SupportTap = $state({ status: 'none', requestsBefore: 0 });
  readonly #stream: SessionStream;

  constructor(stream: SessionStream) {
    this.#stream = stream;
  }

  get pending(): boolean {
    return this.tap.status === 'sending';
  }

  /** `requestsBefore`: this participant's requests the fold holds now (see SupportTap). */
  async request(requestsBefore: number): Promise<void> {
    if (this.pending) return;
    this.tap = { status: 'sending', requestsBefore };
    const result = await this.#stream.send({ type: 'support.request' });
    this.tap = { status: result.ok ? 'sent' : 'failed', requestsBefore };
  }
}
