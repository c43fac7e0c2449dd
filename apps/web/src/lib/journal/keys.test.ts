import { journalNewPassphraseSchema, journalSetupSchema, type JournalKdf } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { decryptBlob, encryptBlob } from './blob-crypto.ts';
import { fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
import { prepareNewPassphrase, prepareSetup } from './journal-secrets.ts';
import { passphraseSecret, recoverySecret, unwrapJournalKey, unwrapJournalKeyBytes } from './keys.ts';
import { recoveryCodeBytes } from './recovery-code.ts';

// Lower Argon2id cost than JOURNAL_KDF so the suite stays fast (product code always uses JOURNAL_KDF).
const KDF: JournalKdf = { alg: 'argon2id', memoryKiB: 19_456, iterations: 2, parallelism: 1 };
const PASSPHRASE = 'lanterns over the quiet harbour';

async function roundTrip(written: CryptoKey, read: CryptoKey | null): Promise<string | null> {
  if (read === null) return null;
  const data = await encryptBlob(written, 'journal-1', 'update', utf8('hello'));
  const plain = await decryptBlob(read, 'journal-1', 'update', data);
  return plain === null ? null : new TextDecoder().decode(plain);
}

describe('journal keys', { timeout: 30_000 }, () => {
  it('set-up makes a body the contract accepts, and the passphrase unwraps the same journal key', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    expect(journalSetupSchema.safeParse(setup.body).success).toBe(true);
    expect(setup.body.passphraseSalt).not.toBe(setup.body.recoverySalt);
    expect(setup.body.passphraseProof).not.toBe(setup.body.recoveryProof);
    expect(toBase64Url(setup.passphraseProof)).toBe(setup.body.passphraseProof);

    const again = await passphraseSecret(PASSPHRASE, setup.body.passphraseSalt, KDF);
    expect(toBase64Url(again.proof)).toBe(setup.body.passphraseProof);
    const key = await unwrapJournalKey(setup.body.wrappedByPassphrase, again.wrappingKey, 'passphrase');
    expect(await roundTrip(setup.journalKey, key)).toBe('hello');
  });

  it('keys stay inside WebCrypto: neither the wrapping key nor the journal key can be exported', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const secret = await passphraseSecret(PASSPHRASE, setup.body.passphraseSalt, KDF);
    await expect(crypto.subtle.exportKey('raw', secret.wrappingKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('raw', setup.journalKey)).rejects.toThrow();
    const unwrapped = await unwrapJournalKey(
      setup.body.wrappedByPassphrase,
      secret.wrappingKey,
      'passphrase',
    );
    await expect(crypto.subtle.exportKey('raw', unwrapped!)).rejects.toThrow();
  });

  it('a wrong passphrase gives a different proof and no key', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const wrong = await passphraseSecret('lanterns over the quiet harbor', setup.body.passphraseSalt, KDF);
    expect(toBase64Url(wrong.proof)).not.toBe(setup.body.passphraseProof);
    expect(
      await unwrapJournalKey(setup.body.wrappedByPassphrase, wrong.wrappingKey, 'passphrase'),
    ).toBeNull();
    expect(
      await unwrapJournalKeyBytes(setup.body.wrappedByPassphrase, wrong.wrappingKey, 'passphrase'),
    ).toBeNull();
  });

  it('the same passphrase with another salt or Argon2id cost is another key', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const other = await prepareSetup(PASSPHRASE, KDF);
    expect(other.body.passphraseProof).not.toBe(setup.body.passphraseProof);
    const costlier = await passphraseSecret(PASSPHRASE, setup.body.passphraseSalt, { ...KDF, iterations: 3 });
    expect(toBase64Url(costlier.proof)).not.toBe(setup.body.passphraseProof);
  });

  it('passphrases compare as Unicode NFC (the same accents typed on two keyboards)', async () => {
    const setup = await prepareSetup('caf\u00e9 de la ma\u00f1ana junto al mar', KDF);
    const decomposed = await passphraseSecret(
      'cafe\u0301 de la man\u0303ana junto al mar',
      setup.body.passphraseSalt,
      KDF,
    );
    expect(toBase64Url(decomposed.proof)).toBe(setup.body.passphraseProof);
  });

  it('the recovery code unwraps the journal key, and a new passphrase then wraps that same key', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const code = recoveryCodeBytes(setup.recoveryCode.toLowerCase().replaceAll('-', ' '))!;
    const recovery = await recoverySecret(code, setup.body.recoverySalt);
    expect(toBase64Url(recovery.proof)).toBe(setup.body.recoveryProof);
    const keyBytes = await unwrapJournalKeyBytes(
      setup.body.wrappedByRecovery,
      recovery.wrappingKey,
      'recovery',
    );
    expect(keyBytes).toHaveLength(32);

    const renewed = await prepareNewPassphrase(keyBytes!, 'a completely new passphrase', KDF);
    expect(keyBytes!.every((byte) => byte === 0)).toBe(true);
    expect(journalNewPassphraseSchema.safeParse(renewed.body).success).toBe(true);
    const fresh = await passphraseSecret('a completely new passphrase', renewed.body.passphraseSalt, KDF);
    const key = await unwrapJournalKey(renewed.body.wrappedByPassphrase, fresh.wrappingKey, 'passphrase');
    expect(await roundTrip(setup.journalKey, key)).toBe('hello');
    const old = await passphraseSecret(PASSPHRASE, setup.body.passphraseSalt, KDF);
    expect(
      await unwrapJournalKey(renewed.body.wrappedByPassphrase, old.wrappingKey, 'passphrase'),
    ).toBeNull();
  });

  it('a wrong recovery code gives no key', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const wrong = await recoverySecret(
      recoveryCodeBytes('0000-0000-0000-0000-0000-0000')!,
      setup.body.recoverySalt,
    );
    expect(toBase64Url(wrong.proof)).not.toBe(setup.body.recoveryProof);
    expect(await unwrapJournalKey(setup.body.wrappedByRecovery, wrong.wrappingKey, 'recovery')).toBeNull();
  });

  it('a wrapped key answers only to its own purpose label, and not when altered', async () => {
    const setup = await prepareSetup(PASSPHRASE, KDF);
    const secret = await passphraseSecret(PASSPHRASE, setup.body.passphraseSalt, KDF);
    expect(await unwrapJournalKey(setup.body.wrappedByPassphrase, secret.wrappingKey, 'recovery')).toBeNull();
    const bytes = fromBase64Url(setup.body.wrappedByPassphrase);
    bytes[20]! ^= 1;
    expect(await unwrapJournalKey(toBase64Url(bytes), secret.wrappingKey, 'passphrase')).toBeNull();
    expect(await unwrapJournalKey('not base64!', secret.wrappingKey, 'passphrase')).toBeNull();
  });
});
