/**
 * Records of participants' end-to-end encrypted journals (@cairn/domain journal-protocol.ts,
 * docs/journals.md). The server keeps what a device needs to unlock and sync — salts, wrapped
 * keys, hashes of unlock proofs, ciphertext — and nothing that could decrypt it.
 */
import type { JournalKdf, JournalUnlockMethod } from '@cairn/domain';

export interface JournalRecord {
  /** Opaque random id; the devices use it as AES-GCM associated data. */
  id: string;
  clinicId: string;
  /** One journal per participant. */
  participantId: string;
  kdf: JournalKdf;
  /** base64url, as the device sent them. */
  passphraseSalt: string;
  recoverySalt: string;
  wrappedByPassphrase: string;
  wrappedByRecovery: string;
  /** SHA-256 (hex) of each unlock proof's bytes; the proofs themselves are never stored. */
  passphraseProofHash: string;
  recoveryProofHash: string;
  /** The seq of the last blob ever appended (0 for none); seqs are gapless. */
  headSeq: number;
  /** Bytes of ciphertext the journal holds now (compaction lowers it). */
  totalBytes: number;
  createdAt: Date;
  updatedAt: Date;
  lastUnlockedAt: Date | null;
}

export type NewJournalRecord = Omit<JournalRecord, 'headSeq' | 'totalBytes' | 'updatedAt' | 'lastUnlockedAt'>;

/** A new passphrase's wrapping (the recovery wrapping never changes). */
export interface JournalPassphraseWrapping {
  kdf: JournalKdf;
  passphraseSalt: string;
  wrappedByPassphrase: string;
  passphraseProofHash: string;
}

export type JournalBlobKind = 'update' | 'snapshot';

export interface JournalBlobRecord {
  seq: number;
  kind: JournalBlobKind;
  data: Uint8Array;
}

export interface NewJournalBlob {
  /** The device's idempotency id: the same id in one journal is stored once. */
  blobId: string;
  data: Uint8Array;
  at: Date;
}

export type JournalAppendOutcome =
  /** `duplicate`: the blob id was stored before; `seq` is its first seq and nothing was written. */
  | { ok: true; seq: number; duplicate: boolean }
  /** `full`: storing it would pass the journal's byte cap; nothing was written. */
  | { ok: false; reason: 'no_journal' | 'full' };

/** A page of blobs after a seq: the snapshot first when it lies after it, then updates in order. */
export interface JournalBlobsPage {
  blobs: JournalBlobRecord[];
  headSeq: number;
  more: boolean;
}

export type JournalCompactOutcome =
  | { ok: true; headSeq: number; totalBytes: number }
  /**
   * `stale`: a snapshot already covers `throughSeq` (another device compacted meanwhile);
   * `ahead`: `throughSeq` is past the head. Nothing was written.
   */
  | { ok: false; reason: 'no_journal' | 'stale' | 'ahead' };

/** A wrong secret tried against a journal, kept until the participant next unlocks it. */
export interface JournalUnlockFailureRecord {
  id: string;
  journalId: string;
  at: Date;
  method: JournalUnlockMethod;
  /** Which kind of sign-in it came through. */
  via: 'tablet' | 'home';
}
