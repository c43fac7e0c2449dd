/**
 * The bodies of the three requests that create or replace key material (set-up, a new
 * passphrase after a recovery), made from the secrets in keys.ts. Raw key bytes exist only
 * inside these functions and are wiped before they return.
 */
import type { JournalKdf, JournalNewPassphrase, JournalSetup } from '@cairn/domain';
import { toBase64Url } from './bytes.ts';
import {
  importJournalKey,
  newJournalKeyBytes,
  newSalt,
  passphraseSecret,
  recoverySecret,
  wrapJournalKey,
} from './keys.ts';
import { newRecoveryCode, recoveryCodeBytes } from './recovery-code.ts';

export interface PreparedSetup {
  body: JournalSetup;
  /** Shown once, for the participant to print or write down. */
  recoveryCode: string;
  /** The new journal key, non-extractable. */
  journalKey: CryptoKey;
  /** The passphrase's unlock proof: the device's proof for this session. */
  passphraseProof: Uint8Array<ArrayBuffer>;
}

/** A new journal's keys: a random journal key, wrapped by the passphrase and by a new recovery code. */
export async function prepareSetup(passphrase: string, kdf: JournalKdf): Promise<PreparedSetup> {
  const passphraseSalt = newSalt();
  const recoverySalt = newSalt();
  const recoveryCode = newRecoveryCode();
  const codeBytes = recoveryCodeBytes(recoveryCode)!;
  const [byPassphrase, byRecovery] = await Promise.all([
    passphraseSecret(passphrase, passphraseSalt, kdf),
    recoverySecret(codeBytes, recoverySalt),
  ]);
  codeBytes.fill(0);
  const keyBytes = newJournalKeyBytes();
  try {
    const body: JournalSetup = {
      kdf: { ...kdf },
      passphraseSalt,
      recoverySalt,
      wrappedByPassphrase: await wrapJournalKey(keyBytes, byPassphrase.wrappingKey, 'passphrase'),
      wrappedByRecovery: await wrapJournalKey(keyBytes, byRecovery.wrappingKey, 'recovery'),
      passphraseProof: toBase64Url(byPassphrase.proof),
      recoveryProof: toBase64Url(byRecovery.proof),
    };
    byRecovery.proof.fill(0);
    return {
      body,
      recoveryCode,
      journalKey: await importJournalKey(keyBytes),
      passphraseProof: byPassphrase.proof,
    };
  } finally {
    keyBytes.fill(0);
  }
}

export interface PreparedPassphrase {
  body: JournalNewPassphrase;
  journalKey: CryptoKey;
  passphraseProof: Uint8Array<ArrayBuffer>;
}

/** The journal key (raw, from a recovery unwrap) wrapped by a new passphrase. Wipes `keyBytes`. */
export async function prepareNewPassphrase(
  keyBytes: Uint8Array<ArrayBuffer>,
  passphrase: string,
  kdf: JournalKdf,
): Promise<PreparedPassphrase> {
  try {
    const passphraseSalt = newSalt();
    const secret = await passphraseSecret(passphrase, passphraseSalt, kdf);
    const body: JournalNewPassphrase = {
      kdf: { ...kdf },
      passphraseSalt,
      wrappedByPassphrase: await wrapJournalKey(keyBytes, secret.wrappingKey, 'passphrase'),
      passphraseProof: toBase64Url(secret.proof),
    };
    return { body, journalKey: await importJournalKey(keyBytes), passphraseProof: secret.proof };
  } finally {
    keyBytes.fill(0);
  }
}
