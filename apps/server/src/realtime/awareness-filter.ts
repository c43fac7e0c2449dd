/**
 * Awareness (who is here, where their caret is) comes from clients but identity must not:
 * an entry is accepted only for a client id this connection owns, its state is capped in
 * size, and `user` (name, role, colour) is overwritten with what the server knows from the
 * session (BI-Y13, BI-Y14).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface StampedIdentity {
  name: string;
  role: string;
  color: string;
}

export const MAX_AWARENESS_ENTRIES = 4;
export const MAX_AWARENESS_STATE_BYTES = 1024;

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

function readEntries(update: Uint8Array): Entry[] | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_AWARENESS_ENTRIES) return null;
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      entries.push({ clientId, clock, state });
    }
    return decoding.hasContent(decoder) ? null : entries;
  } catch {
    return null;
  }
}

/**
 * Returns the update to apply (entries of owned clients only, identity stamped), or null when
 * nothing in it may be applied. `owns` decides, and may claim, a client id for the connection.
 */
export function filterAwarenessUpdate(
  update: Uint8Array,
  owns: (clientId: number) => boolean,
  identity: StampedIdentity,
): Uint8Array | null {
  const entries = readEntries(update);
  if (!entries) return null;
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (entry.state.length > MAX_AWARENESS_STATE_BYTES || !owns(entry.clientId)) continue;
    let state: unknown;
    try {
      state = JSON.parse(entry.state);
    } catch {
      continue;
    }
    if (state === null) {
      kept.push(entry); // "I am leaving": allowed for one's own id only, as checked above
    } else if (typeof state === 'object' && !Array.isArray(state)) {
      kept.push({ ...entry, state: JSON.stringify({ ...state, user: identity }) });
    }
  }
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/** A calm, stable colour per person, so colleagues recognise each other's carets. */
export function colourFor(userId: string): string {
  const palette = ['#1d6f5f', '#7a4bb3', '#b3541e', '#1f5fa8', '#8a6d00', '#a8325e', '#3d7a1f', '#5a5f6b'];
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length]!;
}
