/**
 * The participant journal end to end (issue 6, PRODUCT §3.5): a real server on a real SQLite
 * file, devices that encrypt with real WebCrypto, and the access-control cases AC-01, AC-02,
 * AC-03 and AC-20 — the server relays ciphertext it can never read, to the participant only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { JournalBlobsView, JournalStatusView, JournalUnlockView } from '@cairn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ORIGIN, startHarness, type Browser, type Harness } from './harness.ts';
import {
  call,
  derive,
  journalUpdate,
  makeJournal,
  newBlobId,
  newPassphraseBody,
  open,
  proofHeader,
  seal,
  unwrap,
  type MadeJournal,
} from './journals-support.ts';
import { rawSocket, wsBase } from './realtime-support.ts';
import { admittedTablet, Device, newCode, tabletScene, type TabletScene } from './tablets-support.ts';

const MARKER = 'Marigold lantern over the quiet harbour 7Q';
const PASSPHRASE = 'river stones remember the rain';
const RECOVERY = 'K7M2-Q9PX-4RTV-8WZN-3HJD';

let h: Harness;
let s: TabletScene;
const logLines: string[] = [];

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')));
  h = await startHarness({ env: { LOG_LEVEL: 'trace' }, logStream: stream });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  s = await tabletScene(h);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function homePhone(participantIndex: number): Promise<Device> {
  const issued = await s.fa.post(
    `/api/v1/groups/${s.groupA}/participants/${s.participantsA[participantIndex]!.id}/access-card`,
  );
  expect(issued.statusCode).toBe(201);
  const phone = new Device(h.app);
  const signedIn = await phone.post('/api/v1/home/sign-in', {
    code: (issued.json() as { code: string }).code,
  });
  expect(signedIn.statusCode).toBe(200);
  return phone;
}

/** Every secret-ish string a device sent: none may reach a log line. */
const sentSecrets: string[] = [];

async function setUp(device: Device, made: MadeJournal): Promise<string> {
  const { body } = made;
  sentSecrets.push(body.passphraseSalt, body.recoverySalt, body.wrappedByPassphrase, body.wrappedByRecovery);
  sentSecrets.push(body.passphraseProof, body.recoveryProof);
  const r = await call(device, 'PUT', '/api/v1/journal', made.body);
  expect(r.statusCode).toBe(201);
  return (r.json() as JournalStatusView).journalId!;
}

async function appendText(
  device: Device,
  made: MadeJournal,
  journalId: string,
  doc: Y.Doc,
  text: string,
): Promise<{ seq: number; blobId: string; data: string }> {
  const data = await seal(made.dek, journalId, journalUpdate(doc, text));
  const blobId = newBlobId();
  const r = await call(
    device,
    'POST',
    '/api/v1/journal/blobs',
    { blobId, data },
    proofHeader('passphrase', made.passphrase.proof),
  );
  expect(r.statusCode).toBe(201);
  return { seq: (r.json() as { seq: number }).seq, blobId, data };
}

async function readBack(made: MadeJournal, journalId: string, view: JournalBlobsView): Promise<string> {
  const doc = new Y.Doc();
  for (const blob of view.blobs) Y.applyUpdate(doc, await open(made.dek, journalId, blob.data));
  return doc.getText('body').toString();
}

/** Every journal route, as a staff browser or a device would call it. */
function journalRoutes(proof: Record<string, string>, made: MadeJournal) {
  return [
    ['GET', '/api/v1/journal', undefined, {}],
    ['PUT', '/api/v1/journal', made.body, {}],
    ['POST', '/api/v1/journal/unlock', { method: 'passphrase', proof: made.passphrase.proof }, {}],
    ['POST', '/api/v1/journal/passphrase', { ...made.body, recoverySalt: undefined }, proof],
    ['POST', '/api/v1/journal/blobs', { blobId: newBlobId(), data: 'A'.repeat(60) }, proof],
    ['GET', '/api/v1/journal/blobs/after/0', undefined, proof],
    ['POST', '/api/v1/journal/compact', { throughSeq: 1, data: 'A'.repeat(60) }, proof],
  ] as const;
}

function staffCall(
  staff: Browser,
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
) {
  return h.app.inject({
    method: method as 'GET',
    url,
    headers: {
      origin: ORIGIN,
      cookie: staff.cookie!,
      ...headers,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

describe('journals: the happy path', () => {
  it('a tablet sets up, unlocks, appends, fetches, compacts; a home phone is a second device', async () => {
    const participant = s.participantsA[0]!;
    const { tablet } = await admittedTablet(h, s.fa, s.sessionA.id, participant.id);
    const none = await call(tablet, 'GET', '/api/v1/journal');
    expect(none.statusCode).toBe(200);
    expect(none.headers['cache-control']).toBe('no-store');
    expect(none.json()).toEqual({ exists: false });

    const made = await makeJournal(PASSPHRASE, RECOVERY);
    const journalId = await setUp(tablet, made);
    const status = (await call(tablet, 'GET', '/api/v1/journal')).json() as JournalStatusView;
    expect(status).toEqual({
      exists: true,
      journalId,
      kdf: made.body.kdf,
      passphraseSalt: made.body.passphraseSalt,
      recoverySalt: made.body.recoverySalt,
      retryAfterSeconds: 0,
    });
    const again = await call(tablet, 'PUT', '/api/v1/journal', (await makeJournal('x y z', 'r')).body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'journal_exists' });

    const unlocked = await call(tablet, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: made.passphrase.proof,
    });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.headers['cache-control']).toBe('no-store');
    const view = unlocked.json() as JournalUnlockView;
    expect(view).toMatchObject({ journalId, headSeq: 0, failedSinceLastUnlock: [] });
    expect(
      Buffer.from(await unwrap(made.passphrase.kek, view.wrappedKey)).equals(Buffer.from(made.dek)),
    ).toBe(true);

    const doc = new Y.Doc();
    const first = await appendText(tablet, made, journalId, doc, 'Morning: ');
    const second = await appendText(tablet, made, journalId, doc, MARKER);
    const third = await appendText(tablet, made, journalId, doc, ' — and then rest.');
    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    // [BI-A3] A retry of the same blob (a timeout, a double tap) is stored once.
    const retry = await call(
      tablet,
      'POST',
      '/api/v1/journal/blobs',
      { blobId: third.blobId, data: third.data },
      proofHeader('passphrase', made.passphrase.proof),
    );
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ seq: 3, duplicate: true });

    const proof = proofHeader('passphrase', made.passphrase.proof);
    const all = (
      await call(tablet, 'GET', '/api/v1/journal/blobs/after/0', undefined, proof)
    ).json() as JournalBlobsView;
    expect(all.headSeq).toBe(3);
    expect(all.more).toBe(false);
    expect(all.blobs.map((b) => [b.seq, b.kind])).toEqual([
      [1, 'update'],
      [2, 'update'],
      [3, 'update'],
    ]);
    expect(await readBack(made, journalId, all)).toBe(`Morning: ${MARKER} — and then rest.`);
    const tail = (
      await call(tablet, 'GET', '/api/v1/journal/blobs/after/2', undefined, proof)
    ).json() as JournalBlobsView;
    expect(tail.blobs.map((b) => b.seq)).toEqual([3]);

    // Compaction: the device seals its whole state through seq 3; a later update stays.
    const snapshot = await seal(made.dek, journalId, Y.encodeStateAsUpdate(doc));
    const compacted = await call(
      tablet,
      'POST',
      '/api/v1/journal/compact',
      { throughSeq: 3, data: snapshot },
      proof,
    );
    expect(compacted.statusCode).toBe(200);
    expect(compacted.json()).toEqual({ headSeq: 3 });
    const fourth = await appendText(tablet, made, journalId, doc, ' Evening.');
    expect(fourth.seq).toBe(4);
    const afterCompaction = (
      await call(tablet, 'GET', '/api/v1/journal/blobs/after/0', undefined, proof)
    ).json() as JournalBlobsView;
    expect(afterCompaction.blobs.map((b) => [b.seq, b.kind])).toEqual([
      [3, 'snapshot'],
      [4, 'update'],
    ]);
    expect(await readBack(made, journalId, afterCompaction)).toBe(
      `Morning: ${MARKER} — and then rest. Evening.`,
    );
    const stale = await call(
      tablet,
      'POST',
      '/api/v1/journal/compact',
      { throughSeq: 3, data: snapshot },
      proof,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale' });

    // A second device: the same participant at home, with the recovery code this time.
    const phone = await homePhone(0);
    const homeStatus = (await call(phone, 'GET', '/api/v1/journal')).json() as JournalStatusView;
    expect(homeStatus.journalId).toBe(journalId);
    const byRecovery = await derive(RECOVERY, homeStatus.recoverySalt!);
    const homeUnlock = await call(phone, 'POST', '/api/v1/journal/unlock', {
      method: 'recovery',
      proof: byRecovery.proof,
    });
    expect(homeUnlock.statusCode).toBe(200);
    const homeView = homeUnlock.json() as JournalUnlockView;
    expect(homeView.headSeq).toBe(4);
    expect(Buffer.from(await unwrap(byRecovery.kek, homeView.wrappedKey)).equals(Buffer.from(made.dek))).toBe(
      true,
    );
    const homeBlobs = (
      await call(
        phone,
        'GET',
        '/api/v1/journal/blobs/after/0',
        undefined,
        proofHeader('recovery', byRecovery.proof),
      )
    ).json() as JournalBlobsView;
    expect(await readBack(made, journalId, homeBlobs)).toContain(MARKER);

    // A new passphrase (after using the recovery code): the old one no longer unlocks.
    const next = await newPassphraseBody('a brand new passphrase for the journal', made.dek);
    const changed = await call(
      phone,
      'POST',
      '/api/v1/journal/passphrase',
      next.body,
      proofHeader('recovery', byRecovery.proof),
    );
    expect(changed.statusCode).toBe(204);
    const oldOne = await call(tablet, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: made.passphrase.proof,
    });
    expect(oldOne.statusCode).toBe(401);
    expect(oldOne.json()).toMatchObject({ error: 'wrong_secret' });
    const newStatus = (await call(tablet, 'GET', '/api/v1/journal')).json() as JournalStatusView;
    expect(newStatus.passphraseSalt).toBe(next.body.passphraseSalt);
    const newOne = await call(tablet, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: next.derived.proof,
    });
    expect(newOne.statusCode).toBe(200);
    const newView = newOne.json() as JournalUnlockView;
    expect(
      Buffer.from(await unwrap(next.derived.kek, newView.wrappedKey)).equals(Buffer.from(made.dek)),
    ).toBe(true);
    expect(newView.failedSinceLastUnlock).toEqual([
      expect.objectContaining({ method: 'passphrase', via: 'tablet' }),
    ]);

    const audit = (await s.admin.get('/api/v1/audit?limit=200')).json() as {
      entries: Array<{ action: string; targetId: string | null }>;
    };
    const actions = audit.entries.filter((e) => e.targetId === journalId).map((e) => e.action);
    for (const action of [
      'journal.set_up',
      'journal.unlocked',
      'journal.unlock_failed',
      'journal.passphrase_changed',
    ]) {
      expect(actions).toContain(action);
    }
  });
});

describe('journals: access control', () => {
  it("[AC-01] participant B's devices only ever answer about B; A's journal id opens no socket", async () => {
    const a = s.participantsA[1]!;
    const { tablet: tabletA } = await admittedTablet(h, s.fa, s.sessionA.id, a.id);
    const madeA = await makeJournal(PASSPHRASE, RECOVERY);
    const journalA = await setUp(tabletA, madeA);
    await appendText(tabletA, madeA, journalA, new Y.Doc(), MARKER);

    const { tablet: tabletB } = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[2]!.id);
    const phoneB = new Device(h.app);
    const card = await s.fb.post(
      `/api/v1/groups/${s.groupB}/participants/${s.participantsB[0]!.id}/access-card`,
    );
    expect(
      (await phoneB.post('/api/v1/home/sign-in', { code: (card.json() as { code: string }).code }))
        .statusCode,
    ).toBe(200);

    for (const b of [tabletB, phoneB]) {
      const status = await call(b, 'GET', '/api/v1/journal');
      expect(status.statusCode).toBe(200);
      expect(status.json()).toEqual({ exists: false });
      // A's proof means nothing to B's routes: there is no journal of B's to prove it against.
      for (const [method, url, body] of [
        ['POST', '/api/v1/journal/unlock', { method: 'passphrase', proof: madeA.passphrase.proof }],
        ['GET', '/api/v1/journal/blobs/after/0', undefined],
      ] as const) {
        const r = await call(b, method, url, body, proofHeader('passphrase', madeA.passphrase.proof));
        expect(r.statusCode).toBe(404);
        expect(r.json()).toMatchObject({ error: 'no_journal' });
        expect(r.body).not.toContain(madeA.body.wrappedByPassphrase);
      }
    }
    // B sets up their own: a different journal, and A's proof does not open it.
    const madeB = await makeJournal('another passphrase entirely', 'ABCD-EFGH');
    const journalB = await setUp(tabletB, madeB);
    expect(journalB).not.toBe(journalA);
    const wrong = await call(
      tabletB,
      'GET',
      '/api/v1/journal/blobs/after/0',
      undefined,
      proofHeader('passphrase', madeA.passphrase.proof),
    );
    expect(wrong.statusCode).toBe(401);
    const mine = (
      await call(
        tabletB,
        'GET',
        '/api/v1/journal/blobs/after/0',
        undefined,
        proofHeader('passphrase', madeB.passphrase.proof),
      )
    ).json() as JournalBlobsView;
    expect(mine).toEqual({ blobs: [], headSeq: 0, more: false });
    expect((await h.core.store.getJournalByParticipant(a.id))?.headSeq).toBe(1);

    // The journal id is not a document: no socket opens on it, for B or for A.
    for (const device of [tabletB, tabletA]) {
      const socket = rawSocket(`${wsBase(h)}/ws/doc/${journalA}`, { origin: ORIGIN, cookie: device.cookie! });
      const opened = await socket.opened;
      expect(opened).not.toBe('open');
      expect(socket.frames).toEqual([]);
      socket.socket.terminate();
    }
  });

  it('[AC-02] staff cookies get 404 on every journal route; audit log and session state hold no journal bytes', async () => {
    const participant = s.participantsA[3]!;
    const phone = await homePhone(3);
    const made = await makeJournal(PASSPHRASE, RECOVERY);
    const journalId = await setUp(phone, made);
    const { data } = await appendText(phone, made, journalId, new Y.Doc(), MARKER);
    const proof = proofHeader('passphrase', made.passphrase.proof);
    const secrets = [
      made.body.passphraseSalt,
      made.body.recoverySalt,
      made.body.wrappedByPassphrase,
      made.body.wrappedByRecovery,
      made.passphrase.proof,
      made.recovery.proof,
      data,
    ];
    // fa: facilitator, ca: co-therapist, fb: facilitator and medical provider, admin: clinic admin.
    for (const staff of [s.fa, s.ca, s.fb, s.admin]) {
      for (const [method, url, body, headers] of journalRoutes(proof, made)) {
        const r = await staffCall(staff, method, url, body, headers);
        expect(r.statusCode, `${method} ${url}`).toBe(404);
        expect(r.json()).toEqual({ error: 'not_found', message: 'That page or item does not exist.' });
        for (const secret of [...secrets, journalId]) expect(r.body).not.toContain(secret);
      }
    }
    expect((await h.core.store.getJournalByParticipant(participant.id))?.headSeq).toBe(1);
    const audit = await s.admin.get('/api/v1/audit?limit=200');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('journal.set_up');
    expect(audit.body).toContain('"what":"journal"'); // the staff attempts, audited as denials
    const state = await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/state`);
    expect(state.statusCode).toBe(200);
    for (const body of [audit.body, state.body]) {
      for (const secret of secrets) expect(body).not.toContain(secret);
      expect(body).not.toContain(MARKER);
    }
  });

  it('[AC-03] a facilitator signed in as the participant gets salts only; wrong secrets are limited, audited, shown', async () => {
    const victim = s.participantsB[1]!;
    // The participant's own journal, set up at home.
    const card = await s.fb.post(`/api/v1/groups/${s.groupB}/participants/${victim.id}/access-card`);
    const phone = new Device(h.app);
    expect(
      (await phone.post('/api/v1/home/sign-in', { code: (card.json() as { code: string }).code })).statusCode,
    ).toBe(200);
    const made = await makeJournal(PASSPHRASE, RECOVERY);
    const journalId = await setUp(phone, made);
    await appendText(phone, made, journalId, new Y.Doc(), MARKER);

    // The facilitator redeems the participant's join code in their own browser and admits it.
    const facilitator = new Device(h.app);
    facilitator.jar.set(s.fb.cookie!.split('=')[0]!, s.fb.cookie!.split('=').slice(1).join('='));
    const code = await newCode(s.fb, s.sessionB.id);
    expect((await facilitator.post('/api/v1/tablet/redeem', { code })).statusCode).toBe(200);
    expect((await facilitator.post('/api/v1/tablet/claim', { participantId: victim.id })).statusCode).toBe(
      200,
    );
    const listed = (await s.fb.get(`/api/v1/sessions/${s.sessionB.id}/tablets`)).json() as {
      tablets: Array<{ deviceId: string; participant: { id: string } | null }>;
    };
    const deviceId = listed.tablets.find((t) => t.participant?.id === victim.id)!.deviceId;
    expect((await s.fb.post(`/api/v1/sessions/${s.sessionB.id}/tablets/${deviceId}/admit`)).statusCode).toBe(
      200,
    );

    const status = await call(facilitator, 'GET', '/api/v1/journal');
    expect(status.statusCode).toBe(200);
    expect(Object.keys(status.json() as object).sort()).toEqual([
      'exists',
      'journalId',
      'kdf',
      'passphraseSalt',
      'recoverySalt',
      'retryAfterSeconds',
    ]);
    const locked = await call(facilitator, 'GET', '/api/v1/journal/blobs/after/0');
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toMatchObject({ error: 'journal_locked' });
    for (const secret of [made.body.wrappedByPassphrase, made.body.wrappedByRecovery]) {
      expect(status.body + locked.body).not.toContain(secret);
    }

    const guesses = ['password', 'letmein', 'journal', 'qwerty', 'sunshine'];
    for (const guess of guesses) {
      const guessed = await derive(guess, made.body.passphraseSalt);
      const r = await call(facilitator, 'POST', '/api/v1/journal/unlock', {
        method: 'passphrase',
        proof: guessed.proof,
      });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ error: 'wrong_secret' });
      expect(r.body).not.toContain(made.body.wrappedByPassphrase);
    }
    // The allowance is used up: no proof is heard until the wait is over — not even the right one.
    const limited = await call(facilitator, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: made.passphrase.proof,
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'unlock_wait' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.body).not.toContain(made.body.wrappedByPassphrase);
    const waiting = (await call(phone, 'GET', '/api/v1/journal')).json() as JournalStatusView;
    expect(waiting.retryAfterSeconds).toBeGreaterThan(0);
    // A wrong proof on a data call counts too (it is no side door for guessing).
    expect(
      (
        await call(
          facilitator,
          'GET',
          '/api/v1/journal/blobs/after/0',
          undefined,
          proofHeader('recovery', made.passphrase.proof),
        )
      ).statusCode,
    ).toBe(429);

    const audit = (await s.admin.get('/api/v1/audit?limit=200')).json() as {
      entries: Array<{ action: string; targetId: string | null; details: Record<string, unknown> }>;
    };
    const failures = audit.entries.filter(
      (e) => e.action === 'journal.unlock_failed' && e.targetId === journalId,
    );
    expect(failures).toHaveLength(5);
    expect(failures[0]!.details).toEqual({ participantId: victim.id, method: 'passphrase', via: 'tablet' });

    h.clock.advance((retryAfter + 1) * 1000);
    const unlocked = await call(phone, 'POST', '/api/v1/journal/unlock', {
      method: 'passphrase',
      proof: made.passphrase.proof,
    });
    expect(unlocked.statusCode).toBe(200);
    const view = unlocked.json() as JournalUnlockView;
    expect(view.failedSinceLastUnlock).toHaveLength(5);
    expect(view.failedSinceLastUnlock.every((f) => f.method === 'passphrase' && f.via === 'tablet')).toBe(
      true,
    );
    expect(Number.isNaN(Date.parse(view.failedSinceLastUnlock[0]!.at))).toBe(false);
    const next = (
      await call(phone, 'POST', '/api/v1/journal/unlock', {
        method: 'passphrase',
        proof: made.passphrase.proof,
      })
    ).json() as JournalUnlockView;
    expect(next.failedSinceLastUnlock).toEqual([]);
  });

  it('[AC-20] the marker phrase is nowhere in plaintext in the database files or the logs', async () => {
    // Every test above wrote MARKER into a journal; this one only reads what the server kept.
    const ciphertexts: Buffer[] = [];
    for (const p of [...s.participantsA, ...s.participantsB]) {
      const journal = await h.core.store.getJournalByParticipant(p.id);
      if (!journal) continue;
      const page = await h.core.store.listJournalBlobs(journal.id, 0, 100);
      ciphertexts.push(...page.blobs.map((b) => Buffer.from(b.data)));
    }
    expect(ciphertexts.length).toBeGreaterThan(3);
    const files = readdirSync(h.dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    expect(files.some((f) => f.endsWith('cairn.db'))).toBe(true);
    const everything = Buffer.concat(files.map((f) => readFileSync(f)));
    // The scan reads what was stored: the ciphertext itself is there.
    expect(everything.includes(ciphertexts[0]!.subarray(0, 32))).toBe(true);
    for (const needle of [MARKER, 'Marigold lantern', PASSPHRASE, RECOVERY]) {
      expect(everything.includes(Buffer.from(needle, 'utf8'))).toBe(false);
      expect(everything.includes(Buffer.from(needle, 'utf16le'))).toBe(false);
    }
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).not.toContain('Marigold');
    expect(log).not.toContain(PASSPHRASE);
    expect(sentSecrets.length).toBeGreaterThan(12);
    for (const secret of sentSecrets) expect(log).not.toContain(secret);
    for (const ciphertext of ciphertexts)
      expect(log).not.toContain(ciphertext.toString('base64url').slice(0, 40));
  });
});
