/**
 * What the "I need support" control says, from this participant's requests in the live fold
 * and what this tablet knows of its own last tap. The fold is the truth once it holds the
 * request (waiting, escalated, someone coming); the tablet's own knowledge fills the moments
 * before: sending, kept offline, acknowledged by the server but the event not yet folded.
 */
import type { SupportRequest } from '@cairn/domain';

/** How long "someone is coming" stays on screen after a staff member answered. */
export const COMING_SHOWN_MS = 10 * 60_000;

export type SupportShown =
  | 'idle'
  | 'sending'
  /** Tapped while the tablet is offline: it waits in the outbox and goes on reconnect. */
  | 'queued'
  | 'sent'
  | 'escalated'
  | 'coming'
  /** The server refused it or the stream closed: the person must call out instead. */
  | 'failed';

export interface SupportTap {
  status: 'none' | 'sending' | 'sent' | 'failed';
  /** How many of this participant's requests the fold held at the tap. */
  requestsBefore: number;
}

export interface SupportFacts {
  /** This participant's requests, from the live fold. */
  mine: readonly SupportRequest[];
  tap: SupportTap;
  offline: boolean;
  now: number;
}

export function supportShown({ mine, tap, offline, now }: SupportFacts): SupportShown {
  const latest = [...mine].sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))[0];
  if (latest && latest.acknowledgedAt === null) return latest.escalatedAt === null ? 'sent' : 'escalated';
  if (tap.status === 'sending') return offline ? 'queued' : 'sending';
  if (tap.status === 'failed') return 'failed';
  // Acknowledged by the server, its event not folded yet: a new request will appear.
  if (tap.status === 'sent' && mine.length <= tap.requestsBefore) return 'sent';
  if (latest?.acknowledgedAt && now - Date.parse(latest.acknowledgedAt) < COMING_SHOWN_MS) return 'coming';
  return 'idle';
}

/** Whether a tap should send: never a second request while one is open or on its way. */
export function shouldSendSupport(shown: SupportShown): boolean {
  return shown === 'idle' || shown === 'coming' || shown === 'failed';
}
