/**
 * buildApp wires the Fastify instance; main.ts decides when to listen. Tests build the same
 * app and drive it with inject() or on port 0.
 */
import type { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { CoreContext } from '@cairn/core';
import type { ServerConfig } from './config.ts';
import { handleError, sendError } from './http/errors.ts';
import { registerJsonBody } from './http/json-body.ts';
import { closeRefusedUpgrades, createOriginCheck } from './http/origin-check.ts';
import { createSecurityHeaders } from './http/security-headers.ts';
import { loggerOptions } from './logger.ts';
import { authRoutes } from './routes/auth.ts';
import { circleNotesRoutes } from './routes/circle-notes.ts';
import { clinicRoutes } from './routes/clinic.ts';
import { groupRoutes } from './routes/groups.ts';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.ts';
import { inviteRoutes } from './routes/invites.ts';
import { journalRoutes } from './routes/journals.ts';
import { mfaRoutes } from './routes/mfa.ts';
import { promptDeckRoutes } from './routes/prompt-decks.ts';
import { setupRoutes } from './routes/setup.ts';
import { staffRoutes } from './routes/staff.ts';
import { tabletRoutes } from './routes/tablets.ts';
import type { Services } from './services.ts';
import { realtimePlugin, type RealtimeOverrides } from './realtime/plugin.ts';
import { webRoutes, type loadWebHandler } from './web.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Largest WebSocket frame accepted (realtime documents are capped well below it). */
export const WS_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export interface BuildOptions {
  config: ServerConfig;
  core: CoreContext;
  /** The SvelteKit handler; omitted in tests and in `pnpm dev`. */
  webHandler?: Awaited<ReturnType<typeof loadWebHandler>>;
  /** Where logs go (stdout by default); tests capture them to prove they hold no PHI. */
  logStream?: Writable;
  /** Realtime tuning; tests shorten the intervals. */
  realtime?: RealtimeOverrides;
}

export async function buildApp({
  config,
  core,
  webHandler,
  logStream,
  realtime,
}: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, logStream),
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    // Invite and session ids are path parameters; cap their length and the whole URL.
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
  });
  const services: Services = { core, config };

  app.addHook('onRequest', closeRefusedUpgrades);
  app.addHook('onRequest', createSecurityHeaders(config.publicOrigin));
  app.addHook('onRequest', createOriginCheck(config.publicOrigin));
  registerJsonBody(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, 404, { error: 'not_found', message: 'That page or item does not exist.' }),
  );

  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: WS_MAX_PAYLOAD_BYTES },
    errorHandler: (error, socket, request) => {
      // A failing socket handler must close its own socket, never the process (ASVS 16.5.4).
      request.log.warn({ err: { type: error.name } }, 'websocket handler failed');
      socket.terminate();
    },
  });

  await app.register(healthRoutes, services);
  await app.register(setupRoutes, services);
  await app.register(authRoutes, services);
  await app.register(mfaRoutes, services);
  await app.register(staffRoutes, services);
  await app.register(inviteRoutes, services);
  await app.register(clinicRoutes, services);
  await app.register(groupRoutes, services);
  await app.register(tabletRoutes, services);
  await app.register(promptDeckRoutes, services);
  await app.register(circleNotesRoutes, services);
  await app.register(homeRoutes, services);
  await app.register(journalRoutes, services);
  await app.register(realtimePlugin, {
    core,
    redisUrl: config.redisUrl,
    sharedDatabase: core.store.engine === 'postgres',
    ...realtime,
  });
  if (webHandler) await app.register(webRoutes, { ...services, handler: webHandler });
  return app;
}
