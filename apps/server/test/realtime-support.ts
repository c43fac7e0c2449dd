/**
 * Helpers for realtime tests: a listening Cairn, documents made through the Store, and the
 * stock y-websocket provider in Node, carrying the browser's cookie and Origin.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ORIGIN, type Harness } from './harness.ts';

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
