/**
 * Plays the past sessions of the demo course (session-scripts.ts) through the session stream
 * commands, as the staff in the room would have sent them: each staff member signs in and
 * opens the session's stream when they first act, and every command is decided by the state
 * machines and stored as an event at its minute of the story.
 */
import { randomUUID } from 'node:crypto';
import {
  announceJoin,
  openEventStream,
  runStreamCommand,
  type CoreContext,
  type GroupSessionView,
  type OpenedStream,
  type Viewer,
} from '@cairn/core';
import { DEMO_STAFF, type DemoActor } from './cedar-circle.ts';
import { circleScript, dosingScript, type SeatedParticipant } from './session-scripts.ts';

const MINUTE_MS = 60_000;

function accountOf(actor: DemoActor): string {
  const member = DEMO_STAFF.find((m) => m.part === actor);
  if (!member) throw new Error(`demo seed: nobody plays the ${actor}`);
  return member.email;
}

export interface StoryClock {
  now: Date;
}

export type SignIn = (email: string) => Promise<Viewer>;

function scriptOf(session: GroupSessionView, participants: readonly SeatedParticipant[]) {
  return session.kind === 'dosing'
    ? dosingScript(session.number, participants)
    : circleScript(session.kind, session.plannedMinutes, participants);
}

export async function playSessionHistory(
  core: CoreContext,
  clock: StoryClock,
  signIn: SignIn,
  session: GroupSessionView,
  participants: readonly SeatedParticipant[],
): Promise<void> {
  const start = new Date(session.scheduledStart).getTime();
  const streams = new Map<DemoActor, OpenedStream>();
  const streamOf = async (actor: DemoActor): Promise<OpenedStream> => {
    const open = streams.get(actor);
    if (open) return open;
    const opened = await openEventStream(core, await signIn(accountOf(actor)), session.streamId);
    await announceJoin(core, opened);
    streams.set(actor, opened);
    return opened;
  };
  for (const step of scriptOf(session, participants)) {
    clock.now = new Date(start + step.minute * MINUTE_MS);
    const outcome = await runStreamCommand(core, await streamOf(step.actor), randomUUID(), step.command);
    if (!outcome.ok) {
      // Seat numbers and states only: never a name in an error.
      const why = 'message' in outcome ? String(outcome.message) : outcome.reason;
      throw new Error(
        `demo seed: ${session.kind} session ${session.number}, minute ${step.minute}: ${step.command.type} refused (${why})`,
      );
    }
  }
}
