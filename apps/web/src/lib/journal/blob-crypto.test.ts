import { describe, expect, it } from 'vitest';
import { decryptBlob, encryptBlob } from './blob-crypto.ts';
import { fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
import { importJournalKey, newJournalKeyBytes } from './keys.ts';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('journal blob encryption', () => {
  it('round-trips, with a fresh IV every time', async () => {
    const key = await importJournalKey(newJournalKeyBytes());
    const a = await encryptBlob(key, 'journal-x', 'update', utf8('same words'));
    const b = await encryptBlob(key, 'journal-x', 'update', utf8('same words'));
    expect(a).not.toBe(b);
    expect(a).not.toContain(toBase64Url(utf8('same words')));
    expect(text(await decryptBlob(key, 'journal-x', 'update', a))).toBe('same words');
  });

  it('[AC-01] a blob of journal X does not decrypt as journal Y, nor as the other kind', async () => {
    const key = await importJournalKey(newJournalKeyBytes());
    const update = await encryptBlob(key, 'journal-x', 'update', utf8('entry'));
    expect(await decryptBlob(key, 'journal-y', 'update', update)).toBeNull();
    expect(await decryptBlob(key, 'journal-x', 'snapshot', update)).toBeNull();
    const snapshot = await encryptBlob(key, 'journal-x', 'snapshot', utf8('state'));
    expect(await decryptBlob(key, 'journal-x', 'update', snapshot)).toBeNull();
    expect(text(await decryptBlob(key, 'journal-x', 'snapshot', snapshot))).toBe('state');
  });

  it('another journal key cannot read it', async () => {
    const key = await importJournalKey(newJournalKeyBytes());
    const other = await importJournalKey(newJournalKeyBytes());
    const data = await encryptBlob(key, 'journal-x', 'update', utf8('entry'));
    expect(await decryptBlob(other, 'journal-x', 'update', data)).toBeNull();
  });

  it('tampered, truncated or malformed ciphertext fails instead of decrypting wrongly', async () => {
    const key = await importJournalKey(newJournalKeyBytes());
    const data = await encryptBlob(key, 'journal-x', 'update', utf8('a longer entry to alter'));
    for (const index of [0, 11, 12, 20, -1]) {
      const bytes = fromBase64Url(data);
      bytes[index < 0 ? bytes.length + index : index]! ^= 0x01;
      expect(await decryptBlob(key, 'journal-x', 'update', toBase64Url(bytes))).toBeNull();
    }
    expect(await decryptBlob(key, 'journal-x', 'update', data.slice(0, -4))).toBeNull();
    expect(await decryptBlob(key, 'journal-x', 'update', 'AAAA')).toBeNull();
    expect(await decryptBlob(key, 'journal-x', 'update', '<script>')).toBeNull();
    expect(await decryptBlob(key, 'journal-x', 'update', '')).toBeNull();
  });
});
