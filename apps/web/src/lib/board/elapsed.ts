/**
 * Whole minutes since a moment, as the board counts them ("42 min since first dose", "last seen
 * 3 min ago"). A clock a little behind the server's must not show "-1 min": never below zero.
 */
export function minutesSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return null;
  return Math.max(0, Math.floor((now - then) / 60_000));
}
