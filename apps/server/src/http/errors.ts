/**
 * One place turns failures into HTTP answers. Clients always get an `ApiError` with a message
 * a person understands; logs get the error's type and code but never its message, because
 * database errors can quote the values (PHI) that caused them.
 */
import type { ApiError } from '@cairn/domain';
import { isCoreError, type CoreErrorKind } from '@cairn/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const STATUS_BY_KIND: Record<CoreErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthenticated: 401,
  bad_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  busy: 503,
};

const FRAMEWORK_MESSAGES: Record<number, ApiError> = {
  400: { error: 'bad_request', message: 'The request could not be read. Reload the page and try again.' },
  404: { error: 'not_found', message: 'That page or item does not exist.' },
  413: { error: 'too_large', message: 'The request is too large.' },
  415: { error: 'unsupported_media_type', message: 'Send the request as JSON (application/json).' },
  429: { error: 'rate_limited', message: 'Too many requests. Wait a moment, then try again.' },
};

export async function sendError(
  reply: FastifyReply,
  status: number,
  body: ApiError,
  retryAfterSeconds?: number,
): Promise<void> {
  if (retryAfterSeconds !== undefined) reply.header('Retry-After', String(retryAfterSeconds));
  await reply.code(status).type('application/json; charset=utf-8').send(body);
}

export async function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (isCoreError(error)) {
    const body: ApiError = { error: error.code, message: error.message };
    if (error.fields) body.fields = error.fields;
    return sendError(reply, STATUS_BY_KIND[error.kind], body, error.retryAfterSeconds);
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 500) {
    const known = FRAMEWORK_MESSAGES[status] ?? FRAMEWORK_MESSAGES[400]!;
    const body = error.message.includes('nested too deeply')
      ? { error: 'json_too_deep', message: 'The JSON body is nested too deeply.' }
      : known;
    return sendError(reply, status, body);
  }
  request.log.error(
    { err: { type: error.name, code: (error as FastifyError).code, stack: stackWithoutMessage(error) } },
    'request failed',
  );
  return sendError(reply, 500, {
    error: 'server_error',
    message: 'Something went wrong on our side. Try again; if it keeps happening, tell your clinic admin.',
  });
}

function stackWithoutMessage(error: Error): string | undefined {
  return error.stack?.split('\n').slice(1).join('\n');
}
