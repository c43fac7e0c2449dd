/**
 * Every refusal a use-case can give. Core knows nothing of HTTP; apps/server maps `kind` to a
 * status code in one place. `message` is shown to people, so it says what happened and what
 * to do next, and never contains PHI, tokens or codes.
 */
export type CoreErrorKind =
  | 'invalid' // malformed input: unknown fields, wrong shape (400)
  | 'unprocessable' // well-formed but unacceptable values, named per field (422)
  | 'unauthenticated' // no valid session (401)
  | 'bad_credentials' // wrong password/code (401)
  | 'forbidden' // signed in, but not allowed (403)
  | 'not_found' // absent or not yours: the same answer (404)
  | 'conflict' // the state does not allow it (409)
  | 'rate_limited' // slow down (429)
  | 'busy'; // the server protects itself (503)

export class CoreError extends Error {
  readonly kind: CoreErrorKind;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: CoreErrorKind,
    code: string,
    message: string,
    extra: { fields?: Record<string, string>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'CoreError';
    this.kind = kind;
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}
