/**
 * The browser's typed client for Cairn's JSON API (docs/api.md). Every call resolves — it never
 * throws — so pages handle success and failure in one `if`, and a dropped connection becomes a
 * sentence a person can act on instead of an unhandled rejection.
 */
import type {
  AcceptInviteInput,
  ApiError,
  InviteInput,
  InviteView,
  LoginInput,
  MeView,
  SessionStage,
  SetupInput,
  StaffMemberView,
  StaffRole,
} from '@cairn/domain';
import { describeWait, parseRetryAfter } from './wait.ts';

export const UNREACHABLE_MESSAGE = "Cairn can't be reached. Check the connection and try again.";

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: ApiError; retryAfterSeconds: number | null };

export type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>;

export interface StageAnswer {
  stage: SessionStage;
  user: MeView;
}

export interface EnrolStartAnswer {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface EnrolConfirmAnswer extends StageAnswer {
  recoveryCodes: string[];
}

export interface StaffListAnswer {
  staff: StaffMemberView[];
  invites: InviteView[];
}

export interface InviteCreatedAnswer {
  invite: InviteView;
  token: string;
}

export interface InviteDetails {
  email: string;
  roles: StaffRole[];
  clinicName: string;
}

export interface ClinicSettings {
  mfaRequired: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Fastify refuses an empty body labelled as JSON, so only label requests that carry one.
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    return failure(0, { error: 'unreachable', message: UNREACHABLE_MESSAGE });
  }

  const payload = await readJson(response);
  if (response.ok) return { ok: true, status: response.status, data: payload as T };

  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  if (isApiError(payload)) return failure(response.status, payload, retryAfterSeconds);
  return failure(response.status, fallbackError(response.status), retryAfterSeconds);
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function failure(status: number, error: ApiError, retryAfterSeconds: number | null = null): ApiFailure {
  return { ok: false, status, error, retryAfterSeconds };
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).error === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

/** For answers that did not come from Cairn itself (a proxy's error page, a restart). */
function fallbackError(status: number): ApiError {
  if (status === 502 || status === 503 || status === 504) {
    return { error: 'unreachable', message: UNREACHABLE_MESSAGE };
  }
  if (status === 404) {
    return {
      error: 'not_found',
      message: 'That item no longer exists. Reload the page to see the latest.',
    };
  }
  return {
    error: 'unexpected',
    message: `Something went wrong on Cairn's side (error ${status}). Try again; if it keeps happening, tell your clinic admin.`,
  };
}

/** The API's own sentence, plus how long to wait when the server asked us to slow down. */
export function errorText(result: ApiFailure): string {
  const wait = result.retryAfterSeconds;
  if (wait !== null && (result.status === 429 || result.status === 503)) {
    return `${result.error.message} You can try again in ${describeWait(wait)}.`;
  }
  return result.error.message;
}

export const api = {
  me: () => request<MeView>('GET', '/me'),
  setupStatus: () => request<{ needed: boolean }>('GET', '/setup'),
  setup: (input: SetupInput) => request<StageAnswer>('POST', '/setup', input),

  login: (input: LoginInput) => request<StageAnswer>('POST', '/auth/login', input),
  verifyMfa: (code: string) => request<StageAnswer>('POST', '/auth/mfa/verify', { code }),
  startEnrolment: () => request<EnrolStartAnswer>('POST', '/auth/mfa/enrol/start', {}),
  confirmEnrolment: (code: string) =>
    request<EnrolConfirmAnswer>('POST', '/auth/mfa/enrol/confirm', { code }),
  newRecoveryCodes: (code: string) =>
    request<{ recoveryCodes: string[] }>('POST', '/auth/mfa/recovery-codes', { code }),
  logout: () => request<void>('POST', '/auth/logout', {}),
  logoutEverywhere: () => request<void>('POST', '/auth/logout-everywhere', {}),

  staff: () => request<StaffListAnswer>('GET', '/staff'),
  createInvite: (input: InviteInput) => request<InviteCreatedAnswer>('POST', '/staff/invites', input),
  revokeInvite: (id: string) => request<void>('DELETE', `/staff/invites/${encodeURIComponent(id)}`),
  setRoles: (staffId: string, roles: StaffRole[]) =>
    request<StaffMemberView>('PUT', `/staff/${encodeURIComponent(staffId)}/roles`, { roles }),

  clinicSettings: () => request<ClinicSettings>('GET', '/clinic/settings'),
  updateClinicSettings: (input: ClinicSettings) =>
    request<ClinicSettings>('PATCH', '/clinic/settings', input),

  inspectInvite: (token: string) => request<InviteDetails>('POST', '/invites/inspect', { token }),
  acceptInvite: (input: AcceptInviteInput) => request<StageAnswer>('POST', '/invites/accept', input),
};
