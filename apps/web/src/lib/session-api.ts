/**
 * The JSON API calls of a running session (docs/api.md "Groups, participants and sessions",
 * "Tablets", "Home access"), typed for the pages that make them. Phase and state changes are
 * not here: they are commands on the session's stream (session-stream.svelte.ts).
 */
import type { ParticipantState, SessionPhase } from '@cairn/domain';
import { request, type GroupSessionView } from './api.ts';

export interface SessionSeatView {
  participantId: string;
  preferredName: string;
  seat: number;
  state: ParticipantState;
  firstDosedAt: string | null;
}

export interface SessionStateView {
  session: GroupSessionView;
  phase: SessionPhase;
  paused: boolean;
  abortedReason: string | null;
  participants: SessionSeatView[];
  seq: number;
}

export type TabletState = 'pending' | 'awaiting_admission' | 'admitted' | 'rejected' | 'ended';

export interface TabletView {
  deviceId: string;
  state: TabletState;
  participant: { id: string; preferredName: string } | null;
  since: string;
}

export interface JoinCode {
  code: string;
  expiresAt: string;
  qrDataUrl: string;
}

export interface NameChoice {
  id: string;
  preferredName: string;
}

export interface TabletMe {
  state: TabletState;
  groupName: string;
  participants?: NameChoice[];
  participant?: NameChoice;
  session?: { id: string; streamId: string; kind: GroupSessionView['kind']; number: number };
}

export interface AccessCard {
  code: string;
  issuedAt: string;
}

export interface HomeMe {
  preferredName: string;
  groupName: string;
  upcomingSessions: Array<{ kind: GroupSessionView['kind']; number: number; scheduledStart: string }>;
}

const s = (id: string) => `/sessions/${encodeURIComponent(id)}`;

export const sessionApi = {
  state: (id: string) => request<SessionStateView>('GET', `${s(id)}/state`),
  createJoinCode: (id: string) => request<JoinCode>('POST', `${s(id)}/join-codes`),
  tablets: (id: string) => request<{ tablets: TabletView[] }>('GET', `${s(id)}/tablets`),
  admit: (id: string, deviceId: string) =>
    request<TabletView>('POST', `${s(id)}/tablets/${encodeURIComponent(deviceId)}/admit`),
  reject: (id: string, deviceId: string) =>
    request<TabletView>('POST', `${s(id)}/tablets/${encodeURIComponent(deviceId)}/reject`),
  endTablets: (id: string) => request<{ tabletsEnded: number }>('POST', `${s(id)}/end-tablets`),
  issueAccessCard: (groupId: string, participantId: string) =>
    request<AccessCard>(
      'POST',
      `/groups/${encodeURIComponent(groupId)}/participants/${encodeURIComponent(participantId)}/access-card`,
    ),
};

export const tabletApi = {
  me: () => request<TabletMe>('GET', '/tablet/me'),
  redeem: (code: string) =>
    request<{ groupName: string; participants: NameChoice[] }>('POST', '/tablet/redeem', { code }),
  claim: (participantId: string) => request<TabletMe>('POST', '/tablet/claim', { participantId }),
  signOut: () => request<undefined>('POST', '/tablet/sign-out'),
};

export const homeApi = {
  me: () => request<HomeMe>('GET', '/home/me'),
  signIn: (code: string) => request<HomeMe>('POST', '/home/sign-in', { code }),
  signOut: () => request<undefined>('POST', '/home/sign-out'),
};
