/**
 * The participant journal's wire contract (PRODUCT §3.5, ARCHITECTURE §4 "Journals (E2E)").
 * The journal is end-to-end encrypted: the participant's devices hold the key, the server
 * stores and relays opaque ciphertext and can never decrypt it. Shared by the server (which
 * checks shapes, sizes, ownership and the unlock proof) and the browser (which encrypts).
 *
 * Keys, in short (docs/journals.md has the whole design):
 * - The journal key (DEK) is 32 random bytes, made on the participant's device at set-up.
 * - A passphrase, through Argon2id (`kdf`, `passphraseSalt`) in the browser, gives 32 bytes;
 *   HKDF-SHA256 splits them into a key-wrapping key and an unlock proof. The recovery code
 *   (120 random bits) goes through HKDF alone (with `recoverySalt`) into the same two.
 * - The server keeps each wrapped DEK and the SHA-256 of each proof. It hands a wrapped DEK and
 *   ciphertext only to a request that carries a matching proof: a join code or a home card
 *   alone gets the salts and nothing else (AC-03), and a wrong proof is counted, limited and
 *   audited, and told to the participant at their next unlock.
 * - Blobs are AES-256-GCM ciphertexts of Yjs updates (or of a whole-state snapshot after
 *   client-side compaction), with the journal id as associated data.
 */
import { z } from 'zod';

/** Largest ciphertext of one appended update (a drawing with many strokes fits). */
export const JOURNAL_BLOB_MAX_BYTES = 256 * 1024;
/** Largest ciphertext of a compaction snapshot: the whole journal's state in one. */
export const JOURNAL_SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;
/** Most ciphertext one journal may hold in all; past it appends are refused until compaction. */
export const JOURNAL_TOTAL_MAX_BYTES = 32 * 1024 * 1024;
/** Appends per journal per minute before 429 (typing sends one every second or so, batched). */
export const JOURNAL_APPENDS_PER_MINUTE = 120;
/** Most blobs one fetch returns; `more` says there are others after them. */
export const JOURNAL_FETCH_MAX_BLOBS = 200;
/** Wrong proofs per journal in 10 minutes before unlocking waits (doubling, like sign-in). */
export const JOURNAL_UNLOCK_FAILURES_ALLOWED = 5;
/** The shared-tablet idle lock: the key is wiped from memory after this long untouched. */
export const JOURNAL_IDLE_LOCK_MS = 5 * 60 * 1000;
/** The header a journal data request carries its proof in: `<method>.<proof, base64url>`. */
export const JOURNAL_PROOF_HEADER = 'x-journal-proof';

/** Argon2id parameters the browser used (the server stores and returns them, never uses them). */
export const JOURNAL_KDF = { alg: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 1 } as const;

const b64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url.');
/** 16-byte salts and 32-byte proofs, base64url without padding. */
const salt = b64url(22, 22);
const proof = b64url(43, 43);
/** A wrapped 32-byte DEK: 12-byte IV + 32 bytes + 16-byte tag = 60 bytes → 80 characters. */
const wrappedKey = b64url(80, 80);
const ciphertext = (maxBytes: number) => b64url(38, Math.ceil((maxBytes * 4) / 3));

export const journalKdfSchema = z.strictObject({
  alg: z.literal('argon2id'),
  memoryKiB: z.number().int().min(19_456).max(1_048_576),
  iterations: z.number().int().min(2).max(10),
  parallelism: z.number().int().min(1).max(4),
});
export type JournalKdf = z.infer<typeof journalKdfSchema>;

export const JOURNAL_UNLOCK_METHODS = ['passphrase', 'recovery'] as const;
export type JournalUnlockMethod = (typeof JOURNAL_UNLOCK_METHODS)[number];

/** `PUT /api/v1/journal`: set the journal up (once; 409 `journal_exists` after). */
export const journalSetupSchema = z.strictObject({
  kdf: journalKdfSchema,
  passphraseSalt: salt,
  recoverySalt: salt,
  wrappedByPassphrase: wrappedKey,
  wrappedByRecovery: wrappedKey,
  passphraseProof: proof,
  recoveryProof: proof,
});
export type JournalSetup = z.infer<typeof journalSetupSchema>;

/** `POST /api/v1/journal/unlock`: prove a secret, get the DEK wrapped by it. */
export const journalUnlockSchema = z.strictObject({
  method: z.enum(JOURNAL_UNLOCK_METHODS),
  proof,
});
export type JournalUnlock = z.infer<typeof journalUnlockSchema>;

/**
 * `POST /api/v1/journal/passphrase`: a new passphrase (after a recovery, or a change), proved
 * with either current secret in the proof header. The recovery wrapping is untouched.
 */
export const journalNewPassphraseSchema = z.strictObject({
  kdf: journalKdfSchema,
  passphraseSalt: salt,
  wrappedByPassphrase: wrappedKey,
  passphraseProof: proof,
});
export type JournalNewPassphrase = z.infer<typeof journalNewPassphraseSchema>;

/** `POST /api/v1/journal/blobs`: append one encrypted update. */
export const journalAppendSchema = z.strictObject({
  /** The device's own id for this blob: a retried append is stored once (idempotency). */
  blobId: b64url(16, 32),
  data: ciphertext(JOURNAL_BLOB_MAX_BYTES),
});
export type JournalAppend = z.infer<typeof journalAppendSchema>;

/**
 * `POST /api/v1/journal/compact`: one encrypted snapshot replaces every blob up to `throughSeq`
 * (which must be the journal's seq the device read up to); later blobs stay. 409 `stale` when
 * another device compacted meanwhile.
 */
export const journalCompactSchema = z.strictObject({
  throughSeq: z.number().int().min(1),
  data: ciphertext(JOURNAL_SNAPSHOT_MAX_BYTES),
});
export type JournalCompact = z.infer<typeof journalCompactSchema>;

/** `GET /api/v1/journal`: what anyone signed in as the participant may know — no key, no text. */
export interface JournalStatusView {
  exists: boolean;
  /** Present when `exists`: the AES-GCM associated data of every blob and wrapped key. */
  journalId?: string;
  kdf?: JournalKdf;
  passphraseSalt?: string;
  recoverySalt?: string;
  /** Seconds to wait before the next unlock attempt is heard (after repeated wrong secrets). */
  retryAfterSeconds?: number;
}

/** A wrong secret someone tried since the participant last unlocked (shown to them, AC-03). */
export interface JournalFailedUnlockView {
  at: string;
  method: JournalUnlockMethod;
  /** Which kind of sign-in it came through. */
  via: 'tablet' | 'home';
}

/** `POST /api/v1/journal/unlock` on success. */
export interface JournalUnlockView {
  journalId: string;
  wrappedKey: string;
  headSeq: number;
  failedSinceLastUnlock: JournalFailedUnlockView[];
}

export interface JournalBlobView {
  seq: number;
  kind: 'update' | 'snapshot';
  data: string;
}

/** `GET /api/v1/journal/blobs/after/:seq`: the latest snapshot (if after `seq`) and the updates after it. */
export interface JournalBlobsView {
  blobs: JournalBlobView[];
  headSeq: number;
  more: boolean;
}

/** `POST /api/v1/journal/blobs` on success (201 new, 200 a retried `blobId`: nothing written). */
export interface JournalAppendedView {
  seq: number;
  /** True when this `blobId` was stored before; `seq` is the seq it got then. */
  duplicate: boolean;
}

/** `POST /api/v1/journal/compact` on success. */
export interface JournalCompactedView {
  headSeq: number;
}
