/**
 * What a failed notes request says to the person: what happened and what to do next, in their
 * language. The server's own message is English and may be technical, so it is not shown; its
 * status says enough.
 */
import type { ApiFailure } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';

/** `fallback` says what failed ("The history couldn't be loaded."): used when nothing fits better. */
export function notesFailureText(failure: ApiFailure, fallback: string): string {
  if (failure.status === 0 || failure.error.error === 'unreachable') return m.error_unreachable();
  if (failure.status === 401) return m.notes_signed_out();
  if (failure.status === 404 || failure.status === 403) return m.notes_not_yours();
  if (failure.status === 409) return m.notes_already_signed();
  if (failure.status === 429) return m.notes_too_fast();
  return `${fallback} ${m.notes_try_again()}`;
}
