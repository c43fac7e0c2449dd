/**
 * Codes people type: the short join code a tablet redeems in the room, and the long access
 * code on a participant's printed card for home (docs/participant-access.md). Both are
 * Crockford base32, so the look-alikes a person may type are folded before comparing (BI-J4):
 * `o`/`O` → 0, `i`/`I`/`l`/`L` → 1, any case, spaces and hyphens ignored.
 *
 * Request bodies are strict objects (BI-A11): an unknown field is a 400.
 */
import { z } from 'zod';

/** Crockford base32 as shown to people (upper case, no I L O U). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 8 characters: 40 bits, single use, ≤ 10 minutes, behind rate limits and facilitator admission. */
export const JOIN_CODE_LENGTH = 8;
/** Clinic-configurable later; this is the default and the ceiling the product promises. */
export const JOIN_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** 20 characters: 100 bits. Long-lived, so it must stand on its own against guessing. */
export const ACCESS_CODE_LENGTH = 20;

/** Anything longer than this is not a code someone typed, whatever its spaces. */
const TYPED_CODE_MAX = 64;

/**
 * The canonical (lower-case) form of a typed code, or null when it cannot be one of
 * `length` Crockford characters. Unicode tricks (full-width digits, zero-width spaces,
 * homoglyphs) are not folded: they make the code invalid, never a different valid code.
 */
export function normaliseCode(input: string, length: number): string | null {
  const folded = input
    .replace(/[ \t-]/g, '')
    .toLowerCase()
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (folded.length !== length || !/^[0-9a-hjkmnp-tv-z]+$/.test(folded)) return null;
  return folded;
}

/** `ABCD-EFGH-…`: upper case in groups of four, how codes are shown and printed. */
export function formatCode(canonical: string): string {
  return (canonical.toUpperCase().match(/.{1,4}/g) ?? []).join('-');
}

const typedCode = z.string().max(TYPED_CODE_MAX, 'That code is too long.');
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');

export const redeemJoinCodeInputSchema = z.strictObject({ code: typedCode });
export const claimParticipantInputSchema = z.strictObject({ participantId: idSchema });
export const homeSignInInputSchema = z.strictObject({ code: typedCode });

/**
 * Where a tablet stands: `pending` (code redeemed, no name picked), `awaiting_admission`
 * (a name picked, staff not yet decided), `admitted`, `rejected`, `ended` (End session,
 * sign-out, expiry). Only `admitted` opens the session's stream.
 */
export const TABLET_STATES = ['pending', 'awaiting_admission', 'admitted', 'rejected', 'ended'] as const;
export type TabletState = (typeof TABLET_STATES)[number];
