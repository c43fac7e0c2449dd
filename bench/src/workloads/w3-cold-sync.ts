/**
 * W3, 1 MB sync: time from opening a socket to holding the whole document (the SyncStep2
 * frame has arrived), for 1 joiner and for 14 joining at once. Cairn and Hocuspocus + sqlite
 * load the document from storage on a freshly started server (cold); servers without
 * persistence can only serve it from memory (warm, seeded by a client that stays connected);
 * the raw baseline relays a pre-encoded 1 MB frame from a peer (the transfer floor). Joiners
 * are thin (they do not apply the update, or the driver's Yjs work would be measured), so a
 * real client adds the isolated apply cost reported beside.
 */
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { SYNC_STEP_2, ywsSyncFrame } from '../clients/frames.ts';
import { ThinClient, withTimeout } from '../clients/thin-client.ts';
import { HOCUSPOCUS_SQLITE_SCHEMA } from '../servers/hocuspocus-schema.ts';
import type { Lab, Running } from '../servers/lab.ts';
import { SYSTEMS, type SystemId, type Target } from '../servers/systems.ts';
import { summarize, type Summary } from '../stats/percentiles.ts';
import type { TypedDoc } from './typed-doc.ts';
import { waitFor } from './util.ts';

export type SyncMode = 'cold' | 'warm' | 'relay floor';

export interface W3Case {
  joiners: number;
  times: Summary;
  bytes: number;
  serverCpuMs: number;
  /** The received state, applied to a fresh Y.Doc, reproduces the document's text exactly. */
  verified: boolean;
}

export interface W3Result {
  system: SystemId;
  mode: SyncMode;
  cases: W3Case[];
}

const SYNC_TIMEOUT_MS = 60_000;

function seedSqlite(file: string, names: string[], state: Uint8Array): void {
  const db = new DatabaseSync(file);
  try {
    db.exec(HOCUSPOCUS_SQLITE_SCHEMA);
    const insert = db.prepare('INSERT INTO "documents" ("name", "data") VALUES (?, ?)');
    for (const name of names) insert.run(name, state);
  } finally {
    db.close();
  }
}

/** Puts the document into server memory through the protocol and waits until it is there. */
async function seedMemory(target: Target, name: string, state: Uint8Array): Promise<ThinClient> {
  let held = 0;
  const seeder = new ThinClient(target, name, { onStep2: (payload) => (held = payload.byteLength) });
  await seeder.ready;
  seeder.sendUpdate(state);
  seeder.requestState(); // answered after the update: frames are handled in order
  if (!(await waitFor(() => held >= state.byteLength * 0.9, SYNC_TIMEOUT_MS))) {
    throw new Error(`seeding ${name} did not complete`);
  }
  return seeder;
}

/** The raw baseline's stand-in server: a peer that answers once every joiner asked. */
function relaySeeder(target: Target, name: string, state: Uint8Array, joiners: number): ThinClient {
  const frame = ywsSyncFrame(SYNC_STEP_2, state);
  let asked = 0;
  const seeder = new ThinClient(target, name, {
    onStep1: () => {
      if (++asked === joiners) seeder.socket.send(frame);
    },
  });
  return seeder;
}

async function join(running: Running, name: string, count: number, doc: TypedDoc): Promise<W3Case> {
  const { server, target } = running;
  const times: number[] = [];
  let bytes = 0;
  let firstPayload: Uint8Array | undefined;
  const joiners: ThinClient[] = [];
  const before = await server.sample();
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      joiners.push(
        new ThinClient(
          target,
          name,
          {
            onStep2: (payload, at) => {
              if (payload.byteLength < 16) return; // an empty answer, not the document
              times.push(at - started);
              bytes = payload.byteLength;
              firstPayload ??= payload.slice();
            },
          },
          { requestState: true },
        ),
      );
    }
    await withTimeout(Promise.all(joiners.map((j) => j.ready)), SYNC_TIMEOUT_MS, 'joiners');
    if (!(await waitFor(() => times.length >= count, SYNC_TIMEOUT_MS))) throw new Error('joiners not synced');
  } finally {
    for (const joiner of joiners) joiner.close();
  }
  const after = await server.sample();
  const check = new Y.Doc();
  Y.applyUpdate(check, firstPayload!);
  const verified = check.getText('content').toString() === doc.text;
  check.destroy();
  return {
    joiners: count,
    times: summarize(times),
    bytes,
    serverCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
    verified,
  };
}

export async function runW3(
  lab: Lab,
  id: SystemId,
  joinerCounts: number[],
  doc: TypedDoc,
): Promise<W3Result> {
  const spec = SYSTEMS[id];
  const names = joinerCounts.map((n) => lab.rooms(id, n === 1 ? 'w3-one' : 'w3-many', 1)[0]!);
  let sqliteFile: string | undefined;
  if (id === 'hocuspocus-sqlite') {
    sqliteFile = lab.newSqliteFile();
    seedSqlite(sqliteFile, names, doc.state);
  }
  const running = await lab.start(id, sqliteFile ? { sqliteFile } : {});
  const seeders: ThinClient[] = [];
  try {
    const mode: SyncMode = spec.persistent ? 'cold' : spec.protocol === 'raw' ? 'relay floor' : 'warm';
    const cases: W3Case[] = [];
    for (const [i, count] of joinerCounts.entries()) {
      const name = names[i]!;
      if (mode === 'warm') seeders.push(await seedMemory(running.target, name, doc.state));
      if (mode === 'relay floor') {
        const seeder = relaySeeder(running.target, name, doc.state, count);
        seeders.push(seeder);
        await seeder.ready;
      }
      cases.push(await join(running, name, count, doc));
    }
    return { system: id, mode, cases };
  } finally {
    for (const seeder of seeders) seeder.close();
    await running.server.stop();
  }
}
