/**
 * The Journal engine against the real server (apps/server, its test harness: a real Fastify app
 * on a real SQLite file), signed in as a participant from a home phone and an admitted clinic
 * tablet. Requests go through Fastify's inject (the harness's Device, which keeps cookies and
 * sends the page's Origin) instead of a socket; everything from the routes down is the product.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalKdf } from '@cairn/domain';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../../server/test/harness.ts';
import {
  admittedTablet,
  Device,
  tabletScene,
  type TabletScene,
} from '../../../../server/test/tablets-support.ts';
import type { JournalTransport } from './journal-api.ts';
import { JournalApi } from './journal-api.ts';
import { JournalEngine } from './journal-engine.ts';
import { indexedDbOutbox } from './local-buffer.ts';

const TEST_KDF: JournalKdf = { alg: 'argon2id', memoryKiB: 19_456, iterations: 2, parallelism: 1 };
const PASSPHRASE = 'willow bark and slow tides';
const MARKER = 'Saffron-kestrel-marker-5521';

let h: Harness;
let s: TabletScene;

beforeAll(async () => {
  h = await startHarness();
  s = await tabletScene(h);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** The browser's fetch, as the harness's Device (cookies, Origin) calling the real routes. */
function deviceTransport(device: Device): JournalTransport {
  return {
    baseUrl: '/api/v1',
    fetch: async (input, init = {}) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        if (name !== 'content-type' && name !== 'accept') headers[name] = value;
      });
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      const method = (init.method ?? 'GET') as 'GET' | 'POST' | 'PUT';
      const r = await device.request(method, String(input), body, { headers });
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(r.headers)) {
        if (typeof value === 'string') responseHeaders.set(name, value);
        else if (typeof value === 'number') responseHeaders.set(name, String(value));
      }
      return new Response(r.statusCode === 204 ? null : r.body, {
        status: r.statusCode,
        headers: responseHeaders,
      });
    },
  };
}

function engineOn(device: Device): JournalEngine {
  return new JournalEngine(undefined, {
    api: new JournalApi(deviceTransport(device)),
    outbox: indexedDbOutbox(new IDBFactory()),
    kdf: TEST_KDF,
    batchMs: 5,
    pollMs: 60_000,
    retryMinMs: 5,
    retryMaxMs: 20,
  });
}

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

// Argon2id runs in every unlock: generous per-test time on a shared 2-core CI box.
describe('Journal engine against the real server', { timeout: 60_000 }, () => {
  it('sets up at home, a clinic tablet unlocks the same journal, edits flow both ways, the server holds ciphertext only', async () => {
    const phone = engineOn(await homePhone(0));
    await phone.load();
    expect(phone.phase).toBe('absent');
    const setUp = await phone.setUp(PASSPHRASE);
    expect('recoveryCode' in setUp).toBe(true);
    const id = phone.addEntry()!;
    phone.entryText(id)!.insert(0, `At home ${MARKER}`);
    phone.addStroke(id, { color: '#204060', width: 5, points: [100, 100, 150, 180, 200, 120] });
    await phone.flush();
    expect(phone.saved).toBe(true);

    const { tablet: tabletDevice } = await admittedTablet(h, s.fa, s.sessionA.id, s.participantsA[0]!.id);
    const tablet = engineOn(tabletDevice);
    await tablet.load();
    expect(tablet.phase).toBe('locked');
    expect(await tablet.unlock('willow bark and slow tide')).toBe('wrong');
    expect(await tablet.unlock(PASSPHRASE)).toBe('ok');
    expect(tablet.failedSinceLastUnlock).toHaveLength(1);
    expect(tablet.entries.map((e) => e.text)).toEqual([`At home ${MARKER}`]);
    expect(tablet.entries[0]!.strokes).toHaveLength(1);

    tablet.addPromptAnswer({
      promptId: 'prompt-1',
      promptText: 'What would you like to remember?',
      answer: 'The light.',
    });
    await tablet.flush();
    expect(tablet.saved).toBe(true);
    await phone.sync();
    expect(phone.entries.map((e) => e.text).sort()).toEqual([`At home ${MARKER}`, 'The light.'].sort());

    // Another participant's sign-in sees no journal of theirs, and cannot read this one.
    const other = engineOn(await homePhone(1));
    await other.load();
    expect(other.phase).toBe('absent');

    await tablet.clearDevice();
    expect(tablet.doc).toBeNull();
    await phone.lock();

    // [AC-20] the marker and the passphrase are nowhere in the server's files (database, WAL).
    const files = readdirSync(h.dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    expect(files.some((file) => file.endsWith('cairn.db'))).toBe(true);
    const everything = Buffer.concat(files.map((file) => readFileSync(file)));
    for (const needle of [MARKER, PASSPHRASE, 'The light.', 'What would you like to remember?']) {
      expect(everything.includes(Buffer.from(needle))).toBe(false);
    }
  });

  it('the recovery code sets a new passphrase on the real server; the old one stops working', async () => {
    const device = await homePhone(2);
    const first = engineOn(device);
    await first.load();
    const setUp = await first.setUp(PASSPHRASE);
    if (!('recoveryCode' in setUp)) throw new Error(setUp.problem);
    first.addEntry('kept through a recovery');
    await first.flush();
    await first.lock();

    expect(await first.recover(setUp.recoveryCode.toLowerCase(), 'a new passphrase for spring')).toBe('ok');
    expect(first.entries.map((e) => e.text)).toEqual(['kept through a recovery']);
    await first.lock();
    expect(await first.unlock(PASSPHRASE)).toBe('wrong');
    expect(await first.unlock('a new passphrase for spring')).toBe('ok');
    await first.lock();
  });
});
