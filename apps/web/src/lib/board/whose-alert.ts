/**
 * Whose alert it is: which open support requests and urgent alerts should *sound* on this
 * staff member's screen. Every staff board shows every request; the sound goes first to the
 * participant's own co-therapist and the facilitators, and once a request escalates (nobody
 * answered within the clinic's limit) to everyone on duty. Someone off duty is never rung.
 */
import {
  byUrgency,
  supportStatus,
  type GroupStaffRole,
  type LiveAlert,
  type LiveSnapshot,
  type SupportRequest,
} from '@cairn/domain';
import { alertNotice, supportNotice, type LockScreenNotice } from './lock-screen.ts';

export interface Listener {
  userId: string;
  roles: readonly GroupStaffRole[];
  onDuty: boolean;
}

export function requestRingsFor(
  request: SupportRequest,
  assignedTo: string | null | undefined,
  me: Listener,
): boolean {
  const status = supportStatus(request);
  if (status === 'acknowledged' || !me.onDuty) return false;
  if (status === 'escalated') return true;
  return assignedTo === me.userId || me.roles.includes('facilitator');
}

/**
 * An urgent alert (a "yes" to the self-harm question) rings for every clinician on duty: there
 * is no escalation step for alerts, so it starts where a request ends up.
 */
export function alertRingsFor(alert: LiveAlert, me: Listener): boolean {
  return alert.severity === 'urgent' && alert.acknowledgedAt === null && me.onDuty && me.roles.length > 0;
}

/** Something sounding for `me`; `key` changes with its state, so an escalation notifies again. */
export interface Ringing {
  key: string;
  seat: number;
  notice: LockScreenNotice;
}

/** Everything that should be sounding for `me` right now, support requests first. */
export function ringingFor(live: LiveSnapshot, me: Listener): Ringing[] {
  const ringing: Ringing[] = [];
  for (const request of byUrgency(live.support.values())) {
    if (!requestRingsFor(request, live.assignments[request.participantId], me)) continue;
    const key = `${request.requestId}:${supportStatus(request)}`;
    ringing.push({ key, seat: request.seat, notice: supportNotice(request) });
  }
  for (const alert of live.alerts.values()) {
    if (alertRingsFor(alert, me))
      ringing.push({ key: alert.alertId, seat: alert.seat, notice: alertNotice(alert) });
  }
  return ringing;
}
