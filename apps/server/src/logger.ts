/**
 * Logs carry no PHI, tokens or codes: request logs keep method, path (no query string) and
 * status only; cookies and authorization headers are never serialised.
 */
import type { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';

export function loggerOptions(level: string, stream?: Writable): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      remove: true,
    },
    serializers: {
      req(request: { method: string; url: string; ip?: string }) {
        return { method: request.method, path: request.url.split('?')[0] };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
