/**
 * The circle notes' record (signature, addenda) as the session's stream holds it, read without
 * the rest of the session's state: opening the notes document asks it on every open and every
 * revocation sweep.
 */
import { applyNotesEvent, initialNotesRecord, type NotesRecord } from '@cairn/domain';
import type { CoreContext } from './context.ts';

const PAGE = 500;

export async function readNotesRecord(ctx: CoreContext, streamId: string): Promise<NotesRecord> {
  let record = initialNotesRecord();
  let after = 0;
  for (;;) {
    const page = await ctx.store.readEvents(streamId, after, PAGE);
    for (const event of page) {
      record = applyNotesEvent(record, event);
      after = event.seq;
    }
    if (page.length < PAGE) return record;
  }
}

export async function notesSigned(ctx: CoreContext, streamId: string): Promise<boolean> {
  return (await readNotesRecord(ctx, streamId)).signed !== null;
}
