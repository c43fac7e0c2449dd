/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) as every authenticator app expects. A code is
 * accepted for the current step ±1 (clock drift), and `step` is returned so the Store can
 * refuse a second use of the same or an earlier step (replay).
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD_SECONDS = 30;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Cairn',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function totpUri(secretBase32: string, label: string): string {
  return totpFor(secretBase32, label).toString();
}

export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The time step a valid `code` belongs to, or null. */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  const digits = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totpFor(secretBase32, 'x').validate({
    token: digits,
    timestamp: now.getTime(),
    window: 1,
  });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** For tests and the e2e suite: the code an authenticator would show at `now`. */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totpFor(secretBase32, 'x').generate({ timestamp: now.getTime() });
}
