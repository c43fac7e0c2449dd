/**
 * What the server's update guard learns from an untrusted Yjs update before applying it.
 * Shared by the worker (which produces it) and the rules (which judge it).
 */
export interface UpdateFacts {
  /** Structs (insertions and garbage-collected ranges) the update carries. */
  structCount: number;
  /** Client ids that authored those structs: each must belong to the sending connection. */
  clients: number[];
  /** Root types the update names explicitly, and whether it writes them as maps (keyed). */
  roots: Array<{ name: string; keyed: boolean }>;
  /** Client ids whose content the update deletes (deleting others' text is a legal edit). */
  deleteClients: number[];
  /**
   * What the update writes, for kinds whose content is checked too (rich text, BI-Y11): only
   * when the guard was asked to describe it. Describing and resolving every update, of every
   * kind, tripled the W1 fan-out median (docs/benchmarks.md, "Issue 6 check").
   */
  content?: ContentFacts;
}

/**
 * What an update writes, as far as a content check needs it. Rich text (y-prosemirror, Tiptap)
 * writes Y.XmlElements (nodes), Y.XmlText with formatting (marks) and element attributes
 * (values under a key); everything else here is something rich text never writes.
 */
export interface ContentFacts {
  /** Node names of the Y.XmlElements the update creates. */
  elements: string[];
  /** Other shared types it creates: 'XmlText', 'XmlFragment', 'XmlHook', 'Map', 'Array', 'Text'. */
  types: string[];
  /** Content that is neither text, formatting, a type nor a value: 'embed', 'binary', 'doc', 'json'. */
  other: string[];
  /** Formatting set on text: the key as stored (a mark's name, maybe `name--<hash>`) and its value. */
  formats: Array<{ key: string; value: unknown }>;
  /** Values written (Yjs "any" content): map entries and element attributes, or sequence entries. */
  values: ValueFact[];
  /** Where the update puts text and formatting (rich text: only into a Y.XmlText). */
  textIn: PlacementFact[];
  /** Where it puts new shared types (rich text: into the root fragment or an element). */
  nodesIn: PlacementFact[];
}

/**
 * The kind of parent something goes into: `root` (a root type), `element`, `text` (a
 * Y.XmlText), `other` — or null while only the document can tell: the parent (`parent`) or the
 * neighbour it follows (`after`, else `before`) is not in the update. Deduplicated.
 */
export interface PlacementFact {
  kind: 'root' | 'element' | 'text' | 'other' | null;
  parent: [number, number] | null;
  after: [number, number] | null;
  before: [number, number] | null;
}

export interface ValueFact {
  /** The key it is written under; null for a sequence entry, or while `after` is unresolved. */
  key: string | null;
  /**
   * An overwrite names no key: it follows the item it comes after (`[client, clock]`), which the
   * update does not carry. The key is that item's, found in the document (`resolveAgainstDocument`).
   */
  after: [number, number] | null;
  /** Before an item `after` names: the item it comes before, the other way to its key. */
  before: [number, number] | null;
  /** The node name of the element it belongs to, when the update creates that element too. */
  node: string | null;
  /** Its parent is a root (a root map's entry), not an element or a nested type. */
  onRoot: boolean;
  values: unknown[];
}

export type GuardRejection = 'empty' | 'too_large' | 'malformed' | 'too_costly';

export type GuardVerdict = { ok: true; facts: UpdateFacts } | { ok: false; reason: GuardRejection };

/** Updates decoded in one round trip to the worker: one message each way, not one per update. */
export interface GuardRequest {
  id: number;
  updates: Uint8Array[];
  /** Per update: whether to describe its content (its document's kind is rich text). */
  describe: boolean[];
}

/** One verdict per update of the request, in its order. */
export interface GuardResponse {
  id: number;
  verdicts: GuardVerdict[];
}
