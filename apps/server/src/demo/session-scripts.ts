/**
 * What happened in each past session of the demo course, minute by minute: the phase moves
 * and each participant's way through the room, as the commands staff sent. Pure, so the story
 * can be read (and tested) apart from the database; phase-history.ts plays it through core.
 *
 * The order obeys the state machines of clinical.md §7.3 (packages/domain): everyone is ready
 * before the opening circle, dosed before the journey, back before the sharing circle, and
 * discharged — at least two hours after their dose, escort present — before the session ends.
 */
import { phasesOf, type GroupSessionKind, type SessionPhase } from '@cairn/domain';
import type { StreamCommand } from '@cairn/sync';
import type { DemoActor, DemoParticipant } from './cedar-circle.ts';

export interface ScriptStep {
  /** Minutes after the session's scheduled start. */
  minute: number;
  actor: DemoActor;
  command: StreamCommand;
}

export interface SeatedParticipant extends Pick<DemoParticipant, 'demoId' | 'route'> {
  participantId: string;
}

/** §7.8's sitter mapping: Luis sits with P1–P3, Hannah with P4–P6. */
const sitterOf = (index: number): DemoActor => (index < 3 ? 'sitterA' : 'sitterB');

const advance = (minute: number, actor: DemoActor, to: SessionPhase): ScriptStep => ({
  minute,
  actor,
  command: { type: 'phase.advance', to },
});

function mark(
  minute: number,
  actor: DemoActor,
  p: SeatedParticipant,
  to: Extract<StreamCommand, { type: 'participant.set_state' }>['to'],
  escortPresent?: boolean,
): ScriptStep {
  return {
    minute,
    actor,
    command: {
      type: 'participant.set_state',
      participantId: p.participantId,
      to,
      ...(escortPresent ? { escortPresent } : {}),
    },
  };
}

/** Minutes from dose to return (§7.8: IM t+45–65, sublingual t+60–80), a little different for each. */
function minutesToReturn(p: SeatedParticipant, index: number): number {
  return p.route === 'sublingual' ? 65 + (index % 2) * 8 : 48 + (index % 3) * 6;
}

/** §7.8: in dosing session 2, P2's nausea kept her in observation to about 140 minutes. */
function extraObservation(sessionNumber: number, p: SeatedParticipant): number {
  return sessionNumber === 2 && p.demoId === 'P2' ? 15 : 0;
}

export function dosingScript(
  sessionNumber: number,
  participants: readonly SeatedParticipant[],
): ScriptStep[] {
  const steps: ScriptStep[] = [advance(0, 'facilitator', 'arrival')];
  const leaving: number[] = [];
  participants.forEach((p, i) => {
    const dosedAt = 46 + i * 2;
    const returnedAt = dosedAt + minutesToReturn(p, i);
    const readyToLeaveAt = dosedAt + 125 + i * 2 + extraObservation(sessionNumber, p);
    leaving.push(readyToLeaveAt + 4);
    steps.push(
      mark(2 + i * 2, sitterOf(i), p, 'checked_in'),
      mark(14 + i, 'nurse', p, 'ready'),
      mark(dosedAt, 'prescriber', p, 'dosed'),
      mark(dosedAt + 4, sitterOf(i), p, 'acute'),
      mark(returnedAt, sitterOf(i), p, 'returned'),
      mark(returnedAt + 5, sitterOf(i), p, 'observation'),
      mark(readyToLeaveAt, 'nurse', p, 'discharge_ready', true),
      mark(readyToLeaveAt + 4, sitterOf(i), p, 'discharged'),
    );
  });
  steps.push(
    advance(20, 'facilitator', 'opening_circle'),
    advance(35, 'facilitator', 'settling'),
    advance(45, 'prescriber', 'dosing'),
    advance(46 + participants.length * 2 + 4, 'facilitator', 'journey'),
    advance(90, 'facilitator', 'return'),
    advance(132, 'facilitator', 'sharing_circle'),
    advance(160, 'facilitator', 'closing'),
    advance(Math.max(...leaving) + 5, 'facilitator', 'completed'),
  );
  return inOrder(steps);
}

/**
 * Preparation sessions and integration circles: attendance, then the facilitator takes the
 * circle through its steps to closed, spread over the planned time. (Documented needs signed
 * notes, which come with a later issue.)
 */
export function circleScript(
  kind: Exclude<GroupSessionKind, 'dosing'>,
  plannedMinutes: number,
  participants: readonly SeatedParticipant[],
): ScriptStep[] {
  const phases = phasesOf(kind);
  const steps = phases.slice(1, phases.indexOf('closed') + 1);
  const gap = Math.floor(plannedMinutes / steps.length);
  return inOrder([
    ...steps.map((phase, i) => advance(i === 0 ? 0 : 6 + (i - 1) * gap, 'facilitator', phase)),
    ...participants.map((p, i) => mark(1 + i, sitterOf(i), p, 'checked_in')),
  ]);
}

/** By time; at the same minute, in the order written (a stable sort). */
function inOrder(steps: ScriptStep[]): ScriptStep[] {
  return [...steps].sort((a, b) => a.minute - b.minute);
}
