/**
 * The participant journal on this device: unlock, the Yjs document, and its sync as encrypted
 * blobs (docs/journals.md). Plain TypeScript so it runs under Vitest; journal.svelte.ts gives
 * it reactive state for the pages.
 *
 * Sync in one paragraph: local Yjs updates are batched for a moment, merged, encrypted with the
 * journal key, written to the encrypted local buffer (FT-08) and only then posted, one at a time,
 * in order, with bounded, jittered backoff. A blob leaves the buffer when the server has
 * acknowledged it; "saved" means nothing is left. Remote blobs are fetched after the last seq
 * read (on unlock, every few seconds, when the network comes back) and merged. When the log
 * since the last snapshot grows past a threshold, the device encrypts its whole state as one
 * snapshot and asks the server to replace the log with it.
 */
import {
  JOURNAL_BLOB_MAX_BYTES,
  JOURNAL_KDF,
  JOURNAL_SNAPSHOT_MAX_BYTES,
  type JournalFailedUnlockView,
  type JournalKdf,
  type JournalStatusView,
} from '@cairn/domain';
import * as Y from 'yjs';
import type { ApiFailure } from '../api.ts';
import { randomBytes, toBase64Url } from './bytes.ts';
import { decryptBlob, encryptBlob, type JournalBlobKind } from './blob-crypto.ts';
import type { JournalStroke } from './drawing.ts';
import { JournalApi, type JournalProof } from './journal-api.ts';
import {
  addEntry,
  addPromptAnswer,
  addStroke,
  entryText,
  listEntries,
  removeEntry,
  undoStroke,
  type JournalEntryView,
} from './journal-doc.ts';
import { passphraseSecret, recoverySecret, unwrapJournalKey, unwrapJournalKeyBytes } from './keys.ts';
import { prepareNewPassphrase, prepareSetup } from './journal-secrets.ts';
import {
  initialJournalView,
  isWrongSecret,
  problemOf,
  type JournalPhase,
  type JournalProblem,
  type JournalView,
  type SetUpResult,
  type UnlockResult,
} from './journal-view.ts';
import { deviceOutbox, type BufferedBlob, type JournalOutbox } from './local-buffer.ts';
import { recoveryCodeBytes } from './recovery-code.ts';

export type { JournalPhase, JournalProblem, JournalView, SetUpResult, UnlockResult } from './journal-view.ts';
export { initialJournalView } from './journal-view.ts';

export interface JournalOptions {
  api?: JournalApi;
  outbox?: JournalOutbox;
  /** Argon2id cost for new passphrases; product code keeps JOURNAL_KDF (tests pass less). */
  kdf?: JournalKdf;
  /** How long typing is gathered into one blob. */
  batchMs?: number;
  /** How often an unlocked journal looks for other devices' changes. */
  pollMs?: number;
  /** Compact when the log since the last snapshot has more blobs or bytes than these. */
  compactAfterBlobs?: number;
  compactAfterBytes?: number;
  /** Backoff bounds for failed sends. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

const LOCAL = Symbol('journal-local');
const REMOTE = Symbol('journal-remote');

interface UnsentBlob {
  blobId: string;
  data: string;
  /** How many local Yjs updates it carries (for `pending`). */
  updates: number;
}

/** Everything that exists only while unlocked; `lock()` drops it all at once. */
interface OpenJournal {
  journalId: string;
  key: CryptoKey;
  proof: JournalProof;
  doc: Y.Doc;
  queue: Uint8Array[];
  queueBytes: number;
  unsent: UnsentBlob[];
  /** The seq read up to. */
  seq: number;
  blobsSinceSnapshot: number;
  bytesSinceSnapshot: number;
  /** A blob that would not decrypt was seen since the last snapshot: never compact it away. */
  unreadableSinceSnapshot: boolean;
  /** Local state the log does not carry (an oversize change): only a snapshot saves it. */
  needsSnapshot: boolean;
  compactNotBefore: number;
  abort: AbortController;
  timers: Set<ReturnType<typeof setTimeout>>;
  batchTimer: ReturnType<typeof setTimeout> | null;
  sending: Promise<void> | null;
  fetching: Promise<void> | null;
  compacting: Promise<void> | null;
  retryAttempt: number;
  /** Sends wait until this time (backoff, Retry-After). */
  sendNotBefore: number;
  /** Sending stopped until the next unlock (signed out, proof rejected). */
  halted: boolean;
}

const FAR_MS = 2 ** 31 - 1;

export class JournalEngine {
  protected readonly view: JournalView;
  readonly #api: JournalApi;
  readonly #outbox: JournalOutbox;
  readonly #kdf: JournalKdf;
  readonly #batchMs: number;
  readonly #pollMs: number;
  readonly #compactAfterBlobs: number;
  readonly #compactAfterBytes: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  #status: JournalStatusView | null = null;
  #open: OpenJournal | null = null;
  /** Blobs buffered on this device before the journal was unlocked (from an earlier page). */
  #bufferedWhileLocked = 0;
  #browserAttached = false;
  /** A set-up, unlock or recovery is under way: a second tap must not start another. */
  #opening = false;
  #detachBrowser: (() => void) | null = null;

  constructor(view: JournalView = initialJournalView(), options: JournalOptions = {}) {
    this.view = view;
    this.#api = options.api ?? new JournalApi();
    this.#outbox = options.outbox ?? deviceOutbox();
    this.#kdf = options.kdf ?? { ...JOURNAL_KDF };
    this.#batchMs = options.batchMs ?? 800;
    this.#pollMs = options.pollMs ?? 15_000;
    this.#compactAfterBlobs = options.compactAfterBlobs ?? 50;
    this.#compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024;
    this.#retryMinMs = options.retryMinMs ?? 1_000;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
  }

  // ---- The view, read-only from outside ----------------------------------------------------

  get phase(): JournalPhase {
    return this.view.phase;
  }
  get doc(): Y.Doc | null {
    return this.view.doc;
  }
  get entries(): JournalEntryView[] {
    return this.view.entries;
  }
  get pending(): number {
    return this.view.pending;
  }
  get saved(): boolean {
    return this.view.saved;
  }
  get online(): boolean {
    return this.view.online;
  }
  get failedSinceLastUnlock(): JournalFailedUnlockView[] {
    return this.view.failedSinceLastUnlock;
  }
  get retryAfterSeconds(): number | null {
    return this.view.retryAfterSeconds;
  }
  get problem(): JournalProblem | null {
    return this.view.problem;
  }

  // ---- Lifecycle ---------------------------------------------------------------------------

  /** Reads whether the participant has a journal and how to unlock it (no secret needed). */
  async load(): Promise<void> {
    this.#attachBrowser();
    if (this.#open !== null) return;
    this.view.phase = 'loading';
    const answer = await this.#api.status();
    if (!answer.ok) {
      this.view.problem = problemOf(answer);
      this.view.phase = 'error';
      return;
    }
    this.#status = answer.data;
    this.view.problem = null;
    this.view.retryAfterSeconds = answer.data.retryAfterSeconds || null;
    if (!answer.data.exists || answer.data.journalId === undefined) {
      this.view.phase = 'absent';
      return;
    }
    // Changes made before a reload wait, encrypted, for the next unlock; the page may warn about them.
    this.#bufferedWhileLocked = await this.#outbox
      .list(answer.data.journalId)
      .then((rows) => rows.length)
      .catch(() => 0);
    this.#refreshPending();
    this.view.phase = 'locked';
  }

  /** Creates the journal. The passphrase must already pass `passphraseProblem`. */
  setUp(passphrase: string): Promise<SetUpResult> {
    return this.#once(() => this.#setUp(passphrase), { problem: 'unexpected' });
  }

  /** Opens the journal with its passphrase. */
  unlock(passphrase: string): Promise<UnlockResult> {
    return this.#once(() => this.#unlock(passphrase), { problem: 'unexpected' });
  }

  /** A lost passphrase: the recovery code unlocks, and a new passphrase replaces the old one. */
  recover(code: string, newPassphrase: string): Promise<UnlockResult> {
    return this.#once(() => this.#recover(code, newPassphrase), { problem: 'unexpected' });
  }

  async #once<T>(run: () => Promise<T>, busy: T): Promise<T> {
    if (this.#opening) return busy;
    this.#opening = true;
    try {
      return await run();
    } finally {
      this.#opening = false;
    }
  }

  async #setUp(passphrase: string): Promise<SetUpResult> {
    if (this.view.phase !== 'absent') return { problem: 'unexpected' };
    const prepared = await prepareSetup(passphrase, this.#kdf);
    const answer = await this.#api.setUp(prepared.body);
    if (!answer.ok) {
      prepared.passphraseProof.fill(0);
      if (answer.status === 409) {
        await this.load();
        return { problem: 'journal_exists' };
      }
      return { problem: problemOf(answer) };
    }
    let journalId = answer.data?.journalId;
    if (journalId === undefined) {
      const status = await this.#api.status();
      journalId = status.ok ? status.data.journalId : undefined;
    }
    if (journalId === undefined) {
      prepared.passphraseProof.fill(0);
      await this.load();
      return { problem: 'unexpected' };
    }
    this.#status = {
      exists: true,
      journalId,
      kdf: prepared.body.kdf,
      passphraseSalt: prepared.body.passphraseSalt,
      recoverySalt: prepared.body.recoverySalt,
    };
    await this.#start({
      journalId,
      key: prepared.journalKey,
      proof: { method: 'passphrase', proof: prepared.passphraseProof },
      failed: [],
      headSeq: 0,
    });
    return { recoveryCode: prepared.recoveryCode };
  }

  async #unlock(passphrase: string): Promise<UnlockResult> {
    const status = await this.#lockedStatus();
    if (status === null) return { problem: 'unexpected' };
    const secret = await passphraseSecret(passphrase, status.passphraseSalt!, status.kdf!);
    const answer = await this.#api.unlock({ method: 'passphrase', proof: toBase64Url(secret.proof) });
    if (!answer.ok) {
      secret.proof.fill(0);
      return this.#unlockFailure(answer);
    }
    const key = await unwrapJournalKey(answer.data.wrappedKey, secret.wrappingKey, 'passphrase');
    if (key === null) {
      secret.proof.fill(0);
      this.view.problem = 'damaged';
      return { problem: 'damaged' };
    }
    await this.#start({
      journalId: answer.data.journalId,
      key,
      proof: { method: 'passphrase', proof: secret.proof },
      failed: answer.data.failedSinceLastUnlock,
      headSeq: answer.data.headSeq,
    });
    return 'ok';
  }

  async #recover(code: string, newPassphrase: string): Promise<UnlockResult> {
    const status = await this.#lockedStatus();
    if (status === null) return { problem: 'unexpected' };
    const codeBytes = recoveryCodeBytes(code);
    if (codeBytes === null) return 'wrong';
    const secret = await recoverySecret(codeBytes, status.recoverySalt!);
    codeBytes.fill(0);
    const recoveryProof: JournalProof = { method: 'recovery', proof: secret.proof };
    try {
      const answer = await this.#api.unlock({ method: 'recovery', proof: toBase64Url(secret.proof) });
      if (!answer.ok) return this.#unlockFailure(answer);
      const keyBytes = await unwrapJournalKeyBytes(answer.data.wrappedKey, secret.wrappingKey, 'recovery');
      if (keyBytes === null) {
        this.view.problem = 'damaged';
        return { problem: 'damaged' };
      }
      const prepared = await prepareNewPassphrase(keyBytes, newPassphrase, this.#kdf);
      const changed = await this.#api.newPassphrase(prepared.body, recoveryProof);
      if (!changed.ok) {
        prepared.passphraseProof.fill(0);
        const problem = problemOf(changed);
        this.view.problem = problem;
        return { problem };
      }
      this.#status = { ...status, kdf: prepared.body.kdf, passphraseSalt: prepared.body.passphraseSalt };
      await this.#start({
        journalId: answer.data.journalId,
        key: prepared.journalKey,
        proof: { method: 'passphrase', proof: prepared.passphraseProof },
        failed: answer.data.failedSinceLastUnlock,
        headSeq: answer.data.headSeq,
      });
      return 'ok';
    } finally {
      secret.proof.fill(0);
    }
  }

  /**
   * Wipes the journal key, the proof and the decrypted document from memory. Changes typed in
   * the last moment are encrypted into the local buffer first, so locking never loses them; the
   * view turns to 'locked' at once so nothing stays on screen while that finishes.
   */
  async lock(): Promise<void> {
    const open = this.#open;
    if (open === null) return;
    this.#open = null;
    this.view.phase = this.#status?.exists ? 'locked' : 'loading';
    this.view.doc = null;
    this.view.entries = [];
    this.view.failedSinceLastUnlock = [];
    open.abort.abort();
    for (const timer of open.timers) clearTimeout(timer);
    if (open.batchTimer !== null) clearTimeout(open.batchTimer);
    try {
      await this.#sealQueue(open);
    } catch {
      // Nothing more can be done without the key; the beforeunload warning covered it.
    }
    this.#bufferedWhileLocked = open.unsent.length;
    open.unsent = [];
    open.queue = [];
    open.proof.proof.fill(0);
    open.doc.destroy();
    this.#refreshPending();
  }

  /** "Sign out & clear" (AC-10): lock, then delete every journal's buffer from this device. */
  async clearDevice(): Promise<void> {
    await this.lock();
    await this.#outbox.clearAll().catch(() => undefined);
    this.#bufferedWhileLocked = 0;
    this.#refreshPending();
    this.view.problem = null;
  }

  /** Detaches from the page (listeners, timers) and locks. */
  async destroy(): Promise<void> {
    this.#detachBrowser?.();
    this.#detachBrowser = null;
    this.#browserAttached = false;
    await this.lock();
  }

  // ---- Editing (no-ops while locked) -------------------------------------------------------

  addEntry(text?: string): string | null {
    const doc = this.#open?.doc;
    return doc ? addEntry(doc, text === undefined ? {} : { text }) : null;
  }
  addPromptAnswer(input: { promptId: string; promptText: string; answer: string }): string | null {
    const doc = this.#open?.doc;
    return doc ? addPromptAnswer(doc, input) : null;
  }
  entryText(id: string): Y.Text | null {
    const doc = this.#open?.doc;
    return doc ? entryText(doc, id) : null;
  }
  addStroke(id: string, stroke: JournalStroke): boolean {
    const doc = this.#open?.doc;
    return doc ? addStroke(doc, id, stroke) : false;
  }
  undoStroke(id: string): boolean {
    const doc = this.#open?.doc;
    return doc ? undoStroke(doc, id) : false;
  }
  removeEntry(id: string): boolean {
    const doc = this.#open?.doc;
    return doc ? removeEntry(doc, id) : false;
  }

  // ---- Sync --------------------------------------------------------------------------------

  /** Sends what is waiting now and resolves when the server has it or a send failed. */
  async flush(): Promise<void> {
    const open = this.#open;
    if (open === null) return;
    if (open.batchTimer !== null) clearTimeout(open.batchTimer);
    open.batchTimer = null;
    await this.#sealQueue(open);
    open.sendNotBefore = 0;
    await this.#send(open);
  }

  /** Fetches other devices' changes now (also runs on a timer and when the network returns). */
  async sync(): Promise<void> {
    const open = this.#open;
    if (open === null) return;
    await this.#fetch(open);
    await this.#maybeCompact(open);
  }

  /** The browser said the network changed (online/offline events). */
  setOnline(online: boolean): void {
    this.view.online = online;
    const open = this.#open;
    if (!online || open === null) return;
    open.retryAttempt = 0;
    open.sendNotBefore = 0;
    void this.#send(open);
    void this.sync();
  }

  /**
   * The salts and Argon2id cost to unlock with, read afresh: another device may have set a new
   * passphrase (new salt) since this page loaded. Null unless the journal is locked.
   */
  async #lockedStatus(): Promise<JournalStatusView | null> {
    if (this.view.phase !== 'locked') return null;
    const fresh = await this.#api.status();
    if (fresh.ok && fresh.data.exists) this.#status = fresh.data;
    const status = this.#status;
    if (status === null || !status.exists) return null;
    if (
      status.passphraseSalt === undefined ||
      status.recoverySalt === undefined ||
      status.kdf === undefined
    ) {
      return null;
    }
    return status;
  }

  #unlockFailure(answer: ApiFailure): UnlockResult {
    if (answer.status === 429) {
      const retryAfterSeconds = answer.retryAfterSeconds ?? 60;
      this.view.retryAfterSeconds = retryAfterSeconds;
      return { retryAfterSeconds };
    }
    if (isWrongSecret(answer)) return 'wrong';
    const problem = problemOf(answer);
    this.view.problem = problem;
    return { problem };
  }

  async #start(input: {
    journalId: string;
    key: CryptoKey;
    proof: JournalProof;
    failed: JournalFailedUnlockView[];
    headSeq: number;
  }): Promise<void> {
    const doc = new Y.Doc();
    const open: OpenJournal = {
      journalId: input.journalId,
      key: input.key,
      proof: input.proof,
      doc,
      queue: [],
      queueBytes: 0,
      unsent: [],
      seq: 0,
      blobsSinceSnapshot: 0,
      bytesSinceSnapshot: 0,
      unreadableSinceSnapshot: false,
      needsSnapshot: false,
      compactNotBefore: 0,
      abort: new AbortController(),
      timers: new Set(),
      batchTimer: null,
      sending: null,
      fetching: null,
      compacting: null,
      retryAttempt: 0,
      sendNotBefore: 0,
      halted: false,
    };
    this.#open = open;
    let refreshQueued = false;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE && origin !== LOCAL) this.#queueLocal(open, update);
      if (!refreshQueued) {
        refreshQueued = true;
        queueMicrotask(() => {
          refreshQueued = false;
          if (this.#open === open) this.view.entries = listEntries(doc);
        });
      }
    });
    await this.#restoreBuffer(open);
    await this.#fetch(open);
    if (this.#open !== open) return;
    this.#bufferedWhileLocked = 0;
    this.view.doc = doc;
    this.view.entries = listEntries(doc);
    this.view.failedSinceLastUnlock = input.failed;
    this.view.retryAfterSeconds = null;
    this.view.problem = null;
    this.view.phase = 'unlocked';
    this.#refreshPending();
    void this.#send(open);
    this.#poll(open);
  }

  /** FT-08: what an earlier page left in the buffer is decrypted, merged and queued to send. */
  async #restoreBuffer(open: OpenJournal): Promise<void> {
    let rows: BufferedBlob[];
    try {
      rows = await this.#outbox.list(open.journalId);
    } catch {
      return;
    }
    for (const row of rows) {
      const update = await decryptBlob(open.key, open.journalId, 'update', row.data);
      if (update === null) {
        // Not this journal's key: a leftover no unlock can ever read. Drop it.
        await this.#outbox.remove(row.journalId, row.blobId).catch(() => undefined);
        continue;
      }
      try {
        Y.applyUpdate(open.doc, update, LOCAL);
      } catch {
        continue;
      }
      open.unsent.push({ blobId: row.blobId, data: row.data, updates: 1 });
    }
  }

  #queueLocal(open: OpenJournal, update: Uint8Array): void {
    open.queue.push(update);
    open.queueBytes += update.length;
    this.#refreshPending();
    // Big edits (a pasted page, a long stroke) go out now rather than growing past a blob's cap.
    if (open.queueBytes > JOURNAL_BLOB_MAX_BYTES / 4) {
      if (open.batchTimer !== null) clearTimeout(open.batchTimer);
      open.batchTimer = null;
      void this.#sealQueue(open).then(() => this.#send(open));
      return;
    }
    if (open.batchTimer === null) {
      open.batchTimer = setTimeout(() => {
        open.batchTimer = null;
        void this.#sealQueue(open).then(() => this.#send(open));
      }, this.#batchMs);
    }
  }

  /** Encrypts the queued updates into blobs and writes them to the buffer before anything is sent. */
  async #sealQueue(open: OpenJournal): Promise<void> {
    if (open.queue.length === 0) return;
    const updates = open.queue;
    open.queue = [];
    open.queueBytes = 0;
    for (const group of splitToFit(updates)) {
      const plain = group.length === 1 ? group[0]! : Y.mergeUpdates(group);
      const data = await encryptBlob(open.key, open.journalId, 'update', new Uint8Array(plain));
      if (base64Bytes(data) > JOURNAL_BLOB_MAX_BYTES) {
        // One change too big for any blob: it stays in the document and the next snapshot saves it.
        open.needsSnapshot = true;
        this.view.problem = 'too_large';
        continue;
      }
      const blob: UnsentBlob = { blobId: toBase64Url(randomBytes(16)), data, updates: group.length };
      open.unsent.push(blob);
      await this.#outbox
        .put({ journalId: open.journalId, blobId: blob.blobId, data, createdAt: Date.now() })
        .catch(() => undefined);
    }
    this.#refreshPending();
  }

  /** Posts unsent blobs in order, one at a time; single-flight. */
  #send(open: OpenJournal): Promise<void> {
    open.sending ??= this.#sendLoop(open).finally(() => {
      open.sending = null;
    });
    return open.sending;
  }

  async #sendLoop(open: OpenJournal): Promise<void> {
    while (this.#open === open && !open.halted && open.unsent.length > 0) {
      if (Date.now() < open.sendNotBefore) return;
      const blob = open.unsent[0]!;
      const answer = await this.#api.append(
        { blobId: blob.blobId, data: blob.data },
        open.proof,
        open.abort.signal,
      );
      if (this.#open !== open) return;
      if (answer.ok) {
        open.retryAttempt = 0;
        this.view.online = true;
        if (this.view.problem === 'unreachable') this.view.problem = null;
        open.unsent = open.unsent.filter((b) => b !== blob);
        open.blobsSinceSnapshot += 1;
        open.bytesSinceSnapshot += base64Bytes(blob.data);
        await this.#outbox.remove(open.journalId, blob.blobId).catch(() => undefined);
        this.#refreshPending();
        continue;
      }
      if (!this.#handleSendFailure(open, blob, answer)) return;
    }
    if (this.#open === open) void this.#maybeCompact(open);
  }

  /** True to keep sending at once, false to stop this round (a retry is scheduled when one helps). */
  #handleSendFailure(open: OpenJournal, blob: UnsentBlob, answer: ApiFailure): boolean {
    const { status } = answer;
    if (this.#haltOnRefusal(open, answer)) return false;
    if (answer.error.error === 'journal_full') {
      // The journal is at its byte cap: a snapshot replaces the log, and covers this blob too.
      open.needsSnapshot = true;
      open.compactNotBefore = 0;
      void this.#maybeCompact(open);
      this.#retryLater(open, null);
      return false;
    }
    if (status === 400 || status === 413 || status === 422) {
      // Refused as it is and never going to pass: a snapshot carries its changes instead.
      open.unsent = open.unsent.filter((b) => b !== blob);
      void this.#outbox.remove(open.journalId, blob.blobId).catch(() => undefined);
      open.needsSnapshot = true;
      this.view.problem = 'unexpected';
      this.#refreshPending();
      return true;
    }
    if (status === 0) {
      this.view.online = false;
      this.view.problem = 'unreachable';
    }
    this.#retryLater(open, status === 429 ? answer.retryAfterSeconds : null);
    return false;
  }

  /**
   * 404: the sign-in ended or is not the participant's (the buffer keeps the changes; sign in
   * again). 401/403: the proof is no longer accepted — the passphrase was changed on another
   * device — so this device locks and the participant unlocks with the new one. The server
   * counts a refused proof as a wrong secret, so sync stops at the first one instead of retrying.
   * True when sync must stop.
   */
  #haltOnRefusal(open: OpenJournal, answer: ApiFailure): boolean {
    if (answer.status !== 401 && answer.status !== 403 && answer.status !== 404) return false;
    open.halted = true;
    if (answer.status === 404) {
      this.view.problem = 'signed_out';
    } else {
      this.view.problem = 'proof_rejected';
      void this.lock();
    }
    return true;
  }

  /** Bounded exponential backoff with jitter (so 24 tablets do not all come back in the same tick). */
  #retryLater(open: OpenJournal, retryAfterSeconds: number | null): void {
    const exponential = Math.min(this.#retryMaxMs, this.#retryMinMs * 2 ** open.retryAttempt);
    open.retryAttempt += 1;
    const delay =
      retryAfterSeconds !== null
        ? retryAfterSeconds * 1000
        : exponential / 2 + Math.random() * (exponential / 2);
    open.sendNotBefore = Date.now() + delay;
    this.#after(open, delay, () => {
      open.sendNotBefore = 0;
      void this.#send(open);
    });
  }

  #after(open: OpenJournal, ms: number, run: () => void): void {
    const timer = setTimeout(
      () => {
        open.timers.delete(timer);
        if (this.#open === open) run();
      },
      Math.min(ms, FAR_MS),
    );
    open.timers.add(timer);
  }

  #poll(open: OpenJournal): void {
    this.#after(open, this.#pollMs, () => {
      void this.sync().finally(() => this.#poll(open));
    });
  }

  /** Reads every blob after the last seq and merges it; single-flight. */
  #fetch(open: OpenJournal): Promise<void> {
    open.fetching ??= this.#fetchLoop(open).finally(() => {
      open.fetching = null;
    });
    return open.fetching;
  }

  async #fetchLoop(open: OpenJournal): Promise<void> {
    for (;;) {
      const answer = await this.#api.blobsAfter(open.seq, open.proof, open.abort.signal);
      if (this.#open !== open) return;
      if (!answer.ok) {
        if (answer.status === 0) this.view.online = false;
        this.#haltOnRefusal(open, answer);
        return;
      }
      this.view.online = true;
      const page = answer.data;
      for (const blob of page.blobs) {
        await this.#applyRemote(open, blob.kind, blob.data);
        open.seq = Math.max(open.seq, blob.seq);
      }
      if (!page.more) {
        open.seq = Math.max(open.seq, page.headSeq);
        return;
      }
      if (page.blobs.length === 0) return;
    }
  }

  async #applyRemote(open: OpenJournal, kind: JournalBlobKind, data: string): Promise<void> {
    if (kind === 'snapshot') {
      open.blobsSinceSnapshot = 0;
      open.bytesSinceSnapshot = 0;
      open.unreadableSinceSnapshot = false;
    } else {
      open.blobsSinceSnapshot += 1;
      open.bytesSinceSnapshot += base64Bytes(data);
    }
    const plain = await decryptBlob(open.key, open.journalId, kind, data);
    if (plain === null) {
      open.unreadableSinceSnapshot = true;
      this.view.problem = 'damaged';
      return;
    }
    try {
      Y.applyUpdate(open.doc, plain, REMOTE);
    } catch {
      open.unreadableSinceSnapshot = true;
    }
  }

  /** Client-side compaction: the whole state as one encrypted snapshot replaces the log read so far. */
  async #maybeCompact(open: OpenJournal): Promise<void> {
    if (open.compacting !== null || open.halted || open.unreadableSinceSnapshot) return;
    const due =
      open.needsSnapshot ||
      open.blobsSinceSnapshot > this.#compactAfterBlobs ||
      open.bytesSinceSnapshot > this.#compactAfterBytes;
    if (!due || Date.now() < open.compactNotBefore) return;
    open.compacting = this.#compact(open).finally(() => {
      open.compacting = null;
    });
    await open.compacting;
  }

  async #compact(open: OpenJournal): Promise<void> {
    // Read up to the head first, so the snapshot holds everything it replaces.
    await this.#fetch(open);
    if (this.#open !== open || open.seq < 1) return;
    const throughSeq = open.seq;
    await this.#sealQueue(open);
    const covered = new Set(open.unsent);
    const data = await encryptBlob(
      open.key,
      open.journalId,
      'snapshot',
      new Uint8Array(Y.encodeStateAsUpdate(open.doc)),
    );
    if (base64Bytes(data) > JOURNAL_SNAPSHOT_MAX_BYTES) {
      this.view.problem = 'too_large';
      open.compactNotBefore = Date.now() + 10 * 60_000;
      return;
    }
    const answer = await this.#api.compact({ throughSeq, data }, open.proof, open.abort.signal);
    if (this.#open !== open) return;
    if (!answer.ok) {
      // 409 stale (another device compacted): read what it wrote and try again later.
      // 422: the seq read is past the head (it cannot be, unless the server lost blobs): re-read too.
      open.compactNotBefore = Date.now() + (answer.status === 409 ? 30_000 : 60_000);
      if (answer.status === 409 || answer.status === 422) void this.#fetch(open);
      return;
    }
    open.blobsSinceSnapshot = 0;
    open.bytesSinceSnapshot = 0;
    open.needsSnapshot = false;
    if (this.view.problem === 'too_large' || this.view.problem === 'unexpected') this.view.problem = null;
    // The snapshot already holds every change made before it: those blobs need not be sent.
    open.unsent = open.unsent.filter((blob) => !covered.has(blob));
    for (const blob of covered) await this.#outbox.remove(open.journalId, blob.blobId).catch(() => undefined);
    this.#refreshPending();
    void this.#send(open);
  }

  #refreshPending(): void {
    const open = this.#open;
    if (open === null) {
      this.view.pending = this.#bufferedWhileLocked;
      this.view.saved = this.#bufferedWhileLocked === 0;
      return;
    }
    this.view.pending = open.queue.length + open.unsent.reduce((sum, blob) => sum + blob.updates, 0);
    this.view.saved = this.view.pending === 0 && !open.needsSnapshot;
  }

  /** Network changes, `beforeunload` while changes are unsaved, flush when the page is hidden. */
  #attachBrowser(): void {
    if (this.#browserAttached || typeof window === 'undefined') return;
    this.#browserAttached = true;
    const online = () => this.setOnline(true);
    const offline = () => this.setOnline(false);
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (this.view.pending === 0 && this.view.saved) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    const hidden = () => {
      if (document.visibilityState === 'hidden' && this.#open !== null) void this.#sealQueue(this.#open);
      if (document.visibilityState === 'visible') void this.sync();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('visibilitychange', hidden);
    this.view.online = navigator.onLine;
    this.#detachBrowser = () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('visibilitychange', hidden);
    };
  }
}

/** Decoded length of a base64url string. */
function base64Bytes(text: string): number {
  return Math.floor((text.length * 3) / 4);
}

/** Groups of updates whose merge stays well under a blob's cap (encryption adds 28 bytes). */
function splitToFit(updates: Uint8Array[]): Uint8Array[][] {
  const limit = JOURNAL_BLOB_MAX_BYTES - 1024;
  const groups: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let size = 0;
  for (const update of updates) {
    if (current.length > 0 && size + update.length > limit) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(update);
    size += update.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
