import {
  logIn,
  logOut,
  logOutEverywhere,
  requireViewer,
  resolveViewer,
  toMeView,
  type CoreContext,
  type IssuedSession,
} from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { clearSessionCookie, isSecureContext } from '../http/session-cookie.ts';
import { issueSessionCookie, metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

/** The body answering any step that issues a session: where the person stands now. */
export async function sessionAnswer(core: CoreContext, issued: IssuedSession) {
  const viewer = await resolveViewer(core, issued.token);
  return { stage: viewer?.stage ?? issued.session.stage, user: viewer && (await toMeView(core, viewer)) };
}

export async function authRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.post('/api/v1/auth/login', async (request, reply) => {
    const issued = await logIn(core, request.body, metaOf(request));
    issueSessionCookie(request, reply, config.publicOrigin, issued);
    return sessionAnswer(core, issued);
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const viewer = await viewerOf(core, request);
    if (viewer) await logOut(core, viewer, metaOf(request));
    clearSessionCookie(reply, isSecureContext(request, config.publicOrigin));
    // Shared clinic tablets: leave nothing behind for the next person (ASVS 14.3.1).
    reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    return reply.code(204).send();
  });

  app.post('/api/v1/auth/logout-everywhere', async (request, reply) => {
    const viewer = requireViewer(await viewerOf(core, request));
    await logOutEverywhere(core, viewer, metaOf(request));
    clearSessionCookie(reply, isSecureContext(request, config.publicOrigin));
    reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    return reply.code(204).send();
  });

  app.get('/api/v1/me', async (request) => {
    const viewer = requireViewer(await viewerOf(core, request));
    return toMeView(core, viewer);
  });
}
