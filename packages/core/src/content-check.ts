/**
 * The rich-text check (BI-Y11): whether an update to a rich-text document (circle notes) writes
 * only what the editor can make — the nodes, marks and attributes of @cairn/domain's
 * circle-notes.ts, with a link only to http(s) or mailto. The socket runs it on the facts the
 * update guard's worker reported, before the update is applied, stored or relayed.
 */
import {
  DOCUMENT_KINDS,
  isDocumentKind,
  NOTE_MARKS,
  NOTE_NODES,
  noteAttributeProblem,
  type DocumentKindSpec,
  type NoteAttributeRule,
} from '@cairn/domain';
import type { ContentFacts, ValueFact } from '@cairn/sync';

export type ContentViolation =
  | 'unknown_node'
  | 'foreign_content'
  | 'unknown_mark'
  | 'bad_mark_attribute'
  | 'unknown_attribute'
  | 'bad_attribute'
  | 'misplaced_content';

/** y-prosemirror stores an overlapping mark as `<name>--<8-character hash>` (y-tiptap's rule). */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

const NODE_RULES: Record<string, Record<string, NoteAttributeRule>> = NOTE_NODES;
const MARK_RULES: Record<string, Record<string, NoteAttributeRule>> = NOTE_MARKS;

/**
 * Every node attribute by name, with each rule any node gives it: an overwrite whose element
 * the update does not create cannot be named cheaply, so it is judged against them all.
 */
const ANY_NODE_RULES = new Map<string, NoteAttributeRule[]>();
for (const attributes of Object.values(NODE_RULES)) {
  for (const [key, rule] of Object.entries(attributes)) {
    ANY_NODE_RULES.set(key, [...(ANY_NODE_RULES.get(key) ?? []), rule]);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

function markProblem(key: string, value: unknown): ContentViolation | null {
  const name = HASHED_MARK.exec(key)?.[1] ?? key;
  if (!Object.hasOwn(MARK_RULES, name)) return 'unknown_mark';
  if (value === null) return null; // the mark is removed from that text
  if (!isPlainObject(value)) return 'bad_mark_attribute';
  const rules = MARK_RULES[name]!;
  for (const [attribute, attributeValue] of Object.entries(value)) {
    const rule = Object.hasOwn(rules, attribute) ? rules[attribute] : undefined;
    if (!rule || noteAttributeProblem(rule, attributeValue) !== null) return 'bad_mark_attribute';
  }
  return null;
}

function valueProblem(fact: ValueFact): ContentViolation | null {
  // Its neighbour is in neither the update nor the document: Yjs keeps it waiting, and the
  // room drops what waits, so it is never applied (resolveAgainstDocument in @cairn/sync).
  if (fact.key === null && (fact.after !== null || fact.before !== null)) return null;
  // A value in a sequence, or an entry of a root map: rich text writes neither.
  if (fact.key === null || fact.onRoot) return 'foreign_content';
  const rules =
    fact.node !== null
      ? Object.hasOwn(NODE_RULES, fact.node) && Object.hasOwn(NODE_RULES[fact.node]!, fact.key)
        ? [NODE_RULES[fact.node]![fact.key]!]
        : []
      : (ANY_NODE_RULES.get(fact.key) ?? []);
  if (rules.length === 0) return 'unknown_attribute';
  const allowed = fact.values.every((value) =>
    rules.some((rule) => noteAttributeProblem(rule, value) === null),
  );
  return allowed ? null : 'bad_attribute';
}

/** The first thing in `content` a document of `kind` may not hold, or null (kinds not rich text: null). */
export function findContentViolation(kind: string, content: ContentFacts): ContentViolation | null {
  if (!isDocumentKind(kind)) return 'foreign_content';
  const spec: DocumentKindSpec = DOCUMENT_KINDS[kind];
  if (!spec.richText) return null;
  if (content.elements.some((name) => !Object.hasOwn(NODE_RULES, name))) return 'unknown_node';
  // Text is Y.XmlText; embeds, binaries, subdocuments, hooks and other types are never written.
  if (content.other.length > 0 || content.types.some((type) => type !== 'XmlText')) return 'foreign_content';
  for (const { key, value } of content.formats) {
    const problem = markProblem(key, value);
    if (problem) return problem;
  }
  for (const fact of content.values) {
    const problem = valueProblem(fact);
    if (problem) return problem;
  }
  // Text only inside a text run, nodes only in the fragment or an element: anything else
  // breaks every editor that binds the notes (y-prosemirror cannot map it to ProseMirror).
  // A placement the document could not name is never applied (see valueProblem).
  if (content.textIn.some((place) => place.kind !== null && place.kind !== 'text'))
    return 'misplaced_content';
  if (
    content.nodesIn.some((place) => place.kind !== null && place.kind !== 'root' && place.kind !== 'element')
  )
    return 'misplaced_content';
  return null;
}
