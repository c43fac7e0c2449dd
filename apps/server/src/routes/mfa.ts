import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  startTotpEnrolment,
  verifySecondFactor,
} from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { issueSessionCookie, metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';
import { sessionAnswer } from './auth.ts';

export async function mfaRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.post('/api/v1/auth/mfa/verify', async (request, reply) => {
    const issued = await verifySecondFactor(
      core,
      await viewerOf(core, request),
      request.body,
      metaOf(request),
    );
    issueSessionCookie(request, reply, config.publicOrigin, issued);
    return sessionAnswer(core, issued);
  });

  app.post('/api/v1/auth/mfa/enrol/start', async (request) => {
    return startTotpEnrolment(core, await viewerOf(core, request));
  });

  app.post('/api/v1/auth/mfa/enrol/confirm', async (request, reply) => {
    const confirmed = await confirmTotpEnrolment(
      core,
      await viewerOf(core, request),
      request.body,
      metaOf(request),
    );
    issueSessionCookie(request, reply, config.publicOrigin, confirmed);
    return { ...(await sessionAnswer(core, confirmed)), recoveryCodes: confirmed.recoveryCodes };
  });

  app.post('/api/v1/auth/mfa/recovery-codes', async (request) => {
    const recoveryCodes = await regenerateRecoveryCodes(
      core,
      await viewerOf(core, request),
      request.body,
      metaOf(request),
    );
    return { recoveryCodes };
  });
}
