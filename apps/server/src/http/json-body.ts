/**
 * The only body format the API accepts is JSON. Every other content type is a 415, so no
 * parser we did not choose ever sees a body (BI-A5). Bodies are capped in bytes by Fastify's
 * bodyLimit and in nesting depth here, before JSON.parse (BI-A4); `__proto__` and
 * `constructor.prototype` keys are refused by Fastify's secure parser.
 */
import type { FastifyInstance } from 'fastify';

export const MAX_JSON_DEPTH = 32;

/** Depth of brackets outside strings, stopping as soon as the limit is passed. */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function registerJsonBody(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
      const error = Object.assign(new Error('The JSON body is nested too deeply.'), {
        statusCode: 400,
        code: 'json_too_deep',
      });
      done(error, undefined);
      return;
    }
    secureParse(request, text, done);
  });
}
