import type * as Y from 'yjs';

/**
 * A plain textarea bound to a Y.Text. Each input becomes the smallest delete + insert that turns
 * the old text into the new one (the common start and end are left alone), so a second device
 * editing the same entry merges character by character instead of one device's whole text
 * replacing the other's.
 */
export function applyTextChange(text: Y.Text, before: string, after: string): void {
  if (before === after) return;
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before[start] === after[start]) start++;
  let end = 0;
  while (end < shortest - start && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end++;
  }
  const removed = before.length - start - end;
  const inserted = after.slice(start, after.length - end);
  const apply = () => {
    if (removed > 0) text.delete(start, removed);
    if (inserted.length > 0) text.insert(start, inserted);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

/**
 * Where the caret should sit after a change from elsewhere: a caret after the changed range
 * moves with it, one before it stays. Keeps typing on this device from jumping when another
 * device's edit arrives.
 */
export function shiftCaret(caret: number, before: string, after: string): number {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before[start] === after[start]) start++;
  if (caret <= start) return caret;
  return Math.max(start, Math.min(after.length, caret + after.length - before.length));
}
