/**
 * Cross-site request forgery and cross-site WebSocket hijacking defence, for every path:
 * any request that can change state (every method but GET/HEAD/OPTIONS) and every WebSocket
 * upgrade must come from Cairn's own origin. Browsers always send `Origin` on such requests;
 * a request with neither `Origin` nor `Sec-Fetch-Site: same-origin` is refused too (BI-A6).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWebSocketUpgrade(request: FastifyRequest): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

export function expectedOrigin(request: FastifyRequest, publicOrigin: string | undefined): string {
  return publicOrigin ?? `${request.protocol}://${request.host}`;
}

export function isSameOrigin(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin === expectedOrigin(request, publicOrigin);
  return request.headers['sec-fetch-site'] === 'same-origin';
}

export function createOriginCheck(publicOrigin: string | undefined) {
  return async function originCheck(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (SAFE_METHODS.has(request.method) && !isWebSocketUpgrade(request)) return;
    if (isSameOrigin(request, publicOrigin)) return;
    request.log.warn({ event: 'origin_rejected', method: request.method }, 'cross-origin request refused');
    await sendError(reply, 403, {
      error: 'cross_origin',
      message: 'This request did not come from Cairn itself and was refused.',
    });
  };
}

/**
 * An upgrade request answered over HTTP (403, 401, 404…) got no WebSocket; its connection
 * was already handed over for the upgrade, so nothing else may use it: close it once the
 * answer is out. An upgrade that succeeds never finishes this response.
 */
export async function closeRefusedUpgrades(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!isWebSocketUpgrade(request)) return;
  reply.header('Connection', 'close');
  reply.raw.once('finish', () => request.raw.socket?.destroy());
}
