/**
 * A participant's tablet coming online or going offline: the board's presence dot. Written by
 * the socket server when an admitted tablet's stream socket says hello and when it closes,
 * with the participant as actor and no idempotency key (each change is its own fact). A
 * record, not a precondition: callers go on without it if it cannot be written.
 */
import type { CoreContext } from './context.ts';
import type { OpenedStream } from './event-streams.ts';
import { draft } from './session-decisions.ts';

/** Appends `tablet.presence`; null for a staff socket (staff presence is `presence.joined`). */
export async function recordTabletPresence(
  ctx: CoreContext,
  opened: OpenedStream,
  online: boolean,
): Promise<{ seq: number } | null> {
  if (opened.recipient.kind !== 'participant') return null;
  const { type, payload } = draft(
    'tablet.presence',
    { participantId: opened.recipient.participantId, online },
    '',
  );
  const [appended] = await ctx.store.appendEvents(opened.stream.id, [
    {
      type,
      payload,
      actorId: opened.actorId,
      deviceId: opened.deviceId ?? null,
      idempotencyKey: null,
      at: ctx.now(),
    },
  ]);
  return { seq: appended!.event.seq };
}
