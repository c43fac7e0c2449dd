import { JOURNAL_KDF, type JournalKdf } from '@cairn/domain';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { FakeJournalServer } from './fake-journal-server.ts';
import { JournalApi } from './journal-api.ts';
import { JournalEngine, type JournalOptions } from './journal-engine.ts';
import { indexedDbOutbox, type JournalOutbox } from './local-buffer.ts';

// Lower Argon2id cost than JOURNAL_KDF so the suite stays fast; the contract's minimums still hold.
const TEST_KDF: JournalKdf = { alg: 'argon2id', memoryKiB: 19_456, iterations: 2, parallelism: 1 };
const PASSPHRASE = 'river stones under winter light';
const MARKER = 'MARKER-blue-heron-7731';

function device(
  server: FakeJournalServer,
  outbox: JournalOutbox = indexedDbOutbox(new IDBFactory()),
  options: JournalOptions = {},
) {
  return new JournalEngine(undefined, {
    api: new JournalApi(server.transport()),
    outbox,
    kdf: TEST_KDF,
    batchMs: 5,
    pollMs: 60_000,
    retryMinMs: 5,
    retryMaxMs: 20,
    ...options,
  });
}

async function setUpJournal(server: FakeJournalServer, journal = device(server)) {
  await journal.load();
  expect(journal.phase).toBe('absent');
  const result = await journal.setUp(PASSPHRASE);
  if (!('recoveryCode' in result)) throw new Error(`set-up failed: ${result.problem}`);
  return { journal, recoveryCode: result.recoveryCode };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Argon2id runs in every unlock: generous per-test time on a shared 2-core CI box.
describe('Journal engine against an in-process fake of the seven routes', { timeout: 30_000 }, () => {
  it('sets up, saves an entry durably, and a second device unlocks and sees it', async () => {
    const server = new FakeJournalServer();
    const { journal, recoveryCode } = await setUpJournal(server);
    expect(recoveryCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(journal.phase).toBe('unlocked');
    const id = journal.addEntry()!;
    journal.entryText(id)!.insert(0, `First entry ${MARKER}`);
    expect(journal.saved).toBe(false);
    expect(journal.pending).toBeGreaterThan(0);
    await journal.flush();
    expect(journal.pending).toBe(0);
    expect(journal.saved).toBe(true);
    expect(journal.entries.map((e) => e.text)).toEqual([`First entry ${MARKER}`]);

    const second = device(server);
    await second.load();
    expect(second.phase).toBe('locked');
    expect(await second.unlock(PASSPHRASE)).toBe('ok');
    expect(second.entries.map((e) => e.text)).toEqual([`First entry ${MARKER}`]);

    // The second device writes; the first sees it on its next sync.
    second.addEntry('From the phone');
    await second.flush();
    await journal.sync();
    await until(() => journal.entries.length === 2, 'the first device to see the second entry');
    expect(journal.entries.map((e) => e.text)).toContain('From the phone');

    // [AC-20] the marker phrase reached the server in no request, in no form.
    expect(server.received.join('\n')).not.toContain(MARKER);
    expect(JSON.stringify(server.journal)).not.toContain(MARKER);
    expect(server.received.join('\n')).not.toContain(PASSPHRASE);
  });

  it('a wrong passphrase gives no key, is told to the participant at the next unlock, and is limited', async () => {
    const server = new FakeJournalServer();
    const { journal } = await setUpJournal(server);
    journal.addEntry('private');
    await journal.flush();
    await journal.lock();
    expect(journal.phase).toBe('locked');
    expect(journal.doc).toBeNull();
    expect(journal.entries).toEqual([]);
    expect(journal.entryText('anything')).toBeNull();

    expect(await journal.unlock('river stones under winter lights')).toBe('wrong');
    expect(journal.phase).toBe('locked');
    expect(journal.entries).toEqual([]);

    expect(await journal.unlock(PASSPHRASE)).toBe('ok');
    expect(journal.failedSinceLastUnlock).toHaveLength(1);
    expect(journal.failedSinceLastUnlock[0]!.method).toBe('passphrase');
    expect(journal.entries.map((e) => e.text)).toEqual(['private']);

    await journal.lock();
    server.failuresAllowed = 0;
    expect(await journal.unlock(PASSPHRASE)).toEqual({ retryAfterSeconds: 120 });
    expect(journal.retryAfterSeconds).toBe(120);
  });

  it('recovers with the recovery code (typed loosely) and a new passphrase; the old one stops working', async () => {
    const server = new FakeJournalServer();
    const { journal, recoveryCode } = await setUpJournal(server);
    journal.addEntry('before the passphrase was lost');
    await journal.flush();
    await journal.lock();

    const typed = ` ${recoveryCode.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l')} `;
    expect(await journal.recover('AAAA-BBBB', 'a brand new passphrase here')).toBe('wrong');
    expect(await journal.recover(typed, 'a brand new passphrase here')).toBe('ok');
    expect(journal.entries.map((e) => e.text)).toEqual(['before the passphrase was lost']);
    await journal.lock();

    const other = device(server);
    await other.load();
    expect(await other.unlock(PASSPHRASE)).toBe('wrong');
    expect(await other.unlock('a brand new passphrase here')).toBe('ok');
    expect(other.entries.map((e) => e.text)).toEqual(['before the passphrase was lost']);
  });

  it('a device whose passphrase was changed elsewhere locks itself on its next send', async () => {
    const server = new FakeJournalServer();
    const { journal, recoveryCode } = await setUpJournal(server);
    const other = device(server);
    await other.load();
    expect(await other.recover(recoveryCode, 'another good passphrase now')).toBe('ok');
    journal.addEntry('typed on the old device');
    await journal.flush();
    await until(() => journal.phase === 'locked', 'the stale device to lock');
    expect(journal.problem).toBe('proof_rejected');
    expect(journal.pending).toBe(1);
    expect(await journal.unlock('another good passphrase now')).toBe('ok');
    await journal.flush();
    expect(journal.saved).toBe(true);
    await other.sync();
    await until(
      () => other.entries.some((e) => e.text === 'typed on the old device'),
      'the buffered entry to arrive',
    );
  });

  it('[FT-08] edits made offline survive a reload in the encrypted buffer and are sent after unlock', async () => {
    const server = new FakeJournalServer();
    const factory = new IDBFactory();
    const { journal } = await setUpJournal(server, device(server, indexedDbOutbox(factory)));
    journal.addEntry('online entry');
    await journal.flush();

    server.offline = true;
    const id = journal.addEntry()!;
    journal.entryText(id)!.insert(0, `written offline ${MARKER}`);
    journal.addStroke(id, { color: '#336699', width: 4, points: [10, 10, 20, 25, 30, 40] });
    await journal.flush();
    expect(journal.saved).toBe(false);
    expect(journal.pending).toBeGreaterThan(0);
    expect(journal.online).toBe(false);

    // What the buffer holds is ciphertext only.
    const buffered = await indexedDbOutbox(factory).list(server.journal!.id);
    expect(buffered.length).toBeGreaterThan(0);
    expect(JSON.stringify(buffered)).not.toContain(MARKER);

    // The reload: this page's memory is gone (no lock, no flush); a new page opens the same buffer.
    await journal.destroy();
    const reloaded = device(server, indexedDbOutbox(factory));
    server.offline = false;
    await reloaded.load();
    expect(reloaded.phase).toBe('locked');
    expect(reloaded.pending).toBe(buffered.length);
    expect(reloaded.saved).toBe(false);
    expect(await reloaded.unlock(PASSPHRASE)).toBe('ok');
    expect(reloaded.entries.map((e) => e.text)).toEqual([`written offline ${MARKER}`, 'online entry']);
    await until(() => reloaded.saved, 'the buffered blobs to be acknowledged');
    expect(await indexedDbOutbox(factory).list(server.journal!.id)).toEqual([]);

    const fresh = device(server);
    await fresh.load();
    expect(await fresh.unlock(PASSPHRASE)).toBe('ok');
    expect(fresh.entries[0]!.text).toBe(`written offline ${MARKER}`);
    expect(fresh.entries[0]!.strokes).toEqual([
      { color: '#336699', width: 4, points: [10, 10, 20, 25, 30, 40] },
    ]);
  });

  it('[AC-10] "Sign out & clear" leaves no journal data or key on the device', async () => {
    const server = new FakeJournalServer();
    const factory = new IDBFactory();
    const { journal } = await setUpJournal(server, device(server, indexedDbOutbox(factory)));
    server.offline = true;
    journal.addEntry('unsent');
    await journal.flush();
    expect((await factory.databases()).map((db) => db.name)).toContain('cairn-journal-buffer');
    await journal.clearDevice();
    expect(journal.phase).toBe('locked');
    expect(journal.doc).toBeNull();
    expect(journal.entries).toEqual([]);
    expect(journal.pending).toBe(0);
    expect((await factory.databases()).map((db) => db.name)).not.toContain('cairn-journal-buffer');
  });

  it('retries a refused send with backoff and a 429 after Retry-After, sending each blob once', async () => {
    const server = new FakeJournalServer();
    const { journal } = await setUpJournal(server);
    server.failNext = { path: '/journal/blobs', status: 503, error: 'unreachable' };
    journal.addEntry('retried');
    await journal.flush();
    expect(journal.saved).toBe(false);
    await until(() => journal.saved, 'the retry to succeed');
    expect(server.journal!.blobs.filter((b) => b.kind === 'update')).toHaveLength(1);

    server.failNext = { path: '/journal/blobs', status: 429, error: 'rate_limited', retryAfter: 0 };
    journal.addEntry('slowed down');
    await journal.flush();
    await until(() => journal.saved, 'the send after Retry-After');
    expect(server.journal!.blobs).toHaveLength(2);
  });

  it('compacts the log into one encrypted snapshot, and another device still reads everything', async () => {
    const server = new FakeJournalServer();
    const { journal } = await setUpJournal(server, device(server, undefined, { compactAfterBlobs: 3 }));
    for (let i = 0; i < 6; i += 1) {
      journal.addEntry(`entry ${i}`);
      await journal.flush();
    }
    await journal.sync();
    await until(() => server.journal!.blobs.some((b) => b.kind === 'snapshot'), 'a snapshot');
    expect(server.journal!.blobs.filter((b) => b.kind === 'update').length).toBeLessThan(6);

    const other = device(server, undefined, { compactAfterBlobs: 3 });
    await other.load();
    expect(await other.unlock(PASSPHRASE)).toBe('ok');
    expect(other.entries.map((e) => e.text).sort()).toEqual([
      'entry 0',
      'entry 1',
      'entry 2',
      'entry 3',
      'entry 4',
      'entry 5',
    ]);
  });

  it('a full journal (journal_full) is compacted, and the refused change is saved by the snapshot', async () => {
    const server = new FakeJournalServer();
    const { journal } = await setUpJournal(server);
    for (let i = 0; i < 3; i += 1) {
      journal.addEntry(`entry ${i} ${'x'.repeat(200)}`);
      await journal.flush();
    }
    const used = server.journal!.blobs.reduce((sum, blob) => sum + blob.data.length, 0);
    server.totalMaxChars = used + 100;
    journal.addEntry(`the one that did not fit ${'y'.repeat(200)}`);
    await journal.flush();
    await until(() => journal.saved, 'the snapshot to save the refused change');
    expect(server.journal!.blobs.some((b) => b.kind === 'snapshot')).toBe(true);
    const other = device(server);
    await other.load();
    expect(await other.unlock(PASSPHRASE)).toBe('ok');
    expect(other.entries.map((e) => e.text.split(' ').slice(0, 3).join(' '))).toContain('the one that');
  });

  it('a stale compaction (another device compacted first) is refused and nothing is lost', async () => {
    const server = new FakeJournalServer();
    const { journal: a } = await setUpJournal(server, device(server, undefined, { compactAfterBlobs: 2 }));
    const b = device(server, undefined, { compactAfterBlobs: 2 });
    await b.load();
    expect(await b.unlock(PASSPHRASE)).toBe('ok');
    for (let i = 0; i < 4; i += 1) {
      a.addEntry(`a${i}`);
      await a.flush();
    }
    // b compacts first (it reads a's blobs, then replaces them).
    await b.sync();
    await until(() => server.journal!.blobs.some((x) => x.kind === 'snapshot'), 'b to compact');
    const snapshotSeq = server.journal!.blobs.find((x) => x.kind === 'snapshot')!.seq;
    server.failNext = { path: '/journal/compact', status: 409, error: 'stale' };
    a.addEntry('after');
    await a.flush();
    await a.sync();
    const c = device(server);
    await c.load();
    expect(await c.unlock(PASSPHRASE)).toBe('ok');
    expect(c.entries.map((e) => e.text).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'after']);
    expect(server.journal!.blobs.find((x) => x.kind === 'snapshot')!.seq).toBeGreaterThanOrEqual(snapshotSeq);
  });

  it('product code derives with JOURNAL_KDF (64 MiB Argon2id) unless told otherwise', async () => {
    const server = new FakeJournalServer();
    const journal = new JournalEngine(undefined, {
      api: new JournalApi(server.transport()),
      outbox: indexedDbOutbox(new IDBFactory()),
    });
    await journal.load();
    expect('recoveryCode' in (await journal.setUp(PASSPHRASE))).toBe(true);
    expect(server.journal!.setup.kdf).toEqual(JOURNAL_KDF);
    await journal.destroy();
  });

  it('[AC-03] with the sign-in alone (no proof) the server hands out no key and no blob', async () => {
    const server = new FakeJournalServer();
    const { journal } = await setUpJournal(server);
    journal.addEntry('secret');
    await journal.flush();
    const api = new JournalApi(server.transport());
    const status = await api.status();
    expect(status.ok && Object.keys(status.data).sort()).toEqual([
      'exists',
      'journalId',
      'kdf',
      'passphraseSalt',
      'recoverySalt',
    ]);
    const blobs = await api.blobsAfter(0, { method: 'passphrase', proof: new Uint8Array(32) });
    expect(blobs.ok).toBe(false);
    expect(blobs.status).toBe(401);
  });
});
