/**
 * The live room's commands: check-ins, "I need support" and its acknowledgement, alerts and
 * follow-up tasks, co-therapist assignments. Each is decided on the session as it stands and
 * committed by session-decisions.ts, so a repeated command id writes nothing twice.
 *
 * Ids of alerts, tasks and requests are random (`generateId`), made once per command before
 * deciding: a lost race decides again with the same ids, and a committed command is answered
 * from its key without deciding at all. Random, not derived from the client's command id, so
 * staff never learn a tablet's command ids and a participant cannot predict an alert's id.
 */
import {
  checkInFlags,
  decideParticipantChange,
  readCheckInAnswers,
  openRequestOf,
  type CheckInFlag,
  type GroupStaffRole,
  type StateActor,
} from '@cairn/domain';
import type { GroupStaffRecord } from '@cairn/db';
import type { StreamCommand } from '@cairn/sync';
import type { CoreContext } from './context.ts';
import type { OpenedStream } from './event-streams.ts';
import {
  draft,
  invalid,
  refuse,
  runDecidedCommand,
  type DecidedOutcome,
  type Decision,
  type DecisionInput,
  type Draft,
} from './session-decisions.ts';
import { generateId } from './tokens.ts';

export type LiveCommand = Extract<
  StreamCommand,
  {
    type:
      | 'participant.assign'
      | 'checkin.submit'
      | 'support.request'
      | 'support.acknowledge'
      | 'alert.acknowledge'
      | 'task.complete';
  }
>;

const LIVE_TYPES: ReadonlySet<string> = new Set<LiveCommand['type']>([
  'participant.assign',
  'checkin.submit',
  'support.request',
  'support.acknowledge',
  'alert.acknowledge',
  'task.complete',
]);

export function isLiveCommand(command: StreamCommand): command is LiveCommand {
  return LIVE_TYPES.has(command.type);
}

export const LIVE_REFUSALS = {
  notSeated: "This tablet's participant has no seat in this session.",
  clinicalOnly: "Only the group's clinical staff can answer this.",
  assignersOnly: 'Only a facilitator or a co-therapist can assign co-therapists.',
  notAParticipant: 'That person is not a participant of this session.',
  notClinicalStaff: "That person is not on this group's clinical staff.",
  noSuchRequest: 'That request does not exist.',
  requestAnswered: 'Someone already answered this request.',
  noSuchAlert: 'That alert does not exist.',
  alertAcknowledged: 'Someone already acknowledged this alert.',
  noSuchTask: 'That task does not exist.',
  taskDone: 'That task is already done.',
} as const;

/** What a check-in flag raises (clinic-configurable defaults, never medical advice). */
const ALERT_OF: Record<
  CheckInFlag,
  { kind: 'self_harm' | 'medical_review' | 'private_talk'; severity: 'urgent' | 'attention' | 'info' }
> = {
  urgent_safety: { kind: 'self_harm', severity: 'urgent' },
  medical_review: { kind: 'medical_review', severity: 'attention' },
  private_talk: { kind: 'private_talk', severity: 'info' },
};

/** Ids made before deciding, stable across the retries of one command. */
interface FreshIds {
  request: string;
  alerts: Record<CheckInFlag, string>;
  task: string;
}

function freshIds(): FreshIds {
  return {
    request: generateId(),
    alerts: { urgent_safety: generateId(), medical_review: generateId(), private_talk: generateId() },
    task: generateId(),
  };
}

const isClinical = (actor: StateActor) => actor.kind === 'staff' && actor.roles.length > 0;

function seatOf(input: DecisionInput, participantId: string) {
  return input.state.seats.find((s) => s.participantId === participantId) ?? null;
}

function decideCheckIn(
  participantId: string,
  command: Extract<LiveCommand, { type: 'checkin.submit' }>,
  input: DecisionInput,
  ids: FreshIds,
): Decision {
  const seat = seatOf(input, participantId);
  if (!seat) return refuse(LIVE_REFUSALS.notSeated);
  const read = readCheckInAnswers(command.moment, input.session.kind === 'dosing', command.answers);
  if (!read.ok) return invalid(read.problem);
  // Stored as read: free text trimmed.
  const { answers } = read;
  const { intention, ...shared } = answers;
  const flags = checkInFlags(answers);
  const { key } = input;
  const events: Draft[] = [
    draft(
      'checkin.submitted',
      { participantId, seat: seat.seat, moment: command.moment, answers: shared, flags },
      key,
    ),
  ];
  // The intention is the participant's own words: kept for them alone, never staff's to read.
  if (intention !== undefined) {
    events.push(
      draft(
        'checkin.intention_kept',
        { participantId, moment: command.moment, intention },
        `${key}:intention`,
      ),
    );
  }
  for (const flag of flags) {
    const alertId = ids.alerts[flag];
    events.push(
      draft(
        'alert.raised',
        { alertId, participantId, seat: seat.seat, ...ALERT_OF[flag] },
        `${key}:alert:${flag}`,
      ),
    );
    // A self-harm "yes" also opens the team's same-day follow-up.
    if (flag === 'urgent_safety') {
      events.push(
        draft(
          'task.opened',
          { taskId: ids.task, participantId, seat: seat.seat, kind: 'safety_follow_up', alertId },
          `${key}:task`,
        ),
      );
    }
  }
  // Answering the arrival check-in is arriving: the board shows the person checked in, in the
  // same commit, instead of staff marking each one by hand. Only where the rules allow it.
  const arrived = decideParticipantChange(
    seat.state,
    { to: 'checked_in' },
    { kind: 'participant' },
    seat.seat,
  );
  if (command.moment === 'arrival' && seat.state === 'expected' && arrived.ok) {
    events.push(
      draft(
        'participant.state_changed',
        { participantId, seat: seat.seat, from: seat.state, to: arrived.to },
        `${key}:arrived`,
      ),
    );
  }
  return { ok: true, events };
}

function decideSupportRequest(participantId: string, input: DecisionInput, ids: FreshIds): Decision {
  const seat = seatOf(input, participantId);
  if (!seat) return refuse(LIVE_REFUSALS.notSeated);
  // A second tap while nobody has answered joins the open request: no second alert.
  const open = openRequestOf(input.state.live.support, participantId);
  const openSeq = open ? input.state.live.requestSeqs.get(open.requestId) : undefined;
  if (openSeq !== undefined) return { ok: true, answeredBy: openSeq };
  return {
    ok: true,
    events: [
      draft('support.requested', { requestId: ids.request, participantId, seat: seat.seat }, input.key),
    ],
  };
}

function decideAcknowledge(
  command: Extract<LiveCommand, { type: 'support.acknowledge' | 'alert.acknowledge' | 'task.complete' }>,
  input: DecisionInput,
): Decision {
  if (!isClinical(input.actor)) return refuse(LIVE_REFUSALS.clinicalOnly);
  const { live } = input.state;
  switch (command.type) {
    case 'support.acknowledge': {
      const request = live.support.get(command.requestId);
      if (!request) return refuse(LIVE_REFUSALS.noSuchRequest);
      if (request.acknowledgedAt !== null) return refuse(LIVE_REFUSALS.requestAnswered);
      const payload = { requestId: request.requestId, participantId: request.participantId };
      return { ok: true, events: [draft('support.acknowledged', payload, input.key)] };
    }
    case 'alert.acknowledge': {
      const alert = live.alerts.get(command.alertId);
      if (!alert) return refuse(LIVE_REFUSALS.noSuchAlert);
      if (alert.acknowledgedAt !== null) return refuse(LIVE_REFUSALS.alertAcknowledged);
      return { ok: true, events: [draft('alert.acknowledged', { alertId: alert.alertId }, input.key)] };
    }
    case 'task.complete': {
      const task = live.tasks.get(command.taskId);
      if (!task) return refuse(LIVE_REFUSALS.noSuchTask);
      if (task.completedAt !== null) return refuse(LIVE_REFUSALS.taskDone);
      return { ok: true, events: [draft('task.completed', { taskId: task.taskId }, input.key)] };
    }
  }
}

const ASSIGNERS: readonly GroupStaffRole[] = ['facilitator', 'co_therapist'];

function decideAssign(
  command: Extract<LiveCommand, { type: 'participant.assign' }>,
  input: DecisionInput,
  staff: readonly GroupStaffRecord[],
): Decision {
  const { actor } = input;
  if (actor.kind !== 'staff' || !actor.roles.some((role) => ASSIGNERS.includes(role as GroupStaffRole)))
    return refuse(LIVE_REFUSALS.assignersOnly);
  if (!seatOf(input, command.participantId)) return refuse(LIVE_REFUSALS.notAParticipant);
  // Every group role is a clinical one: anyone on the group's staff may look after a person.
  if (command.userId !== null && !staff.some((s) => s.userId === command.userId))
    return refuse(LIVE_REFUSALS.notClinicalStaff);
  const payload = { participantId: command.participantId, userId: command.userId };
  return { ok: true, events: [draft('participant.assigned', payload, input.key)] };
}

export async function runLiveCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  command: LiveCommand,
): Promise<DecidedOutcome> {
  const { recipient } = opened;
  switch (command.type) {
    case 'checkin.submit':
    case 'support.request': {
      // mayIssueCommand let only tablets through; a tablet speaks for its own participant only.
      if (recipient.kind !== 'participant')
        return { ok: false, reason: 'not_allowed', message: LIVE_REFUSALS.notSeated };
      const ids = freshIds();
      const { participantId } = recipient;
      return runDecidedCommand(ctx, opened, commandId, (input) =>
        command.type === 'checkin.submit'
          ? decideCheckIn(participantId, command, input, ids)
          : decideSupportRequest(participantId, input, ids),
      );
    }
    case 'support.acknowledge':
    case 'alert.acknowledge':
    case 'task.complete':
      return runDecidedCommand(ctx, opened, commandId, (input) => decideAcknowledge(command, input));
    case 'participant.assign': {
      const session = await ctx.store.findGroupSessionByStream(opened.stream.id);
      const staff = session ? await ctx.store.listGroupStaff(session.groupId) : [];
      return runDecidedCommand(ctx, opened, commandId, (input) => decideAssign(command, input, staff));
    }
  }
}
