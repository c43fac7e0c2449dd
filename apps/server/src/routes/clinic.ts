import { readAuditLog, readClinicSettings, requireRole, updateClinicSettings } from '@cairn/core';
import { canReadAuditLog } from '@cairn/domain';
import type { FastifyInstance } from 'fastify';
import { metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    before: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
} as const;

export async function clinicRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  app.get('/api/v1/clinic/settings', async (request) => readClinicSettings(await viewerOf(core, request)));

  app.patch('/api/v1/clinic/settings', async (request) =>
    updateClinicSettings(core, await viewerOf(core, request), request.body, metaOf(request)),
  );

  app.get<{ Querystring: { before?: number; limit: number } }>(
    '/api/v1/audit',
    { schema: { querystring: auditQuery } },
    async (request) => {
      const viewer = await requireRole(core, await viewerOf(core, request), canReadAuditLog, 'audit.read');
      const options =
        request.query.before === undefined
          ? { limit: request.query.limit }
          : { beforeSeq: request.query.before, limit: request.query.limit };
      return readAuditLog(core, viewer.clinic.id, options);
    },
  );
}
