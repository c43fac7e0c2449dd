/**
 * The checks every use-case starts with. Denials of a resource answer "not found" rather than
 * "forbidden" so that nobody learns what exists (PRODUCT §4), and every denial is audited.
 */
import type { StaffRole } from '@cairn/domain';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import type { Viewer } from './sessions.ts';

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new CoreError('unauthenticated', 'signed_out', 'Your session has ended. Sign in again.');
  return viewer;
}

/** Only a fully signed-in session (password and, where required, MFA) reaches clinic data. */
export function requireFullViewer(viewer: Viewer | null): Viewer {
  const signedIn = requireViewer(viewer);
  if (signedIn.stage !== 'full') {
    throw new CoreError('forbidden', 'mfa_required', 'Finish two-step sign-in first.');
  }
  return signedIn;
}

export async function requireRole(
  ctx: CoreContext,
  viewer: Viewer | null,
  allowed: (roles: readonly StaffRole[]) => boolean,
  what: string,
): Promise<Viewer> {
  const signedIn = requireFullViewer(viewer);
  if (!allowed(signedIn.user.roles)) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: signedIn.clinic.id,
      actorUserId: signedIn.user.id,
      details: { what },
    });
    throw new CoreError('not_found', 'not_found', 'That page or item does not exist.');
  }
  return signedIn;
}
