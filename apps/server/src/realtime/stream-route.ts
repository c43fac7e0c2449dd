/**
 * `GET /ws/stream/:streamId` — one WebSocket per client per session, carrying the session's
 * event stream (protocol: @cairn/sync stream-messages.ts). Everything is decided before the
 * upgrade, as for documents: the Origin (app-wide hook), the session cookie, and core's rule
 * for the stream. A refusal is an HTTP answer — 401, 404 — and no socket.
 */
import {
  CoreError,
  isCoreError,
  isTabletAdmitted,
  setStreamAnnouncer,
  type CoreContext,
  type OpenedStream,
  type TabletGrant,
  type Viewer,
} from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { tabletOf } from '../http/participant-cookies.ts';
import { viewerOf } from '../http/viewer.ts';
import type { RevocationSweeper } from './revocation-sweeper.ts';
import { refuseTokenInUrl, sessionCheck, tabletCheck } from './socket-auth.ts';
import { serveStreamSocket, type StreamSocketLimits } from './stream-connection.ts';
import type { StreamRooms } from './stream-rooms.ts';

/** Decides access to a stream; `openEventStream` from core, or a narrower one in tests. */
export type AuthorizeStream = (
  core: CoreContext,
  viewer: Viewer | null,
  streamId: string,
  /** An admitted tablet (its own cookie), considered only when no staff member is signed in. */
  tablet?: TabletGrant | null,
) => Promise<OpenedStream>;

export interface StreamRouteOptions {
  core: CoreContext;
  authorize: AuthorizeStream;
  rooms: StreamRooms;
  sweeper: RevocationSweeper;
  limits: StreamSocketLimits;
}

const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

const opened = new WeakMap<
  object,
  { viewer: Viewer; stream: OpenedStream } | { tablet: TabletGrant; stream: OpenedStream }
>();

export async function streamRoutes(app: FastifyInstance, options: StreamRouteOptions): Promise<void> {
  const { core, rooms, sweeper, limits, authorize } = options;
  // Events written by HTTP calls (a tablet asking to be admitted) reach live sockets at once.
  setStreamAnnouncer(core, (streamId, seq) => rooms.announce(streamId, seq));
  app.get<{ Params: { streamId: string } }>(
    '/ws/stream/:streamId',
    {
      websocket: true,
      schema: {
        params: {
          type: 'object',
          properties: { streamId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
          required: ['streamId'],
        },
      },
      preValidation: async (request) => {
        refuseTokenInUrl(request.url);
        const viewer = await viewerOf(core, request);
        // Hooks run before schema validation: an id that cannot exist is "not found" like any
        // other unknown id, and never reaches the database.
        if (!STREAM_ID.test(request.params.streamId)) {
          throw new CoreError('not_found', 'not_found', 'That session does not exist.');
        }
        // A staff cookie wins; a tablet cookie counts only without one (never both rights at once).
        const tablet = viewer ? null : await tabletOf(core, request);
        const stream = await authorize(core, viewer, request.params.streamId, tablet);
        opened.set(request, tablet && !viewer ? { tablet, stream } : { viewer: viewer!, stream });
      },
    },
    (socket, request) => {
      const grant = opened.get(request)!;
      let unwatch: () => void = () => undefined;
      if ('tablet' in grant) {
        const { tablet } = grant.tablet;
        const connection = serveStreamSocket(socket, grant.stream, {
          core,
          rooms,
          limits,
          log: request.log,
          onClose: () => unwatch(),
          stillSignedIn: tabletCheck(core, tablet.id),
        });
        // End session, sign-out, withdrawal or expiry closes it within one sweep on every instance.
        unwatch = sweeper.watch(
          tablet.id,
          tablet.deviceId,
          (code, reason) => connection.close(code, reason),
          undefined,
          (id, memo) => isTabletAdmitted(core, id, { sessionId: tablet.sessionId, memo }),
        );
        return;
      }
      const connection = serveStreamSocket(socket, grant.stream, {
        core,
        rooms,
        limits,
        log: request.log,
        onClose: () => unwatch(),
        stillSignedIn: sessionCheck(core, grant.viewer.session.id),
      });
      const { viewer } = grant;
      const streamId = grant.stream.stream.id;
      unwatch = sweeper.watch(
        viewer.session.id,
        viewer.user.id,
        (code, reason) => connection.close(code, reason),
        // Removal from the group's staff closes the socket within one sweep (AC-07).
        {
          key: `stream:${streamId}:${viewer.user.id}`,
          stillAllowed: () =>
            authorize(core, viewer, streamId).then(
              () => true,
              (error: unknown) => {
                if (isCoreError(error)) return false;
                throw error;
              },
            ),
        },
      );
    },
  );
}
