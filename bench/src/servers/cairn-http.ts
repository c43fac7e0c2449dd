/**
 * A browser's side of Cairn's HTTP API for the board setup: Origin on every request and a
 * cookie jar, because a tablet holds two cookies (its sign-in and its device id) and staff one
 * that MFA enrolment replaces. Loopback only; every request has a timeout.
 */
import { CAIRN_ORIGIN } from './cairn-setup.ts';

const REQUEST_TIMEOUT_MS = 15_000;

export class CairnBrowser {
  readonly #port: number;
  readonly #jar = new Map<string, string>();

  constructor(port: number) {
    this.#port = port;
  }

  /** The Cookie header this browser sends (what its sockets send too). */
  get cookie(): string {
    return [...this.#jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(route: string): Promise<Record<string, unknown>> {
    return this.#request('GET', route, undefined);
  }

  post(route: string, body: unknown = {}): Promise<Record<string, unknown>> {
    return this.#request('POST', route, body);
  }

  put(route: string, body: unknown): Promise<Record<string, unknown>> {
    return this.#request('PUT', route, body);
  }

  async #request(method: string, route: string, body: unknown): Promise<Record<string, unknown>> {
    const cookie = this.cookie;
    const response = await fetch(`http://127.0.0.1:${this.#port}${route}`, {
      method,
      headers: {
        origin: CAIRN_ORIGIN,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '') this.#jar.delete(name);
      else this.#jar.set(name, value);
    }
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok)
      throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
    return json;
  }
}
