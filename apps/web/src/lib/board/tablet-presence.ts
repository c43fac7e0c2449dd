/**
 * A tablet's presence dot in words: online, offline since N minutes, or never connected in this
 * session (a tablet that never joined is not "offline": nobody should go looking for a fault).
 */
import type { TabletPresence } from '@cairn/domain';
import { minutesSince } from './elapsed.ts';

export type PresenceView = { kind: 'online' } | { kind: 'offline'; minutesAgo: number } | { kind: 'never' };

export function presenceView(presence: TabletPresence | undefined, now: number): PresenceView {
  if (!presence) return { kind: 'never' };
  if (presence.online) return { kind: 'online' };
  return { kind: 'offline', minutesAgo: minutesSince(presence.lastSeenAt, now) ?? 0 };
}
