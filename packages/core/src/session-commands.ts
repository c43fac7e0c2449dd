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
  SESSION_CANCELLED_MESSAGE,
  type PhaseAction,
  type SessionEventType,
  type StateActor,
  type StaffRole,
} from '@cairn/domain';
import { StaleStreamError, type GroupSessionRecord, type NewEvent } from '@cairn/db';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayload, type StreamCommand } from '@cairn/sync';
import type { CoreContext } from './context.ts';
import { rolesIn } from './group-access.ts';
import { keyedId, readSessionState, type SessionState } from './session-state.ts';
import type { OpenedStream } from './event-streams.ts';

export type SessionCommand = Extract<
  StreamCommand,
  { type: 'phase.advance' | 'phase.pause' | 'phase.resume' | 'phase.abort' | 'participant.set_state' }
>;

export type SessionCommandOutcome =
  | { ok: true; seq: number; duplicate: boolean }
  | { ok: false; reason: 'not_allowed'; message: string }
  /** The stream kept moving under us: nothing written, the client sends the same id again. */
  | { ok: false; reason: 'rate_limited' };

export function isSessionCommand(command: StreamCommand): command is SessionCommand {
  return command.type.startsWith('phase.') || command.type === 'participant.set_state';
}

/** Writes lost to a concurrent writer before the client is told to try again. */
const ATTEMPTS = 5;

type Draft = { type: SessionEventType; payload: Record<string, unknown>; key: string };
type Decision = { ok: true; events: Draft[] } | { ok: false; message: string };

function draft<T extends SessionEventType>(type: T, payload: EventPayload<T>, key: string): Draft {
  return { type, payload: EVENT_PAYLOAD_SCHEMAS[type].parse(payload) as Record<string, unknown>, key };
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
  if (!decision.ok) return { ok: false, message: decision.reason };
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
  if (!seat) return { ok: false, message: 'That person is not a participant of this session.' };
  if (session.kind !== 'dosing' && !NON_DOSING_STATES.has(command.to)) {
    return { ok: false, message: 'Only attendance is recorded in preparation and integration sessions.' };
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
      // Alerts arrive with the live board; until then there are none to be open.
      openUrgentAlerts: 0,
      escortPresent: command.escortPresent === true,
    },
  );
  if (!decision.ok) return { ok: false, message: decision.reason };
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

async function actorOf(
  ctx: CoreContext,
  opened: OpenedStream,
  session: GroupSessionRecord,
): Promise<StateActor> {
  if (opened.recipient.kind === 'participant') return { kind: 'participant' };
  // The roles that count are the person's roles in this group, not in the clinic at large.
  return { kind: 'staff', roles: rolesIn(await ctx.store.listGroupStaff(session.groupId), opened.actorId) };
}

function decide(
  ctx: CoreContext,
  opened: OpenedStream,
  session: GroupSessionRecord,
  state: SessionState,
  actor: StateActor,
  command: SessionCommand,
  minMinutesBeforeDischarge: number,
  key: string,
): Decision {
  const action = phaseActionOf(command);
  if (action) {
    if (actor.kind !== 'staff') return { ok: false, message: 'Only staff can move the session on.' };
    return decidePhase(state, action, [...actor.roles], key);
  }
  const change = command as Extract<SessionCommand, { type: 'participant.set_state' }>;
  // A tablet speaks only for its own participant.
  if (opened.recipient.kind === 'participant' && change.participantId !== opened.recipient.participantId) {
    return { ok: false, message: 'A tablet can only check in its own participant.' };
  }
  return decideParticipant(session, state, change, actor, ctx.now(), minMinutesBeforeDischarge, key);
}

/**
 * Applies a session command once (the client's id is its idempotency key) and resolves after
 * the commit, like every stream command.
 */
export async function runSessionCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  command: SessionCommand,
): Promise<SessionCommandOutcome> {
  const session = await ctx.store.findGroupSessionByStream(opened.stream.id);
  if (!session)
    return { ok: false, reason: 'not_allowed', message: 'This stream does not belong to a session.' };
  const actor = await actorOf(ctx, opened, session);
  // Read once per command: a change to the clinic's settings applies from the next command.
  const clinic = await ctx.store.getClinic(opened.stream.clinicId);
  if (!clinic) throw new Error(`No clinic for stream ${opened.stream.id}.`);
  const key = `cmd:${commandId}`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A lost race may have been lost to a cancellation: read the session again too.
    const current = attempt === 0 ? session : ((await ctx.store.getGroupSession(session.id)) ?? session);
    const state = await readSessionState(ctx, current);
    const earlier = state.keyed.get(keyedId(opened.actorId, key));
    if (earlier !== undefined) return { ok: true, seq: earlier, duplicate: true };
    // Cancelled only before it started (session-scheduling.ts): nothing in it may move any more.
    if (current.cancelledAt !== null)
      return { ok: false, reason: 'not_allowed', message: SESSION_CANCELLED_MESSAGE };
    const decision = decide(
      ctx,
      opened,
      session,
      state,
      actor,
      command,
      clinic.minMinutesBeforeDischarge,
      key,
    );
    if (!decision.ok) return { ok: false, reason: 'not_allowed', message: decision.message };
    const at = ctx.now();
    const events: NewEvent[] = decision.events.map((d) => ({
      type: d.type,
      payload: d.payload,
      actorId: opened.actorId,
      deviceId: opened.deviceId ?? null,
      idempotencyKey: d.key,
      at,
    }));
    try {
      // Written only if nobody wrote since, and only while the session is not cancelled: a
      // cancel that commits in between sends this round again, to the refusal above.
      const appended = await ctx.store.appendEvents(session.streamId, events, {
        expectLastSeq: state.lastSeq,
        openSessionId: session.id,
      });
      const last = appended.at(-1)!;
      return { ok: true, seq: last.event.seq, duplicate: last.duplicate };
    } catch (error) {
      if (!(error instanceof StaleStreamError)) throw error;
    }
  }
  return { ok: false, reason: 'rate_limited' };
}
