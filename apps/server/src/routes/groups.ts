import {
  cancelSession,
  changeConsent,
  createGroup,
  enrolParticipant,
  getGroup,
  getGroupStaff,
  getSession,
  getSessionState,
  listGroups,
  listSessions,
  rescheduleSession,
  scheduleSession,
  setGroupStaff,
  updateGroup,
  updateParticipant,
  withdrawParticipant,
} from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;

interface IdParams {
  id: string;
}
interface ParticipantParams extends IdParams {
  pid: string;
}

const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
const participantParams = {
  type: 'object',
  properties: { id: ID, pid: ID },
  required: ['id', 'pid'],
} as const;

/** Groups (cohorts), their staff, participants and sessions: see docs/api.md. */
export async function groupRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  app.get('/api/v1/groups', async (request) => ({
    groups: await listGroups(core, await viewerOf(core, request)),
  }));

  app.post('/api/v1/groups', async (request, reply) => {
    const group = await createGroup(core, await viewerOf(core, request), request.body);
    return reply.code(201).send(group);
  });

  app.get<{ Params: IdParams }>('/api/v1/groups/:id', { schema: { params: idParams } }, async (request) =>
    getGroup(core, await viewerOf(core, request), request.params.id),
  );

  app.get<{ Params: IdParams }>(
    '/api/v1/groups/:id/staff',
    { schema: { params: idParams } },
    async (request) => getGroupStaff(core, await viewerOf(core, request), request.params.id),
  );

  app.patch<{ Params: IdParams }>('/api/v1/groups/:id', { schema: { params: idParams } }, async (request) =>
    updateGroup(core, await viewerOf(core, request), request.params.id, request.body),
  );

  app.put<{ Params: IdParams }>(
    '/api/v1/groups/:id/staff',
    { schema: { params: idParams } },
    async (request) => setGroupStaff(core, await viewerOf(core, request), request.params.id, request.body),
  );

  app.post<{ Params: IdParams }>(
    '/api/v1/groups/:id/participants',
    { schema: { params: idParams } },
    async (request, reply) => {
      const participant = await enrolParticipant(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(participant);
    },
  );

  app.post<{ Params: ParticipantParams }>(
    '/api/v1/groups/:id/participants/:pid/withdraw',
    { schema: { params: participantParams } },
    async (request, reply) => {
      await withdrawParticipant(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.params.pid,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: ParticipantParams }>(
    '/api/v1/groups/:id/participants/:pid',
    { schema: { params: participantParams } },
    async (request) =>
      updateParticipant(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.params.pid,
        request.body,
      ),
  );

  app.post<{ Params: ParticipantParams }>(
    '/api/v1/groups/:id/participants/:pid/consents',
    { schema: { params: participantParams } },
    async (request) =>
      changeConsent(core, await viewerOf(core, request), request.params.id, request.params.pid, request.body),
  );

  app.get<{ Params: IdParams }>(
    '/api/v1/groups/:id/sessions',
    { schema: { params: idParams } },
    async (request) => ({
      sessions: await listSessions(core, await viewerOf(core, request), request.params.id),
    }),
  );

  app.post<{ Params: IdParams }>(
    '/api/v1/groups/:id/sessions',
    { schema: { params: idParams } },
    async (request, reply) => {
      const session = await scheduleSession(
        core,
        await viewerOf(core, request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(session);
    },
  );

  app.get<{ Params: IdParams }>('/api/v1/sessions/:id', { schema: { params: idParams } }, async (request) =>
    getSession(core, await viewerOf(core, request), request.params.id),
  );

  app.patch<{ Params: IdParams }>('/api/v1/sessions/:id', { schema: { params: idParams } }, async (request) =>
    rescheduleSession(core, await viewerOf(core, request), request.params.id, request.body),
  );

  app.post<{ Params: IdParams }>(
    '/api/v1/sessions/:id/cancel',
    { schema: { params: idParams } },
    async (request) => cancelSession(core, await viewerOf(core, request), request.params.id, request.body),
  );

  app.get<{ Params: IdParams }>(
    '/api/v1/sessions/:id/state',
    { schema: { params: idParams } },
    async (request) => getSessionState(core, await viewerOf(core, request), request.params.id),
  );
}
