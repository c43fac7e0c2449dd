/**
 * The journal's keys (docs/journals.md "Keys"). Everything here runs in the participant's
 * browser; the server only ever sees salts, wrapped keys, SHA-256s of proofs and ciphertext.
 *
 * - A passphrase goes through Argon2id (memory-hard, so a stolen database cannot be guessed at
 *   GPU speed), a recovery code through nothing but HKDF (it already holds 120 random bits).
 * - HKDF-SHA256 splits either 32-byte secret into a key-wrapping key (non-extractable: script
 *   can use it, never read it) and an unlock proof, with distinct `info` labels so knowing the
 *   proof (the server sees it on every request) tells nothing about the wrapping key.
 * - The journal key (DEK) is 32 random bytes, wrapped by each secret with AES-GCM.
 */
import type { JournalKdf, JournalUnlockMethod } from '@cairn/domain';
import { argon2id } from 'hash-wasm';
import { concatBytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.ts';

const WRAPPING_KEY_INFO = 'cairn-journal/v1/wrapping-key';
const UNLOCK_PROOF_INFO = 'cairn-journal/v1/unlock-proof';
const IV_BYTES = 12;
export const SALT_BYTES = 16;
export const JOURNAL_KEY_BYTES = 32;

/** What a passphrase or recovery code turns into. */
export interface UnlockSecret {
  /** AES-GCM, non-extractable; wraps and unwraps the journal key. */
  wrappingKey: CryptoKey;
  /** 32 bytes the server checks (it keeps their SHA-256). Wiped on lock. */
  proof: Uint8Array<ArrayBuffer>;
}

export function newSalt(): string {
  return toBase64Url(randomBytes(SALT_BYTES));
}

/**
 * Passphrases are compared as Unicode NFC so the same words typed on a phone and on a tablet
 * (which may compose accents differently) give the same key. Nothing else is changed: a
 * trailing space is part of the passphrase.
 */
export async function passphraseSecret(
  passphrase: string,
  salt: string,
  kdf: JournalKdf,
): Promise<UnlockSecret> {
  const saltBytes = fromBase64Url(salt);
  // hash-wasm hands back a fresh array over its own buffer: wiping it wipes the only copy.
  const stretched = (await argon2id({
    password: utf8(passphrase.normalize('NFC')),
    salt: saltBytes,
    iterations: kdf.iterations,
    memorySize: kdf.memoryKiB,
    parallelism: kdf.parallelism,
    hashLength: 32,
    outputType: 'binary',
  })) as Uint8Array<ArrayBuffer>;
  try {
    return await splitSecret(stretched, saltBytes);
  } finally {
    stretched.fill(0);
  }
}

/** The recovery code's 15 bytes (recovery-code.ts) through HKDF with the journal's recovery salt. */
export async function recoverySecret(
  codeBytes: Uint8Array<ArrayBuffer>,
  salt: string,
): Promise<UnlockSecret> {
  return splitSecret(codeBytes, fromBase64Url(salt));
}

async function splitSecret(
  ikm: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
): Promise<UnlockSecret> {
  const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const wrappingKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(WRAPPING_KEY_INFO) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt', 'unwrapKey'],
  );
  const proof = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(UNLOCK_PROOF_INFO) },
      base,
      256,
    ),
  );
  return { wrappingKey, proof };
}

/**
 * Associated data of a wrapped journal key. It names the purpose and the secret that wraps it,
 * not the journal id: the id is made by the server when `PUT /journal` stores the wrapped keys,
 * so it does not exist yet when they are made. Binding it would need a second round trip and
 * buys nothing — the wrapping key already comes from this journal's own random salt, so a
 * wrapped key from any other journal (or the other secret's copy) cannot unwrap with it.
 */
function wrapAad(method: JournalUnlockMethod): Uint8Array<ArrayBuffer> {
  return utf8(`cairn-journal/v1/key-wrap/${method}`);
}

/** 32 fresh random bytes. The caller wraps them, imports them (importJournalKey) and wipes them. */
export function newJournalKeyBytes(): Uint8Array<ArrayBuffer> {
  return randomBytes(JOURNAL_KEY_BYTES);
}

/** IV (12) ‖ ciphertext (32) ‖ tag (16), base64url: 80 characters as the contract expects. */
export async function wrapJournalKey(
  keyBytes: Uint8Array<ArrayBuffer>,
  wrappingKey: CryptoKey,
  method: JournalUnlockMethod,
): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: wrapAad(method) },
    wrappingKey,
    keyBytes,
  );
  return toBase64Url(concatBytes(iv, new Uint8Array(sealed)));
}

/**
 * The journal key as a non-extractable AES-GCM key, or null when the wrapping key is wrong or
 * the wrapped key was altered. The raw bytes never reach script memory on this path.
 */
export async function unwrapJournalKey(
  wrapped: string,
  wrappingKey: CryptoKey,
  method: JournalUnlockMethod,
): Promise<CryptoKey | null> {
  const parts = splitSealed(wrapped);
  if (parts === null) return null;
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      parts.sealed,
      wrappingKey,
      { name: 'AES-GCM', iv: parts.iv, additionalData: wrapAad(method) },
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  } catch {
    return null;
  }
}

/**
 * The journal key's raw bytes, for re-wrapping it under a new passphrase (after a recovery or a
 * change). The caller wipes them as soon as the new wrapping is made.
 */
export async function unwrapJournalKeyBytes(
  wrapped: string,
  wrappingKey: CryptoKey,
  method: JournalUnlockMethod,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const parts = splitSealed(wrapped);
  if (parts === null) return null;
  try {
    const bytes = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parts.iv, additionalData: wrapAad(method) },
      wrappingKey,
      parts.sealed,
    );
    return new Uint8Array(bytes);
  } catch {
    return null;
  }
}

/** Non-extractable from here on: content encryption can use the key, no script can read it. */
export async function importJournalKey(keyBytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', keyBytes, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

export function splitSealed(
  text: string,
): { iv: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> } | null {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(text);
  } catch {
    return null;
  }
  // 12-byte IV and at least the 16-byte tag.
  if (bytes.length < IV_BYTES + 16) return null;
  return { iv: bytes.slice(0, IV_BYTES), sealed: bytes.slice(IV_BYTES) };
}

export const AES_GCM_IV_BYTES = IV_BYTES;
