/**
 * "I need support" unanswered past the clinic's limit goes to every on-duty staff member
 * (PRODUCT §3.1): the server writes `support.escalated` for it, as `system`. Every instance may
 * try (a sweeper runs on each); the key `sys:escalate:<requestId>` and the decide-then-commit
 * runner make it happen once, and never after someone answered — an acknowledgement committed
 * while the escalation was being decided sends the escalation round again, to a refusal.
 * The limit (`supportEscalateAfterSeconds`) is a clinic-configurable default, not medical advice.
 */
import { dueEscalations, SUPPORT_ESCALATE_AFTER_SECONDS_MIN } from '@cairn/domain';
import type { CoreContext } from './context.ts';
import type { OpenedStream } from './event-streams.ts';
import { draft, refuse, runDecidedCommand } from './session-decisions.ts';
import { readSessionState } from './session-state.ts';

/** The actor of what the server decides by itself. */
export const SYSTEM_ACTOR = 'system';

export interface EscalationSweep {
  /** Seqs of the escalations this call committed (none if another instance was first). */
  escalated: number[];
  /**
   * When the next request read here falls due (ms since the epoch; now, for one that could not
   * be written yet), or null when none waits: until then, or a new request, nothing to do.
   */
  nextDueAt: number | null;
  /** The stream's last seq when it was read. */
  checkedThrough: number;
}

const afterMs = (seconds: number) => seconds * 1000;

/** Escalates every request of the session's stream that is due now; cheap when none waits. */
export async function escalateDueSupport(ctx: CoreContext, streamId: string): Promise<EscalationSweep> {
  const none = { escalated: [], nextDueAt: null, checkedThrough: 0 };
  const [stream, session] = await Promise.all([
    ctx.store.getEventStream(streamId),
    ctx.store.findGroupSessionByStream(streamId),
  ]);
  if (!stream || !session) return none;
  const clinic = await ctx.store.getClinic(stream.clinicId);
  if (!clinic) return none;
  const state = await readSessionState(ctx, session);
  const limit = afterMs(clinic.supportEscalateAfterSeconds);
  const due = dueEscalations(state.live.support, ctx.now(), limit);
  const system: OpenedStream = {
    stream,
    recipient: { kind: 'staff', userId: SYSTEM_ACTOR, roles: [] },
    actorId: SYSTEM_ACTOR,
    displayName: '',
    roles: [],
  };
  const escalated: number[] = [];
  const retry = new Set<string>();
  for (const request of due) {
    const outcome = await runDecidedCommand(
      ctx,
      system,
      `escalate-${request.requestId}`,
      (input) => {
        // Decided again on the stream as it stands: answered (or escalated) meanwhile, nothing to do.
        const still = dueEscalations(
          input.state.live.support,
          input.now,
          afterMs(input.clinic.supportEscalateAfterSeconds),
        ).find((r) => r.requestId === request.requestId);
        if (!still) return refuse('That request no longer needs escalating.');
        const payload = { requestId: still.requestId, participantId: still.participantId };
        return { ok: true, events: [draft('support.escalated', payload, input.key)] };
      },
      `sys:escalate:${request.requestId}`,
    );
    if (outcome.ok && !outcome.duplicate) escalated.push(outcome.seq);
    // Lost to busy writers: still due, looked at again on the next sweep.
    if (!outcome.ok && outcome.reason === 'rate_limited') retry.add(request.requestId);
  }
  const now = ctx.now().getTime();
  let nextDueAt: number | null = retry.size > 0 ? now : null;
  for (const r of state.live.support.values()) {
    if (r.acknowledgedAt !== null || r.escalatedAt !== null || due.includes(r)) continue;
    // Read again at least this often, so a limit the clinic shortened meanwhile counts soon.
    const at = Math.min(Date.parse(r.requestedAt) + limit, now + SUPPORT_ESCALATE_AFTER_SECONDS_MIN * 1000);
    if (nextDueAt === null || at < nextDueAt) nextDueAt = at;
  }
  return { escalated, nextDueAt, checkedThrough: state.lastSeq };
}
