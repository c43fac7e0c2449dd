/**
 * A session's state as its event stream tells it: the group's phase (with pause and abort) and
 * each participant's state. The server folds it to decide the next command, the staff screen
 * to show the board, a tablet to show the phase — one fold, so they cannot disagree. Pure;
 * events it does not know (or may not see) leave it as it is.
 */
import { PARTICIPANT_STATES, type ParticipantState } from './participant-states.ts';
import { PHASES, type SessionKind, type SessionPhase, type SessionStatus } from './session-phases.ts';

export interface ParticipantSnapshot {
  state: ParticipantState;
  /** ISO time of the move to `dosed` (t0: the discharge guard counts from it). */
  firstDosedAt: string | null;
}

export interface SessionSnapshot {
  status: SessionStatus;
  /** By participant id; someone with no event yet is `expected`. */
  participants: Record<string, ParticipantSnapshot>;
}

/** What the fold reads of an event: the stream's own shape, from the server or the wire. */
export interface FoldableEvent {
  type: string;
  payload: Record<string, unknown>;
  at: string | Date;
}

/** `session.phase_changed`: the status after the change, and what changed it. */
export interface PhaseChangedPayload {
  action: 'advance' | 'pause' | 'resume' | 'abort';
  from: SessionPhase;
  phase: SessionPhase;
  paused: boolean;
  aborted: boolean;
}

/**
 * `participant.state_changed`. A reason the move needed travels apart, in the staff-only
 * `participant.state_noted` written just before it.
 */
export interface ParticipantStateChangedPayload {
  participantId: string;
  seat: number;
  from: ParticipantState;
  to: ParticipantState;
  /** Recorded with a move to discharge_ready: staff confirmed the escort is here. */
  escortPresent?: boolean;
}

export function initialSnapshot(kind: SessionKind): SessionSnapshot {
  return { status: { kind, phase: 'scheduled', paused: false, abortedReason: null }, participants: {} };
}

export function participantStateOf(snapshot: SessionSnapshot, participantId: string): ParticipantState {
  return snapshot.participants[participantId]?.state ?? 'expected';
}

const isPhaseOf = (kind: SessionKind, value: unknown): value is SessionPhase =>
  typeof value === 'string' && (PHASES[kind] as readonly string[]).includes(value);

const isParticipantState = (value: unknown): value is ParticipantState =>
  typeof value === 'string' && (PARTICIPANT_STATES as readonly string[]).includes(value);

/** `snapshot` after `event` (a new object; the input is not changed). */
export function applySessionEvent(snapshot: SessionSnapshot, event: FoldableEvent): SessionSnapshot {
  const { payload } = event;
  switch (event.type) {
    case 'session.phase_changed': {
      if (!isPhaseOf(snapshot.status.kind, payload['phase'])) return snapshot;
      const aborted = payload['aborted'] === true;
      return {
        ...snapshot,
        status: {
          ...snapshot.status,
          phase: payload['phase'],
          paused: payload['paused'] === true,
          // A participant's screen never sees the reason; it still knows the session was stopped.
          abortedReason: aborted ? (snapshot.status.abortedReason ?? '') : null,
        },
      };
    }
    case 'session.aborted': {
      const reason = typeof payload['reason'] === 'string' ? payload['reason'] : '';
      return { ...snapshot, status: { ...snapshot.status, abortedReason: reason } };
    }
    case 'participant.state_changed': {
      const id = payload['participantId'];
      const to = payload['to'];
      if (typeof id !== 'string' || !isParticipantState(to)) return snapshot;
      const before = snapshot.participants[id];
      const at = typeof event.at === 'string' ? event.at : event.at.toISOString();
      const firstDosedAt = before?.firstDosedAt ?? (to === 'dosed' ? at : null);
      return { ...snapshot, participants: { ...snapshot.participants, [id]: { state: to, firstDosedAt } } };
    }
    default:
      return snapshot;
  }
}

export function foldSessionEvents(kind: SessionKind, events: Iterable<FoldableEvent>): SessionSnapshot {
  let snapshot = initialSnapshot(kind);
  for (const event of events) snapshot = applySessionEvent(snapshot, event);
  return snapshot;
}
