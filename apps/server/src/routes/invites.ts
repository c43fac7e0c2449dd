import { acceptInvite, inspectInvite } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { issueSessionCookie, metaOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';
import { sessionAnswer } from './auth.ts';

/** The invited person's side. Tokens travel in POST bodies only, never in URLs. */
export async function inviteRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.post('/api/v1/invites/inspect', async (request) => inspectInvite(core, request.body, metaOf(request)));

  app.post('/api/v1/invites/accept', async (request, reply) => {
    const issued = await acceptInvite(core, request.body, metaOf(request));
    issueSessionCookie(request, reply, config.publicOrigin, issued);
    return reply.code(201).send(await sessionAnswer(core, issued));
  });
}
