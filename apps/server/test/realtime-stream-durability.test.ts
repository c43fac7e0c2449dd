/**
 * FT-01 for the session event stream: `kill -9` of the REAL server process while a client
 * sends commands without pause, at random moments, 20 times. A command counts as acknowledged
 * only when its `ack` arrives. After every kill, every acknowledged command's event is in the
 * database exactly once, at the seq its ack named. The client (Cairn's StreamClient) keeps
 * unacknowledged commands and resends them with their ids after each restart, so at the end
 * every command ever sent is there exactly once, and the events the client received run
 * 1…N with no gap and no duplicate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type EventRecord } from '@cairn/db';
import { StreamClient, type StreamEvent, type StreamSocket } from '@cairn/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN } from './harness.ts';
import { createAdmin, startServer, type RealServer } from './real-server.ts';
import { browserSocketClass, mulberry32, until } from './realtime-support.ts';

const ROUNDS = 20;
/** About the pace of a busy room, under the per-socket command rate (10/s). */
const SEND_EVERY_MS = 60;

let dataDir: string | undefined;
let server: RealServer | undefined;
let client: StreamClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  if (server) await server.kill('SIGKILL');
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** Reads the stream straight from the file, only while no server runs. */
async function storedEvents(dir: string, streamId: string): Promise<EventRecord[]> {
  const store = await openStore({ engine: 'sqlite', dataDir: dir });
  try {
    return await store.readEvents(streamId, 0, 1_000_000);
  } finally {
    await store.close();
  }
}

describe('session stream durability under kill -9', () => {
  it('[FT-01] every acknowledged command survives SIGKILL at random moments, exactly once', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-ft01-stream-'));
    const dir = dataDir;
    const random = mulberry32(0x5eed);

    server = await startServer(dir);
    const cookie = await createAdmin(server.port);
    await server.kill('SIGTERM');
    const streamId = randomBytes(16).toString('base64url');
    const store = await openStore({ engine: 'sqlite', dataDir: dir });
    const admin = await store.findUserByEmail(ADMIN.email);
    await store.setUserRoles(admin!.id, ['admin', 'facilitator']); // a clinician may go on duty
    await store.createEventStream({ id: streamId, clinicId: admin!.clinicId, createdAt: new Date() });
    await store.close();

    let port = 0;
    const Socket = browserSocketClass(cookie);
    const received: StreamEvent[] = [];
    const acked = new Map<string, number>();
    const sent: string[] = [];
    let onAck: () => void = () => undefined;
    client = new StreamClient({
      url: 'ws://unused',
      connect: () => new Socket(`ws://127.0.0.1:${port}/ws/stream/${streamId}`) as unknown as StreamSocket,
      onEvent: (event) => received.push(event),
      minBackoffMs: 20,
      maxBackoffMs: 100,
    });
    const stream = client;
    const send = (id: string) => {
      sent.push(id);
      stream.send({ type: 'duty.set', onDuty: sent.length % 2 === 0 }, id).then(
        (ack) => {
          acked.set(id, ack.seq);
          onAck();
        },
        () => undefined,
      );
    };
    const expectAckedOnce = (events: EventRecord[]) => {
      const byKey = new Map<string, EventRecord[]>();
      for (const event of events) {
        if (event.idempotencyKey)
          byKey.set(event.idempotencyKey, [...(byKey.get(event.idempotencyKey) ?? []), event]);
      }
      const wrong = [...acked].filter(([id, seq]) => {
        const found = byKey.get(`cmd:${id}`) ?? [];
        return found.length !== 1 || found[0]!.seq !== seq;
      });
      expect(wrong, 'acknowledged commands lost, duplicated or moved').toEqual([]);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    };

    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer(dir);
      port = server.port;
      await until(
        () => stream.status === 'live',
        10_000,
        `client back in round ${round} (status ${stream.status})`,
      );
      const child = server.child;
      // The random moment: after a random time, or (every other round) right as the k-th
      // acknowledgement arrives, when a server that acknowledged before committing would lose it.
      const killAfter = 100 + Math.floor(random() * 300);
      if (round % 2 === 1) {
        let acksLeft = 3 + Math.floor(random() * 20);
        onAck = () => {
          if (--acksLeft === 0) child.kill('SIGKILL');
        };
      }
      const started = Date.now();
      while (child.exitCode === null && child.signalCode === null && Date.now() - started < killAfter * 4) {
        if (round % 2 === 0 && Date.now() - started >= killAfter) break;
        if (stream.pending < 20) send(`round-${round}-command-${n++}`);
        await new Promise((resolve) => setTimeout(resolve, SEND_EVERY_MS));
      }
      await server.kill('SIGKILL');
      onAck = () => undefined;
      expectAckedOnce(await storedEvents(dir, streamId));
    }

    // After the last crash the client resends what was never acknowledged: all of it lands once.
    server = await startServer(dir);
    port = server.port;
    await until(() => stream.pending === 0, 15_000, 'every command acknowledged');
    const lastSeq = acked.size === 0 ? 0 : Math.max(...acked.values());
    await until(() => stream.lastSeq >= lastSeq, 10_000, 'events received');
    await server.kill('SIGTERM');
    const events = await storedEvents(dir, streamId);
    expectAckedOnce(events);
    expect(sent.filter((id) => events.filter((e) => e.idempotencyKey === `cmd:${id}`).length !== 1)).toEqual(
      [],
    );
    expect(received.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    // The run meant something: plenty was acknowledged, across many crashes.
    expect(acked.size).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(ROUNDS * 2);
  }, 300_000);
});
