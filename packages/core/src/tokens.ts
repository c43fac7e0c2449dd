import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 bytes from the CSPRNG, base64url: 256 bits, well above ASVS 7.2.3's 128. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Opaque, non-sequential record ids (128 bits). */
export function generateId(): string {
  return randomBytes(16).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
