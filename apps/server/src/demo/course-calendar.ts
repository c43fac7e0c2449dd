/**
 * When the demo course's sessions happen, relative to "now", so that whenever someone runs
 * `pnpm demo` there is history behind them and one dosing session about to start. The rhythm
 * is clinical.md §7.8's (dosing weekly at 09:30, an integration circle two days later at 18:00,
 * a closing circle in week 7); the weekday follows the clock rather than §7.8's Saturday, so the
 * next dosing session is always later today or tomorrow. Times are the machine's local time.
 */
import type { GroupSessionKind } from '@cairn/domain';

export interface PlannedSession {
  kind: GroupSessionKind;
  /** 1-based within its kind, in date order (the store numbers them the same way). */
  number: number;
  start: Date;
  plannedMinutes: number;
}

const DOSING_MINUTES = 180;
const CIRCLE_MINUTES = 90;
/** "Later today" only if there is still time to open the doors; otherwise tomorrow. */
const MIN_LEAD_MINUTES = 30;
/** Dosing sessions 1–3 are history; 4 is the upcoming one; 5 and 6 follow. */
export const PAST_DOSING_SESSIONS = 3;

function localAt(day: Date, addDays: number, hours: number, minutes: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + addDays, hours, minutes, 0, 0);
}

/** The next 09:30 local that is at least MIN_LEAD_MINUTES away. */
export function nextDosingStart(now: Date): Date {
  const today = localAt(now, 0, 9, 30);
  const lead = today.getTime() - now.getTime();
  return lead >= MIN_LEAD_MINUTES * 60_000 ? today : localAt(now, 1, 9, 30);
}

/** Every session of the course in date order. */
export function planCourse(now: Date): PlannedSession[] {
  const upcoming = nextDosingStart(now);
  const firstDosing = localAt(upcoming, -7 * PAST_DOSING_SESSIONS, 0, 0);
  const sessions: Omit<PlannedSession, 'number'>[] = [
    // Preparation: two evenings in "week 0", before the first dosing session.
    { kind: 'preparation', start: localAt(firstDosing, -6, 18, 0), plannedMinutes: CIRCLE_MINUTES },
    { kind: 'preparation', start: localAt(firstDosing, -3, 18, 0), plannedMinutes: CIRCLE_MINUTES },
  ];
  for (let week = 0; week < 6; week++) {
    sessions.push(
      { kind: 'dosing', start: localAt(firstDosing, 7 * week, 9, 30), plannedMinutes: DOSING_MINUTES },
      {
        kind: 'integration',
        start: localAt(firstDosing, 7 * week + 2, 18, 0),
        plannedMinutes: CIRCLE_MINUTES,
      },
    );
  }
  // The closing circle, in week 7.
  sessions.push({
    kind: 'integration',
    start: localAt(firstDosing, 7 * 6 + 2, 18, 0),
    plannedMinutes: CIRCLE_MINUTES,
  });
  sessions.sort((a, b) => a.start.getTime() - b.start.getTime());
  const counts: Record<GroupSessionKind, number> = { preparation: 0, dosing: 0, integration: 0 };
  return sessions.map((s) => ({ ...s, number: ++counts[s.kind] }));
}
