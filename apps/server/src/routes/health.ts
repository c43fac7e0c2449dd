import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';

/** Liveness says the process answers; readiness says it can do real work (the database). */
export async function healthRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await core.store.ping();
      return { status: 'ready', database: core.store.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: core.store.engine });
    }
  });
}
