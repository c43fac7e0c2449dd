/**
 * Encryption of the journal's Yjs updates and snapshots with the journal key (AES-256-GCM, a
 * fresh 96-bit random IV each time). The associated data binds every blob to its journal and
 * its kind, so the server (or anyone with the database) cannot move a blob into another
 * journal, nor pass an update off as a snapshot or the other way round: decryption fails.
 */
import { concatBytes, randomBytes, toBase64Url, utf8 } from './bytes.ts';
import { AES_GCM_IV_BYTES, splitSealed } from './keys.ts';

export type JournalBlobKind = 'update' | 'snapshot';

function blobAad(journalId: string, kind: JournalBlobKind): Uint8Array<ArrayBuffer> {
  // JSON keeps the parts unambiguous whatever characters the server's id holds.
  return utf8(JSON.stringify(['cairn-journal/v1/blob', journalId, kind]));
}

/** IV ‖ ciphertext ‖ tag, base64url (the contract's `data`). */
export async function encryptBlob(
  journalKey: CryptoKey,
  journalId: string,
  kind: JournalBlobKind,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const iv = randomBytes(AES_GCM_IV_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: blobAad(journalId, kind) },
    journalKey,
    plaintext,
  );
  return toBase64Url(concatBytes(iv, new Uint8Array(sealed)));
}

/** The plaintext, or null for a blob that is damaged, altered, or not this journal's of this kind. */
export async function decryptBlob(
  journalKey: CryptoKey,
  journalId: string,
  kind: JournalBlobKind,
  data: string,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const parts = splitSealed(data);
  if (parts === null) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parts.iv, additionalData: blobAad(journalId, kind) },
      journalKey,
      parts.sealed,
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}
