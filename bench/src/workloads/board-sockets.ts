/**
 * Opens the board workload's sockets, per session 2 staff boards then 12 tablets, and wires
 * every frame to the log: a staff socket's check-in or support event is matched to its
 * command by participant and type; a tablet's ack or refusal by command id. With
 * `acknowledge`, the co-therapist's board answers each support request ("I'm coming") as it
 * arrives, as staff would, and the tablet's sight of that answer is timed too.
 */
import { RawBoardSocket } from '../clients/raw-board-socket.ts';
import { StreamSocket, type StreamEventFrame, type StreamHandlers } from '../clients/stream-socket.ts';
import type { BoardClinic } from '../servers/cairn-board-setup.ts';
import { CAIRN_ORIGIN } from '../servers/cairn-setup.ts';
import { BoardLog, EVENT_OF_KIND, KINDS, STAFF_PER_SESSION, type BoardKind } from './board-log.ts';
import { inBatches } from './util.ts';

/** Sessions connected at once: 14 sockets each, without a SYN storm. */
const SESSIONS_PER_BATCH = 10;
const ANSWERING_STAFF = 1;

export type BoardClient = Pick<StreamSocket, 'live' | 'command' | 'close' | 'closedByServer'>;

export interface BoardSockets {
  /** By global tablet index (session × tablets per session + seat). */
  tablets: BoardClient[];
  staff: BoardClient[];
  connectMs: number;
  /** Sockets the server closed during the run, by role and close code + reason. */
  closedByServer(): Record<string, number>;
  close(): void;
}

/** Where each system's sockets connect: Cairn with its clinic's cookies, the relay by path. */
export type BoardTarget =
  | { system: 'cairn'; port: number; clinic: BoardClinic }
  | { system: 'raw'; port: number; sessions: number; tabletsPerSession: number };

const KIND_OF_EVENT = new Map(KINDS.map((kind) => [EVENT_OF_KIND[kind], kind] as [string, BoardKind]));

function participantIds(target: BoardTarget): string[][] {
  if (target.system === 'cairn')
    return target.clinic.sessions.map((s) => s.tablets.map((t) => t.participantId));
  return Array.from({ length: target.sessions }, (_, s) =>
    Array.from({ length: target.tabletsPerSession }, (_, p) => `s${s}p${p}`),
  );
}

export async function connectBoard(
  target: BoardTarget,
  log: BoardLog,
  options: { acknowledge: boolean },
): Promise<BoardSockets> {
  const started = performance.now();
  const ids = participantIds(target);
  const perSession = ids[0]?.length ?? 0;
  const tabletOf = new Map<string, number>();
  ids.forEach((session, s) => session.forEach((id, p) => tabletOf.set(id, s * perSession + p)));
  const tablets: BoardClient[] = new Array<BoardClient>(log.tablets);
  const staff: BoardClient[] = [];
  const base = `ws://127.0.0.1:${target.port}`;

  const open = (
    s: number,
    tabletOrStaff: { tablet: number } | { staff: number },
    handlers: StreamHandlers,
  ) => {
    if (target.system === 'raw') {
      return 'tablet' in tabletOrStaff
        ? new RawBoardSocket(`${base}/s${s}/tablet`, ids[s]![tabletOrStaff.tablet % perSession]!, handlers)
        : new RawBoardSocket(`${base}/s${s}/staff`, null, handlers);
    }
    const session = target.clinic.sessions[s]!;
    const cookie =
      'tablet' in tabletOrStaff
        ? session.tablets[tabletOrStaff.tablet % perSession]!.cookie
        : session.staffCookies[tabletOrStaff.staff]!;
    return new StreamSocket(
      `${base}/ws/stream/${session.streamId}`,
      { origin: CAIRN_ORIGIN, cookie },
      handlers,
    );
  };

  /** `boardOf`: the socket itself, to answer on (it exists once the handlers are made). */
  const staffHandlers = (j: number, boardOf: () => BoardClient | undefined): StreamHandlers => ({
    onEvent: (event: StreamEventFrame, at: number) => {
      const kind = KIND_OF_EVENT.get(event.type);
      if (kind === undefined) return;
      const tablet = tabletOf.get(String(event.payload.participantId));
      if (tablet === undefined) return;
      log.arrived(BoardLog.command(tablet, kind), j, at);
      const requestId = event.payload.requestId;
      const board = boardOf();
      if (
        options.acknowledge &&
        j === ANSWERING_STAFF &&
        kind === 'support' &&
        typeof requestId === 'string' &&
        board
      ) {
        log.staffAckSending(tablet);
        board.command(`answer-${String(tablet).padStart(6, '0')}`, {
          type: 'support.acknowledge',
          requestId,
        });
      }
    },
    onRejected: (id) => {
      if (id.startsWith('answer-')) log.staffAckRefused(Number(id.slice(7)));
    },
  });

  const tabletHandlers = (tablet: number): StreamHandlers => ({
    onAck: (id, at) => {
      const command = BoardLog.commandOfId(id);
      if (command !== undefined) log.acked(command, at);
    },
    onRejected: (id, reason, message) => {
      const command = BoardLog.commandOfId(id);
      if (command !== undefined) log.refused(command, reason, message);
    },
    onEvent: (event, at) => {
      if (event.type === 'support.acknowledged') log.staffAckArrived(tablet, at);
    },
  });

  const result: BoardSockets = {
    tablets,
    staff,
    connectMs: 0,
    closedByServer: () => {
      const tally: Record<string, number> = {};
      const count = (role: string, client: BoardClient | undefined) => {
        if (!client?.closedByServer) return;
        const key = `${role}: ${client.closedByServer}`;
        tally[key] = (tally[key] ?? 0) + 1;
      };
      for (const client of staff) count('staff', client);
      for (const client of tablets) count('tablet', client);
      return tally;
    },
    close() {
      for (const client of [...staff, ...tablets]) client?.close();
    },
  };
  try {
    await inBatches(ids, SESSIONS_PER_BATCH, async (session, s) => {
      const members: Promise<void>[] = [];
      for (let j = 0; j < STAFF_PER_SESSION; j++) {
        // The handlers answer on this same socket; they only run once it exists.
        const client: BoardClient = open(
          s,
          { staff: j },
          staffHandlers(j, () => client),
        );
        staff.push(client);
        members.push(client.live);
      }
      // Staff first: a board that is live before its tablets cannot miss their first events.
      await Promise.all(members);
      const tabletReady = session.map((_, p) => {
        const tablet = s * perSession + p;
        const client = open(s, { tablet }, tabletHandlers(tablet));
        tablets[tablet] = client;
        return client.live;
      });
      await Promise.all(tabletReady);
    });
  } catch (error) {
    result.close();
    throw error;
  }
  result.connectMs = performance.now() - started;
  return result;
}
