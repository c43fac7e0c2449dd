import {
  resolveViewer,
  type CoreContext,
  type IssuedSession,
  type RequestMeta,
  type Viewer,
} from '@cairn/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSecureContext, readSessionToken, setSessionCookie } from './session-cookie.ts';

const resolved = new WeakMap<FastifyRequest, Promise<Viewer | null>>();

/** The signed-in person behind this request, resolved once per request. */
export function viewerOf(core: CoreContext, request: FastifyRequest): Promise<Viewer | null> {
  let viewer = resolved.get(request);
  if (!viewer) {
    viewer = resolveViewer(core, readSessionToken(request));
    resolved.set(request, viewer);
  }
  return viewer;
}

export function metaOf(request: FastifyRequest): RequestMeta {
  return { ip: request.ip };
}

export function issueSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  publicOrigin: string | undefined,
  issued: IssuedSession,
): void {
  setSessionCookie(reply, isSecureContext(request, publicOrigin), issued.token, issued.session.expiresAt);
}
