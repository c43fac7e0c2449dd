/**
 * The session's staff as its stream tells them: who opened the board (with the name to show
 * for "Ana is coming") and who stepped in or out of duty. Folded from `presence.joined` and
 * `staff.duty_changed`; the group's staff list fills in names of people not here yet.
 */
export interface RosterEntry {
  name: string | null;
  /** null: this person never said; the board treats them as on duty (see `isOnDuty`). */
  onDuty: boolean | null;
}

export type StaffRoster = ReadonlyMap<string, RosterEntry>;

interface RosterEvent {
  type: string;
  payload: Record<string, unknown>;
  actorId: string;
}

export function applyRosterEvent(roster: StaffRoster, event: RosterEvent): StaffRoster {
  const known = roster.get(event.actorId) ?? { name: null, onDuty: null };
  if (event.type === 'presence.joined' && typeof event.payload['name'] === 'string') {
    return new Map(roster).set(event.actorId, { ...known, name: event.payload['name'] });
  }
  if (event.type === 'staff.duty_changed' && typeof event.payload['onDuty'] === 'boolean') {
    return new Map(roster).set(event.actorId, { ...known, onDuty: event.payload['onDuty'] });
  }
  return roster;
}

/**
 * Whether a staff member counts as on duty. Someone who never said otherwise does: a clinician
 * with the live board open is in the room, and a page that reaches one person too many is
 * better than a request that reaches nobody.
 */
export function isOnDuty(roster: StaffRoster, userId: string): boolean {
  return roster.get(userId)?.onDuty ?? true;
}
