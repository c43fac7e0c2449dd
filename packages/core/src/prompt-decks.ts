/**
 * A session's prompt deck: the Yjs document its facilitators write prompts into before they
 * release them (`prompt_deck` in @cairn/domain's documents.ts). One per session, made on first
 * use. Its id is derived from the session's, so two facilitators opening the deck at once get
 * the same document: the second creation loses on the unique id and finds the first.
 */
import { promptDeckAccess, type DocumentAccess } from '@cairn/domain';
import type { DocumentRecord } from '@cairn/db';
import type { CoreContext } from './context.ts';
import { sessionForStaff } from './group-sessions.ts';
import { rolesIn } from './group-access.ts';
import { requireFullViewer } from './guards.ts';
import type { Viewer } from './sessions.ts';
import { sha256Hex } from './tokens.ts';

export interface PromptDeckView {
  /** Open it with the doc socket: `/ws/doc/:docId`. */
  docId: string;
  /** `write` for the group's facilitators and co-therapists, `read` for its medical provider. */
  access: Exclude<DocumentAccess, 'none'>;
}

/** The deck's id: opaque (a hash), the same for the same session on every instance. */
export function promptDeckId(sessionId: string): string {
  return Buffer.from(sha256Hex(`prompt_deck:${sessionId}`), 'hex')
    .toString('base64url')
    .slice(0, 22);
}

/** The session's deck, made if it does not exist yet. Anyone not on the group's staff: 404. */
export async function openPromptDeck(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<PromptDeckView> {
  const session = await sessionForStaff(ctx, maybeViewer, sessionId, 'prompt_deck.open');
  const viewer = requireFullViewer(maybeViewer);
  const access = promptDeckAccess(rolesIn(await ctx.store.listGroupStaff(session.groupId), viewer.user.id));
  // Every group role reads the deck at least; should a new role not, it is refused like an outsider.
  if (access === 'none') throw new Error('A member of the group staff has no access to its prompt deck.');
  const id = promptDeckId(session.id);
  const deck: DocumentRecord = {
    id,
    clinicId: viewer.clinic.id,
    kind: 'prompt_deck',
    ownerUserId: null,
    streamId: session.streamId,
    createdAt: ctx.now(),
  };
  if (!(await ctx.store.getDocument(id))) {
    try {
      await ctx.store.createDocument(deck);
    } catch (error) {
      // Someone else made it in between: theirs is the deck. Anything else is a real failure.
      const made = await ctx.store.getDocument(id);
      if (!made || made.kind !== 'prompt_deck' || made.streamId !== session.streamId) throw error;
    }
  }
  return { docId: id, access };
}
