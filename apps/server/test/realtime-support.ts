/**
 * Helpers for realtime tests: a listening Cairn, documents made through the Store, and the
 * stock y-websocket provider in Node, carrying the browser's cookie and Origin.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { openDocument } from '@cairn/core';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AuthorizeDocument } from '../src/realtime/doc-route.ts';
import { expect } from 'vitest';
import {
  ADMIN,
  Browser,
  enrolTotp,
  ORIGIN,
  setUpAdmin,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './harness.ts';

export function wsBase(h: Harness): string {
  return `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}

export async function createClinicianNote(h: Harness, ownerEmail: string): Promise<string> {
  const owner = await h.core.store.findUserByEmail(ownerEmail);
  if (!owner) throw new Error(`no user ${ownerEmail}`);
  const id = randomBytes(16).toString('base64url');
  await h.core.store.createDocument({
    id,
    clinicId: owner.clinicId,
    kind: 'clinician_note',
    ownerUserId: owner.id,
    streamId: null,
    createdAt: new Date(),
  });
  return id;
}

/** The `ws` WebSocket with the headers a browser on Cairn's origin would send. */
export function browserSocketClass(cookie: string | undefined, origin = ORIGIN): typeof WebSocket {
  return class BrowserLikeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { origin, ...(cookie ? { cookie } : {}) } });
    }
  } as typeof WebSocket;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectProvider(
  h: Harness,
  docId: string,
  cookie: string | undefined,
  clientId?: number,
): Client {
  const doc = new Y.Doc();
  if (clientId !== undefined) doc.clientID = clientId;
  const provider = new WebsocketProvider(`${wsBase(h)}/ws/doc`, docId, doc, {
    WebSocketPolyfill: browserSocketClass(cookie) as never,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a raw socket and reports how the upgrade went, plus every frame received. */
export function rawSocket(url: string, headers: Record<string, string>) {
  const frames: Uint8Array[] = [];
  const socket = new WebSocket(url, { headers });
  const opened = new Promise<number | 'open'>((resolve, reject) => {
    socket.on('open', () => resolve('open'));
    socket.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    socket.on('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  return { socket, opened, closed, frames };
}

// ---------------------------------------------------------------------------------------------
// Hostile-client helpers (realtime-hostile, -limits, -updates, -revocation, -convergence tests)
// ---------------------------------------------------------------------------------------------

/** `ws://…` → `http://…` of the listening harness. */
export function httpBase(h: Harness): string {
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}

/** The process answers a real HTTP request on its real port (not inject): it is alive. */
export async function healthStatus(h: Harness): Promise<number> {
  const response = await fetch(`${httpBase(h)}/healthz`);
  await response.arrayBuffer();
  return response.status;
}

/** y-websocket frames, written independently of the server's own encoder. */
export function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
export const step1Frame = (stateVector: Uint8Array) => syncFrame(0, stateVector);
export const step2Frame = (update: Uint8Array) => syncFrame(1, update);
export const updateFrame = (update: Uint8Array) => syncFrame(2, update);
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
/** An awareness update written by hand: any client id, clock and JSON state text. */
export function awarenessUpdate(
  entries: Array<{ clientId: number; clock: number; state: string }>,
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

export type ServerFrame =
  | { type: 'sync'; syncType: number; payload: Uint8Array }
  | { type: 'awareness'; payload: Uint8Array }
  | { type: 'other'; messageType: number };

export function decodeServerFrame(frame: Uint8Array): ServerFrame {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  if (messageType === 0) {
    const syncType = decoding.readVarUint(decoder);
    return { type: 'sync', syncType, payload: decoding.readVarUint8Array(decoder) };
  }
  if (messageType === 1) return { type: 'awareness', payload: decoding.readVarUint8Array(decoder) };
  return { type: 'other', messageType };
}

/** Every string inserted by an update, read from its structs (no dependencies needed). */
export function insertedStrings(update: Uint8Array): string[] {
  const strings: string[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentString)
      strings.push(struct.content.str);
  }
  return strings;
}

/** The document as a cold load would build it: snapshot, then the stored log. */
export async function storedDoc(h: Harness, docId: string): Promise<Y.Doc> {
  const state = await h.core.store.loadDocState(docId);
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const { update } of state.updates) Y.applyUpdate(doc, update);
  return doc;
}

export async function storedText(h: Harness, docId: string): Promise<string> {
  const doc = await storedDoc(h, docId);
  const text = doc.getText('content').toString();
  doc.destroy();
  return text;
}

/** Rows in the update log (all history, snapshot or not). */
export async function storedRowCount(h: Harness, docId: string): Promise<number> {
  return (await h.core.store.readDocUpdates(docId, 0, 1_000_000)).length;
}

/**
 * A raw y-websocket client: its own Y.Doc (whose changes it sends as updates), every frame it
 * receives, and how it was closed. It speaks only when told to, so tests control every byte.
 */
export class RawDocClient {
  readonly socket: WebSocket;
  readonly doc: Y.Doc;
  readonly frames: Uint8Array[] = [];
  readonly opened: Promise<number | 'open'>;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null = null;
  /** Updates this client's doc produced (in order), ready to send or withhold. */
  readonly produced: Uint8Array[] = [];

  constructor(url: string, headers: Record<string, string>, options: WebSocket.ClientOptions = {}) {
    this.doc = new Y.Doc();
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.produced.push(update);
    });
    this.socket = new WebSocket(url, { headers, ...options });
    this.opened = new Promise((resolve, reject) => {
      this.socket.on('open', () => resolve('open'));
      this.socket.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      this.socket.on('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    this.socket.on('message', (data: Buffer) => this.frames.push(new Uint8Array(data)));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** How the server closed this socket; fails (rather than hangs) if it stays open `ms`. */
  async closedWithin(ms = 5000): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  send(frame: Uint8Array | string): void {
    this.socket.send(frame);
  }

  /** Payloads of received sync messages of one type (0 step 1, 1 step 2, 2 update). */
  syncFrames(syncType: number): Uint8Array[] {
    const payloads: Uint8Array[] = [];
    for (const frame of this.frames) {
      const decoded = decodeServerFrame(frame);
      if (decoded.type === 'sync' && decoded.syncType === syncType) payloads.push(decoded.payload);
    }
    return payloads;
  }

  /** Applies what the server sent (step 2 and updates) to this client's doc. */
  applyReceived(): void {
    for (const payload of [...this.syncFrames(1), ...this.syncFrames(2)])
      Y.applyUpdate(this.doc, payload, this);
  }

  /**
   * Frames are handled strictly in order, so when the answer to a sync step 1 arrives every
   * earlier frame of this socket has been fully handled (applied and committed, or refused).
   */
  async barrier(timeoutMs = 5000): Promise<void> {
    const before = this.syncFrames(1).length;
    this.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
    await until(() => this.syncFrames(1).length > before, timeoutMs, 'sync step 2 answer');
  }

  /** Whether an update the server sent to this socket (an echo or a broadcast) inserted `marker`. */
  received(marker: string): boolean {
    return this.syncFrames(2).some((payload) => insertedStrings(payload).some((s) => s.includes(marker)));
  }

  /** Appends `marker` in this client's doc and sends the update; returns the update sent. */
  append(marker: string): Uint8Array {
    const text = this.doc.getText('content');
    text.insert(text.length, marker);
    const update = this.produced.at(-1)!;
    this.send(updateFrame(update));
    return update;
  }

  /** Appends and waits for the durable echo (the server's acknowledgement). */
  async write(marker: string): Promise<void> {
    this.append(marker);
    await until(() => this.received(marker), 5000, `echo of ${marker}`);
  }

  /** Loads the server's whole state into this client's doc (a sync step 1 with nothing known). */
  async sync(): Promise<void> {
    await this.barrier();
    this.applyReceived();
  }

  close(): void {
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN) {
      this.socket.terminate();
    }
    this.doc.destroy();
  }
}

/** A provider client that counts how often its socket dropped (a bystander must never drop). */
export interface WatchedClient extends Client {
  drops(): number;
}

export function connectWatched(h: Harness, docId: string, cookie: string | undefined): WatchedClient {
  const client = connectProvider(h, docId, cookie);
  let drops = 0;
  client.provider.on('connection-close', () => {
    drops += 1;
  });
  return { ...client, drops: () => drops };
}

/** Grants on top of core's rules, as the `authorize` option: e.g. read-only, or a co-author. */
export type Grants = Map<string, Map<string, 'read' | 'write'>>;

export function authorizeWithGrants(grants: Grants): AuthorizeDocument {
  return async (core, viewer, docId) => {
    const granted = viewer?.stage === 'full' ? grants.get(docId)?.get(viewer.user.id) : undefined;
    if (granted) {
      const document = await core.store.getDocument(docId);
      if (document && document.clinicId === viewer!.clinic.id) return { document, access: granted };
    }
    return openDocument(core, viewer, docId);
  };
}

/** A second staff member, invited by the admin and enrolled in MFA; signed in on `browser`. */
export async function addStaff(
  h: Harness,
  admin: Browser,
  email: string,
  roles: string[] = ['facilitator'],
  ip = '10.0.0.9',
): Promise<{ browser: Browser; secret: string; userId: string; email: string; password: string }> {
  const invite = await admin.post('/api/v1/staff/invites', { email, roles });
  if (invite.statusCode !== 201) throw new Error(`invite failed: ${invite.statusCode} ${invite.body}`);
  const { token } = invite.json() as { token: string };
  const browser = new Browser(h.app, ip);
  const password = 'walking by the shore';
  const accept = await browser.post('/api/v1/invites/accept', {
    token,
    displayName: email.split('@')[0],
    password,
  });
  if (accept.statusCode >= 300) throw new Error(`accept failed: ${accept.statusCode} ${accept.body}`);
  const { secret } = await enrolTotp(h, browser);
  const user = await h.core.store.findUserByEmail(email);
  return { browser, secret, userId: user!.id, email, password };
}

/** A tiny seeded PRNG (mulberry32): the same seed gives the same run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BASELINE = 'Baseline: grounding went well.';

/**
 * One listening Cairn per test plus everything opened on it, closed in `stop()` (afterEach).
 * `scene()` gives the common starting point: an admin, their note holding BASELINE (durable),
 * and a well-behaved bystander provider on it.
 */
export class Stage {
  readonly h: Harness;
  readonly #opened: Array<{ close(): void }> = [];

  private constructor(h: Harness) {
    this.h = h;
  }

  static async start(realtime: HarnessOptions['realtime'] = {}): Promise<Stage> {
    const h = await startHarness({ realtime: { unloadGraceMs: 50, ...realtime } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    return new Stage(h);
  }

  provider(docId: string, cookie: string | undefined): WatchedClient {
    const client = connectWatched(this.h, docId, cookie);
    this.#opened.push({ close: () => client.destroy() });
    return client;
  }

  async raw(
    docId: string,
    cookie: string | undefined,
    options: WebSocket.ClientOptions = {},
  ): Promise<RawDocClient> {
    const client = new RawDocClient(
      `${wsBase(this.h)}/ws/doc/${docId}`,
      { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      options,
    );
    this.#opened.push(client);
    const outcome = await client.opened;
    if (outcome !== 'open') throw new Error(`upgrade refused: ${outcome}`);
    await until(() => client.syncFrames(0).length > 0, 5000, 'server greeting');
    return client;
  }

  track<T extends { close(): void }>(thing: T): T {
    this.#opened.push(thing);
    return thing;
  }

  async scene(): Promise<{ admin: Browser; docId: string; bystander: WatchedClient }> {
    const { admin } = await setUpAdmin(this.h);
    const docId = await createClinicianNote(this.h, ADMIN.email);
    const bystander = this.provider(docId, admin.cookie);
    await until(() => bystander.provider.synced, 5000, 'bystander sync');
    bystander.doc.getText('content').insert(0, BASELINE);
    await until(async () => (await storedText(this.h, docId)) === BASELINE, 5000, 'baseline stored');
    return { admin, docId, bystander };
  }

  /**
   * The hostile input left no trace and hurt nobody else: the process answers /healthz, the
   * bystander still holds exactly `expected` and never lost its socket, its next edit is
   * durably stored, and a fresh client loads exactly the same text. Returns the new text.
   */
  async expectUnharmed(
    docId: string,
    bystander: WatchedClient,
    cookie: string | undefined,
    expected: string,
  ) {
    const { h } = this;
    expect(await healthStatus(h)).toBe(200);
    expect(bystander.doc.getText('content').toString()).toBe(expected);
    expect(await storedText(h, docId)).toBe(expected);
    const marker = ` [ok ${randomBytes(3).toString('hex')}]`;
    const text = bystander.doc.getText('content');
    text.insert(text.length, marker);
    const want = expected + marker;
    await until(async () => (await storedText(h, docId)).includes(marker), 5000, 'bystander edit stored');
    expect(await storedText(h, docId)).toBe(want);
    expect(text.toString()).toBe(want);
    const fresh = this.provider(docId, cookie);
    await until(() => fresh.provider.synced, 5000, 'fresh client sync');
    expect(fresh.doc.getText('content').toString()).toBe(want);
    expect(bystander.drops()).toBe(0);
    expect(bystander.provider.wsconnected).toBe(true);
    return want;
  }

  async stop(): Promise<void> {
    for (const thing of this.#opened.splice(0)) thing.close();
    await this.h.close();
  }
}
