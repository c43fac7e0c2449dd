/**
 * The live room as a session's stream tells it, beyond phases and states: support requests,
 * alerts, follow-up tasks, check-ins, co-therapist assignments and tablet presence. The server
 * folds it to decide (one open request per person, what to escalate, what blocks discharge),
 * the board to draw its tiles, a tablet to show "someone is coming" — one fold for all three.
 * Pure; each screen folds only the events it may see, and an event it does not know (or a
 * malformed one) leaves the snapshot as it is.
 */
import { applySupportEvent, supportStatus, type SupportRequests } from './support-requests.ts';
import type { FoldableEvent } from './session-projection.ts';

export type AlertKind = 'self_harm' | 'medical_review' | 'private_talk';
export type AlertSeverity = 'urgent' | 'attention' | 'info';

export interface LiveAlert {
  alertId: string;
  participantId: string;
  seat: number;
  kind: AlertKind;
  severity: AlertSeverity;
  /** ISO times, from the events' own times. */
  raisedAt: string;
  acknowledgedAt: string | null;
  /** The staff member who acknowledged it first. */
  acknowledgedBy: string | null;
}

export interface LiveTask {
  taskId: string;
  participantId: string;
  seat: number;
  kind: 'safety_follow_up';
  /** The alert that opened it. */
  alertId: string;
  openedAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

/** One item's latest answer and the answer before it, for the board's ↑ ↓ =. */
export interface CheckInItemAnswer {
  value: unknown;
  /** The same item's answer at the participant's check-in before; undefined if none. */
  previous: unknown;
  moment: string;
  at: string;
}

export interface ParticipantCheckIns {
  /** The latest check-in's time and moment. */
  latestAt: string;
  latestMoment: string;
  /** By item id: the latest answer the participant gave to it (a skipped item keeps the older). */
  items: Readonly<Record<string, CheckInItemAnswer>>;
}

export interface TabletPresence {
  online: boolean;
  /** When the tablet last came online or went offline. */
  lastSeenAt: string;
}

export interface LiveSnapshot {
  support: SupportRequests;
  /**
   * By request id: the seq of its `support.requested` (when the events carry seqs): a second
   * tap while a request is open is answered with it.
   */
  requestSeqs: ReadonlyMap<string, number>;
  alerts: ReadonlyMap<string, LiveAlert>;
  tasks: ReadonlyMap<string, LiveTask>;
  /** By participant id. */
  checkIns: Readonly<Record<string, ParticipantCheckIns>>;
  /** By participant id: the co-therapist's user id; null (or absent): nobody in particular. */
  assignments: Readonly<Record<string, string | null>>;
  /** By participant id; absent: their tablet never connected in this session. */
  presence: Readonly<Record<string, TabletPresence>>;
}

export function initialLive(): LiveSnapshot {
  return {
    support: new Map(),
    requestSeqs: new Map(),
    alerts: new Map(),
    tasks: new Map(),
    checkIns: {},
    assignments: {},
    presence: {},
  };
}

type LiveEvent = FoldableEvent & { actorId: string; seq?: number };

const iso = (at: string | Date) => (typeof at === 'string' ? at : at.toISOString());
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const isSeat = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

const ALERT_KINDS: readonly string[] = ['self_harm', 'medical_review', 'private_talk'];
const SEVERITIES: readonly string[] = ['urgent', 'attention', 'info'];

function applyAlertEvent(alerts: LiveSnapshot['alerts'], event: LiveEvent): LiveSnapshot['alerts'] {
  const alertId = text(event.payload['alertId']);
  if (alertId === null) return alerts;
  const known = alerts.get(alertId);
  if (event.type === 'alert.raised') {
    const { participantId, seat, kind, severity } = event.payload;
    if (known || text(participantId) === null || !isSeat(seat)) return alerts;
    if (!ALERT_KINDS.includes(kind as string) || !SEVERITIES.includes(severity as string)) return alerts;
    return new Map(alerts).set(alertId, {
      alertId,
      participantId: participantId as string,
      seat,
      kind: kind as AlertKind,
      severity: severity as AlertSeverity,
      raisedAt: iso(event.at),
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
  }
  // The first acknowledgement counts; a second person pressing it changes nothing.
  if (!known || known.acknowledgedAt !== null) return alerts;
  return new Map(alerts).set(alertId, {
    ...known,
    acknowledgedAt: iso(event.at),
    acknowledgedBy: event.actorId,
  });
}

function applyTaskEvent(tasks: LiveSnapshot['tasks'], event: LiveEvent): LiveSnapshot['tasks'] {
  const taskId = text(event.payload['taskId']);
  if (taskId === null) return tasks;
  const known = tasks.get(taskId);
  if (event.type === 'task.opened') {
    const { participantId, seat, kind, alertId } = event.payload;
    if (known || text(participantId) === null || !isSeat(seat) || kind !== 'safety_follow_up') return tasks;
    if (text(alertId) === null) return tasks;
    return new Map(tasks).set(taskId, {
      taskId,
      participantId: participantId as string,
      seat,
      kind,
      alertId: alertId as string,
      openedAt: iso(event.at),
      completedAt: null,
      completedBy: null,
    });
  }
  if (!known || known.completedAt !== null) return tasks;
  return new Map(tasks).set(taskId, { ...known, completedAt: iso(event.at), completedBy: event.actorId });
}

function applyCheckIn(checkIns: LiveSnapshot['checkIns'], event: LiveEvent): LiveSnapshot['checkIns'] {
  const { participantId, moment, answers } = event.payload;
  if (text(participantId) === null || text(moment) === null) return checkIns;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return checkIns;
  const id = participantId as string;
  const at = iso(event.at);
  const before = checkIns[id]?.items ?? {};
  const items: Record<string, CheckInItemAnswer> = { ...before };
  for (const [item, value] of Object.entries(answers as Record<string, unknown>)) {
    items[item] = { value, previous: before[item]?.value, moment: moment as string, at };
  }
  return { ...checkIns, [id]: { latestAt: at, latestMoment: moment as string, items } };
}

/** `live` after `event` (a new object when something changed; the input is not changed). */
export function applyLiveEvent(live: LiveSnapshot, event: LiveEvent): LiveSnapshot {
  switch (event.type) {
    case 'support.requested':
    case 'support.escalated':
    case 'support.acknowledged': {
      const support = applySupportEvent(live.support, event);
      if (support === live.support) return live;
      const requestId = event.payload['requestId'] as string;
      if (event.type !== 'support.requested' || typeof event.seq !== 'number') return { ...live, support };
      return { ...live, support, requestSeqs: new Map(live.requestSeqs).set(requestId, event.seq) };
    }
    case 'alert.raised':
    case 'alert.acknowledged': {
      const alerts = applyAlertEvent(live.alerts, event);
      return alerts === live.alerts ? live : { ...live, alerts };
    }
    case 'task.opened':
    case 'task.completed': {
      const tasks = applyTaskEvent(live.tasks, event);
      return tasks === live.tasks ? live : { ...live, tasks };
    }
    case 'checkin.submitted': {
      const checkIns = applyCheckIn(live.checkIns, event);
      return checkIns === live.checkIns ? live : { ...live, checkIns };
    }
    case 'participant.assigned': {
      const participantId = text(event.payload['participantId']);
      const userId = event.payload['userId'];
      if (participantId === null || (userId !== null && text(userId) === null)) return live;
      return { ...live, assignments: { ...live.assignments, [participantId]: userId as string | null } };
    }
    case 'tablet.presence': {
      const participantId = text(event.payload['participantId']);
      const online = event.payload['online'];
      if (participantId === null || typeof online !== 'boolean') return live;
      return {
        ...live,
        presence: { ...live.presence, [participantId]: { online, lastSeenAt: iso(event.at) } },
      };
    }
    default:
      return live;
  }
}

export function foldLiveEvents(events: Iterable<LiveEvent>): LiveSnapshot {
  let live = initialLive();
  for (const event of events) live = applyLiveEvent(live, event);
  return live;
}

/** The participant's alerts nobody has acknowledged yet, oldest first. */
export function openAlertsFor(live: LiveSnapshot, participantId: string): LiveAlert[] {
  return [...live.alerts.values()]
    .filter((a) => a.participantId === participantId && a.acknowledgedAt === null)
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
}

/** How many urgent alerts of the participant are open: discharge waits until there are none. */
export function openUrgentAlertsFor(live: LiveSnapshot, participantId: string): number {
  return openAlertsFor(live, participantId).filter((a) => a.severity === 'urgent').length;
}

/** The participant's follow-up tasks not yet completed, oldest first. */
export function openTasksFor(live: LiveSnapshot, participantId: string): LiveTask[] {
  return [...live.tasks.values()]
    .filter((t) => t.participantId === participantId && t.completedAt === null)
    .sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
}

/** Whether a number went up, down or stayed; null when either side is not a number. */
export function answerDirection(answer: CheckInItemAnswer): 'up' | 'down' | 'same' | null {
  const { value, previous } = answer;
  if (typeof value !== 'number' || typeof previous !== 'number') return null;
  return value > previous ? 'up' : value < previous ? 'down' : 'same';
}

/**
 * How soon a participant needs a person, lowest first: 0 an escalated support request (nobody
 * answered in time), 1 a waiting support request (someone asked, now), 2 an open urgent alert
 * (self-harm: raised by a check-in, the participant did not ask for anyone), 3 an open
 * attention alert, 4 everything else (info alerts included: a quiet word can wait its turn).
 * A person asking for help outranks an alert because the request is live and theirs.
 */
export type UrgencyRank = 0 | 1 | 2 | 3 | 4;

export function urgencyOf(live: LiveSnapshot, participantId: string): UrgencyRank {
  let waiting = false;
  for (const request of live.support.values()) {
    if (request.participantId !== participantId) continue;
    const status = supportStatus(request);
    if (status === 'escalated') return 0;
    if (status === 'waiting') waiting = true;
  }
  if (waiting) return 1;
  const open = openAlertsFor(live, participantId);
  if (open.some((a) => a.severity === 'urgent')) return 2;
  if (open.some((a) => a.severity === 'attention')) return 3;
  return 4;
}

/** The board's order: most urgent first; within a rank, by seat (a tile does not jump about). */
export function byBoardUrgency<T extends { participantId: string; seat: number }>(
  live: LiveSnapshot,
  seats: readonly T[],
): T[] {
  return [...seats].sort(
    (a, b) => urgencyOf(live, a.participantId) - urgencyOf(live, b.participantId) || a.seat - b.seat,
  );
}
