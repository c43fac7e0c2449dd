/**
 * Opening collaborative documents, and judging the updates written to them. The socket
 * server asks these before the upgrade and for every update; the rules themselves live in
 * @cairn/domain (documents.ts).
 */
import {
  DOCUMENT_KINDS,
  documentAccess,
  isDocumentKind,
  type DocumentAccess,
  type GroupStaffRole,
} from '@cairn/domain';
import type { DocumentRecord } from '@cairn/db';
import type { UpdateFacts } from '@cairn/sync';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { rolesIn } from './group-access.ts';
import { requireFullViewer } from './guards.ts';
import { notesSigned } from './notes-record.ts';
import type { Viewer } from './sessions.ts';

export interface OpenedDocument {
  document: DocumentRecord;
  access: Exclude<DocumentAccess, 'none'>;
}

/**
 * Authorises opening `docId`. A document that does not exist and one the viewer may not open
 * get the same answer (no existence oracle, PRODUCT §4); denials are audited.
 */
export async function openDocument(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  docId: string,
): Promise<OpenedDocument> {
  const viewer = requireFullViewer(maybeViewer);
  const document = await ctx.store.getDocument(docId);
  const access = document
    ? documentAccess(
        // Signed circle notes open read-only for everyone, read from the stream at every opening.
        document.kind === 'circle_notes' && document.streamId !== null
          ? { ...document, signed: await notesSigned(ctx, document.streamId) }
          : document,
        {
          userId: viewer.user.id,
          clinicId: viewer.clinic.id,
          roles: viewer.user.roles,
          groupRoles: await groupRolesFor(ctx, document, viewer),
        },
      )
    : 'none';
  if (!document || access === 'none') {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: viewer.clinic.id,
      actorUserId: viewer.user.id,
      targetId: docId,
      details: { what: 'document.open' },
    });
    throw new CoreError('not_found', 'not_found', 'That document does not exist.');
  }
  return { document, access };
}

/**
 * The viewer's roles in the group whose session `document` belongs to (its stream), read at
 * every opening: someone taken off the group's staff opens its session documents no more.
 */
async function groupRolesFor(
  ctx: CoreContext,
  document: DocumentRecord,
  viewer: Viewer,
): Promise<GroupStaffRole[]> {
  if (document.streamId === null || document.clinicId !== viewer.clinic.id) return [];
  const session = await ctx.store.findGroupSessionByStream(document.streamId);
  const group = session ? await ctx.store.getGroup(session.groupId) : null;
  if (!group || group.clinicId !== viewer.clinic.id) return [];
  return rolesIn(await ctx.store.listGroupStaff(group.id), viewer.user.id);
}

export type UpdateViolation =
  'unknown_kind' | 'unexpected_root' | 'wrong_root_shape' | 'foreign_client' | 'too_many_structs';

/** Most structs one update may carry; typing produces a handful, a paste a few thousand. */
export const MAX_STRUCTS_PER_UPDATE = 50_000;

/**
 * Whether an update a connection sent may be applied: only the kind's roots, in their shape
 * (BI-Y5), only structs of the client ids bound to this connection (BI-Y6, BI-Y9).
 */
export function findUpdateViolation(
  kind: string,
  facts: UpdateFacts,
  ownClientIds: ReadonlySet<number>,
): UpdateViolation | null {
  if (!isDocumentKind(kind)) return 'unknown_kind';
  if (facts.structCount > MAX_STRUCTS_PER_UPDATE) return 'too_many_structs';
  const roots: Record<string, string> = DOCUMENT_KINDS[kind].roots;
  for (const root of facts.roots) {
    const shape = Object.hasOwn(roots, root.name) ? roots[root.name] : undefined;
    if (!shape) return 'unexpected_root';
    if ((shape === 'map') !== root.keyed) return 'wrong_root_shape';
  }
  if (facts.clients.some((client) => !ownClientIds.has(client))) return 'foreign_client';
  return null;
}
