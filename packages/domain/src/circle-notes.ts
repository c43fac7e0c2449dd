/**
 * Integration circle notes (PRODUCT §3.4): one rich-text Yjs document per session, co-written
 * by the group's staff with the Tiptap editor, and what the server lets into it. The editor's
 * schema and the server's check read the same lists below, so a node the editor can make is
 * one the server accepts and nothing else is (BI-Y11: `javascript:` links, iframes, event
 * handler attributes are refused before they are stored or relayed).
 *
 * The document keeps ProseMirror's shape in a Y.XmlFragment named `CIRCLE_NOTES_FIELD`:
 * elements are nodes (attributes are node attributes), Y.XmlText carries the text, and marks
 * are formatting attributes on it (`bold: {}`, `link: { href }`), as y-prosemirror writes them.
 */

/** The Y.XmlFragment the editor binds to (Tiptap Collaboration's `field`). */
export const CIRCLE_NOTES_FIELD = 'content';

/** Node names and, for each, the attributes it may carry and how each is checked. */
export const NOTE_NODES = {
  paragraph: {},
  heading: { level: 'heading_level' },
  bulletList: {},
  orderedList: { start: 'small_int', type: 'list_type' },
  listItem: {},
  blockquote: {},
  hardBreak: {},
  horizontalRule: {},
} as const satisfies Record<string, Record<string, NoteAttributeRule>>;

/** Mark names and their attributes (the link's `href` is checked against LINK_PROTOCOLS). */
export const NOTE_MARKS = {
  bold: {},
  italic: {},
  underline: {},
  strike: {},
  link: { href: 'link_href', target: 'link_target', rel: 'short_text', class: 'null_only' },
} as const satisfies Record<string, Record<string, NoteAttributeRule>>;

export type NoteAttributeRule =
  'heading_level' | 'small_int' | 'list_type' | 'link_href' | 'link_target' | 'short_text' | 'null_only';

export type NoteNodeName = keyof typeof NOTE_NODES;
export type NoteMarkName = keyof typeof NOTE_MARKS;

/** The only URL schemes a link in a note may use. Relative links are refused too. */
export const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/** Longest addendum, in characters. */
export const ADDENDUM_MAX_CHARS = 10_000;

/** Who signed the note and when: from then on it is read-only for everyone. */
export interface NoteSignatureView {
  by: string;
  at: string;
}

export interface NoteAddendumView {
  id: string;
  text: string;
  by: string;
  at: string;
}

/** `POST /api/v1/sessions/:id/circle-notes`: the session's notes document, made on first use. */
export interface CircleNotesView {
  /** Open it with the doc socket: `/ws/doc/:docId`. */
  docId: string;
  /** `write` for the group's facilitators and co-therapists until signed; `read` otherwise. */
  access: 'read' | 'write';
  signed: NoteSignatureView | null;
  addenda: NoteAddendumView[];
}

/** One entry of the notes' history: the state after the update at `seq`, and who wrote it. */
export interface NoteVersionView {
  seq: number;
  at: string;
  /** Everyone whose updates fall between the previous version and this one. */
  authors: Array<{ userId: string; name: string }>;
  /** Characters of text in the note at this version (a sudden drop is a mass delete). */
  characters: number;
}

/** A version's content, as ProseMirror JSON (`{ type: 'doc', content: [...] }`). */
export interface NoteVersionContentView {
  seq: number;
  doc: NoteJsonNode;
}

export interface NoteJsonNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NoteJsonNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

/** `POST /api/v1/sessions/:id/clinician-note`: the viewer's own private note for the session. */
export interface ClinicianNoteView {
  docId: string;
}

/** Why a value of a node or mark attribute is refused, or null when it is allowed. */
export function noteAttributeProblem(rule: NoteAttributeRule, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (rule) {
    case 'heading_level':
      return value === 1 || value === 2 || value === 3 ? null : 'heading level must be 1, 2 or 3';
    case 'small_int':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10_000
        ? null
        : 'must be a whole number';
    case 'list_type':
      return typeof value === 'string' && /^[1aAiI]$/.test(value) ? null : 'unknown list type';
    case 'link_target':
      return value === '_blank' ? null : 'link target must be _blank';
    case 'short_text':
      return typeof value === 'string' && value.length <= 200 ? null : 'too long';
    case 'null_only':
      return 'not allowed';
    case 'link_href':
      return linkHrefProblem(value);
  }
}

/** A link's address must be absolute, and http(s) or mailto (BI-Y11). */
export function linkHrefProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return 'link address is not text or too long';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'link address is not an absolute URL';
  }
  return (LINK_PROTOCOLS as readonly string[]).includes(url.protocol)
    ? null
    : `links may only use ${LINK_PROTOCOLS.join(' ')}`;
}
