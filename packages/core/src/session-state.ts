/**
 * A group session as it stands: its phase and each participant's state, folded from its event
 * stream (@cairn/domain's session-projection.ts), with the seats that name people in the room.
 * Read fresh for every decision: the stream is the truth on every instance, and a decision is
 * only written if the stream has not moved since (see session-commands.ts).
 */
import {
  applyLiveEvent,
  applyNotesEvent,
  initialNotesRecord,
  type NotesRecord,
  applyPromptEvent,
  applySessionEvent,
  initialLive,
  initialPrompts,
  initialSnapshot,
  participantStateOf,
  type LiveSnapshot,
  type PromptSnapshot,
  type ParticipantState,
  type SessionSnapshot,
} from '@cairn/domain';
import type { GroupSessionRecord, RosterEntry } from '@cairn/db';
import type { CoreContext } from './context.ts';

const PAGE = 500;

export interface SessionSeat {
  participantId: string;
  preferredName: string;
  /** 1-based place in the group's roster: stable for the whole course, withdrawals included. */
  seat: number;
  state: ParticipantState;
  firstDosedAt: string | null;
  /** Still enrolled; a withdrawn participant stays listed only if this session saw them. */
  active: boolean;
}

export interface SessionState {
  snapshot: SessionSnapshot;
  /** Support requests, alerts, tasks, check-ins, assignments, presence (live-projection.ts). */
  live: LiveSnapshot;
  /** Released prompts, answers, the return queue (prompt-projection.ts). */
  prompts: PromptSnapshot;
  /** Whether the circle notes are signed, and their addenda (circle-notes-record.ts). */
  notes: NotesRecord;
  /** The stream's last seq when it was read: the condition for writing a decision. */
  lastSeq: number;
  seats: SessionSeat[];
  /** `actor|key` of every keyed event, to answer a repeated command without deciding again. */
  keyed: Map<string, number>;
}

export const keyedId = (actorId: string, key: string) => `${actorId}|${key}`;

/** The session's participants: everyone actively enrolled, and anyone the stream already names. */
function seatsOf(roster: readonly RosterEntry[], snapshot: SessionSnapshot): SessionSeat[] {
  // Enrolment time, then id: two enrolments in the same millisecond still get fixed seats.
  const ordered = [...roster].sort(
    (a, b) =>
      a.enrolment.enrolledAt.getTime() - b.enrolment.enrolledAt.getTime() ||
      (a.participant.id < b.participant.id ? -1 : 1),
  );
  return ordered.flatMap(({ participant, enrolment }, index) => {
    const active = enrolment.status === 'active';
    const seen = participant.id in snapshot.participants;
    if (!active && !seen) return [];
    return [
      {
        participantId: participant.id,
        preferredName: participant.preferredName,
        seat: index + 1,
        state: participantStateOf(snapshot, participant.id),
        firstDosedAt: snapshot.participants[participant.id]?.firstDosedAt ?? null,
        active,
      },
    ];
  });
}

export async function readSessionState(ctx: CoreContext, session: GroupSessionRecord): Promise<SessionState> {
  let snapshot = initialSnapshot(session.kind);
  let live = initialLive();
  let prompts = initialPrompts();
  let notes = initialNotesRecord();
  const keyed = new Map<string, number>();
  let lastSeq = 0;
  for (;;) {
    const page = await ctx.store.readEvents(session.streamId, lastSeq, PAGE);
    for (const event of page) {
      snapshot = applySessionEvent(snapshot, event);
      live = applyLiveEvent(live, event);
      prompts = applyPromptEvent(prompts, event);
      notes = applyNotesEvent(notes, event);
      if (event.idempotencyKey !== null) keyed.set(keyedId(event.actorId, event.idempotencyKey), event.seq);
      lastSeq = event.seq;
    }
    if (page.length < PAGE) break;
  }
  const roster = await ctx.store.listRoster(session.groupId);
  return { snapshot, live, prompts, notes, lastSeq, seats: seatsOf(roster, snapshot), keyed };
}
