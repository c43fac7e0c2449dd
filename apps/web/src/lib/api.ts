/**
 * The browser's typed client for Cairn's JSON API (docs/api.md). Every call resolves — it never
 * throws — so pages handle success and failure in one `if`, and a dropped connection becomes a
 * sentence a person can act on instead of an unhandled rejection.
 */
import type {
  AcceptInviteInput,
  ApiError,
  ConsentChangeInput,
  EnrolInput,
  GroupInput,
  GroupPlan,
  GroupSessionKind,
  GroupStaffInput,
  GroupStaffRole,
  InviteInput,
  InviteView,
  LoginInput,
  MeView,
  ParticipantUpdateInput,
  Route,
  SessionStage,
  SetupInput,
  StaffMemberView,
  StaffRole,
} from '@cairn/domain';
import { translateFieldErrors } from './i18n/domain-text.ts';
import { m } from './paraglide/messages.js';
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
  /** Minutes after the first dose before discharge: a clinic-configurable default, not medical advice. */
  minMinutesBeforeDischarge: number;
  /** Seconds before an unanswered support request pages everyone on duty: a clinic-configurable default. */
  supportEscalateAfterSeconds: number;
}

/** The groups API's views (docs/api.md "Groups, participants and sessions"). */
export interface GroupSummaryView {
  id: string;
  name: string;
  plan: GroupPlan;
  routeDefault: Route;
  activeParticipants: number;
  /** The viewer's roles in this group; empty for an admin who is not on its staff. */
  myRoles: GroupStaffRole[];
}

export interface GroupStaffView {
  userId: string;
  displayName: string;
  roles: GroupStaffRole[];
}

export interface ContactView {
  name: string;
  phone: string;
}

export interface ParticipantView {
  id: string;
  preferredName: string;
  pronouns: string | null;
  emergencyContact: ContactView;
  escortContact: ContactView | null;
  status: 'active' | 'withdrawn';
  enrolledAt: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  consents: { groupConfidentialityAgreement: boolean; tabletDataUse: boolean };
}

export interface GroupSessionView {
  id: string;
  groupId: string;
  kind: GroupSessionKind;
  number: number;
  scheduledStart: string;
  plannedMinutes: number;
  room: string | null;
  streamId: string;
  /** Set once the session is cancelled; it keeps its place and number. */
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface GroupView extends GroupSummaryView {
  staff: GroupStaffView[];
  participants: ParticipantView[];
  sessions: GroupSessionView[];
}

/** What POST /groups/:id/sessions takes: `scheduledStart` is an ISO date-time with an offset. */
export interface ScheduleSessionBody {
  kind: GroupSessionKind;
  scheduledStart: string;
  plannedMinutes: number;
  room?: string;
}

/** What PATCH /sessions/:id takes: any of these, `room: null` clears the room. */
export interface RescheduleSessionBody {
  scheduledStart?: string;
  plannedMinutes?: number;
  room?: string | null;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to the JSON API; other modules' typed calls (session-api.ts, tablet-api.ts) use it too. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<ApiResult<T>> {
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

/**
 * What went wrong, in the reader's language, chosen by the error's stable `code` (docs/api.md).
 * The API's own sentence is English; it is shown only for a code this app does not know yet,
 * which is still better than saying nothing. Adds how long to wait when the server asked us to
 * slow down.
 */
export function errorText(result: ApiFailure): string {
  const text = translatedError(result);
  const wait = result.retryAfterSeconds;
  if (wait !== null && (result.status === 429 || result.status === 503)) {
    return m.error_retry_after({ message: text, wait: describeWait(wait) });
  }
  return text;
}

function translatedError(result: ApiFailure): string {
  const code = result.error.error;
  if (code === 'unexpected') return m.error_unexpected({ status: result.status });
  // The password rule that failed says more than "choose a stronger password".
  const password = result.error.fields?.password;
  if (code === 'weak_password' && password) return translateFieldErrors({ password }).password!;
  // Message ids are `error_<code>`; codes are lower_snake_case, so they are valid ids as they are.
  const translate = (m as unknown as Record<string, (() => string) | undefined>)[`error_${code}`];
  return translate ? translate() : result.error.message;
}

/** The per-field messages of a refused form, in the reader's language. */
export function fieldErrors(result: ApiFailure): Record<string, string> {
  return translateFieldErrors(result.error.fields);
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
  /** Any of the settings; those left out keep their value. */
  updateClinicSettings: (input: Partial<ClinicSettings>) =>
    request<ClinicSettings>('PATCH', '/clinic/settings', input),

  inspectInvite: (token: string) => request<InviteDetails>('POST', '/invites/inspect', { token }),
  acceptInvite: (input: AcceptInviteInput) => request<StageAnswer>('POST', '/invites/accept', input),

  groups: () => request<{ groups: GroupSummaryView[] }>('GET', '/groups'),
  createGroup: (input: GroupInput) => request<GroupView>('POST', '/groups', input),
  group: (id: string) => request<GroupView>('GET', `/groups/${encodeURIComponent(id)}`),
  groupStaff: (id: string) =>
    request<{ staff: GroupStaffView[] }>('GET', `/groups/${encodeURIComponent(id)}/staff`),
  setGroupStaff: (id: string, input: GroupStaffInput) =>
    request<GroupView>('PUT', `/groups/${encodeURIComponent(id)}/staff`, input),
  enrol: (id: string, input: EnrolInput) =>
    request<ParticipantView>('POST', `/groups/${encodeURIComponent(id)}/participants`, input),
  withdraw: (id: string, participantId: string, reason: string) =>
    request<void>(
      'POST',
      `/groups/${encodeURIComponent(id)}/participants/${encodeURIComponent(participantId)}/withdraw`,
      { reason },
    ),
  groupSessions: (id: string) =>
    request<{ sessions: GroupSessionView[] }>('GET', `/groups/${encodeURIComponent(id)}/sessions`),
  scheduleSession: (id: string, input: ScheduleSessionBody) =>
    request<GroupSessionView>('POST', `/groups/${encodeURIComponent(id)}/sessions`, input),
  updateParticipant: (id: string, participantId: string, input: ParticipantUpdateInput) =>
    request<ParticipantView>(
      'PATCH',
      `/groups/${encodeURIComponent(id)}/participants/${encodeURIComponent(participantId)}`,
      input,
    ),
  changeConsent: (id: string, participantId: string, input: ConsentChangeInput) =>
    request<ParticipantView>(
      'POST',
      `/groups/${encodeURIComponent(id)}/participants/${encodeURIComponent(participantId)}/consents`,
      input,
    ),
  rescheduleSession: (sessionId: string, input: RescheduleSessionBody) =>
    request<GroupSessionView>('PATCH', `/sessions/${encodeURIComponent(sessionId)}`, input),
  cancelSession: (sessionId: string, reason: string) =>
    request<GroupSessionView>('POST', `/sessions/${encodeURIComponent(sessionId)}/cancel`, { reason }),
};
