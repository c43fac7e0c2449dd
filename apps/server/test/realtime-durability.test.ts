/**
 * FT-01 (reliability.md §7(c)): `kill -9` of the REAL server process during active typing,
 * repeated at random moments. Three writers (raw y-websocket clients, each with its own
 * Y.Doc) type markers without pause; a marker counts as ACKNOWLEDGED only when the server's
 * echo carrying it arrives on its author's socket (echoed means saved). After every kill and
 * restart on the same data dir, a fresh client must load every acknowledged marker exactly
 * once. Writers keep their docs across crashes and resend what the server lacks (sync step 2
 * on reconnect), so at the end every marker ever typed is present, still exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '@cairn/db';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ORIGIN } from './harness.ts';
import { createAdmin, startServer, type RealServer } from './real-server.ts';
import {
  decodeServerFrame,
  insertedStrings,
  mulberry32,
  step1Frame,
  step2Frame,
  until,
  updateFrame,
} from './realtime-support.ts';

const ROUNDS = 20;
const WRITERS = 3;
const TYPE_EVERY_MS = 15;

let dataDir: string | undefined;
let server: RealServer | undefined;
const sockets = new Set<WebSocket>();

afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  sockets.clear();
  if (server) await server.kill('SIGKILL');
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function openSocket(port: number, docId: string, cookie: string): WebSocket {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/doc/${docId}`, {
    headers: { origin: ORIGIN, cookie },
  });
  sockets.add(socket);
  socket.on('error', () => undefined);
  socket.on('close', () => sockets.delete(socket));
  return socket;
}

/** A fresh client's view: the server's whole state, loaded the way a device would. */
async function loadFresh(port: number, docId: string, cookie: string): Promise<Y.Doc> {
  const socket = openSocket(port, docId, cookie);
  const doc = new Y.Doc();
  let loaded = false;
  socket.on('message', (data: Buffer) => {
    const frame = decodeServerFrame(new Uint8Array(data));
    if (frame.type !== 'sync') return;
    if (frame.syncType === 0) socket.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
    if (frame.syncType === 1) {
      Y.applyUpdate(doc, frame.payload);
      loaded = true;
    }
  });
  await until(() => loaded, 10_000, 'fresh load');
  socket.terminate();
  return doc;
}

class Writer {
  readonly doc = new Y.Doc();
  readonly typed: string[] = [];
  readonly acked = new Set<string>();
  socket: WebSocket | null = null;
  /** Called, synchronously, as soon as one of this writer's markers is acknowledged. */
  onAck: () => void = () => undefined;
  readonly id: number;
  #n = 0;

  constructor(id: number) {
    this.id = id;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server') return;
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(updateFrame(update));
      // Otherwise it stays in the doc, and the next sync step 2 carries it.
    });
  }

  connect(port: number, docId: string, cookie: string): Promise<void> {
    const socket = openSocket(port, docId, cookie);
    this.socket = socket;
    return new Promise((resolve) => {
      socket.on('message', (data: Buffer) => {
        const frame = decodeServerFrame(new Uint8Array(data));
        if (frame.type !== 'sync') return;
        if (frame.syncType === 0) {
          // The server's state vector: send everything it lacks (resends unacknowledged edits).
          socket.send(step2Frame(Y.encodeStateAsUpdate(this.doc, frame.payload)));
          resolve();
          return;
        }
        if (frame.syncType === 2) {
          for (const inserted of insertedStrings(frame.payload)) {
            for (const marker of inserted.match(/c\d+:\d+;/g) ?? []) {
              if (marker.startsWith(`c${this.id}:`) && !this.acked.has(marker)) {
                this.acked.add(marker);
                this.onAck();
              }
            }
          }
        }
        Y.applyUpdate(this.doc, frame.payload, 'server');
      });
      socket.on('close', () => resolve());
    });
  }

  type(random: () => number): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const marker = `c${this.id}:${this.#n++};`;
    this.typed.push(marker);
    const text = this.doc.getText('content');
    text.insert(random() < 0.5 ? 0 : text.length, marker);
  }
}

function occurrences(text: string, marker: string): number {
  return text.split(marker).length - 1;
}

describe('durability under kill -9', () => {
  it('[FT-01] every acknowledged edit survives SIGKILL at random moments, exactly once', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-ft01-'));
    const random = mulberry32(0xf701);

    server = await startServer(dataDir);
    const cookie = await createAdmin(server.port);
    await server.kill('SIGTERM');
    // Only while no server runs: one process, one store on this file.
    const store = await openStore({ engine: 'sqlite', dataDir });
    const owner = await store.findUserByEmail(ADMIN.email);
    const docId = randomBytes(16).toString('base64url');
    await store.createDocument({
      id: docId,
      clinicId: owner!.clinicId,
      kind: 'clinician_note',
      ownerUserId: owner!.id,
      streamId: null,
      createdAt: new Date(),
    });
    await store.close();

    const writers = Array.from({ length: WRITERS }, (_, i) => new Writer(i));
    const ackedSoFar = () => writers.flatMap((w) => [...w.acked]);
    const expectAckedOnce = (text: string) => {
      const acked = ackedSoFar();
      const missing = acked.filter((m) => occurrences(text, m) !== 1);
      expect(missing, `acknowledged markers lost or duplicated`).toEqual([]);
    };

    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer(dataDir);
      const loaded = await loadFresh(server.port, docId, cookie);
      expect(loaded.store.pendingStructs).toBeNull(); // nothing half-written
      expectAckedOnce(loaded.getText('content').toString());
      loaded.destroy();

      await Promise.all(writers.map((w) => w.connect(server!.port, docId, cookie)));
      // The random moment: after a random time, or (every other round) right as the k-th
      // acknowledgement arrives, when a server that echoed before committing would lose it.
      const killAfter = 100 + Math.floor(random() * 400);
      const child = server.child;
      if (round % 2 === 1) {
        let acksLeft = 5 + Math.floor(random() * 40);
        for (const writer of writers) {
          writer.onAck = () => {
            if (--acksLeft === 0) child.kill('SIGKILL');
          };
        }
      }
      const started = Date.now();
      while (child.exitCode === null && child.signalCode === null && Date.now() - started < killAfter * 4) {
        if (round % 2 === 0 && Date.now() - started >= killAfter) break;
        for (const writer of writers) writer.type(random);
        await new Promise((resolve) => setTimeout(resolve, TYPE_EVERY_MS));
      }
      await server.kill('SIGKILL');
      for (const writer of writers) writer.onAck = () => undefined;
      await until(
        () => writers.every((w) => w.socket?.readyState === WebSocket.CLOSED),
        5000,
        'writers see drop',
      );
    }

    // After the last crash: acknowledged edits are there; then the writers resync and
    // everything ever typed is there, exactly once.
    server = await startServer(dataDir);
    const afterCrash = await loadFresh(server.port, docId, cookie);
    expectAckedOnce(afterCrash.getText('content').toString());
    await Promise.all(writers.map((w) => w.connect(server!.port, docId, cookie)));
    const typed = writers.flatMap((w) => w.typed);
    let finalText = '';
    await until(
      async () => {
        const doc = await loadFresh(server!.port, docId, cookie);
        finalText = doc.getText('content').toString();
        doc.destroy();
        return typed.every((m) => finalText.includes(m));
      },
      15_000,
      'resent edits stored',
    );
    expect(typed.filter((m) => occurrences(finalText, m) !== 1)).toEqual([]);
    expect(finalText.length).toBe(typed.join('').length); // nothing but the typed markers
    // The run meant something: plenty was acknowledged, by every writer.
    expect(ackedSoFar().length).toBeGreaterThan(ROUNDS * WRITERS * 3);
    for (const writer of writers) expect(writer.acked.size).toBeGreaterThan(0);
    await server.kill('SIGTERM');
  }, 300_000);
});
