/**
 * A participant's device for the journal tests: real WebCrypto (AES-256-GCM, HKDF-SHA256) in
 * Node, so the server sees exactly what a browser would send — salts, wrapped keys, proofs and
 * ciphertext — and the tests can prove it never holds anything it could read.
 *
 * The passphrase goes through HKDF here instead of Argon2id (the browser's job, and the server
 * never sees the difference): the wire format and every size are the same.
 */
import { webcrypto } from 'node:crypto';
import {
  JOURNAL_KDF,
  JOURNAL_PROOF_HEADER,
  type JournalSetup,
  type JournalUnlockMethod,
} from '@cairn/domain';
import type { LightMyRequestResponse } from 'fastify';
import * as Y from 'yjs';
import type { Device } from './tablets-support.ts';

const subtle = webcrypto.subtle;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));
const random = (n: number): Uint8Array => webcrypto.getRandomValues(new Uint8Array(n));
/** What wrapped keys are bound to (the journal id does not exist yet when they are made). */
const WRAP_AAD = new TextEncoder().encode('cairn-journal-key');

export interface Derived {
  kek: webcrypto.CryptoKey;
  /** base64url of the 32-byte unlock proof. */
  proof: string;
}

/** A secret and its salt → the key-wrapping key and the unlock proof (HKDF-SHA256). */
export async function derive(secret: string, salt: string): Promise<Derived> {
  const base = await subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = new Uint8Array(
    await subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: unb64(salt), info: new TextEncoder().encode('cairn-journal') },
      base,
      512,
    ),
  );
  const kek = await subtle.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { kek, proof: b64(bits.slice(32)) };
}

async function wrap(kek: webcrypto.CryptoKey, dek: Uint8Array): Promise<string> {
  const iv = random(12);
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: WRAP_AAD }, kek, dek),
  );
  return b64(new Uint8Array([...iv, ...sealed]));
}

export async function unwrap(kek: webcrypto.CryptoKey, wrapped: string): Promise<Uint8Array> {
  const bytes = unb64(wrapped);
  return new Uint8Array(
    await subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: WRAP_AAD },
      kek,
      bytes.slice(12),
    ),
  );
}

export interface MadeJournal {
  body: JournalSetup;
  dek: Uint8Array;
  passphrase: Derived;
  recovery: Derived;
}

/** What a device sends to set a journal up, and the secrets it keeps. */
export async function makeJournal(passphrase: string, recoveryCode: string): Promise<MadeJournal> {
  const dek = random(32);
  const passphraseSalt = b64(random(16));
  const recoverySalt = b64(random(16));
  const byPassphrase = await derive(passphrase, passphraseSalt);
  const byRecovery = await derive(recoveryCode, recoverySalt);
  return {
    dek,
    passphrase: byPassphrase,
    recovery: byRecovery,
    body: {
      kdf: { ...JOURNAL_KDF },
      passphraseSalt,
      recoverySalt,
      wrappedByPassphrase: await wrap(byPassphrase.kek, dek),
      wrappedByRecovery: await wrap(byRecovery.kek, dek),
      passphraseProof: byPassphrase.proof,
      recoveryProof: byRecovery.proof,
    },
  };
}

/** A new passphrase's part of the journal, wrapping the same key. */
export async function newPassphraseBody(passphrase: string, dek: Uint8Array) {
  const passphraseSalt = b64(random(16));
  const derived = await derive(passphrase, passphraseSalt);
  return {
    derived,
    body: {
      kdf: { ...JOURNAL_KDF },
      passphraseSalt,
      wrappedByPassphrase: await wrap(derived.kek, dek),
      passphraseProof: derived.proof,
    },
  };
}

async function dekKey(dek: Uint8Array) {
  return subtle.importKey('raw', dek, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** AES-256-GCM with the journal id as associated data: 12-byte IV, ciphertext, tag. */
export async function seal(dek: Uint8Array, journalId: string, plaintext: Uint8Array): Promise<string> {
  const iv = random(12);
  const sealed = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(journalId) },
      await dekKey(dek),
      plaintext,
    ),
  );
  return b64(new Uint8Array([...iv, ...sealed]));
}

export async function open(dek: Uint8Array, journalId: string, data: string): Promise<Uint8Array> {
  const bytes = unb64(data);
  return new Uint8Array(
    await subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(journalId) },
      await dekKey(dek),
      bytes.slice(12),
    ),
  );
}

/** A Yjs update that writes `text` into the journal's body, as the editor would. */
export function journalUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText('body').insert(doc.getText('body').length, text);
  return Y.encodeStateAsUpdate(doc, before);
}

export function proofHeader(method: JournalUnlockMethod, proof: string): Record<string, string> {
  return { [JOURNAL_PROOF_HEADER]: `${method}.${proof}` };
}

export const newBlobId = (): string => b64(random(16));

/** A journal call from `device`, with the proof header when given. */
export function call(
  device: Device,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return device.request(method, url, body, { headers });
}
