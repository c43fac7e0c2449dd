/**
 * Proving a journal secret (docs/journals.md). The device derives an unlock proof from the
 * passphrase or the recovery code; the server keeps only the SHA-256 of each proof and hands a
 * wrapped key or ciphertext to a request whose proof hashes to it. Wrong proofs — at unlock or
 * on any data call, which would otherwise be a second guessing door — are counted per journal,
 * limited with doubling waits, audited, and shown to the participant at their next unlock.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  JOURNAL_PROOF_HEADER,
  JOURNAL_UNLOCK_FAILURES_ALLOWED,
  journalUnlockSchema,
  type JournalUnlockMethod,
  type JournalUnlockView,
} from '@cairn/domain';
import type { JournalRecord } from '@cairn/db';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import type { JournalPrincipal } from './journal-principal.ts';
import { generateId } from './tokens.ts';
import { parseInput } from './validate.ts';

/** Failures older than this no longer count towards a wait. */
export const JOURNAL_UNLOCK_WINDOW_MS = 10 * 60 * 1000;
/** The first wait after the allowance is used up; each further failure doubles it. */
const FIRST_WAIT_SECONDS = 30;
/** Waits stop growing here, so someone else's wrong guesses cannot lock the owner out for long. */
const LONGEST_WAIT_SECONDS = 10 * 60;

const PROOF_HEADER = /^(passphrase|recovery)\.([A-Za-z0-9_-]{43})$/;

/** SHA-256 (hex) of a base64url proof's bytes: what the journal stores and compares. */
export function proofHash(proof: string): string {
  return createHash('sha256').update(Buffer.from(proof, 'base64url')).digest('hex');
}

function storedHash(journal: JournalRecord, method: JournalUnlockMethod): string {
  return method === 'passphrase' ? journal.passphraseProofHash : journal.recoveryProofHash;
}

/** Compares digests of equal length in constant time. */
function proofMatches(journal: JournalRecord, method: JournalUnlockMethod, proof: string): boolean {
  const expected = Buffer.from(storedHash(journal, method), 'hex');
  const actual = Buffer.from(proofHash(proof), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Seconds before the next attempt is heard: none until the allowance of failures in the window
 * is used, then 30 s after the latest, doubling with each failure past it (at most 10 min).
 */
export function unlockWaitSeconds(failureTimes: readonly Date[], now: Date): number {
  const since = now.getTime() - JOURNAL_UNLOCK_WINDOW_MS;
  const recent = failureTimes.map((t) => t.getTime()).filter((t) => t > since);
  if (recent.length < JOURNAL_UNLOCK_FAILURES_ALLOWED) return 0;
  const past = recent.length - JOURNAL_UNLOCK_FAILURES_ALLOWED;
  const wait = Math.min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** Math.min(past, 20));
  const latest = Math.max(...recent);
  return Math.max(0, Math.ceil((latest + wait * 1000 - now.getTime()) / 1000));
}

export async function journalRetryAfterSeconds(ctx: CoreContext, journal: JournalRecord): Promise<number> {
  const failures = await ctx.store.listJournalUnlockFailures(journal.id);
  return unlockWaitSeconds(
    failures.map((f) => f.at),
    ctx.now(),
  );
}

/**
 * Proof checks of one journal run one at a time in this process: otherwise a burst of guesses
 * sent at once would all read "no failures yet" before any was recorded, and all be heard.
 * (With several instances each serialises its own, bounding a burst to instances × allowance,
 * like the sign-in limits.)
 */
const checkQueues = new WeakMap<CoreContext, Map<string, Promise<unknown>>>();
function oneAtATime<T>(ctx: CoreContext, journalId: string, fn: () => Promise<T>): Promise<T> {
  let queues = checkQueues.get(ctx);
  if (!queues) {
    queues = new Map();
    checkQueues.set(ctx, queues);
  }
  const result = (queues.get(journalId) ?? Promise.resolve()).then(fn);
  const tail = result.catch(() => undefined);
  queues.set(journalId, tail);
  void tail.then(() => {
    if (queues.get(journalId) === tail) queues.delete(journalId);
  });
  return result;
}

const WRONG_SECRET_MESSAGE =
  'That passphrase or recovery code did not unlock the journal. Check it and try again.';

/**
 * Checks `proof` for `method`, counting and auditing a wrong one. While the journal waits after
 * repeated wrong secrets no proof is heard at all (429), right or wrong: otherwise the wait
 * would only slow the wrong guesses and still confirm the right one.
 */
function checkProof(
  ctx: CoreContext,
  principal: JournalPrincipal,
  journal: JournalRecord,
  method: JournalUnlockMethod,
  proof: string,
): Promise<void> {
  return oneAtATime(ctx, journal.id, () => checkProofNow(ctx, principal, journal, method, proof));
}

async function checkProofNow(
  ctx: CoreContext,
  principal: JournalPrincipal,
  journal: JournalRecord,
  method: JournalUnlockMethod,
  proof: string,
): Promise<void> {
  const wait = await journalRetryAfterSeconds(ctx, journal);
  if (wait > 0) {
    throw new CoreError(
      'rate_limited',
      'unlock_wait',
      'Too many wrong passphrases or recovery codes. Wait a little, then try again.',
      { retryAfterSeconds: wait },
    );
  }
  if (proofMatches(journal, method, proof)) return;
  await ctx.store.recordJournalUnlockFailure({
    id: generateId(),
    journalId: journal.id,
    at: ctx.now(),
    method,
    via: principal.via,
  });
  await recordAudit(ctx, 'journal.unlock_failed', {
    clinicId: journal.clinicId,
    actorUserId: null,
    targetId: journal.id,
    details: { participantId: principal.participantId, method, via: principal.via },
  });
  throw new CoreError('bad_credentials', 'wrong_secret', WRONG_SECRET_MESSAGE);
}

/**
 * The proof a data call carries in its header (`<method>.<proof>`), checked like an unlock.
 * Returns the method it was made with.
 */
export async function requireJournalProof(
  ctx: CoreContext,
  principal: JournalPrincipal,
  journal: JournalRecord,
  header: string | undefined,
): Promise<JournalUnlockMethod> {
  if (header === undefined || header === '') {
    throw new CoreError(
      'unauthenticated',
      'journal_locked',
      'Your journal is locked. Unlock it with your passphrase or recovery code.',
    );
  }
  const parsed = PROOF_HEADER.exec(header);
  if (!parsed) {
    throw new CoreError(
      'invalid',
      'invalid_proof_header',
      `The ${JOURNAL_PROOF_HEADER} header must be "passphrase.<proof>" or "recovery.<proof>". Unlock the journal again.`,
    );
  }
  const method = parsed[1] as JournalUnlockMethod;
  await checkProof(ctx, principal, journal, method, parsed[2]!);
  return method;
}

/** `POST /api/v1/journal/unlock`: the wrapped key of the method proved, and who tried before. */
export async function unlockJournal(
  ctx: CoreContext,
  principal: JournalPrincipal,
  journal: JournalRecord,
  input: unknown,
): Promise<JournalUnlockView> {
  const { method, proof } = parseInput(journalUnlockSchema, input);
  await checkProof(ctx, principal, journal, method, proof);
  const failures = await ctx.store.takeJournalUnlockFailures(journal.id, ctx.now());
  await recordAudit(ctx, 'journal.unlocked', {
    clinicId: journal.clinicId,
    actorUserId: null,
    targetId: journal.id,
    details: { participantId: principal.participantId, method, via: principal.via },
  });
  return {
    journalId: journal.id,
    wrappedKey: method === 'passphrase' ? journal.wrappedByPassphrase : journal.wrappedByRecovery,
    headSeq: journal.headSeq,
    failedSinceLastUnlock: failures.map(({ at, method: tried, via }) => ({
      at: at.toISOString(),
      method: tried,
      via,
    })),
  };
}
