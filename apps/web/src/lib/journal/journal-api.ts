/**
 * The journal's seven routes (journal-protocol.ts, docs/api.md "Journal"). Like api.ts, every
 * call resolves and never throws; unlike it, data calls carry the unlock proof in the
 * `x-journal-proof` header, and the transport can be swapped (tests drive a real server from
 * Node, where there is no page origin or cookie jar).
 */
import {
  JOURNAL_PROOF_HEADER,
  type JournalAppend,
  type JournalBlobsView,
  type JournalCompact,
  type JournalNewPassphrase,
  type JournalSetup,
  type JournalStatusView,
  type JournalUnlock,
  type JournalUnlockMethod,
  type JournalUnlockView,
} from '@cairn/domain';
import type { ApiResult } from '../api.ts';
import { UNREACHABLE_MESSAGE } from '../api.ts';
import { toBase64Url } from './bytes.ts';
import { parseRetryAfter } from '../wait.ts';

export interface JournalTransport {
  /** Prefix of every path, `/api/v1` in the browser. */
  baseUrl: string;
  fetch: typeof fetch;
  /** Extra headers on every request (a test's Origin and session cookie). */
  headers?: () => Record<string, string>;
}

export const browserTransport: JournalTransport = {
  baseUrl: '/api/v1',
  fetch: (input, init) => fetch(input, init),
};

/** The proof a data request carries: which secret, and its 32 bytes. */
export interface JournalProof {
  method: JournalUnlockMethod;
  proof: Uint8Array;
}

type Method = 'GET' | 'POST' | 'PUT';

export class JournalApi {
  constructor(private readonly transport: JournalTransport = browserTransport) {}

  status(signal?: AbortSignal) {
    return this.call<JournalStatusView>('GET', '/journal', undefined, null, signal);
  }

  /** The answer carries the new journal's id (JournalStatusView). */
  setUp(body: JournalSetup) {
    return this.call<JournalStatusView>('PUT', '/journal', body, null);
  }

  unlock(body: JournalUnlock) {
    return this.call<JournalUnlockView>('POST', '/journal/unlock', body, null);
  }

  newPassphrase(body: JournalNewPassphrase, proof: JournalProof) {
    return this.call<unknown>('POST', '/journal/passphrase', body, proof);
  }

  append(body: JournalAppend, proof: JournalProof, signal?: AbortSignal) {
    return this.call<unknown>('POST', '/journal/blobs', body, proof, signal);
  }

  blobsAfter(seq: number, proof: JournalProof, signal?: AbortSignal) {
    return this.call<JournalBlobsView>('GET', `/journal/blobs/after/${seq}`, undefined, proof, signal);
  }

  compact(body: JournalCompact, proof: JournalProof, signal?: AbortSignal) {
    return this.call<unknown>('POST', '/journal/compact', body, proof, signal);
  }

  private async call<T>(
    method: Method,
    path: string,
    body: unknown,
    proof: JournalProof | null,
    signal?: AbortSignal,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.transport.headers?.() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (proof !== null) headers[JOURNAL_PROOF_HEADER] = `${proof.method}.${toBase64Url(proof.proof)}`;
    let response: Response;
    try {
      response = await this.transport.fetch(`${this.transport.baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        // Journal answers are ciphertext or key material: never from or into the HTTP cache.
        cache: 'no-store',
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch {
      return {
        ok: false,
        status: 0,
        error: { error: 'unreachable', message: UNREACHABLE_MESSAGE },
        retryAfterSeconds: null,
      };
    }
    let payload: unknown;
    try {
      payload = response.status === 204 ? undefined : await response.json();
    } catch {
      payload = undefined;
    }
    if (response.ok) return { ok: true, status: response.status, data: payload as T };
    const error =
      typeof payload === 'object' &&
      payload !== null &&
      typeof (payload as { error?: unknown }).error === 'string'
        ? (payload as { error: string; message: string })
        : {
            error: response.status >= 500 ? 'unreachable' : 'unexpected',
            message: `HTTP ${response.status}`,
          };
    return {
      ok: false,
      status: response.status,
      error: { error: error.error, message: String(error.message ?? '') },
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    };
  }
}
