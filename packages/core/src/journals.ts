/**
 * The participant's end-to-end encrypted journal (PRODUCT §3.5, docs/journals.md): set-up,
 * status, and the proof-gated calls that move ciphertext. The server checks who is asking,
 * shapes, sizes, rates and the unlock proof; it never sees a key or a word of the journal.
 * Everything is looked up by the principal's own participant id, never by an id from the
 * request, so one participant can never name another's journal (AC-01).
 */
import {
  JOURNAL_APPENDS_PER_MINUTE,
  JOURNAL_BLOB_MAX_BYTES,
  JOURNAL_FETCH_MAX_BLOBS,
  JOURNAL_SNAPSHOT_MAX_BYTES,
  JOURNAL_TOTAL_MAX_BYTES,
  journalAppendSchema,
  journalCompactSchema,
  journalNewPassphraseSchema,
  journalSetupSchema,
  type JournalAppendedView,
  type JournalBlobsView,
  type JournalCompactedView,
  type JournalStatusView,
} from '@cairn/domain';
import type { JournalRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import type { JournalPrincipal } from './journal-principal.ts';
import { journalRetryAfterSeconds, proofHash, requireJournalProof } from './journal-unlock.ts';
import { FailureLimiter } from './rate-limiter.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

/**
 * Ciphertext one fetch returns at most (besides its first blob, which always comes): keeps a
 * page of big blobs within what a phone can take in one response.
 */
const FETCH_MAX_BYTES = 8 * 1024 * 1024;
/** Largest seq a path may name: the columns are 32-bit integers. */
const MAX_SEQ = 2 ** 31 - 1;

/**
 * Appends per journal in the last minute, in this process (like the sign-in limits: with
 * several instances each counts on its own). Kept per context so tests start clean.
 */
const appendLimiters = new WeakMap<CoreContext, FailureLimiter>();
function appendLimiter(ctx: CoreContext): FailureLimiter {
  let limiter = appendLimiters.get(ctx);
  if (!limiter) {
    limiter = new FailureLimiter({ limit: JOURNAL_APPENDS_PER_MINUTE, windowMs: 60_000 });
    appendLimiters.set(ctx, limiter);
  }
  return limiter;
}

function noJournal(): CoreError {
  return new CoreError('not_found', 'no_journal', 'There is no journal yet. Set one up first.');
}

async function journalOf(ctx: CoreContext, principal: JournalPrincipal): Promise<JournalRecord | null> {
  const journal = await ctx.store.getJournalByParticipant(principal.participantId);
  // Belt and braces: a participant id is clinic-scoped already.
  return journal && journal.clinicId === principal.clinicId ? journal : null;
}

export async function requireJournal(ctx: CoreContext, principal: JournalPrincipal): Promise<JournalRecord> {
  const journal = await journalOf(ctx, principal);
  if (!journal) throw noJournal();
  return journal;
}

/** The bytes of a base64url ciphertext the schema let through (charset and length checked). */
function ciphertextBytes(data: string, maxBytes: number): Uint8Array {
  // A length of 4n+1 characters cannot come from whole bytes: someone cut or padded it.
  if (data.length % 4 === 1) {
    throw new CoreError('unprocessable', 'validation_failed', 'Check the highlighted fields.', {
      fields: { data: 'Expected base64url.' },
    });
  }
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.byteLength > maxBytes) {
    throw new CoreError('unprocessable', 'validation_failed', 'Check the highlighted fields.', {
      fields: { data: `Too big: at most ${maxBytes} bytes.` },
    });
  }
  return bytes;
}

/** `GET /api/v1/journal`: what anyone signed in as the participant may know (AC-03). */
export async function journalStatus(
  ctx: CoreContext,
  principal: JournalPrincipal,
): Promise<JournalStatusView> {
  const journal = await journalOf(ctx, principal);
  if (!journal) return { exists: false };
  return {
    exists: true,
    journalId: journal.id,
    kdf: journal.kdf,
    passphraseSalt: journal.passphraseSalt,
    recoverySalt: journal.recoverySalt,
    retryAfterSeconds: await journalRetryAfterSeconds(ctx, journal),
  };
}

/** `PUT /api/v1/journal`: the device made the key; the server keeps its wrappings. Once only. */
export async function setUpJournal(
  ctx: CoreContext,
  principal: JournalPrincipal,
  input: unknown,
): Promise<JournalStatusView> {
  const setup = parseInput(journalSetupSchema, input);
  const journalId = generateId();
  const outcome = await ctx.store.createJournal({
    id: journalId,
    clinicId: principal.clinicId,
    participantId: principal.participantId,
    kdf: setup.kdf,
    passphraseSalt: setup.passphraseSalt,
    recoverySalt: setup.recoverySalt,
    wrappedByPassphrase: setup.wrappedByPassphrase,
    wrappedByRecovery: setup.wrappedByRecovery,
    passphraseProofHash: proofHash(setup.passphraseProof),
    recoveryProofHash: proofHash(setup.recoveryProof),
    createdAt: ctx.now(),
  });
  if (outcome === 'exists') {
    throw new CoreError(
      'conflict',
      'journal_exists',
      'You already have a journal. Unlock it with your passphrase or recovery code.',
    );
  }
  await recordAudit(ctx, 'journal.set_up', {
    clinicId: principal.clinicId,
    actorUserId: null,
    targetId: journalId,
    details: { participantId: principal.participantId, via: principal.via },
  });
  return journalStatus(ctx, principal);
}

/** `POST /api/v1/journal/blobs`: one encrypted update, stored once per blob id. */
export async function appendJournalBlob(
  ctx: CoreContext,
  principal: JournalPrincipal,
  proofHeader: string | undefined,
  input: unknown,
): Promise<JournalAppendedView> {
  const journal = await requireJournal(ctx, principal);
  await requireJournalProof(ctx, principal, journal, proofHeader);
  const { blobId, data } = parseInput(journalAppendSchema, input);
  const bytes = ciphertextBytes(data, JOURNAL_BLOB_MAX_BYTES);
  const now = ctx.now();
  const limiter = appendLimiter(ctx);
  const wait = limiter.retryAfterSeconds(journal.id, now.getTime());
  if (wait > 0) {
    throw new CoreError(
      'rate_limited',
      'too_many_appends',
      'Your journal is saving faster than the server accepts. It will try again in a moment.',
      { retryAfterSeconds: wait },
    );
  }
  const outcome = await ctx.store.appendJournalBlob(
    journal.id,
    { blobId, data: bytes, at: now },
    JOURNAL_TOTAL_MAX_BYTES,
  );
  if (!outcome.ok) {
    if (outcome.reason === 'no_journal') throw noJournal();
    throw new CoreError(
      'conflict',
      'journal_full',
      'Your journal has reached its storage limit on the server. Compact it (the app does this by saving a tidy copy), then try again.',
    );
  }
  if (!outcome.duplicate) limiter.recordFailure(journal.id, now.getTime());
  return { seq: outcome.seq, duplicate: outcome.duplicate };
}

/** A path's seq: a plain non-negative integer the columns can hold. */
export function parseSeq(raw: string): number {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(raw) || Number(raw) > MAX_SEQ) {
    throw new CoreError('invalid', 'invalid_seq', 'The seq must be a whole number from 0 up.');
  }
  return Number(raw);
}

/** `GET /api/v1/journal/blobs/after/:seq`: the latest snapshot past `seq`, then the updates. */
export async function fetchJournalBlobs(
  ctx: CoreContext,
  principal: JournalPrincipal,
  proofHeader: string | undefined,
  rawSeq: string,
): Promise<JournalBlobsView> {
  const afterSeq = parseSeq(rawSeq);
  const journal = await requireJournal(ctx, principal);
  await requireJournalProof(ctx, principal, journal, proofHeader);
  const page = await ctx.store.listJournalBlobs(journal.id, afterSeq, JOURNAL_FETCH_MAX_BLOBS);
  const blobs: JournalBlobsView['blobs'] = [];
  let bytes = 0;
  for (const blob of page.blobs) {
    bytes += blob.data.byteLength;
    if (blobs.length > 0 && bytes > FETCH_MAX_BYTES) break;
    blobs.push({ seq: blob.seq, kind: blob.kind, data: Buffer.from(blob.data).toString('base64url') });
  }
  return { blobs, headSeq: page.headSeq, more: page.more || blobs.length < page.blobs.length };
}

/** `POST /api/v1/journal/compact`: one snapshot replaces every blob up to `throughSeq`. */
export async function compactJournal(
  ctx: CoreContext,
  principal: JournalPrincipal,
  proofHeader: string | undefined,
  input: unknown,
): Promise<JournalCompactedView> {
  const journal = await requireJournal(ctx, principal);
  await requireJournalProof(ctx, principal, journal, proofHeader);
  const { throughSeq, data } = parseInput(journalCompactSchema, input);
  const bytes = ciphertextBytes(data, JOURNAL_SNAPSHOT_MAX_BYTES);
  const outcome = await ctx.store.compactJournal(journal.id, throughSeq, bytes, ctx.now());
  if (outcome.ok) return { headSeq: outcome.headSeq };
  if (outcome.reason === 'no_journal') throw noJournal();
  if (outcome.reason === 'ahead') {
    throw new CoreError('unprocessable', 'validation_failed', 'Check the highlighted fields.', {
      fields: { throughSeq: "Past the journal's last entry: fetch the latest first." },
    });
  }
  throw new CoreError(
    'conflict',
    'stale',
    'Another device compacted the journal first. Fetch the latest entries, then try again.',
  );
}

/** `POST /api/v1/journal/passphrase`: a new passphrase, proved with either current secret. */
export async function changeJournalPassphrase(
  ctx: CoreContext,
  principal: JournalPrincipal,
  proofHeader: string | undefined,
  input: unknown,
): Promise<void> {
  const journal = await requireJournal(ctx, principal);
  const provedWith = await requireJournalProof(ctx, principal, journal, proofHeader);
  const change = parseInput(journalNewPassphraseSchema, input);
  const changed = await ctx.store.replaceJournalPassphrase(
    journal.id,
    {
      kdf: change.kdf,
      passphraseSalt: change.passphraseSalt,
      wrappedByPassphrase: change.wrappedByPassphrase,
      passphraseProofHash: proofHash(change.passphraseProof),
    },
    ctx.now(),
  );
  if (!changed) throw noJournal();
  await recordAudit(ctx, 'journal.passphrase_changed', {
    clinicId: journal.clinicId,
    actorUserId: null,
    targetId: journal.id,
    details: { participantId: principal.participantId, provedWith, via: principal.via },
  });
}
