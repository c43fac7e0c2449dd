/**
 * The SQLite store's connection lives in a worker thread (src/sqlite/connection.ts): the main
 * event loop keeps running while SQLite works, a dead worker fails operations instead of
 * hanging them, close() ends the thread, and driver errors and values cross intact.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { rawSqliteConnection } from '../src/sqlite/store.ts';
import { NotFoundError, type AuditEntryInput, type Store } from '../src/store.ts';

const root = mkdtempSync(join(tmpdir(), 'cairn-sqlite-worker-'));
let dirs = 0;
const freshDataDir = () => join(root, `store-${++dirs}`, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function open(dataDir = freshDataDir()): Promise<Store> {
  const store = await openStore({ engine: 'sqlite', dataDir });
  opened.push(store);
  return store;
}

const audit = (action: string): AuditEntryInput => ({
  at: new Date(),
  clinicId: null,
  actorUserId: null,
  action,
  targetId: null,
  details: {},
});

/** The error's message and its causes' (drizzle wraps driver errors as `cause`). */
async function failure(operation: Promise<unknown>): Promise<string> {
  const error = await operation.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error,
  );
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(' <- ');
}

/** Another connection to the store's file holding the write lock, as another process could. */
function holdWriteLock(dataDir: string): { release(): void } {
  const other = new DatabaseSync(join(dataDir, 'cairn.db'));
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      if (other.isOpen) {
        other.exec('COMMIT');
        other.close();
      }
    },
  };
}

describe('SQLite off the main thread', () => {
  it('keeps the event loop running while a write waits for the lock: a timer on this thread releases it', async () => {
    const dataDir = freshDataDir();
    const store = await open(dataDir);
    const lock = holdWriteLock(dataDir);
    try {
      let releasedBeforeCommit = false;
      // If SQLite waited for the lock on this thread, this timer could never fire and the write
      // would fail with SQLITE_BUSY after busy_timeout.
      const timer = setTimeout(() => {
        releasedBeforeCommit = true;
        lock.release();
      }, 50);
      const entry = await store.appendAudit(audit('waited.for.lock'));
      clearTimeout(timer);
      expect(releasedBeforeCommit).toBe(true);
      expect(entry.seq).toBe(1);
      expect(await store.verifyAuditChain()).toEqual({ ok: true, checked: 1 });
    } finally {
      lock.release();
    }
  });

  it('runs timers on the main thread while a large transaction is written', async () => {
    const store = await open();
    const raw = rawSqliteConnection(store);
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks += 1;
      if (ticking) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    await raw.exec(`BEGIN IMMEDIATE;
      CREATE TABLE scratch (n INTEGER PRIMARY KEY, payload BLOB NOT NULL);
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 300000)
        INSERT INTO scratch SELECT n, randomblob(64) FROM seq;
      COMMIT;`);
    const ticksDuringWrite = ticks;
    ticking = false;
    expect(ticksDuringWrite).toBeGreaterThan(0);
    expect(await raw.rows('SELECT count(*) AS n FROM scratch')).toEqual([{ n: 300_000 }]);
  });
});

describe('transactions', () => {
  it('fails with SQLITE_BUSY when another process keeps the write lock past busy_timeout; nothing of it is written', async () => {
    // BEGIN IMMEDIATE travels with the transaction's first statement (connection.ts): when it
    // cannot get the lock, that statement must not run either.
    const dataDir = freshDataDir();
    const store = await open(dataDir);
    const lock = holdWriteLock(dataDir);
    try {
      const error = await store.appendAudit(audit('locked.out')).catch((e: unknown) => e);
      expect((error as Error).cause).toMatchObject({ errcode: 5, message: 'database is locked' });
    } finally {
      lock.release();
    }
    expect(await store.appendAudit(audit('after.lock'))).toMatchObject({ seq: 1, action: 'after.lock' });
    expect(await store.verifyAuditChain()).toEqual({ ok: true, checked: 1 });
  }, 20_000);
});

describe('the realtime parts run whole in the worker', () => {
  it('a group commit is one message each way, however many statements it takes', async () => {
    const store = await open();
    await store.createClinicWithFirstAdmin(
      { id: 'c', name: 'Clinic', mfaRequired: false, createdAt: new Date() },
      {
        id: 'admin',
        clinicId: 'c',
        email: 'admin@example.org',
        displayName: 'Admin',
        passwordHash: 'x',
        roles: ['admin'],
        createdAt: new Date(),
      },
    );
    for (const id of ['a', 'b', 'c'])
      await store.createDocument({
        id,
        clinicId: 'c',
        kind: 'clinician_note',
        ownerUserId: null,
        streamId: null,
        createdAt: new Date(),
      });
    const { worker } = rawSqliteConnection(store);
    let answers = 0;
    const count = () => (answers += 1);
    worker.on('message', count);
    const update = (docId: string, byte: number) => ({
      docId,
      update: new Uint8Array([byte]),
      actorId: 'admin',
      deviceId: null,
    });
    // BEGIN, three counter bumps, an insert and COMMIT: six statements.
    const seqs = await store.appendDocUpdates([
      update('a', 1),
      update('b', 2),
      update('a', 3),
      update('c', 4),
    ]);
    worker.off('message', count);
    expect(seqs).toEqual([1, 1, 2, 1]);
    expect(answers).toBe(1);
    // Callers' items may carry more than the Store reads (the commit queue's callbacks): only
    // the data crosses.
    const queued = { ...update('b', 5), resolve: () => undefined, reject: () => undefined };
    expect(await store.appendDocUpdates([queued])).toEqual([2]);
    expect((await store.readDocUpdates('b', 1, 10)).map(({ update }) => [...update])).toEqual([[5]]);
  });

  it('brings errors back as the same classes, with their fields', async () => {
    const store = await open();
    const error = await store.loadDocState('nowhere').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ name: 'NotFoundError', entity: 'document', id: 'nowhere' });
    expect((error as Error).message).toBe('No document with id nowhere.');
    expect((error as Error).stack).toMatch(/NotFoundError: No document with id nowhere/);
  });
});

describe('when the SQLite worker dies', () => {
  it('rejects the operation in flight and every later one, and ping fails; nothing half-written stays', async () => {
    const dataDir = freshDataDir();
    const store = await openStore({ engine: 'sqlite', dataDir });
    const { worker } = rawSqliteConnection(store);
    const lock = holdWriteLock(dataDir);
    try {
      // The worker waits for the lock inside BEGIN IMMEDIATE; it dies before the transaction
      // can finish, whichever statement it had reached.
      const inFlight = store.appendAudit(audit('never.committed'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const exited = once(worker, 'exit');
      void worker.terminate();
      lock.release();
      await exited;
      const stopped = /The SQLite worker stopped unexpectedly/;
      expect(await failure(inFlight)).toMatch(stopped);
      expect(await failure(store.ping())).toMatch(stopped);
      expect(await failure(store.getFirstClinic())).toMatch(stopped);
      expect(await failure(store.appendAudit(audit('after.death')))).toMatch(stopped);
    } finally {
      lock.release();
      await store.close();
    }
    await expect(store.ping()).rejects.toThrow(/closed/);

    const again = await open(dataDir);
    expect(await again.verifyAuditChain()).toEqual({ ok: true, checked: 0 });
  });

  it('fails the store opening with the reason when the database cannot be opened', async () => {
    const dataDir = freshDataDir();
    mkdirSync(join(dataDir, 'cairn.db'), { recursive: true }); // a directory where the file goes
    await expect(openStore({ engine: 'sqlite', dataDir })).rejects.toMatchObject({
      message: expect.stringMatching(/unable to open database file/),
      code: 'ERR_SQLITE_ERROR',
    });
  });
});

describe('closing', () => {
  it('ends the worker thread', async () => {
    const store = await openStore({ engine: 'sqlite', dataDir: freshDataDir() });
    const { worker } = rawSqliteConnection(store);
    const exited = once(worker, 'exit');
    await store.ping();
    await store.close();
    await exited;
    expect(worker.threadId).toBe(-1);
  });

  it('neither keeps a process alive nor lets it exit while an answer is awaited', () => {
    const dataDir = freshDataDir();
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    for (const close of [true, false]) {
      const script = join(root, `script-${close}.mjs`);
      writeFileSync(
        script,
        `const { openStore } = await import(${JSON.stringify(index)});
        const store = await openStore({ engine: 'sqlite', dataDir: ${JSON.stringify(dataDir)} });
        await store.ping();
        ${close ? 'await store.close();' : ''}
        console.log('done');`,
      );
      const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
      expect({ close, status: child.status, signal: child.signal, stdout: child.stdout.trim() }).toEqual({
        close,
        status: 0,
        signal: null,
        stdout: 'done',
      });
    }
  }, 60_000);
});

describe('values and errors across the thread boundary', () => {
  it('keeps driver errors with their SQLite codes, under drizzle’s wrapper as before', async () => {
    const store = await open();
    const now = new Date();
    const session = { id: 's', userId: 'ghost', stage: 'full' as const, createdAt: now, lastSeenAt: now };
    const failure = await store.createAuthSession({ ...session, expiresAt: now }).catch((error) => error);
    expect(failure.cause).toBeInstanceOf(Error);
    expect(failure.cause).toMatchObject({
      code: 'ERR_SQLITE_ERROR',
      errcode: 787, // SQLITE_CONSTRAINT_FOREIGNKEY
      errstr: 'constraint failed',
      message: 'FOREIGN KEY constraint failed',
    });
    // (A taken email, recognised by its errcode, is in the contract suite: EmailTakenError.)
    await expect(rawSqliteConnection(store).exec('SELEC 1')).rejects.toMatchObject({
      code: 'ERR_SQLITE_ERROR',
      errcode: 1,
      message: expect.stringMatching(/syntax error/),
    });
  });

  it('round-trips BLOBs as Uint8Array (also views of shared buffers) and binds bigints', async () => {
    const store = await open();
    const raw = rawSqliteConnection(store);
    const pooled = Buffer.from([9, 8, 7, 6, 5]).subarray(1, 4); // a view of Node's Buffer pool
    const frame = new Uint8Array(64 * 1024).fill(1);
    frame.set([4, 2], 1000);
    const cut = frame.subarray(1000, 1002); // a view of a large buffer
    const [row] = await raw.rows('SELECT ? AS pooled, ? AS cut, ? + 1 AS n', [pooled, cut, 41n]);
    expect(row?.pooled).toBeInstanceOf(Uint8Array);
    expect(row).toEqual({ pooled: new Uint8Array([8, 7, 6]), cut: new Uint8Array([4, 2]), n: 42 });
    expect([...pooled, ...cut, frame.byteLength]).toEqual([8, 7, 6, 4, 2, 64 * 1024]); // callers' bytes untouched
    // A value that cannot cross to the worker fails its call alone.
    await expect(raw.rows('SELECT ? AS f', [() => 1])).rejects.toThrow(/could not be cloned/);
    expect(await raw.rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
