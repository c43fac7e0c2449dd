/**
 * The session cookie. Behind HTTPS it carries the `__Host-` prefix, which browsers only accept
 * with Secure, Path=/ and no Domain: it cannot be set by a sibling subdomain.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const SECURE_NAME = '__Host-cairn_session';
const PLAIN_NAME = 'cairn_session';

export function isSecureContext(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  return publicOrigin ? publicOrigin.startsWith('https://') : request.protocol === 'https';
}

export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[SECURE_NAME] ?? request.cookies[PLAIN_NAME];
}

export function setSessionCookie(reply: FastifyReply, secure: boolean, token: string, expiresAt: Date): void {
  reply.setCookie(secure ? SECURE_NAME : PLAIN_NAME, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(secure ? SECURE_NAME : PLAIN_NAME, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}
