/**
 * What an untrusted update writes, for the content check of rich-text documents (BI-Y11):
 * element names, formatting (marks), values under keys (element attributes) and any content
 * rich text never uses. The update guard's worker describes the decoded structs; the socket
 * then names the keys an overwrite leaves out (`resolveAgainstDocument`), against the document.
 *
 * Yjs writes a value's key (`parentSub`) only on an item with no neighbours: an overwrite of
 * an attribute comes "after" the value it replaces and inherits its key from it. So a key is
 * found by following the item's origin (or right origin) — inside the update when it carries
 * that item, else in the document the update is applied to.
 */
import * as Y from 'yjs';
import type { ContentFacts, PlacementFact, ValueFact } from './update-facts.ts';

type Struct = Y.Item | Y.GC | Y.Skip;
type IdPair = [number, number];

const pair = (id: Y.ID | null): IdPair | null => (id ? [id.client, id.clock] : null);

/** Finds the struct covering an id among the update's own structs (sorted by clock per client). */
function indexStructs(structs: readonly Struct[]): (id: Y.ID) => Struct | undefined {
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    let list = byClient.get(struct.id.client);
    if (!list) byClient.set(struct.id.client, (list = []));
    list.push(struct);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return (id) => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const struct = list[mid]!;
      if (id.clock < struct.id.clock) high = mid - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
      else return struct;
    }
    return undefined;
  };
}

/** The Yjs name of a shared type other than an element (subclasses first). */
function typeName(type: Y.AbstractType<unknown>): string {
  if (type instanceof Y.XmlText) return 'XmlText';
  if (type instanceof Y.Text) return 'Text';
  if (type instanceof Y.XmlHook) return 'XmlHook';
  if (type instanceof Y.Map) return 'Map';
  if (type instanceof Y.XmlFragment) return 'XmlFragment';
  if (type instanceof Y.Array) return 'Array';
  return 'unknown';
}

interface Placed {
  parent: string | Y.ID | null;
  key: string | null;
  /** The neighbours to look for in the document when the update does not say. */
  after: IdPair | null;
  before: IdPair | null;
}

const UNPLACED: Placed = { parent: null, key: null, after: null, before: null };

/**
 * Where each item goes: its own parent and key, or the first neighbour's that has them (the
 * order Yjs integrates by: origin, then right origin). Memoised along the way: typing sends
 * long chains of characters each placed after the previous one, and every item of a chain is
 * walked once, not once per item after it.
 */
function placer(find: (id: Y.ID) => Struct | undefined): (item: Y.Item) => Placed {
  const placed = new Map<Y.Item, Placed>();
  return (item) => {
    const walked: Y.Item[] = [];
    const walking = new Set<Y.Item>();
    let current: Y.Item = item;
    let result: Placed = UNPLACED;
    for (;;) {
      const known = placed.get(current);
      if (known) {
        result = known;
        break;
      }
      walked.push(current);
      walking.add(current);
      if (current.parent !== null) {
        result = {
          parent: current.parent as string | Y.ID,
          key: current.parentSub,
          after: null,
          before: null,
        };
        break;
      }
      const left = current.origin ? find(current.origin) : undefined;
      if (left instanceof Y.Item) {
        if (walking.has(left)) break; // a cycle only a forged update has: placed nowhere
        current = left;
        continue;
      }
      // A left neighbour the update does not carry is the document's to name (resolveAgainstDocument).
      if (current.origin && !left) {
        result = { parent: null, key: null, after: pair(current.origin), before: pair(current.rightOrigin) };
        break;
      }
      const right = current.rightOrigin ? find(current.rightOrigin) : undefined;
      if (right instanceof Y.Item && !walking.has(right)) {
        current = right;
        continue;
      }
      result = { parent: null, key: null, after: null, before: pair(current.rightOrigin) };
      break;
    }
    for (const item of walked) placed.set(item, result);
    return result;
  };
}

type ParentKind = PlacementFact['kind'];

/** What kind of parent a shared type is, for where text and nodes may go. */
function parentKind(type: Y.AbstractType<unknown>): Exclude<ParentKind, 'root'> {
  if (type instanceof Y.XmlText) return 'text';
  if (type instanceof Y.XmlElement) return 'element';
  return 'other';
}

/** Describes the content of an update's decoded structs (run in the guard's worker). */
export function describeUpdateContent(structs: readonly Struct[]): ContentFacts {
  const find = indexStructs(structs);
  const placeOf = placer(find);
  const facts: ContentFacts = {
    elements: [],
    types: [],
    other: [],
    formats: [],
    values: [],
    textIn: [],
    nodesIn: [],
  };
  const typeAt = (parent: Y.ID): Y.AbstractType<unknown> | null => {
    const item = find(parent);
    return item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : null;
  };
  const nodeOf = (parent: string | Y.ID | null): string | null => {
    if (parent === null || typeof parent === 'string') return null;
    const type = typeAt(parent);
    return type instanceof Y.XmlElement ? type.nodeName : null;
  };
  /** Where an item goes, as far as the update tells; deduplicated (a paste repeats itself). */
  const seen = new Set<string>();
  const placement = (item: Y.Item, list: PlacementFact[]) => {
    const { parent, after, before } = placeOf(item);
    let fact: PlacementFact;
    if (typeof parent === 'string') fact = { kind: 'root', parent: null, after: null, before: null };
    else if (parent !== null) {
      const type = typeAt(parent);
      fact = type
        ? { kind: parentKind(type), parent: null, after: null, before: null }
        : { kind: null, parent: pair(parent), after: null, before: null };
    } else fact = { kind: null, parent: null, after, before };
    const id = `${list === facts.textIn ? 't' : 'n'}${JSON.stringify(fact)}`;
    if (seen.has(id)) return;
    seen.add(id);
    list.push(fact);
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentType) {
      if (content.type instanceof Y.XmlElement) facts.elements.push(content.type.nodeName);
      else facts.types.push(typeName(content.type));
      placement(struct, facts.nodesIn);
    } else if (content instanceof Y.ContentFormat) {
      facts.formats.push({ key: content.key, value: content.value });
      placement(struct, facts.textIn);
    } else if (content instanceof Y.ContentString) {
      placement(struct, facts.textIn);
    } else if (content instanceof Y.ContentAny) {
      const placed = placeOf(struct);
      const value: ValueFact = {
        key: placed.key,
        after: placed.key === null ? placed.after : null,
        before: placed.key === null ? placed.before : null,
        node: nodeOf(placed.parent),
        onRoot: typeof placed.parent === 'string',
        values: content.arr,
      };
      facts.values.push(value);
    } else if (content instanceof Y.ContentEmbed) facts.other.push('embed');
    else if (content instanceof Y.ContentBinary) facts.other.push('binary');
    else if (content instanceof Y.ContentDoc) facts.other.push('doc');
    else if (content instanceof Y.ContentJSON) facts.other.push('json');
    // ContentDeleted is a deletion: nothing to check.
  }
  return facts;
}

/**
 * Completes what the update left to the document, as `doc` holds it now: the key and element of
 * each value written after (or before) an item the update does not carry, and the kind of parent
 * text and nodes go into when the update does not say. Call it right before applying, with no
 * wait in between: what `doc` cannot place stays unresolved, and Yjs will not integrate it
 * either (it waits for the missing item, and the room drops what waits), so it changes nothing.
 */
export function resolveAgainstDocument(content: ContentFacts, doc: Y.Doc): ContentFacts {
  const lookup = (id: IdPair): Y.Item | Y.GC | null => {
    try {
      return Y.getItem(doc.store, Y.createID(id[0], id[1])) as Y.Item | Y.GC;
    } catch {
      return null; // not in the document (yet)
    }
  };
  // Yjs takes the parent from the left neighbour if it is an item, else from the right one.
  const neighbourOf = (after: IdPair | null, before: IdPair | null): Y.Item | null => {
    const left = after ? lookup(after) : null;
    if (left instanceof Y.Item) return left;
    if (after && !left) return null;
    const right = before ? lookup(before) : null;
    return right instanceof Y.Item ? right : null;
  };
  const kindOf = (type: Y.AbstractType<unknown>): PlacementFact['kind'] =>
    type._item === null ? 'root' : parentKind(type);
  const place = (fact: PlacementFact): PlacementFact => {
    if (fact.kind !== null) return fact;
    if (fact.parent) {
      const item = lookup(fact.parent);
      return item instanceof Y.Item && item.content instanceof Y.ContentType
        ? { ...fact, kind: kindOf(item.content.type), parent: null }
        : fact;
    }
    const neighbour = neighbourOf(fact.after, fact.before);
    return neighbour?.parent
      ? { kind: kindOf(neighbour.parent as Y.AbstractType<unknown>), parent: null, after: null, before: null }
      : fact;
  };
  const values = content.values.map((value): ValueFact => {
    if (value.after === null && value.before === null) return value;
    const neighbour = neighbourOf(value.after, value.before);
    if (!neighbour || !neighbour.parent) return value;
    const parent = neighbour.parent as Y.AbstractType<unknown>;
    return {
      ...value,
      key: neighbour.parentSub,
      after: null,
      before: null,
      node: parent instanceof Y.XmlElement ? parent.nodeName : null,
      onRoot: parent._item === null,
    };
  });
  return { ...content, values, textIn: content.textIn.map(place), nodesIn: content.nodesIn.map(place) };
}
