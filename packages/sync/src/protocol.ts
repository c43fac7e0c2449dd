/**
 * Facts about Cairn's realtime transport that the server and the browser must agree on.
 * The message schemas of the session event stream join this package with the realtime core.
 */

/** Every WebSocket endpoint lives under this prefix (the dev server proxies it to Fastify). */
export const REALTIME_PATH_PREFIX = '/ws';

/** Application close codes (4000–4999 are ours by RFC 6455). */
export const CLOSE_CODES = {
  /** The session ended (logout, expiry, revocation): sign in again, do not retry blindly. */
  signedOut: 4401,
  /** Not allowed to open or keep this resource. */
  forbidden: 4403,
  /** The client sent something malformed; reconnecting with the same data will fail again. */
  badMessage: 4400,
  /** The server is restarting: reconnect with backoff. */
  restarting: 4503,
  /**
   * What this socket may do changed under it (the circle notes were signed: writing stopped):
   * reconnect, and the new socket has the access that holds now (read-only). Outside 4400–4499,
   * so the stock y-websocket client reconnects by itself instead of giving up.
   */
  reopen: 4210,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
