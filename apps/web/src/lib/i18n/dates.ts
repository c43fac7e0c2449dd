/**
 * Dates and times as the people in the room read them: in the reader's language and in the
 * device's own time zone, which for a clinic tablet is the clinic's local time. Pages that show
 * times render them in the browser (they load their data after mounting), so the server's zone
 * never leaks into what is shown.
 */
import { getLocale } from '#lib/paraglide/runtime.js';

/** "Tuesday, 24 November 2026, 09:30" (or its Spanish form). */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** "09:30". */
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** The device's time zone, e.g. "America/Mexico_City", to say which clock a time is on. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Midnight at the start of today on this device. */
export function startOfToday(now: Date = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export function isSameLocalDay(iso: string, now: Date = new Date()): boolean {
  const date = new Date(iso);
  return (
    date.getFullYear() === now.getFullYear() &&
    date.getMonth() === now.getMonth() &&
    date.getDate() === now.getDate()
  );
}

/**
 * A date (`2026-11-24`) and a time (`09:30`) typed on this device, as an ISO instant with `Z`.
 * `null` when either is missing or not a real moment.
 */
export function localDateTimeToIso(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const value = new Date(`${date}T${time}:00`);
  return Number.isNaN(value.getTime()) ? null : value.toISOString();
}
