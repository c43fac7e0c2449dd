/**
 * FT-08: the encrypted local buffer. Every journal update is encrypted with the journal key and
 * written here *before* it is sent; it is removed once the server has acknowledged it. If the
 * tablet reloads or crashes while offline, the next unlock decrypts what is here, merges it into
 * the document and sends it (the same blob id, so a blob the server did store is stored once).
 *
 * Only ciphertext is ever stored — the key stays in memory — so what a reload leaves on the
 * device is as unreadable as what the server holds. "Sign out & clear" deletes the whole
 * database (AC-10). docs/journals.md "Offline buffer" has the residual risk.
 */

export interface BufferedBlob {
  journalId: string;
  blobId: string;
  /** The encrypted update, base64url, exactly as it is posted. */
  data: string;
  /** Orders the buffer (oldest first) across reloads. */
  createdAt: number;
}

export interface JournalOutbox {
  put(blob: BufferedBlob): Promise<void>;
  remove(journalId: string, blobId: string): Promise<void>;
  /** This journal's unsent blobs, oldest first. */
  list(journalId: string): Promise<BufferedBlob[]>;
  /** Deletes everything of every journal on this device. */
  clearAll(): Promise<void>;
}

const DB_NAME = 'cairn-journal-buffer';
const STORE = 'unsent';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed.'));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed.'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted.'));
  });
}

/** The buffer in IndexedDB, keyed by [journalId, blobId]. */
export function indexedDbOutbox(factory: IDBFactory = indexedDB): JournalOutbox {
  let opening: Promise<IDBDatabase> | null = null;

  const open = (): Promise<IDBDatabase> => {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: ['journalId', 'blobId'] });
        store.createIndex('journalId', 'journalId');
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab clearing the device must not wait on this one.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error ?? new Error('IndexedDB unavailable.'));
      };
    });
    return opening;
  };

  return {
    async put(blob) {
      const transaction = (await open()).transaction(STORE, 'readwrite');
      transaction.objectStore(STORE).put(blob);
      // Resolves only once the write is committed: "buffered" must mean it survives a reload.
      await committed(transaction);
    },
    async remove(journalId, blobId) {
      const transaction = (await open()).transaction(STORE, 'readwrite');
      transaction.objectStore(STORE).delete([journalId, blobId]);
      await committed(transaction);
    },
    async list(journalId) {
      const transaction = (await open()).transaction(STORE, 'readonly');
      const rows = await done(transaction.objectStore(STORE).index('journalId').getAll(journalId));
      return (rows as BufferedBlob[]).sort((a, b) => a.createdAt - b.createdAt);
    },
    async clearAll() {
      if (opening !== null) {
        const db = await opening.catch(() => null);
        db?.close();
        opening = null;
      }
      await new Promise<void>((resolve, reject) => {
        const request = factory.deleteDatabase(DB_NAME);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error('IndexedDB delete failed.'));
        // Another tab still has it open: the delete completes when that tab lets go (it closes on
        // versionchange), so do not wait here.
        request.onblocked = () => resolve();
      });
    },
  };
}

/** Where IndexedDB is missing or refused (some private modes): memory only, the page warns on leave. */
export function memoryOutbox(): JournalOutbox {
  const rows = new Map<string, BufferedBlob>();
  const key = (journalId: string, blobId: string) => JSON.stringify([journalId, blobId]);
  return {
    async put(blob) {
      rows.set(key(blob.journalId, blob.blobId), { ...blob });
    },
    async remove(journalId, blobId) {
      rows.delete(key(journalId, blobId));
    },
    async list(journalId) {
      return [...rows.values()]
        .filter((row) => row.journalId === journalId)
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    async clearAll() {
      rows.clear();
    },
  };
}

/** IndexedDB when the browser has it, otherwise memory. */
export function deviceOutbox(): JournalOutbox {
  return typeof indexedDB === 'undefined' ? memoryOutbox() : indexedDbOutbox();
}
