/**
 * Moving a session on: the group's phase (advance, pause, resume, abort) and one participant's
 * state. The rules are @cairn/domain's state machines; this reads the session as it stands,
 * asks them, and writes the result as events — only if nobody else wrote in between
 * (`expectLastSeq`), so two facilitators pressing at once on two instances cannot both move
 * the phase. The loser reads again and gets the rules' answer for the new situation.
 */
import {
  decideParticipantChange,
  decidePhaseChange,
  openUrgentAlertsFor,
  type PhaseAction,
  type StateActor,
  type StaffRole,
} from '@cairn/domain';
import type { GroupSessionRecord } from '@cairn/db';
import type { StreamCommand } from '@cairn/sync';
import type { CoreContext } from './context.ts';
import {
  draft,
  refuse,
  runDecidedCommand,
  type DecidedOutcome,
  type Decision,
  type DecisionInput,
} from './session-decisions.ts';
import { withReleasesOnReturn } from './prompt-commands.ts';
import type { SessionState } from './session-state.ts';
import type { OpenedStream } from './event-streams.ts';

export type SessionCommand = Extract<
  StreamCommand,
  { type: 'phase.advance' | 'phase.pause' | 'phase.resume' | 'phase.abort' | 'participant.set_state' }
>;

export type SessionCommandOutcome = DecidedOutcome;

export function isSessionCommand(command: StreamCommand): command is SessionCommand {
  return command.type.startsWith('phase.') || command.type === 'participant.set_state';
}

function phaseActionOf(command: SessionCommand): PhaseAction | null {
  switch (command.type) {
    case 'phase.advance':
      return { type: 'advance', to: command.to };
    case 'phase.pause':
      return { type: 'pause' };
    case 'phase.resume':
      return { type: 'resume' };
    case 'phase.abort':
      return { type: 'abort', reason: command.reason };
    case 'participant.set_state':
      return null;
  }
}

function decidePhase(state: SessionState, action: PhaseAction, roles: StaffRole[], key: string): Decision {
  const { status } = state.snapshot;
  const facts = {
    participants: state.seats.map(({ seat, state: s }) => ({ seat, state: s })),
    // Notes and their signatures arrive with the notes themselves; until then nothing is signed.
    notesSigned: false,
  };
  const decision = decidePhaseChange(status, action, roles, facts);
  if (!decision.ok) return refuse(decision.reason);
  const next = decision.status;
  const changed = draft(
    'session.phase_changed',
    {
      action: action.type,
      from: status.phase,
      phase: next.phase,
      paused: next.paused,
      aborted: next.abortedReason !== null,
    },
    key,
  );
  if (action.type !== 'abort') return { ok: true, events: [changed] };
  // The reason first, so a staff screen never shows an abort without it.
  return {
    ok: true,
    events: [draft('session.aborted', { reason: next.abortedReason! }, `${key}:reason`), changed],
  };
}

/** Outside dosing sessions a participant is only marked here or not. */
const NON_DOSING_STATES = new Set(['checked_in', 'absent', 'left_against_advice']);

function decideParticipant(
  session: GroupSessionRecord,
  state: SessionState,
  command: Extract<SessionCommand, { type: 'participant.set_state' }>,
  actor: StateActor,
  now: Date,
  minMinutesBeforeDischarge: number,
  key: string,
): Decision {
  const seat = state.seats.find((s) => s.participantId === command.participantId);
  if (!seat) return refuse('That person is not a participant of this session.');
  if (session.kind !== 'dosing' && !NON_DOSING_STATES.has(command.to)) {
    return refuse('Only attendance is recorded in preparation and integration sessions.');
  }
  const minutesSinceFirstDose =
    seat.firstDosedAt === null ? null : (now.getTime() - Date.parse(seat.firstDosedAt)) / 60_000;
  const decision = decideParticipantChange(
    seat.state,
    { to: command.to, reason: command.reason },
    actor,
    seat.seat,
    {
      minutesSinceFirstDose,
      // The clinic's own minimum (a clinic-configurable default, not medical advice).
      minMinutesBeforeDischarge,
      // A self-harm alert nobody acknowledged keeps the person here (live-projection.ts).
      openUrgentAlerts: openUrgentAlertsFor(state.live, seat.participantId),
      escortPresent: command.escortPresent === true,
    },
  );
  if (!decision.ok) return refuse(decision.reason);
  const reason = command.reason?.trim() ?? '';
  const changed = draft(
    'participant.state_changed',
    {
      participantId: seat.participantId,
      seat: seat.seat,
      from: seat.state,
      to: decision.to,
      ...(decision.to === 'discharge_ready' && { escortPresent: true }),
    },
    key,
  );
  if (reason === '') return { ok: true, events: [changed] };
  // The staff's words about a person (why deferred, escalated, transferred) stay with the
  // staff: the participant's own tablet hears of the move, not of the reason.
  const noted = draft(
    'participant.state_noted',
    { participantId: seat.participantId, reason },
    `${key}:reason`,
  );
  return { ok: true, events: [noted, changed] };
}

function decide(opened: OpenedStream, command: SessionCommand, input: DecisionInput): Decision {
  const { session, state, actor, clinic, now, key } = input;
  const action = phaseActionOf(command);
  if (action) {
    if (actor.kind !== 'staff') return refuse('Only staff can move the session on.');
    return decidePhase(state, action, [...actor.roles], key);
  }
  const change = command as Extract<SessionCommand, { type: 'participant.set_state' }>;
  // A tablet speaks only for its own participant.
  if (opened.recipient.kind === 'participant' && change.participantId !== opened.recipient.participantId) {
    return refuse('A tablet can only check in its own participant.');
  }
  const decided = decideParticipant(
    session,
    state,
    change,
    actor,
    now,
    clinic.minMinutesBeforeDischarge,
    key,
  );
  // Prompts queued for return reach a returning participant in the same commit as the move.
  return withReleasesOnReturn(decided, state, change.participantId, change.to, opened.actorId, key);
}

/** Applies a phase or participant-state command once, and resolves after the commit. */
export function runSessionCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  command: SessionCommand,
): Promise<SessionCommandOutcome> {
  return runDecidedCommand(ctx, opened, commandId, (input) => decide(opened, command, input));
}
