/**
 * The realtime parts, wired once per process: the group-commit queue, loaded rooms, the
 * update guard's worker and the revocation sweeper; all stopped when the app closes.
 */
import type { CoreContext } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { CommitQueue } from './commit-queue.ts';
import type { DocSocketLimits } from './doc-connection.ts';
import { docRoutes } from './doc-route.ts';
import { DocRooms } from './doc-rooms.ts';
import { RevocationSweeper } from './revocation-sweeper.ts';
import { UpdateGuard } from './update-guard.ts';

export interface RealtimeOptions {
  limits: DocSocketLimits;
  /** How often live sockets' sessions are re-checked; well under the 5 s promise. */
  revocationIntervalMs: number;
  /** How long an idle document stays loaded after its last socket left. */
  unloadGraceMs: number;
  guard: { timeoutMs: number; maxMemoryMb: number; maxBytes: number };
}

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
};

export async function realtimePlugin(
  app: FastifyInstance,
  options: { core: CoreContext } & Partial<RealtimeOptions>,
): Promise<void> {
  const settings: RealtimeOptions = {
    ...DEFAULT_REALTIME,
    ...options,
    limits: { ...DEFAULT_REALTIME.limits, ...options.limits },
    guard: { ...DEFAULT_REALTIME.guard, ...options.guard },
  };
  const { core } = options;
  const commits = new CommitQueue(core.store);
  const rooms = new DocRooms(core.store, commits, settings.unloadGraceMs);
  const guard = new UpdateGuard(settings.guard);
  const sweeper = new RevocationSweeper(core, settings.revocationIntervalMs);
  app.addHook('onClose', async () => {
    sweeper.stop();
    rooms.close();
    await guard.close();
  });
  await docRoutes(app, { core, rooms, guard, sweeper, limits: settings.limits });
}
