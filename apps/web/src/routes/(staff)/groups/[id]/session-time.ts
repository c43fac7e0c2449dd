/**
 * When and where a session happens, as the schedule and reschedule forms take it: a date and a
 * time typed on this device's clock (sent as an exact instant), planned minutes and a room.
 * One home for checking it, so both forms refuse the same things in the same words.
 */
import { PLANNED_MINUTES_MAX, PLANNED_MINUTES_MIN, ROOM_MAX } from '@cairn/domain';
import type { FieldErrors } from '#lib/forms.ts';
import { localDateTimeToIso } from '#lib/i18n/dates.ts';
import { m } from '#lib/paraglide/messages.js';

export interface SessionTimeInput {
  date: string;
  time: string;
  minutes: string;
  room: string;
}

export interface SessionTime {
  scheduledStart: string;
  plannedMinutes: number;
  /** Null when left empty. */
  room: string | null;
}

export function checkSessionTime(
  input: SessionTimeInput,
): { ok: true; value: SessionTime } | { ok: false; errors: FieldErrors } {
  const found: FieldErrors = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) found.date = m.validation_enter_date();
  if (!/^\d{2}:\d{2}$/.test(input.time)) found.time = m.validation_enter_time();
  const scheduledStart = localDateTimeToIso(input.date, input.time);
  if (!found.date && !found.time && scheduledStart === null) found.date = m.validation_enter_date();
  const planned = /^\d+$/.test(input.minutes.trim()) ? Number(input.minutes.trim()) : Number.NaN;
  if (!(planned >= PLANNED_MINUTES_MIN && planned <= PLANNED_MINUTES_MAX)) {
    found.plannedMinutes = m.validation_number_range({ min: PLANNED_MINUTES_MIN, max: PLANNED_MINUTES_MAX });
  }
  const room = input.room.trim();
  if (room.length > ROOM_MAX) found.room = m.validation_max_chars({ max: ROOM_MAX });
  if (Object.keys(found).length > 0 || scheduledStart === null) return { ok: false, errors: found };
  return { ok: true, value: { scheduledStart, plannedMinutes: planned, room: room === '' ? null : room } };
}

/** The server's (or the domain's) field errors, with an instant's error shown on the date. */
export function onDateField(errors: FieldErrors): FieldErrors {
  return { ...errors, ...(errors.scheduledStart && { date: errors.scheduledStart }) };
}
