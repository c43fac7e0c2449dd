/**
 * What every realtime route checks before its upgrade, and re-checks while a socket lives.
 * The Origin is checked app-wide (http/origin-check.ts); the session comes from the cookie.
 */
import { CoreError, isSessionActive, isTabletAdmitted, type CoreContext } from '@cairn/core';

/** Credentials travel in the cookie only; a token in a URL would end up in logs (AC-12). */
export function refuseTokenInUrl(url: string): void {
  if (/[?&](token|auth|access_token|session)=/i.test(url)) {
    throw new CoreError('invalid', 'token_in_url', 'Credentials are never accepted in a URL.');
  }
}

/** A session re-check that asks the database at most once per second while it stays valid. */
export function sessionCheck(core: CoreContext, sessionId: string): () => Promise<boolean> {
  let validUntil = Date.now() + 1000;
  return async () => {
    if (Date.now() < validUntil) return true;
    const active = await isSessionActive(core, sessionId);
    if (active) validUntil = Date.now() + 1000;
    return active;
  };
}

/** The same for an admitted tablet: still admitted, its session not ended (AC-22). */
export function tabletCheck(core: CoreContext, tabletId: string): () => Promise<boolean> {
  let validUntil = Date.now() + 1000;
  return async () => {
    if (Date.now() < validUntil) return true;
    const active = await isTabletAdmitted(core, tabletId);
    if (active) validUntil = Date.now() + 1000;
    return active;
  };
}
