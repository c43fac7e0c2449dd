/**
 * Home access for participants (docs/participant-access.md, docs/api.md "Home access"): a
 * facilitator issues a printable access card; the participant signs in with it on their phone.
 * The code travels in a POST body only; a query string on these routes is refused (BI-J6).
 */
import { homeMe, homeSignIn, homeSignOut, issueAccessCard, resolveHomeViewer } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import {
  CLEAR_SITE_DATA,
  clearParticipantCookies,
  homeViewerOf,
  setParticipantCookie,
} from '../http/participant-cookies.ts';
import { metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';
import { refuseQueryString } from './tablets.ts';

const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;

export async function homeRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.addHook('onRequest', async (request) => refuseQueryString(request));

  app.post<{ Params: { id: string; pid: string } }>(
    '/api/v1/groups/:id/participants/:pid/access-card',
    { schema: { params: { type: 'object', properties: { id: ID, pid: ID }, required: ['id', 'pid'] } } },
    async (request, reply) => {
      const card = await issueAccessCard(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.params.pid,
      );
      return reply.code(201).header('cache-control', 'no-store').send(card);
    },
  );

  app.post('/api/v1/home/sign-in', async (request, reply) => {
    const issued = await homeSignIn(core, request.body, metaOf(request));
    setParticipantCookie(request, reply, config.publicOrigin, 'home', issued.token, issued.session.expiresAt);
    const me = await homeMe(core, await resolveHomeViewer(core, issued.token));
    return reply.header('cache-control', 'no-store').send(me);
  });

  app.get('/api/v1/home/me', async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await homeMe(core, await homeViewerOf(core, request))),
  );

  app.post('/api/v1/home/sign-out', async (request, reply) => {
    await homeSignOut(core, await homeViewerOf(core, request), metaOf(request));
    clearParticipantCookies(request, reply, config.publicOrigin, ['home']);
    return reply.code(204).header('clear-site-data', CLEAR_SITE_DATA).send();
  });
}
