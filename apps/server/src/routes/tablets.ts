/**
 * Tablets in the room (see docs/api.md "Tablets"): staff make join codes, see, admit, reject
 * and end tablets; a tablet redeems a code, picks a name, asks who it is, and signs out. Codes
 * travel in POST bodies only: any query string on these routes is refused before a handler
 * runs, and logs never keep query strings anyway (BI-J6).
 */
import {
  claimParticipant,
  createJoinCode,
  decideTablet,
  endSessionTablets,
  listTablets,
  redeemJoinCode,
  signOutTablet,
  tabletMe,
} from '@cairn/core';
import { CoreError } from '@cairn/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CLEAR_SITE_DATA,
  clearParticipantCookies,
  deviceKeyOf,
  setParticipantCookie,
  tabletOf,
} from '../http/participant-cookies.ts';
import { metaOf, viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;
const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
const deviceParams = {
  type: 'object',
  properties: { id: ID, deviceId: ID },
  required: ['id', 'deviceId'],
} as const;

/** BI-J6: nothing on these routes is read from a URL, so a query string is a mistake or a leak. */
export function refuseQueryString(request: FastifyRequest): void {
  if (request.url.includes('?')) {
    throw new CoreError(
      'invalid',
      'code_in_url',
      'Codes are never accepted in a web address. Type the code in the form.',
    );
  }
}

export async function tabletRoutes(app: FastifyInstance, { core, config }: Services): Promise<void> {
  app.addHook('onRequest', async (request) => refuseQueryString(request));

  // --- Staff

  app.post<{ Params: { id: string } }>(
    '/api/v1/sessions/:id/join-codes',
    { schema: { params: idParams } },
    async (request, reply) => {
      const issued = await createJoinCode(core, await viewerOf(core, request), request.params.id);
      return reply.code(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/sessions/:id/tablets',
    { schema: { params: idParams } },
    async (request) => ({
      tablets: await listTablets(core, await viewerOf(core, request), request.params.id),
    }),
  );

  for (const decision of ['admit', 'reject'] as const) {
    app.post<{ Params: { id: string; deviceId: string } }>(
      `/api/v1/sessions/:id/tablets/:deviceId/${decision}`,
      { schema: { params: deviceParams } },
      async (request) =>
        decideTablet(
          core,
          await viewerOf(core, request),
          request.params.id,
          request.params.deviceId,
          decision,
        ),
    );
  }

  app.post<{ Params: { id: string } }>(
    '/api/v1/sessions/:id/end-tablets',
    { schema: { params: idParams } },
    async (request) => endSessionTablets(core, await viewerOf(core, request), request.params.id),
  );

  // --- The tablet (no staff cookie)

  app.post('/api/v1/tablet/redeem', async (request, reply) => {
    const deviceKey = deviceKeyOf(request, reply, config.publicOrigin);
    const { issued, view } = await redeemJoinCode(core, request.body, { ...metaOf(request), deviceKey });
    setParticipantCookie(
      request,
      reply,
      config.publicOrigin,
      'tablet',
      issued.token,
      issued.tablet.expiresAt,
    );
    return reply.header('cache-control', 'no-store').send(view);
  });

  app.post('/api/v1/tablet/claim', async (request) =>
    claimParticipant(core, await tabletOf(core, request), request.body),
  );

  app.get('/api/v1/tablet/me', async (request, reply) => {
    deviceKeyOf(request, reply, config.publicOrigin);
    return reply
      .header('cache-control', 'no-store')
      .send(await tabletMe(core, await tabletOf(core, request)));
  });

  app.post('/api/v1/tablet/sign-out', async (request, reply) => {
    await signOutTablet(core, await tabletOf(core, request), metaOf(request));
    clearParticipantCookies(request, reply, config.publicOrigin, ['tablet']);
    return reply.code(204).header('clear-site-data', CLEAR_SITE_DATA).send();
  });
}
