/**
 * "I need support": a participant's one-tap request, as the session's events tell it
 * (PRODUCT §3.1). Pure: the server folds the stream with it to decide what to escalate, the
 * board and the tablet fold it to show "waiting", "escalated" or "someone is coming". The
 * 30-second escalation is a clinic-configurable default, never medical advice.
 */

/**
 * Unacknowledged this long, a request goes to every on-duty staff member (PRODUCT §3.1). Each
 * clinic sets its own (`supportEscalateAfterSeconds` in its settings, within the bounds below).
 */
export const DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS = 30;
export const DEFAULT_SUPPORT_ESCALATE_AFTER_MS = DEFAULT_SUPPORT_ESCALATE_AFTER_SECONDS * 1000;
export const SUPPORT_ESCALATE_AFTER_SECONDS_MIN = 5;
export const SUPPORT_ESCALATE_AFTER_SECONDS_MAX = 600;

export interface SupportRequest {
  requestId: string;
  participantId: string;
  seat: number;
  /** ISO times, from the events' own times. */
  requestedAt: string;
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  /** Who said "I'm coming" (a staff user id). */
  acknowledgedBy: string | null;
}

export type SupportStatus = 'waiting' | 'escalated' | 'acknowledged';

export function supportStatus(request: SupportRequest): SupportStatus {
  if (request.acknowledgedAt !== null) return 'acknowledged';
  return request.escalatedAt !== null ? 'escalated' : 'waiting';
}

/** The events the fold reads; others leave the requests as they are. */
export interface SupportEvent {
  type: string;
  payload: Record<string, unknown>;
  actorId: string;
  at: string | Date;
}

export type SupportRequests = ReadonlyMap<string, SupportRequest>;

const iso = (at: string | Date) => (typeof at === 'string' ? at : at.toISOString());
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** `requests` after `event` (a new map when something changed; the input is not changed). */
export function applySupportEvent(requests: SupportRequests, event: SupportEvent): SupportRequests {
  const requestId = text(event.payload['requestId']);
  if (requestId === null) return requests;
  const known = requests.get(requestId);
  const next = new Map(requests);
  switch (event.type) {
    case 'support.requested': {
      const participantId = text(event.payload['participantId']);
      const seat = event.payload['seat'];
      if (known || participantId === null || typeof seat !== 'number') return requests;
      next.set(requestId, {
        requestId,
        participantId,
        seat,
        requestedAt: iso(event.at),
        escalatedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
      return next;
    }
    case 'support.escalated':
      if (!known || known.escalatedAt !== null || known.acknowledgedAt !== null) return requests;
      next.set(requestId, { ...known, escalatedAt: iso(event.at) });
      return next;
    case 'support.acknowledged':
      // The first "I'm coming" counts; a second person pressing it changes nothing.
      if (!known || known.acknowledgedAt !== null) return requests;
      next.set(requestId, { ...known, acknowledgedAt: iso(event.at), acknowledgedBy: event.actorId });
      return next;
    default:
      return requests;
  }
}

/**
 * The participant's request nobody has answered yet, if any: a second tap while one is open
 * joins it instead of raising another alert.
 */
export function openRequestOf(requests: SupportRequests, participantId: string): SupportRequest | null {
  for (const request of requests.values()) {
    if (request.participantId === participantId && request.acknowledgedAt === null) return request;
  }
  return null;
}

/** Requests still unanswered `afterMs` after they were made and not yet escalated, oldest first. */
export function dueEscalations(requests: SupportRequests, now: Date, afterMs: number): SupportRequest[] {
  return [...requests.values()]
    .filter(
      (r) =>
        r.acknowledgedAt === null &&
        r.escalatedAt === null &&
        now.getTime() - Date.parse(r.requestedAt) >= afterMs,
    )
    .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt));
}

const URGENCY: Record<SupportStatus, number> = { escalated: 0, waiting: 1, acknowledged: 2 };

/** For the board: escalated first, then waiting, then answered; within each, the oldest first. */
export function byUrgency(requests: Iterable<SupportRequest>): SupportRequest[] {
  return [...requests].sort(
    (a, b) =>
      URGENCY[supportStatus(a)] - URGENCY[supportStatus(b)] ||
      Date.parse(a.requestedAt) - Date.parse(b.requestedAt),
  );
}
