import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened with another key', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(() => box.open(sealed, 'totp:user-2')).toThrow();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered!').toString('base64url');
    expect(() => box.open(parts.join('.'), 'totp:user-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'totp:user-1')).toThrow();
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});
