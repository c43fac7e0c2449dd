import { m } from '#lib/paraglide/messages.js';

/**
 * `Retry-After` in words. The header may be a number of seconds or an HTTP date (RFC 9110
 * §10.2.3); people should read "about 2 minutes", not "118".
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export function describeWait(seconds: number): string {
  if (seconds < 10) return m.wait_few_seconds();
  if (seconds < 60) return m.wait_seconds({ count: Math.ceil(seconds / 5) * 5 });
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 1) return m.wait_one_minute();
  if (minutes < 90) return m.wait_minutes({ count: minutes });
  const hours = Math.round(minutes / 60);
  return hours === 1 ? m.wait_one_hour() : m.wait_hours({ count: hours });
}
