/**
 * `GET /ws/doc/:docId` — one WebSocket per document, speaking the y-websocket protocol, so the
 * stock `WebsocketProvider` connects with `new WebsocketProvider(origin + '/ws/doc', docId, doc)`.
 * Everything is decided before the upgrade: the Origin (app-wide hook), the session cookie,
 * and the document's access rule. A refusal is an HTTP answer — 401, 404 — and no socket.
 */
import { isCoreError, notesSigned, type CoreContext, type OpenedDocument, type Viewer } from '@cairn/core';
import { CLOSE_CODES } from '@cairn/sync';
import type { FastifyInstance } from 'fastify';
import { viewerOf } from '../http/viewer.ts';
import { serveDocSocket, type DocSocketLimits } from './doc-connection.ts';
import type { DocRooms } from './doc-rooms.ts';
import type { RevocationSweeper } from './revocation-sweeper.ts';
import { refuseTokenInUrl, sessionCheck } from './socket-auth.ts';
import type { UpdateGuard } from './update-guard.ts';

/** Decides access to a document; `openDocument` from core, or a stricter wrapper in tests. */
export type AuthorizeDocument = (
  core: CoreContext,
  viewer: Viewer | null,
  docId: string,
) => Promise<OpenedDocument>;

export interface DocRouteOptions {
  core: CoreContext;
  authorize: AuthorizeDocument;
  rooms: DocRooms;
  guard: UpdateGuard;
  sweeper: RevocationSweeper;
  limits: DocSocketLimits;
}

/** Whether a writer's access dropped to read because the circle notes were signed. */
function signedMeanwhile(core: CoreContext, before: OpenedDocument, now: OpenedDocument): Promise<boolean> {
  const { kind, streamId } = before.document;
  if (kind !== 'circle_notes' || streamId === null || before.access !== 'write' || now.access !== 'read')
    return Promise.resolve(false);
  return notesSigned(core, streamId);
}

const opened = new WeakMap<object, { viewer: Viewer; document: OpenedDocument }>();

export async function docRoutes(app: FastifyInstance, options: DocRouteOptions): Promise<void> {
  const { core, rooms, guard, sweeper, limits, authorize } = options;
  app.get<{ Params: { docId: string } }>(
    '/ws/doc/:docId',
    {
      websocket: true,
      schema: {
        params: {
          type: 'object',
          properties: { docId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
          required: ['docId'],
        },
      },
      preValidation: async (request) => {
        refuseTokenInUrl(request.url);
        const viewer = await viewerOf(core, request);
        const document = await authorize(core, viewer, request.params.docId);
        opened.set(request, { viewer: viewer!, document });
      },
    },
    (socket, request) => {
      const grant = opened.get(request)!;
      let unwatch: () => void = () => undefined;
      const member = serveDocSocket(socket, grant.viewer, grant.document, {
        rooms,
        guard,
        limits,
        log: request.log,
        onClose: () => unwatch(),
        stillSignedIn: sessionCheck(core, grant.viewer.session.id),
      });
      const { viewer, document } = grant;
      unwatch = sweeper.watch(
        viewer.session.id,
        viewer.user.id,
        (code, reason) => member.close(code, reason),
        // A session's document (a prompt deck) is granted by the viewer's roles in its group:
        // removal from the group's staff, or a change of what they may do, closes the socket
        // within one sweep; they reopen with what they may do now.
        document.document.streamId === null
          ? undefined
          : {
              key: `doc:${document.document.id}:${viewer.user.id}:${document.access}`,
              stillAllowed: () =>
                authorize(core, viewer, document.document.id).then(
                  async (now) => {
                    if (now.access === document.access) return true;
                    // Notes signed through another instance: every writer here reopens
                    // read-only (`reopen`, which the stock client follows), not "forbidden".
                    if (await signedMeanwhile(core, document, now)) {
                      rooms.loadedRoom(document.document.id)?.freeze(CLOSE_CODES.reopen, 'document signed');
                      return true;
                    }
                    return false;
                  },
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
