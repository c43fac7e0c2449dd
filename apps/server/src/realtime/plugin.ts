/**
 * The realtime parts, wired once per process: the group-commit queue, loaded documents and
 * event streams, the update guard's worker, the revocation sweeper and the support sweeper;
 * all stopped when the app closes.
 */
import { openDocument, openEventStream, type CoreContext, type SessionsEnded } from '@cairn/core';
import { CLOSE_CODES } from '@cairn/sync';
import type { FastifyInstance } from 'fastify';
import { CommitQueue } from './commit-queue.ts';
import type { DocSocketLimits } from './doc-connection.ts';
import { docRoutes, type AuthorizeDocument } from './doc-route.ts';
import { DocRooms } from './doc-rooms.ts';
import { LocalDoorbell, RedisDoorbell, type Doorbell } from './doorbell.ts';
import { RevocationSweeper } from './revocation-sweeper.ts';
import type { StreamSocketLimits } from './stream-connection.ts';
import { streamRoutes, type AuthorizeStream } from './stream-route.ts';
import { StreamRooms } from './stream-rooms.ts';
import { SupportSweeper } from './support-sweeper.ts';
import { UpdateGuard } from './update-guard.ts';

export interface RealtimeOptions {
  limits: DocSocketLimits;
  /** How often live sockets' sessions are re-checked; well under the 5 s promise. */
  revocationIntervalMs: number;
  /** How long an idle document stays loaded after its last socket left. */
  unloadGraceMs: number;
  guard: { timeoutMs: number; maxMemoryMb: number; maxBytes: number };
  /** Access decision per document (core's rules; tests may narrow it, e.g. to read-only). */
  authorize: AuthorizeDocument;
  streamLimits: StreamSocketLimits;
  /** Access decision per session stream (core's rules; tests may narrow it). */
  authorizeStream: AuthorizeStream;
  /** Redis for instant cross-instance delivery; without it instances poll the database. */
  redisUrl: string | undefined;
  /** Whether other instances may write the same database (PostgreSQL). */
  sharedDatabase: boolean;
  /** Database polling interval while rings may be missed. */
  pollMs: number;
  /**
   * How often unanswered support requests are checked for escalation; well under the
   * clinic's shortest limit (SUPPORT_ESCALATE_AFTER_SECONDS_MIN).
   */
  supportSweepMs: number;
}

/** What a caller (tests, the benchmark) may change: any setting, and any single limit. */
export type RealtimeOverrides = Partial<Omit<RealtimeOptions, 'limits' | 'streamLimits' | 'guard'>> & {
  limits?: Partial<DocSocketLimits>;
  streamLimits?: Partial<StreamSocketLimits>;
  guard?: Partial<RealtimeOptions['guard']>;
};

export const DEFAULT_REALTIME: RealtimeOptions = {
  limits: {
    messageBurst: 200,
    messagesPerSecond: 100,
    awarenessPerSecond: 2,
    maxBufferedBytes: 8 * 1024 * 1024,
    readOnlyStrikes: 20,
    heartbeatMs: 15_000,
  },
  revocationIntervalMs: 2_000,
  unloadGraceMs: 30_000,
  guard: { timeoutMs: 1_000, maxMemoryMb: 128, maxBytes: 4 * 1024 * 1024 },
  authorize: openDocument,
  streamLimits: {
    messageBurst: 60,
    messagesPerSecond: 20,
    commandBurst: 30,
    commandsPerSecond: 10,
    maxBufferedBytes: 4 * 1024 * 1024,
    helloTimeoutMs: 10_000,
    heartbeatMs: 15_000,
  },
  authorizeStream: openEventStream,
  redisUrl: undefined,
  sharedDatabase: false,
  pollMs: 1_000,
  supportSweepMs: 1_000,
};

export async function realtimePlugin(
  app: FastifyInstance,
  options: { core: CoreContext } & RealtimeOverrides,
): Promise<void> {
  const settings: RealtimeOptions = {
    ...DEFAULT_REALTIME,
    ...options,
    limits: { ...DEFAULT_REALTIME.limits, ...options.limits },
    streamLimits: { ...DEFAULT_REALTIME.streamLimits, ...options.streamLimits },
    guard: { ...DEFAULT_REALTIME.guard, ...options.guard },
  };
  const { core } = options;
  const commits = new CommitQueue(core.store);
  // SQLite has one writer process: its local doorbell hears every write. PostgreSQL may have
  // peers: Redis if configured, and polling whenever Redis cannot vouch for delivery.
  const doorbell: Doorbell = settings.redisUrl
    ? new RedisDoorbell(settings.redisUrl)
    : new LocalDoorbell(!settings.sharedDatabase);
  const rooms = new DocRooms(core.store, commits, doorbell, settings.unloadGraceMs, settings.pollMs);
  const streams = new StreamRooms(core.store, doorbell, settings.pollMs);
  const guard = new UpdateGuard(settings.guard);
  const sweeper = new RevocationSweeper(core, settings.revocationIntervalMs);
  const support = new SupportSweeper(core, streams, settings.supportSweepMs, app.log);
  const revoke = (ended: SessionsEnded) => sweeper.revoke(ended);
  // An update committed outside a socket (a restored version): rooms here and on other
  // instances read it from the database and send it on, as they do another instance's.
  const written = ({ docId, seq }: { docId: string; seq: number }) => doorbell.ring(docId, seq);
  const frozen = ({ docId }: { docId: string }) =>
    rooms.loadedRoom(docId)?.freeze(CLOSE_CODES.reopen, 'document signed, reopen read-only');
  core.events.on('sessions-ended', revoke);
  core.events.on('document-written', written);
  core.events.on('document-frozen', frozen);
  app.addHook('onClose', async () => {
    core.events.off('sessions-ended', revoke);
    core.events.off('document-written', written);
    core.events.off('document-frozen', frozen);
    sweeper.stop();
    await support.stop();
    rooms.close();
    streams.close();
    await Promise.all([guard.close(), doorbell.close()]);
  });
  await docRoutes(app, {
    core,
    rooms,
    guard,
    sweeper,
    limits: settings.limits,
    authorize: settings.authorize,
  });
  await streamRoutes(app, {
    core,
    rooms: streams,
    sweeper,
    limits: settings.streamLimits,
    authorize: settings.authorizeStream,
  });
}
