/**
 * A session's event stream as reactive state for a page: the StreamClient from @cairn/sync
 * (reconnects, resumes from the last seq, keeps commands until acknowledged) folded into the
 * domain's session snapshot. Staff pages and the tablet use the same fold, so a phase looks the
 * same on every screen in the room.
 */
import {
  applyLiveEvent,
  applyPromptEvent,
  applySessionEvent,
  initialLive,
  initialPrompts,
  initialSnapshot,
  type LiveSnapshot,
  type PromptSnapshot,
  type SessionKind,
  type SessionSnapshot,
} from '@cairn/domain';
import {
  CommandRefused,
  StreamClient,
  type StreamCommand,
  type StreamEvent,
  type StreamSocket,
  type StreamStatus,
} from '@cairn/sync';

export type CommandResult = { ok: true } | { ok: false; reason: string; explanation: string | null };

export class SessionStream {
  snapshot: SessionSnapshot = $state(initialSnapshot('dosing'));
  /** Support, alerts, tasks, check-ins, assignments, presence: as much as this screen may see. */
  live: LiveSnapshot = $state.raw(initialLive());
  /** Released prompts and answers, as much as this screen may see. */
  prompts: PromptSnapshot = $state.raw(initialPrompts());
  status: StreamStatus = $state('connecting');
  /** Events the page wants to react to beyond the fold (tablet requests, joins…), newest last. */
  events: StreamEvent[] = $state([]);
  #client: StreamClient;
  readonly #networkLost = () => this.#client.networkLost();
  readonly #networkBack = () => this.#client.networkBack();

  constructor(streamId: string, kind: SessionKind, onEvent?: (event: StreamEvent) => void) {
    this.snapshot = initialSnapshot(kind);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#client = new StreamClient({
      url: `${scheme}://${location.host}/ws/stream/${encodeURIComponent(streamId)}`,
      connect: (url) => new WebSocket(url) as unknown as StreamSocket,
      onEvent: (event) => {
        this.snapshot = applySessionEvent(this.snapshot, event);
        this.live = applyLiveEvent(this.live, event);
        this.prompts = applyPromptEvent(this.prompts, event);
        // Keep the recent past only: a long session must not grow the page without bound.
        this.events = [...this.events.slice(-199), event];
        onEvent?.(event);
      },
      onStatus: (status) => (this.status = status),
    });
    // A tablet that loses the room's Wi-Fi says so at once and keeps its taps (FT-07); its
    // socket would otherwise look alive until TCP gave up, minutes later.
    addEventListener('offline', this.#networkLost);
    addEventListener('online', this.#networkBack);
  }

  /** Sends a command and waits for the server's answer (after its commit). */
  async send(command: StreamCommand): Promise<CommandResult> {
    try {
      await this.#client.send(command);
      return { ok: true };
    } catch (error) {
      if (error instanceof CommandRefused) {
        return { ok: false, reason: error.reason, explanation: error.explanation };
      }
      return { ok: false, reason: 'closed', explanation: null };
    }
  }

  close(): void {
    removeEventListener('offline', this.#networkLost);
    removeEventListener('online', this.#networkBack);
    this.#client.close();
  }
}
