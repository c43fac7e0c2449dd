/**
 * Helpers for session event stream tests: streams made through the Store, Cairn's own
 * StreamClient over the `ws` package with a browser's cookie and Origin, and a raw socket
 * that records every text frame for the hostile and isolation cases.
 */
import { randomBytes } from 'node:crypto';
import { StreamClient, type StreamEvent, type StreamSocket, type StreamStatus } from '@cairn/sync';
import WebSocket from 'ws';
import { ORIGIN, type Harness } from './harness.ts';
import { browserSocketClass, wsBase } from './realtime-support.ts';

export async function createStream(h: Harness, clinicId?: string): Promise<string> {
  const clinic = clinicId ?? (await h.core.store.getFirstClinic())?.id;
  if (!clinic) throw new Error('no clinic yet');
  const id = randomBytes(16).toString('base64url');
  await h.core.store.createEventStream({ id, clinicId: clinic, createdAt: new Date() });
  return id;
}

export interface WatchedStream {
  client: StreamClient;
  events: StreamEvent[];
  statuses: StreamStatus[];
}

export function streamUrl(h: Harness, streamId: string): string {
  return `${wsBase(h)}/ws/stream/${streamId}`;
}

/** Cairn's StreamClient as a browser on Cairn's origin would run it. */
export function watchStream(
  h: Harness,
  streamId: string,
  cookie: string | undefined,
  options: { since?: number; newId?: () => string } = {},
): WatchedStream {
  const events: StreamEvent[] = [];
  const statuses: StreamStatus[] = [];
  const Socket = browserSocketClass(cookie);
  const client = new StreamClient({
    url: streamUrl(h, streamId),
    connect: (url) => new Socket(url) as unknown as StreamSocket,
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    minBackoffMs: 20,
    maxBackoffMs: 200,
    ...options,
  });
  return { client, events, statuses };
}

export interface RawStream {
  socket: WebSocket;
  /** The upgrade's outcome: 'open' or the HTTP status that refused it. */
  opened: Promise<number | 'open'>;
  closed: Promise<{ code: number; reason: string }>;
  /** Every text frame received, parsed. */
  messages: Array<Record<string, unknown> & { type: string }>;
  send(message: unknown): void;
}

export function rawStream(
  h: Harness,
  streamId: string,
  cookie: string | undefined,
  headers: Record<string, string> = {},
  path = `/ws/stream/${streamId}`,
): RawStream {
  const socket = new WebSocket(`${wsBase(h)}${path}`, {
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
  });
  const messages: RawStream['messages'] = [];
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
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    messages.push(
      isBinary ? { type: '(binary)' } : (JSON.parse(data.toString('utf8')) as RawStream['messages'][0]),
    );
  });
  return {
    socket,
    opened,
    closed,
    messages,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}

/** Events of every `events` frame a raw socket received, in order. */
export function rawEvents(stream: RawStream): StreamEvent[] {
  return stream.messages.flatMap((m) => (m.type === 'events' ? (m['events'] as StreamEvent[]) : []));
}

/** Appends `count` duty events straight through the Store, as another instance would. */
export async function appendDutyEvents(
  h: Harness,
  streamId: string,
  actorId: string,
  count: number,
): Promise<void> {
  for (let done = 0; done < count; done += 500) {
    const batch = Array.from({ length: Math.min(500, count - done) }, (_, i) => ({
      type: 'staff.duty_changed',
      payload: { onDuty: (done + i) % 2 === 0 },
      actorId,
      deviceId: null,
      idempotencyKey: null,
      at: new Date(),
    }));
    await h.core.store.appendEvents(streamId, batch);
  }
}
