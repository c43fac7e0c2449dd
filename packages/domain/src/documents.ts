/**
 * Collaborative document kinds: what roots a document of each kind may contain, and who may
 * open it. One document is one access boundary (PRODUCT §2): private content never shares a
 * document with content someone else may read. Kinds that belong to a group's session (prompt
 * decks, later circle notes) are judged by the viewer's roles in that group.
 */
import { CIRCLE_NOTES_FIELD } from './circle-notes.ts';
import type { GroupStaffRole } from './groups.ts';
import type { StaffRole } from './roles.ts';

/** How a root is written: `sequence` for Y.Text / Y.XmlFragment / Y.Array, `map` for Y.Map. */
export type RootShape = 'sequence' | 'map';

export interface DocumentKindSpec {
  /** The only roots a document of this kind may have, with their shape (BI-Y5). */
  roots: Record<string, RootShape>;
  /** Largest document, in bytes of its stored state (BI-Y4). */
  maxBytes: number;
  /**
   * Kinds whose content is rich text (a ProseMirror tree in a Y.XmlFragment): every update is
   * checked against circle-notes.ts's nodes, marks and attributes too (BI-Y11).
   */
  richText?: true;
}

export const DOCUMENT_KINDS = {
  /**
   * A clinician's private process note (HIPAA "psychotherapy notes"): its author alone reads
   * and writes it; it is never exported with the record.
   */
  clinician_note: { roots: { content: 'sequence', meta: 'map' }, maxBytes: 2 * 1024 * 1024 },
  /**
   * A session's prompt deck, co-edited by its facilitators: `prompts` is a Y.Array of Y.Maps,
   * one per prompt (`PromptDeckItem` in prompts.ts). Staff only: a participant receives a
   * prompt as a `prompt.released` event once it is released to them, never the deck.
   * 512 KiB holds hundreds of prompts and their edit history.
   */
  prompt_deck: { roots: { prompts: 'sequence' }, maxBytes: 512 * 1024 },
  /**
   * A session's integration circle notes (circle-notes.ts): rich text co-written by the group's
   * facilitators and co-therapists, read by its medical provider, read-only for all once signed.
   * 4 MiB holds a long session's notes with their whole edit history.
   */
  circle_notes: { roots: { [CIRCLE_NOTES_FIELD]: 'sequence' }, maxBytes: 4 * 1024 * 1024, richText: true },
} as const satisfies Record<string, DocumentKindSpec>;

export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export function isDocumentKind(value: string): value is DocumentKind {
  return Object.hasOwn(DOCUMENT_KINDS, value);
}

export type DocumentAccess = 'none' | 'read' | 'write';

export interface DocumentFacts {
  kind: string;
  clinicId: string;
  ownerUserId: string | null;
  /** Circle notes only: signed, so nobody writes them any more. */
  signed?: boolean;
}

export interface StaffFacts {
  userId: string;
  clinicId: string;
  roles: readonly StaffRole[];
  /**
   * The viewer's roles in the group the document's session belongs to (empty when it belongs
   * to none, or they are not on that group's staff): what counts for a session's documents.
   */
  groupRoles?: readonly GroupStaffRole[];
}

/** Who may open a document, and whether they may change it. Unknown kinds open for nobody. */
export function documentAccess(document: DocumentFacts, staff: StaffFacts): DocumentAccess {
  if (document.clinicId !== staff.clinicId || !isDocumentKind(document.kind)) return 'none';
  switch (document.kind) {
    case 'clinician_note':
      return document.ownerUserId === staff.userId ? 'write' : 'none';
    case 'prompt_deck':
      return promptDeckAccess(staff.groupRoles ?? []);
    case 'circle_notes':
      return circleNotesAccess(staff.groupRoles ?? [], document.signed === true);
  }
}

/**
 * A session's prompt deck: its group's facilitators and co-therapists write it, its medical
 * provider reads it (to know what the room will be asked), nobody else opens it — clinic
 * roles alone never do.
 */
export function promptDeckAccess(groupRoles: readonly GroupStaffRole[]): DocumentAccess {
  if (groupRoles.includes('facilitator') || groupRoles.includes('co_therapist')) return 'write';
  if (groupRoles.includes('medical_provider')) return 'read';
  return 'none';
}

/**
 * A session's circle notes: written like its prompt deck (facilitators and co-therapists write,
 * the medical provider reads, clinic roles alone never open them) until someone signs them;
 * from then on everyone who could open them reads only — corrections go in addenda.
 */
export function circleNotesAccess(groupRoles: readonly GroupStaffRole[], signed: boolean): DocumentAccess {
  const access = promptDeckAccess(groupRoles);
  return signed && access === 'write' ? 'read' : access;
}
