/**
 * What the participant's tablet shows, decided from the session as its stream tells it. Pure,
 * so each rule is table-tested: during the journey nothing but the ambient screen and "I need
 * support" (clinical.md §5.2), and a check-in only when there is one to give and it is not
 * already sent (or on its way from this tablet's outbox).
 */
import {
  checkInMomentFor,
  type CheckInMoment,
  type LiveSnapshot,
  type ParticipantState,
  type SessionKind,
  type SessionPhase,
} from '@cairn/domain';

/** Under the medicine, or in the team's hands: the tablet stays quiet. */
const QUIET_STATES: readonly ParticipantState[] = ['dosed', 'acute', 'escalated'];

/**
 * The journey screen: the room's journey phase, or this person's own journey (dosed before
 * the room moved on, still under after the room came back) — and an escalated person, whom
 * staff are with: a form or a prompt then would only be in the way.
 */
export function isJourneyTime(kind: SessionKind, phase: SessionPhase, state: ParticipantState): boolean {
  if (kind !== 'dosing') return false;
  return phase === 'journey' || QUIET_STATES.includes(state);
}

/**
 * The moments this participant has sent a check-in for, as far as the live fold tells: its
 * latest check-in's moment and the moment of each item's latest answer. Moments only move on
 * during a session, so the current one is never hidden behind an older one.
 */
export function sentMoments(live: LiveSnapshot, participantId: string): Set<string> {
  const mine = live.checkIns[participantId];
  if (!mine) return new Set();
  return new Set([mine.latestMoment, ...Object.values(mine.items).map((item) => item.moment)]);
}

export interface CheckInFacts {
  kind: SessionKind;
  phase: SessionPhase;
  state: ParticipantState;
  paused: boolean;
  aborted: boolean;
  /** Moments sent (the live fold) or acknowledged, or waiting in this tablet's outbox. */
  done: ReadonlySet<string>;
}

/** The check-in to offer on the main screen now, or null. A paused or stopped room asks nothing. */
export function checkInToOffer(facts: CheckInFacts): CheckInMoment | null {
  if (facts.paused || facts.aborted) return null;
  const moment = checkInMomentFor(facts.kind, facts.phase, facts.state);
  return moment !== null && !facts.done.has(moment) ? moment : null;
}
