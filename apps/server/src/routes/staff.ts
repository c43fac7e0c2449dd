import { changeStaffRoles, inviteStaff, listStaff, revokeInvite } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { issueSessionCookie, metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

interface IdParams {
  id: string;
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
  required: ['id'],
} as const;

export async function staffRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.get('/api/v1/staff', async (request) => listStaff(core, await viewerOf(core, request)));

  app.post('/api/v1/staff/invites', async (request, reply) => {
    const created = await inviteStaff(core, await viewerOf(core, request), request.body, metaOf(request));
    return reply.code(201).send(created);
  });

  app.delete<{ Params: IdParams }>(
    '/api/v1/staff/invites/:id',
    { schema: { params: idParams } },
    async (request, reply) => {
      await revokeInvite(core, await viewerOf(core, request), request.params.id, metaOf(request));
      return reply.code(204).send();
    },
  );

  app.put<{ Params: IdParams }>(
    '/api/v1/staff/:id/roles',
    { schema: { params: idParams } },
    async (request, reply) => {
      const change = await changeStaffRoles(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.body,
        metaOf(request),
      );
      if (change.reissued) issueSessionCookie(request, reply, config.publicOrigin, change.reissued);
      return change.member;
    },
  );
}
