/**
 * Which support requests the banner at the top of the board shows: every one still waiting or
 * escalated (most urgent first), and for a little while after, the answered ones with who is
 * coming — so the second staff member sees at a glance that someone went, and does not run too.
 */
import { byUrgency, supportStatus, type SupportRequests, type SupportRequest } from '@cairn/domain';

/** How long "Ana is coming to seat 3" stays in the banner after the acknowledgement. */
export const ANSWERED_SHOWN_MS = 2 * 60_000;

export function bannerRequests(support: SupportRequests, now: number): SupportRequest[] {
  return byUrgency(support.values()).filter(
    (request) =>
      supportStatus(request) !== 'acknowledged' ||
      now - Date.parse(request.acknowledgedAt ?? '') < ANSWERED_SHOWN_MS,
  );
}

/** The requests nobody has answered yet: what the page title and lock-screen notice are about. */
export function unansweredRequests(support: SupportRequests): SupportRequest[] {
  return byUrgency(support.values()).filter((request) => supportStatus(request) !== 'acknowledged');
}
