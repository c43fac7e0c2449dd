/**
 * Hostile and malformed input on the journal routes: every field's wrong, oversized and
 * malformed versions, broken proof headers, impossible seqs, stale or premature compaction,
 * rates and caps. For each, the answer says what went wrong and nothing was written.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  JOURNAL_APPENDS_PER_MINUTE,
  JOURNAL_BLOB_MAX_BYTES,
  JOURNAL_PROOF_HEADER,
  JOURNAL_SNAPSHOT_MAX_BYTES,
  JOURNAL_TOTAL_MAX_BYTES,
  JOURNAL_UNLOCK_FAILURES_ALLOWED,
  type JournalStatusView,
} from '@cairn/domain';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { call, makeJournal, newBlobId, proofHeader, seal, type MadeJournal } from './journals-support.ts';
import {
  admittedTablet,
  redeemAndClaim,
  tabletScene,
  type Device,
  type TabletScene,
} from './tablets-support.ts';

let h: Harness;
let s: TabletScene;
let tablet: Device;
let made: MadeJournal;
let journalId: string;
let participantId: string;
let proof: Record<string, string>;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const ciphertextOf = (bytes: number) => b64(new Uint8Array(bytes).fill(7));

beforeAll(async () => {
  h = await startHarness();
  s = await tabletScene(h);
  participantId = s.participantsA[0]!.id;
  ({ tablet } = await admittedTablet(h, s.fa, s.sessionA.id, participantId));
  made = await makeJournal('a passphrase for the hostile tests', 'RECO-VERY-CODE');
  const r = await call(tablet, 'PUT', '/api/v1/journal', made.body);
  expect(r.statusCode).toBe(201);
  journalId = (r.json() as JournalStatusView).journalId!;
  proof = proofHeader('passphrase', made.passphrase.proof);
  for (let i = 0; i < 2; i++) {
    const data = await seal(made.dek, journalId, new Uint8Array([i]));
    expect(
      (await call(tablet, 'POST', '/api/v1/journal/blobs', { blobId: newBlobId(), data }, proof)).statusCode,
    ).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Every case starts with no failed unlocks and a fresh append minute. */
beforeEach(async () => {
  await h.core.store.takeJournalUnlockFailures(journalId, h.clock.now);
  h.clock.advance(61_000);
});

async function stored() {
  const journal = (await h.core.store.getJournalByParticipant(participantId))!;
  const blobs = await h.core.store.listJournalBlobs(journal.id, 0, 1000);
  return { journal, blobs: blobs.blobs.map((b) => [b.seq, b.kind, b64(b.data)]) };
}

/** Runs `attempt` and proves it changed nothing the journal holds. */
async function nothingWritten(
  attempt: () => Promise<LightMyRequestResponse>,
): Promise<LightMyRequestResponse> {
  const before = await stored();
  const response = await attempt();
  const after = await stored();
  expect(after.journal.headSeq).toBe(before.journal.headSeq);
  expect(after.journal.totalBytes).toBe(before.journal.totalBytes);
  expect(after.journal.passphraseProofHash).toBe(before.journal.passphraseProofHash);
  expect(after.journal.wrappedByPassphrase).toBe(before.journal.wrappedByPassphrase);
  expect(after.blobs).toEqual(before.blobs);
  expect(response.headers['cache-control']).toBe('no-store');
  return response;
}

function expectError(r: LightMyRequestResponse, status: number, error: string, field?: string) {
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json() as { error: string; message: string; fields?: Record<string, string> };
  expect(body.error).toBe(error);
  expect(body.message.length).toBeGreaterThan(10);
  if (field) expect(Object.keys(body.fields ?? {})).toContain(field);
}

const validAppend = () => ({ blobId: newBlobId(), data: ciphertextOf(64) });
const validCompact = () => ({ throughSeq: 1, data: ciphertextOf(64) });
const validPassphrase = () => ({
  kdf: made.body.kdf,
  passphraseSalt: made.body.passphraseSalt,
  wrappedByPassphrase: made.body.wrappedByPassphrase,
  passphraseProof: made.body.passphraseProof,
});

describe('journals: bad input writes nothing', () => {
  it('[BI-A11] an unknown field on any body is a 400', async () => {
    const cases: Array<[string, string, Record<string, unknown>, Record<string, string>]> = [
      ['PUT', '/api/v1/journal', { ...made.body, participantId: 'someone-else' }, {}],
      [
        'POST',
        '/api/v1/journal/unlock',
        { method: 'passphrase', proof: made.passphrase.proof, journalId },
        {},
      ],
      ['POST', '/api/v1/journal/blobs', { ...validAppend(), seq: 1 }, proof],
      ['POST', '/api/v1/journal/compact', { ...validCompact(), journalId }, proof],
      [
        'POST',
        '/api/v1/journal/passphrase',
        { ...validPassphrase(), wrappedByRecovery: made.body.wrappedByRecovery },
        proof,
      ],
    ];
    for (const [method, url, body, headers] of cases) {
      const r = await nothingWritten(() => call(tablet, method as 'POST', url, body, headers));
      expectError(r, 400, 'unknown_field');
    }
  });

  it('[BI-A11] set-up of a second journal, with bad or extra fields, is refused before anything is made', async () => {
    const { tablet: other } = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[1]!.id);
    const fresh = await makeJournal('p', 'r');
    const bad: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ ...fresh.body, headSeq: 5 }, 400, 'unknown_field'],
      [{ ...fresh.body, kdf: { ...fresh.body.kdf, alg: 'scrypt' } }, 422, 'validation_failed', 'kdf.alg'],
      [
        { ...fresh.body, kdf: { ...fresh.body.kdf, memoryKiB: 8 } },
        422,
        'validation_failed',
        'kdf.memoryKiB',
      ],
      [{ ...fresh.body, kdf: { ...fresh.body.kdf, extra: 1 } }, 400, 'unknown_field'],
      [
        { ...fresh.body, passphraseSalt: fresh.body.passphraseSalt.slice(1) },
        422,
        'validation_failed',
        'passphraseSalt',
      ],
      [
        { ...fresh.body, recoverySalt: `${fresh.body.recoverySalt}A` },
        422,
        'validation_failed',
        'recoverySalt',
      ],
      [
        { ...fresh.body, passphraseSalt: `${fresh.body.passphraseSalt.slice(2)}+/` },
        422,
        'validation_failed',
        'passphraseSalt',
      ],
      [
        { ...fresh.body, wrappedByPassphrase: fresh.body.wrappedByPassphrase.slice(1) },
        422,
        'validation_failed',
        'wrappedByPassphrase',
      ],
      [
        { ...fresh.body, wrappedByRecovery: 'A'.repeat(79) + '=' },
        422,
        'validation_failed',
        'wrappedByRecovery',
      ],
      [
        { ...fresh.body, passphraseProof: `${fresh.body.passphraseProof}A` },
        422,
        'validation_failed',
        'passphraseProof',
      ],
      [{ ...fresh.body, recoveryProof: 12345 }, 422, 'validation_failed', 'recoveryProof'],
      [{ ...fresh.body, recoveryProof: undefined }, 422, 'validation_failed', 'recoveryProof'],
    ];
    for (const [body, status, error, field] of bad) {
      const r = await call(other, 'PUT', '/api/v1/journal', body);
      expectError(r, status, error, field);
    }
    for (const body of [[fresh.body], 'a string', null, 7]) {
      expectError(await call(other, 'PUT', '/api/v1/journal', body), 400, 'invalid_body');
    }
    expect(await h.core.store.getJournalByParticipant(s.participantsA[1]!.id)).toBeNull();
  });

  it('[BI-Y2] appended data that is not base64url, is cut, empty or too short for AES-GCM is a 422', async () => {
    const bad: Array<[unknown, string]> = [
      [{ blobId: newBlobId(), data: '' }, 'data'],
      [{ blobId: newBlobId(), data: ciphertextOf(27) }, 'data'], // shorter than IV + tag
      [{ blobId: newBlobId(), data: `${ciphertextOf(64).slice(0, -2)}+/` }, 'data'],
      [{ blobId: newBlobId(), data: `${ciphertextOf(64)}==` }, 'data'],
      [{ blobId: newBlobId(), data: `${ciphertextOf(63)} ` }, 'data'],
      [{ blobId: newBlobId(), data: `${ciphertextOf(60)}A` }, 'data'], // 4n+1 characters: not whole bytes
      [{ blobId: newBlobId(), data: 42 }, 'data'],
      [{ blobId: 'short', data: ciphertextOf(64) }, 'blobId'],
      [{ blobId: 'B'.repeat(33), data: ciphertextOf(64) }, 'blobId'],
      [{ blobId: 'not/base64url+id!', data: ciphertextOf(64) }, 'blobId'],
      [{ data: ciphertextOf(64) }, 'blobId'],
    ];
    for (const [body, field] of bad) {
      expectError(
        await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/blobs', body, proof)),
        422,
        'validation_failed',
        field,
      );
    }
  });

  it('an update over JOURNAL_BLOB_MAX_BYTES is a 422; one at the limit is stored; [BI-A4] a body past the route cap is a 413', async () => {
    const over = { blobId: newBlobId(), data: ciphertextOf(JOURNAL_BLOB_MAX_BYTES + 1) };
    expectError(
      await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/blobs', over, proof)),
      422,
      'validation_failed',
      'data',
    );
    const huge = { blobId: newBlobId(), data: ciphertextOf(JOURNAL_BLOB_MAX_BYTES * 2) };
    expectError(
      await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/blobs', huge, proof)),
      413,
      'too_large',
    );
    // The other routes keep the small global cap.
    const bigUnlock = { method: 'passphrase', proof: made.passphrase.proof, pad: 'x'.repeat(128 * 1024) };
    expectError(
      await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/unlock', bigUnlock)),
      413,
      'too_large',
    );
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const nested = await nothingWritten(() =>
      tablet.request('POST', '/api/v1/journal/blobs', undefined, { headers: proof, payload: deep }),
    );
    expect(nested.statusCode).toBe(400);

    const before = (await stored()).journal.headSeq;
    const atLimit = { blobId: newBlobId(), data: ciphertextOf(JOURNAL_BLOB_MAX_BYTES) };
    const stored201 = await call(tablet, 'POST', '/api/v1/journal/blobs', atLimit, proof);
    expect(stored201.statusCode).toBe(201);
    expect(stored201.json()).toEqual({ seq: before + 1, duplicate: false });
  });

  it('a snapshot over JOURNAL_SNAPSHOT_MAX_BYTES is a 422, throughSeq past the head a 422, a stale one a 409', async () => {
    const { journal } = await stored();
    const over = { throughSeq: 1, data: ciphertextOf(JOURNAL_SNAPSHOT_MAX_BYTES + 1) };
    expectError(
      await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/compact', over, proof)),
      422,
      'validation_failed',
      'data',
    );
    const ahead = { throughSeq: journal.headSeq + 1, data: ciphertextOf(64) };
    expectError(
      await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/compact', ahead, proof)),
      422,
      'validation_failed',
      'throughSeq',
    );
    for (const throughSeq of [0, -1, 1.5, '2', null, 2 ** 53]) {
      const r = await nothingWritten(() =>
        call(tablet, 'POST', '/api/v1/journal/compact', { throughSeq, data: ciphertextOf(64) }, proof),
      );
      expectError(r, 422, 'validation_failed', 'throughSeq');
    }
    // One device compacts through 2; another that read up to 2 as well comes second: stale.
    const first = await call(
      tablet,
      'POST',
      '/api/v1/journal/compact',
      { throughSeq: 2, data: ciphertextOf(64) },
      proof,
    );
    expect(first.statusCode).toBe(200);
    for (const throughSeq of [1, 2]) {
      const r = await nothingWritten(() =>
        call(tablet, 'POST', '/api/v1/journal/compact', { throughSeq, data: ciphertextOf(64) }, proof),
      );
      expectError(r, 409, 'stale');
    }
  });

  it('a seq in the path that is negative, huge, not a number or padded is a 400', async () => {
    for (const seq of ['-1', 'abc', '1e3', '1.5', '01', '99999999999', '2147483648', '%20', '0x10', '']) {
      const r = await nothingWritten(() =>
        call(tablet, 'GET', `/api/v1/journal/blobs/after/${seq}`, undefined, proof),
      );
      expectError(r, 400, 'invalid_seq');
      expect(r.body).not.toContain('"blobs"');
    }
    const top = await call(tablet, 'GET', '/api/v1/journal/blobs/after/2147483647', undefined, proof);
    expect(top.statusCode).toBe(200);
    expect((top.json() as { blobs: unknown[] }).blobs).toEqual([]);
  });

  it('a missing or malformed proof header gets nothing; a wrong proof for either method is a 401', async () => {
    const routes: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/journal/blobs', validAppend()],
      ['GET', '/api/v1/journal/blobs/after/0', undefined],
      ['POST', '/api/v1/journal/compact', validCompact()],
      ['POST', '/api/v1/journal/passphrase', validPassphrase()],
    ];
    const malformed = [
      `passphrase:${made.passphrase.proof}`,
      `token.${made.passphrase.proof}`,
      `passphrase.${made.passphrase.proof.slice(1)}`,
      `passphrase.${made.passphrase.proof}A`,
      `passphrase.${made.passphrase.proof.slice(0, -1)}=`,
      made.passphrase.proof,
      `Passphrase.${made.passphrase.proof}`,
    ];
    for (const [method, url, body] of routes) {
      expectError(
        await nothingWritten(() => call(tablet, method as 'POST', url, body)),
        401,
        'journal_locked',
      );
      for (const header of malformed) {
        const r = await nothingWritten(() =>
          call(tablet, method as 'POST', url, body, { [JOURNAL_PROOF_HEADER]: header }),
        );
        expectError(r, 400, 'invalid_proof_header');
        expect(r.body).not.toContain('"blobs"');
      }
    }
    // Right proof, wrong method; the other method's proof; a proof of nothing.
    const wrong = [
      proofHeader('recovery', made.passphrase.proof),
      proofHeader('passphrase', made.recovery.proof),
      proofHeader('passphrase', b64(new Uint8Array(32))),
    ];
    for (const [i, header] of wrong.entries()) {
      const [method, url, body] = routes[i]!;
      const r = await nothingWritten(() => call(tablet, method as 'POST', url, body, header));
      expectError(r, 401, 'wrong_secret');
      expect(r.body).not.toContain('"blobs"');
    }
    expect(await h.core.store.listJournalUnlockFailures(journalId)).toHaveLength(3);
  });

  it('unlock with a bad method or proof shape is a 422 and is not counted as a guess', async () => {
    for (const [body, field] of [
      [{ method: 'admin', proof: made.passphrase.proof }, 'method'],
      [{ method: 'passphrase', proof: made.passphrase.proof.slice(2) }, 'proof'],
      [{ method: 'passphrase', proof: `${made.passphrase.proof.slice(0, -1)}=` }, 'proof'],
      [{ method: 'passphrase' }, 'proof'],
    ] as const) {
      expectError(
        await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/unlock', body)),
        422,
        'validation_failed',
        field,
      );
    }
    expect(await h.core.store.listJournalUnlockFailures(journalId)).toEqual([]);
  });

  it(`wrong unlocks past ${JOURNAL_UNLOCK_FAILURES_ALLOWED} wait, doubling; the wait ends`, async () => {
    const guess = { method: 'passphrase', proof: b64(new Uint8Array(32).fill(1)) };
    for (let i = 0; i < JOURNAL_UNLOCK_FAILURES_ALLOWED; i++) {
      expectError(await call(tablet, 'POST', '/api/v1/journal/unlock', guess), 401, 'wrong_secret');
    }
    const first = await call(tablet, 'POST', '/api/v1/journal/unlock', guess);
    expectError(first, 429, 'unlock_wait');
    const firstWait = Number(first.headers['retry-after']);
    h.clock.advance(firstWait * 1000);
    expectError(await call(tablet, 'POST', '/api/v1/journal/unlock', guess), 401, 'wrong_secret');
    const second = await call(tablet, 'POST', '/api/v1/journal/unlock', guess);
    expectError(second, 429, 'unlock_wait');
    expect(Number(second.headers['retry-after'])).toBe(firstWait * 2);
    h.clock.advance(Number(second.headers['retry-after']) * 1000);
    const right = await call(tablet, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: made.passphrase.proof,
    });
    expect(right.statusCode).toBe(200);
    expect((right.json() as { failedSinceLastUnlock: unknown[] }).failedSinceLastUnlock).toHaveLength(
      JOURNAL_UNLOCK_FAILURES_ALLOWED + 1,
    );
  });

  it('a burst of wrong unlocks sent at once is heard only up to the allowance', async () => {
    const guesses = Array.from({ length: 20 }, (_, i) => ({
      method: 'passphrase',
      proof: b64(new Uint8Array(32).fill(i + 10)),
    }));
    const answers = await Promise.all(guesses.map((g) => call(tablet, 'POST', '/api/v1/journal/unlock', g)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((code) => code === 401)).toHaveLength(JOURNAL_UNLOCK_FAILURES_ALLOWED);
    expect(statuses.filter((code) => code === 429)).toHaveLength(20 - JOURNAL_UNLOCK_FAILURES_ALLOWED);
    expect(await h.core.store.listJournalUnlockFailures(journalId)).toHaveLength(
      JOURNAL_UNLOCK_FAILURES_ALLOWED,
    );
  });

  it(`appends past ${JOURNAL_APPENDS_PER_MINUTE} a minute get 429 with Retry-After; a retried blob id is still answered`, async () => {
    let last: { blobId: string; data: string } | undefined;
    for (let i = 0; i < JOURNAL_APPENDS_PER_MINUTE; i++) {
      last = { blobId: newBlobId(), data: ciphertextOf(40) };
      expect((await call(tablet, 'POST', '/api/v1/journal/blobs', last, proof)).statusCode).toBe(201);
    }
    const limited = await nothingWritten(() =>
      call(tablet, 'POST', '/api/v1/journal/blobs', validAppend(), proof),
    );
    expectError(limited, 429, 'too_many_appends');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    h.clock.advance(61_000);
    expect((await call(tablet, 'POST', '/api/v1/journal/blobs', last, proof)).statusCode).toBe(200);
    expect((await call(tablet, 'POST', '/api/v1/journal/blobs', validAppend(), proof)).statusCode).toBe(201);
  });

  it('an append past JOURNAL_TOTAL_MAX_BYTES is a 409 that says to compact', async () => {
    // Someone with the file makes the journal nearly full (cheaper than appending 32 MiB).
    const db = new DatabaseSync(path.join(h.dataDir, 'cairn.db'));
    db.exec('PRAGMA busy_timeout = 5000');
    const { journal } = await stored();
    db.prepare('UPDATE journals SET total_bytes = ? WHERE id = ?').run(
      JOURNAL_TOTAL_MAX_BYTES - 50,
      journalId,
    );
    db.close();
    const r = await nothingWritten(() => call(tablet, 'POST', '/api/v1/journal/blobs', validAppend(), proof));
    expectError(r, 409, 'journal_full');
    expect((r.json() as { message: string }).message).toMatch(/compact/i);
    const small = { blobId: newBlobId(), data: ciphertextOf(40) };
    expect((await call(tablet, 'POST', '/api/v1/journal/blobs', small, proof)).statusCode).toBe(201);
    const restore = new DatabaseSync(path.join(h.dataDir, 'cairn.db'));
    restore.exec('PRAGMA busy_timeout = 5000');
    restore
      .prepare('UPDATE journals SET total_bytes = ? WHERE id = ?')
      .run(journal.totalBytes + 40, journalId);
    restore.close();
  });

  it('[BI-J6] a query string is refused; [BI-A5] a body that is not JSON is a 415; [BI-A6] a cross-origin call is a 403', async () => {
    expectError(
      await nothingWritten(() =>
        call(tablet, 'GET', `/api/v1/journal/blobs/after/0?proof=${made.passphrase.proof}`, undefined, proof),
      ),
      400,
      'code_in_url',
    );
    expectError(await nothingWritten(() => call(tablet, 'GET', '/api/v1/journal?x=1')), 400, 'code_in_url');
    const plain = await nothingWritten(() =>
      tablet.request('POST', '/api/v1/journal/blobs', undefined, {
        headers: { ...proof, 'content-type': 'text/plain' },
        payload: JSON.stringify(validAppend()),
      }),
    );
    expect(plain.statusCode).toBe(415);
    const crossOrigin = await nothingWritten(() =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/journal/blobs',
        headers: {
          origin: 'https://evil.example',
          cookie: tablet.cookie!,
          'content-type': 'application/json',
          ...proof,
        },
        payload: JSON.stringify(validAppend()),
      }),
    );
    expect(crossOrigin.statusCode).toBe(403);
  });

  it('a tablet still waiting for admission has no journal routes (404, like anyone else)', async () => {
    const { tablet: waiting } = await redeemAndClaim(h, s.fa, s.sessionA.id, s.participantsA[2]!.id);
    for (const [method, url, body] of [
      ['GET', '/api/v1/journal', undefined],
      ['PUT', '/api/v1/journal', (await makeJournal('p', 'r')).body],
      ['GET', '/api/v1/journal/blobs/after/0', undefined],
    ] as const) {
      const r = await call(waiting, method, url, body, proof);
      expectError(r, 404, 'not_found');
    }
    expect(await h.core.store.getJournalByParticipant(s.participantsA[2]!.id)).toBeNull();
  });

  it('a new passphrase with a wrong proof changes nothing; with bad fields is a 422', async () => {
    const wrongProof = proofHeader('passphrase', b64(new Uint8Array(32).fill(3)));
    expectError(
      await nothingWritten(() =>
        call(tablet, 'POST', '/api/v1/journal/passphrase', validPassphrase(), wrongProof),
      ),
      401,
      'wrong_secret',
    );
    expectError(
      await nothingWritten(() =>
        call(
          tablet,
          'POST',
          '/api/v1/journal/passphrase',
          { ...validPassphrase(), passphraseSalt: 'short' },
          proof,
        ),
      ),
      422,
      'validation_failed',
      'passphraseSalt',
    );
  });
});
