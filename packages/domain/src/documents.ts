/**
 * Collaborative document kinds: what roots a document of each kind may contain, and who may
 * open it. One document is one access boundary (PRODUCT §2): private content never shares a
 * document with content someone else may read. Kinds that depend on group membership (circle
 * notes, prompt decks) join this table with groups.
 */
import type { StaffRole } from './roles.ts';

/** How a root is written: `sequence` for Y.Text / Y.XmlFragment / Y.Array, `map` for Y.Map. */
export type RootShape = 'sequence' | 'map';

export interface DocumentKindSpec {
  /** The only roots a document of this kind may have, with their shape (BI-Y5). */
  roots: Record<string, RootShape>;
  /** Largest document, in bytes of its stored state (BI-Y4). */
  maxBytes: number;
}

export const DOCUMENT_KINDS = {
  /**
   * A clinician's private process note (HIPAA "psychotherapy notes"): its author alone reads
   * and writes it; it is never exported with the record.
   */
  clinician_note: { roots: { content: 'sequence', meta: 'map' }, maxBytes: 2 * 1024 * 1024 },
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
}

export interface StaffFacts {
  userId: string;
  clinicId: string;
  roles: readonly StaffRole[];
}

/** Who may open a document, and whether they may change it. Unknown kinds open for nobody. */
export function documentAccess(document: DocumentFacts, staff: StaffFacts): DocumentAccess {
  if (document.clinicId !== staff.clinicId || !isDocumentKind(document.kind)) return 'none';
  switch (document.kind) {
    case 'clinician_note':
      return document.ownerUserId === staff.userId ? 'write' : 'none';
  }
}
