/**
 * W1's client mix, also used by W7: per room one real writer (stock provider + Y.Doc) and
 * thin listeners, all wired to the room's log.
 */
import { RealWriter } from '../clients/writer.ts';
import { ThinClient } from '../clients/thin-client.ts';
import type { Target } from '../servers/systems.ts';
import { RoomLog, type WindowStats } from './room-log.ts';
import { inBatches } from './util.ts';

export interface TypingRooms {
  writers: Array<RealWriter | undefined>;
  listeners: ThinClient[];
  logs: RoomLog[];
  connectMs: number;
  close(): void;
}

const ROOMS_PER_BATCH = 10;

export async function connectTypingRooms(
  target: Target,
  rooms: string[],
  options: { listenersPerRoom: number; capacity: number; windows: WindowStats[]; seed: number },
): Promise<TypingRooms> {
  const started = performance.now();
  // Indexed by room (connections finish in any order); empty until that room's writer exists.
  const writers = new Array<RealWriter | undefined>(rooms.length).fill(undefined);
  const listeners: ThinClient[] = [];
  const logs = rooms.map(() => new RoomLog(options.capacity, options.windows));
  const result: TypingRooms = {
    writers,
    listeners,
    logs,
    connectMs: 0,
    close() {
      for (const writer of writers) writer?.destroy();
      for (const listener of listeners) listener.close();
    },
  };
  try {
    await inBatches(rooms, ROOMS_PER_BATCH, async (room, r) => {
      const log = logs[r]!;
      const members: Promise<void>[] = [];
      for (let l = 0; l < options.listenersPerRoom; l++) {
        const listener = new ThinClient(target, room, { onUpdate: (span, at) => log.fanout(span, at) });
        listeners.push(listener);
        members.push(listener.ready);
      }
      const writer = new RealWriter(target, room, {
        clientId: 1000 + r,
        seed: options.seed + r,
        onEcho: (span, at) => log.echo(span, at),
      });
      writers[r] = writer;
      members.push(writer.ready);
      await Promise.all(members);
    });
  } catch (error) {
    result.close();
    throw error;
  }
  result.connectMs = performance.now() - started;
  return result;
}
