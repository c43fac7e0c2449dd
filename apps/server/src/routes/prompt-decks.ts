/**
 * A session's prompt deck (see docs/api.md "Staged prompts"): `POST` opens it, making it on
 * first use, and answers with the document's id for the doc socket and the viewer's access.
 * Only the group's staff get an answer; anyone else gets 404, as for a session that does not
 * exist.
 */
import { openPromptDeck } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;
const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;

export async function promptDeckRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  app.post<{ Params: { id: string } }>(
    '/api/v1/sessions/:id/prompt-deck',
    { schema: { params: idParams } },
    async (request, reply) => {
      const deck = await openPromptDeck(core, await viewerOf(core, request), request.params.id);
      return reply.header('cache-control', 'no-store').send(deck);
    },
  );
}
