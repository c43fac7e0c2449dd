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
}

export type GuardRejection = 'empty' | 'too_large' | 'malformed' | 'too_costly';

export type GuardVerdict = { ok: true; facts: UpdateFacts } | { ok: false; reason: GuardRejection };

/** Updates decoded in one round trip to the worker: one message each way, not one per update. */
export interface GuardRequest {
  id: number;
  updates: Uint8Array[];
}

/** One verdict per update of the request, in its order. */
export interface GuardResponse {
  id: number;
  verdicts: GuardVerdict[];
}
