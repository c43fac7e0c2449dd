import { isSetupNeeded, resolveViewer, setUpClinic, toMeView } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { issueSessionCookie, metaOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

export async function setupRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.get('/api/v1/setup', async () => ({ needed: await isSetupNeeded(core) }));

  app.post('/api/v1/setup', async (request, reply) => {
    const issued = await setUpClinic(core, request.body, metaOf(request));
    issueSessionCookie(request, reply, config.publicOrigin, issued);
    const viewer = await resolveViewer(core, issued.token);
    return reply
      .code(201)
      .send({ stage: issued.session.stage, user: viewer && (await toMeView(core, viewer)) });
  });
}
