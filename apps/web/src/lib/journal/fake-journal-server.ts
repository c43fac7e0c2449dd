/**
 * TEST SUPPORT ONLY (imported by *.test.ts, never by the app): an in-process stand-in for the
 * seven journal routes, as journal-protocol.ts describes them and apps/server answers them
 * (401 wrong_secret, 404 not_found, 409 journal_exists / journal_full / stale, 429 with
 * Retry-After), behind a `fetch` function. It
 * checks bodies with the contract's own zod schemas, keeps only SHA-256s of proofs, and stores
 * what a real server would — so tests can also assert what the server never sees.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  JOURNAL_FETCH_MAX_BLOBS,
  JOURNAL_PROOF_HEADER,
  journalAppendSchema,
  journalCompactSchema,
  journalNewPassphraseSchema,
  journalSetupSchema,
  journalUnlockSchema,
  type JournalBlobView,
  type JournalFailedUnlockView,
  type JournalSetup,
  type JournalUnlockMethod,
} from '@cairn/domain';
import { fromBase64Url } from './bytes.ts';
import type { JournalTransport } from './journal-api.ts';

interface StoredBlob extends JournalBlobView {
  blobId: string | null;
}

interface StoredJournal {
  id: string;
  setup: JournalSetup;
  passphraseHash: string;
  recoveryHash: string;
  blobs: StoredBlob[];
  headSeq: number;
  failures: JournalFailedUnlockView[];
}

const sha256 = (b64: string) => createHash('sha256').update(fromBase64Url(b64)).digest('hex');

export class FakeJournalServer {
  journal: StoredJournal | null = null;
  /** Every request body and header the server received, as text (for "never plaintext" checks). */
  readonly received: string[] = [];
  offline = false;
  /** Wrong proofs allowed before 429. */
  failuresAllowed = 5;
  /** The next request to this path prefix fails with this answer (once). */
  failNext: { path: string; status: number; error: string; retryAfter?: number } | null = null;
  fetchLimit = JOURNAL_FETCH_MAX_BLOBS;
  /** Ciphertext characters the journal may hold before appends are refused (journal_full). */
  totalMaxChars = Number.POSITIVE_INFINITY;
  requests = 0;

  transport(): JournalTransport {
    return {
      baseUrl: 'http://cairn.test/api/v1',
      fetch: (input, init) => this.handle(String(input), init ?? {}),
    };
  }

  private async handle(url: string, init: RequestInit): Promise<Response> {
    if (this.offline) throw new TypeError('fetch failed');
    this.requests += 1;
    const method = init.method ?? 'GET';
    const path = url.replace('http://cairn.test/api/v1', '');
    const headers = new Headers(init.headers);
    const bodyText = typeof init.body === 'string' ? init.body : '';
    this.received.push(`${method} ${path} ${JSON.stringify([...headers])} ${bodyText}`);
    if (this.failNext !== null && path.startsWith(this.failNext.path)) {
      const fail = this.failNext;
      this.failNext = null;
      return json(fail.status, { error: fail.error, message: 'injected' }, fail.retryAfter);
    }
    const body: unknown = bodyText === '' ? undefined : JSON.parse(bodyText);
    const route = `${method} ${path.replace(/\/after\/\d+$/, '/after/:seq')}`;
    switch (route) {
      case 'GET /journal':
        return json(200, this.status());
      case 'PUT /journal':
        return this.setUp(body);
      case 'POST /journal/unlock':
        return this.unlock(body);
      case 'POST /journal/passphrase':
        return this.withProof(headers, () => this.newPassphrase(body));
      case 'POST /journal/blobs':
        return this.withProof(headers, () => this.append(body));
      case 'GET /journal/blobs/after/:seq':
        return this.withProof(headers, () => this.after(Number(path.split('/').pop())));
      case 'POST /journal/compact':
        return this.withProof(headers, () => this.compact(body));
      default:
        return json(404, { error: 'not_found', message: 'No such route.' });
    }
  }

  status() {
    const j = this.journal;
    if (j === null) return { exists: false };
    return {
      exists: true,
      journalId: j.id,
      kdf: j.setup.kdf,
      passphraseSalt: j.setup.passphraseSalt,
      recoverySalt: j.setup.recoverySalt,
    };
  }

  private setUp(body: unknown): Response {
    const parsed = journalSetupSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'validation', message: parsed.error.message });
    if (this.journal !== null) return json(409, { error: 'journal_exists', message: 'Exists.' });
    this.journal = {
      id: randomUUID(),
      setup: parsed.data,
      passphraseHash: sha256(parsed.data.passphraseProof),
      recoveryHash: sha256(parsed.data.recoveryProof),
      blobs: [],
      headSeq: 0,
      failures: [],
    };
    return json(201, this.status());
  }

  private proofMatches(method: JournalUnlockMethod, proof: string): boolean {
    const j = this.journal!;
    return sha256(proof) === (method === 'passphrase' ? j.passphraseHash : j.recoveryHash);
  }

  private unlock(body: unknown): Response {
    const parsed = journalUnlockSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'validation', message: parsed.error.message });
    const j = this.journal;
    if (j === null) return json(404, { error: 'not_found', message: 'No journal.' });
    if (j.failures.length >= this.failuresAllowed) {
      return json(429, { error: 'unlock_wait', message: 'Wait.' }, 120);
    }
    if (!this.proofMatches(parsed.data.method, parsed.data.proof)) {
      j.failures.push({ at: new Date().toISOString(), method: parsed.data.method, via: 'home' });
      return json(401, { error: 'wrong_secret', message: 'Wrong.' });
    }
    const failed = j.failures;
    j.failures = [];
    return json(200, {
      journalId: j.id,
      wrappedKey:
        parsed.data.method === 'passphrase' ? j.setup.wrappedByPassphrase : j.setup.wrappedByRecovery,
      headSeq: j.headSeq,
      failedSinceLastUnlock: failed,
    });
  }

  private withProof(headers: Headers, run: () => Response): Response {
    const j = this.journal;
    if (j === null) return json(404, { error: 'not_found', message: 'No journal.' });
    const [method, proof] = (headers.get(JOURNAL_PROOF_HEADER) ?? '').split('.');
    if (
      (method !== 'passphrase' && method !== 'recovery') ||
      proof === undefined ||
      !this.proofMatches(method, proof)
    ) {
      return json(401, { error: 'wrong_secret', message: 'Wrong.' });
    }
    return run();
  }

  private newPassphrase(body: unknown): Response {
    const parsed = journalNewPassphraseSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'validation', message: parsed.error.message });
    const j = this.journal!;
    j.setup = { ...j.setup, ...parsed.data };
    j.passphraseHash = sha256(parsed.data.passphraseProof);
    return json(204, undefined);
  }

  private append(body: unknown): Response {
    const parsed = journalAppendSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'validation', message: parsed.error.message });
    const j = this.journal!;
    const existing = j.blobs.find((blob) => blob.blobId === parsed.data.blobId);
    if (existing) return json(200, { seq: existing.seq, duplicate: true });
    const total = j.blobs.reduce((sum, blob) => sum + blob.data.length, 0);
    if (total + parsed.data.data.length > this.totalMaxChars) {
      return json(409, { error: 'journal_full', message: 'Full.' });
    }
    j.headSeq += 1;
    j.blobs.push({ seq: j.headSeq, kind: 'update', data: parsed.data.data, blobId: parsed.data.blobId });
    return json(201, { seq: j.headSeq, duplicate: false });
  }

  private after(seq: number): Response {
    const j = this.journal!;
    const snapshot = j.blobs.find((blob) => blob.kind === 'snapshot');
    const page: StoredBlob[] = [];
    let from = seq;
    if (snapshot && snapshot.seq > seq) {
      page.push(snapshot);
      from = snapshot.seq;
    }
    page.push(...j.blobs.filter((blob) => blob.kind === 'update' && blob.seq > from));
    const blobs = page.slice(0, this.fetchLimit).map(({ seq: s, kind, data }) => ({ seq: s, kind, data }));
    return json(200, { blobs, headSeq: j.headSeq, more: page.length > this.fetchLimit });
  }

  private compact(body: unknown): Response {
    const parsed = journalCompactSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'validation', message: parsed.error.message });
    const j = this.journal!;
    const { throughSeq, data } = parsed.data;
    if (throughSeq > j.headSeq) return json(422, { error: 'validation_failed', message: 'Ahead.' });
    const snapshot = j.blobs.find((blob) => blob.kind === 'snapshot');
    if (snapshot && snapshot.seq >= throughSeq) return json(409, { error: 'stale', message: 'Stale.' });
    j.blobs = [
      { seq: throughSeq, kind: 'snapshot', data, blobId: null },
      ...j.blobs.filter((blob) => blob.kind === 'update' && blob.seq > throughSeq),
    ];
    return json(200, { headSeq: j.headSeq });
  }
}

function json(status: number, body: unknown, retryAfter?: number): Response {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (retryAfter !== undefined) headers.set('retry-after', String(retryAfter));
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers });
}
