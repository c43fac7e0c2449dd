/**
 * The one way a session command becomes events: read the session as it stands, let a rule
 * decide, and write what it decided only if nobody wrote in between (`expectLastSeq`). Two
 * people pressing at once on two instances cannot both act on the same state; the loser reads
 * again and gets the rule's answer for the new situation. Every command module (phases and
 * states, the live room, prompts) decides; this commits.
 */
import { SESSION_CANCELLED_MESSAGE, type SessionEventType, type StateActor } from '@cairn/domain';
import { StaleStreamError, type ClinicRecord, type GroupSessionRecord, type NewEvent } from '@cairn/db';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayload } from '@cairn/sync';
import type { CoreContext } from './context.ts';
import type { OpenedStream } from './event-streams.ts';
import { rolesIn } from './group-access.ts';
import { keyedId, readSessionState, type SessionState } from './session-state.ts';

/** One event a rule decided on; `key` is its idempotency key (scoped to the actor). */
export type Draft = { type: SessionEventType; payload: Record<string, unknown>; key: string };

export type Decision =
  | { ok: true; events: Draft[] }
  /**
   * Nothing to write: the command is already answered by the event at `seq` (a second "I need
   * support" tap while the first is open joins it). The client is acknowledged with that seq,
   * as `duplicate` — nothing new was committed for it.
   */
  | { ok: true; answeredBy: number }
  | { ok: false; reason: 'not_allowed' | 'invalid'; message: string };

export type DecidedOutcome =
  | { ok: true; seq: number; duplicate: boolean }
  | { ok: false; reason: 'not_allowed' | 'invalid'; message: string }
  /** The stream kept moving under us: nothing written, the client sends the same id again. */
  | { ok: false; reason: 'rate_limited' };

/** An event checked against its type's schema before it is stored. */
export function draft<T extends SessionEventType>(type: T, payload: EventPayload<T>, key: string): Draft {
  return { type, payload: EVENT_PAYLOAD_SCHEMAS[type].parse(payload) as Record<string, unknown>, key };
}

export const refuse = (message: string): Decision => ({ ok: false, reason: 'not_allowed', message });
export const invalid = (message: string): Decision => ({ ok: false, reason: 'invalid', message });

/** What a rule gets to decide with. */
export interface DecisionInput {
  session: GroupSessionRecord;
  state: SessionState;
  actor: StateActor;
  clinic: ClinicRecord;
  now: Date;
  /** `cmd:<client id>`: the idempotency key of the command's first event; others derive from it. */
  key: string;
}

/** Writes lost to a concurrent writer before the client is told to try again. */
const ATTEMPTS = 5;

async function actorOf(
  ctx: CoreContext,
  opened: OpenedStream,
  session: GroupSessionRecord,
): Promise<StateActor> {
  if (opened.recipient.kind === 'participant') return { kind: 'participant' };
  // The roles that count are the person's roles in this group, not in the clinic at large.
  return { kind: 'staff', roles: rolesIn(await ctx.store.listGroupStaff(session.groupId), opened.actorId) };
}

/**
 * Applies a command once (`commandId` is the client's idempotency key) and resolves after the
 * commit. A repeated id answers with the first result without deciding again. `key` lets a
 * command that is not the actor's own (a system escalation) use a key of its own.
 */
export function runDecidedCommand(
  ctx: CoreContext,
  opened: OpenedStream,
  commandId: string,
  decide: (input: DecisionInput) => Decision,
  key = `cmd:${commandId}`,
): Promise<DecidedOutcome> {
  return oneAtATime(opened.stream.id, () => decideAndCommit(ctx, opened, decide, key));
}

/**
 * The seq a command already committed under `key` is answered with: the last event of its
 * decision (its own key's event and those scoped from it, `${key}:…`), as the first ack said.
 * Null when nothing was committed under `key`.
 */
function committedSeq(state: SessionState, actorId: string, key: string): number | null {
  const own = state.keyed.get(keyedId(actorId, key));
  if (own === undefined) return null;
  const scoped = keyedId(actorId, `${key}:`);
  let last = own;
  for (const [id, seq] of state.keyed) if (seq > last && id.startsWith(scoped)) last = seq;
  return last;
}

/** By stream id: the tail of the decisions queued on this process. */
const queues = new Map<string, Promise<void>>();

/**
 * Decisions on one stream run one after another on this process. Twelve tablets checking in
 * at the same moment would otherwise read the same seq, and all but one lose the write, read
 * again and lose again, until some are told to retry: in turn, each reads what the one
 * before wrote and commits first time. Other instances still race, and `expectLastSeq`
 * settles that.
 */
function oneAtATime<T>(streamId: string, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(streamId) ?? Promise.resolve()).then(work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(streamId, tail);
  void tail.then(() => {
    if (queues.get(streamId) === tail) queues.delete(streamId);
  });
  return run;
}

async function decideAndCommit(
  ctx: CoreContext,
  opened: OpenedStream,
  decide: (input: DecisionInput) => Decision,
  key: string,
): Promise<DecidedOutcome> {
  const session = await ctx.store.findGroupSessionByStream(opened.stream.id);
  if (!session)
    return { ok: false, reason: 'not_allowed', message: 'This stream does not belong to a session.' };
  const actor = await actorOf(ctx, opened, session);
  // Read once per command: a change to the clinic's settings applies from the next command.
  const clinic = await ctx.store.getClinic(opened.stream.clinicId);
  if (!clinic) throw new Error(`No clinic for stream ${opened.stream.id}.`);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A lost race may have been lost to a cancellation: read the session again too.
    const current = attempt === 0 ? session : ((await ctx.store.getGroupSession(session.id)) ?? session);
    const state = await readSessionState(ctx, current);
    const earlier = committedSeq(state, opened.actorId, key);
    if (earlier !== null) return { ok: true, seq: earlier, duplicate: true };
    // Cancelled only before it started (session-scheduling.ts): nothing in it may move any more.
    if (current.cancelledAt !== null)
      return { ok: false, reason: 'not_allowed', message: SESSION_CANCELLED_MESSAGE };
    const at = ctx.now();
    const decision = decide({ session: current, state, actor, clinic, now: at, key });
    if (!decision.ok) return decision;
    if ('answeredBy' in decision) return { ok: true, seq: decision.answeredBy, duplicate: true };
    // The event under the command's own key is how a repeat is recognised (committedSeq).
    if (!decision.events.some((d) => d.key === key))
      throw new Error("A decision to act must write an event under the command's key.");
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
