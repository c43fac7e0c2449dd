/**
 * Seeded random convergence: four stock `WebsocketProvider` clients on one document make 300
 * random inserts and deletes, dropping off and reconnecting at random (offline edits are
 * resent by the provider). In the end all four hold the same text, equal to what a fresh
 * client loads from the server and to the stored log. A failure names its seed; rerun with it.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, setUpAdmin } from './harness.ts';
import {
  createClinicianNote,
  mulberry32,
  Stage,
  storedText,
  until,
  type WatchedClient,
} from './realtime-support.ts';

let stage: Stage;
afterEach(async () => {
  await stage.stop();
});

const SEED = 0xca1e;
const OPERATIONS = 300;
const ALPHABET = 'abcdefghij klmnop\n';

describe('random editing converges', () => {
  it(`converges after ${OPERATIONS} seeded random edits, drops and reconnects on 4 clients (seed 0x${SEED.toString(16)})`, async () => {
    stage = await Stage.start();
    const { admin } = await setUpAdmin(stage.h);
    const docId = await createClinicianNote(stage.h, ADMIN.email);
    const random = mulberry32(SEED);
    const pick = (n: number) => Math.floor(random() * n);
    const clients: WatchedClient[] = Array.from({ length: 4 }, () => stage.provider(docId, admin.cookie));
    await until(() => clients.every((c) => c.provider.synced), 5000, 'initial sync');

    const counts = { insert: 0, delete: 0, disconnect: 0, connect: 0 };
    for (let op = 0; op < OPERATIONS; op++) {
      const client = clients[pick(clients.length)]!;
      const text = client.doc.getText('content');
      const roll = random();
      if (roll < 0.06 && client.provider.shouldConnect) {
        client.provider.disconnect();
        counts.disconnect += 1;
      } else if (roll < 0.12 && !client.provider.shouldConnect) {
        client.provider.connect();
        counts.connect += 1;
      } else if (roll < 0.4 && text.length > 0) {
        const at = pick(text.length);
        text.delete(at, 1 + pick(Math.min(5, text.length - at)));
        counts.delete += 1;
      } else {
        const word = Array.from({ length: 1 + pick(6) }, () => ALPHABET[pick(ALPHABET.length)]).join('');
        text.insert(pick(text.length + 1), word);
        counts.insert += 1;
      }
      // Let the network interleave with the edits, as people type: a few ms every few ops.
      if (op % 5 === 4) await new Promise((resolve) => setTimeout(resolve, pick(15)));
    }
    expect(counts.disconnect).toBeGreaterThan(0);
    expect(counts.insert + counts.delete).toBeGreaterThan(OPERATIONS * 0.8);

    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
    const texts = () => clients.map((c) => c.doc.getText('content').toString());
    await until(
      () => clients.every((c) => c.provider.synced) && new Set(texts()).size === 1,
      15_000,
      'convergence',
    );
    const agreed = texts()[0]!;
    expect(agreed.length).toBeGreaterThan(0);
    // Identical state, not just identical text.
    const states = clients.map((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex'));
    expect(new Set(states).size).toBe(1);

    await until(async () => (await storedText(stage.h, docId)) === agreed, 5000, 'stored');
    const fresh = stage.provider(docId, admin.cookie);
    await until(() => fresh.provider.synced, 5000, 'fresh sync');
    expect(fresh.doc.getText('content').toString()).toBe(agreed);
  }, 60_000);
});
