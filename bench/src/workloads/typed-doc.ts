/**
 * W3's document: ~1 MB encoded, built the way a long note is really typed: tens of thousands
 * of short inserts at random positions with some deletions, all from one seeded PRNG, so
 * every run (and every system) gets byte-identical state.
 */
import * as Y from 'yjs';
import { mulberry32 } from '../stats/prng.ts';

export interface TypedDoc {
  state: Uint8Array;
  text: string;
  operations: number;
}

const CHECK_EVERY = 2000;

export function typedDocument(targetBytes: number, seed: number): TypedDoc {
  const random = mulberry32(seed);
  const doc = new Y.Doc();
  doc.clientID = 9;
  const text = doc.getText('content');
  let operations = 0;
  let state: Uint8Array = new Uint8Array();
  while (state.byteLength < targetBytes) {
    const length = text.length;
    if (length > 100 && random() < 0.1) {
      text.delete(Math.floor(random() * (length - 10)), 1 + Math.floor(random() * 5));
    } else {
      const word = 'abcdefghijklmnopqrstuvwxyz '.repeat(2).slice(0, 1 + Math.floor(random() * 30));
      text.insert(Math.floor(random() * (length + 1)), word);
    }
    operations += 1;
    if (operations % CHECK_EVERY === 0) state = Y.encodeStateAsUpdate(doc);
  }
  const result = { state, text: text.toString(), operations };
  doc.destroy();
  return result;
}

/** Client-side cost of loading it, measured alone: a real provider adds this to W3's times. */
export function applyCostMs(state: Uint8Array): number {
  Y.applyUpdate(new Y.Doc(), state); // warm the code paths first
  const started = performance.now();
  Y.applyUpdate(new Y.Doc(), state);
  return performance.now() - started;
}

/** Server-side floor of a sync: encoding the whole state for an empty state vector. */
export function encodeCostMs(state: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  Y.encodeStateAsUpdate(doc);
  const started = performance.now();
  Y.encodeStateAsUpdate(doc);
  return performance.now() - started;
}
