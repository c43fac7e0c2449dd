/**
 * Mounts the built SvelteKit app (adapter-node's handler) behind every GET/HEAD that no API
 * route claimed, so pages, API and sockets share one origin, one port and one cookie.
 * The viewer is resolved here and handed to SvelteKit's hooks on the raw request, so page
 * guards and the API agree on who is signed in without a second lookup path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSetupNeeded, toMeView } from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { viewerOf } from './http/viewer.ts';
import type { Services } from './services.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export const VIEWER_KEY = Symbol.for('cairn.viewer');
export const SETUP_NEEDED_KEY = Symbol.for('cairn.setupNeeded');

export const WEB_BUILD_HANDLER = fileURLToPath(new URL('../../web/build/handler.js', import.meta.url));

export async function loadWebHandler(): Promise<NodeHandler> {
  if (!existsSync(WEB_BUILD_HANDLER)) {
    throw new Error(`The web app is not built (${WEB_BUILD_HANDLER} is missing). Run "pnpm build" first.`);
  }
  const module = (await import(WEB_BUILD_HANDLER)) as { handler: NodeHandler };
  return module.handler;
}

export async function webRoutes(
  app: FastifyInstance,
  services: Services & { handler: NodeHandler },
): Promise<void> {
  const { core, handler } = services;
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: async (request, reply) => {
      const viewer = await viewerOf(core, request);
      const raw = request.raw as IncomingMessage & Record<symbol, unknown>;
      raw[VIEWER_KEY] = viewer ? await toMeView(core, viewer) : null;
      raw[SETUP_NEEDED_KEY] = viewer ? false : await isSetupNeeded(core);
      reply.hijack();
      handler(request.raw, reply.raw, () => {
        reply.raw.statusCode = 404;
        reply.raw.end('Not found');
      });
    },
  });
}
