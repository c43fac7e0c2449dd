/**
 * What crosses between the main thread and the SQLite worker (sqlite-worker.ts): requests,
 * answers, errors taken apart and put back together, and bytes handed over rather than copied.
 */
import { EmailTakenError, NotFoundError, SetupClosedError, StaleStreamError } from '../store.ts';

export interface SqliteWorkerData {
  file: string;
}

export type SqliteMethod = 'run' | 'all' | 'get' | 'values';

export type SqliteCommand =
  /** One statement from drizzle's sqlite-proxy driver on the main thread. */
  | {
      op: 'query';
      sql: string;
      params: unknown[];
      method: SqliteMethod;
      /** A BEGIN that the main thread held back, to run just before this statement. */
      begin: string | undefined;
    }
  /** A whole Store operation of the parts that run in the worker (see store.ts). */
  | { op: 'store'; method: string; args: unknown[] }
  /** Raw SQL, possibly several statements (tests and tooling). */
  | { op: 'exec'; sql: string }
  /** Rows as objects keyed by column name (readiness, tests and tooling). */
  | { op: 'rows'; sql: string; params: unknown[] }
  | { op: 'migrate'; folder: string }
  | { op: 'close' };

export type SqliteRequest = SqliteCommand & { id: number };

/** An error taken apart for the trip across threads: structured clone keeps no own fields. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  /** Own fields with primitive values: node:sqlite's code, errcode, errstr; NotFoundError's. */
  fields: Record<string, string | number | boolean | null>;
  cause?: SerializedError;
}

export type SqliteResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError }
  /** The connection could not be opened; the worker stops after sending this. */
  | { id: 0; ok: false; fatal: true; error: SerializedError };

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error))
    return { name: 'Error', message: String(error), stack: undefined, fields: {} };
  const fields: SerializedError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      fields[key] = value as string | number | boolean | null;
    }
  }
  const serialized: SerializedError = {
    name: error.name,
    message: error.message,
    stack: error.stack,
    fields,
  };
  if (error.cause !== undefined && depth < 5) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}

/** Errors callers tell apart by class: they come back as instances of the same class. */
const CLASSES: Record<string, { prototype: Error }> = {
  Error,
  RangeError,
  TypeError,
  EmailTakenError,
  NotFoundError,
  SetupClosedError,
  StaleStreamError,
};

/** The error as the worker threw it: same class (when callers test it), fields and causes. */
export function rebuildError(serialized: SerializedError): Error {
  const error = Object.create((CLASSES[serialized.name] ?? Error).prototype) as Error;
  const define = (key: string, value: unknown) =>
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  define('message', serialized.message);
  if (!(serialized.name in CLASSES)) define('name', serialized.name);
  // Where it failed, in the worker; the caller's own stack is the awaiting one on this thread.
  define('stack', serialized.stack ?? `${serialized.name}: ${serialized.message}`);
  if (serialized.cause) define('cause', rebuildError(serialized.cause));
  Object.assign(error, serialized.fields);
  return error;
}

/**
 * A deep copy of a Store operation's arguments, taken when the call is made: it may wait in
 * the queue, and a caller that reuses its buffers must not change what is written. Only plain
 * data is copied (what the Store reads); anything else a caller's objects carry, such as the
 * commit queue's resolve callbacks on each update, stays behind: it could not cross anyway.
 * The copies' bytes go into `transfer`, to be handed to the worker rather than copied again.
 */
export function ownCopy(value: unknown, transfer: ArrayBuffer[], depth = 0): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) throw new TypeError('Store arguments are nested too deeply to send to the SQLite worker.');
  if (value instanceof Uint8Array) {
    const copy = new Uint8Array(value);
    transfer.push(copy.buffer);
    return copy;
  }
  if (value instanceof Date) return new Date(value.getTime());
  const next = (item: unknown) => ownCopy(item, transfer, depth + 1);
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, next(item)]));
  if (value instanceof Set) return new Set([...value].map(next));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined; // not plain data
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const copied = next(item);
    if (copied !== undefined || item === undefined) copy[key] = copied;
  }
  return copy;
}

/**
 * The buffers of the byte arrays in a result (BLOBs: node:sqlite gives each its own, which the
 * worker keeps no reference to), to hand over rather than copy. Shared or partly used buffers
 * are left to be copied.
 */
export function ownBuffers(value: unknown, found = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (value instanceof Uint8Array) {
    const { buffer } = value;
    if (buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength) {
      found.add(buffer);
    }
  } else if (value !== null && typeof value === 'object' && depth < 4) {
    const items = Array.isArray(value)
      ? value
      : value instanceof Map
        ? [...value.values()]
        : value instanceof Date
          ? []
          : Object.values(value);
    for (const item of items) ownBuffers(item, found, depth + 1);
  }
  return [...found];
}
