/**
 * Who may reach a journal: the participant it belongs to, signed in on an admitted tablet or at
 * home. Staff never are — not a facilitator, not an admin — so a staff cookie alone has no path
 * to any journal (AC-02), and every journal route answers "not found" to anyone else, whether
 * or not a journal exists (no existence oracle).
 */
import type { HomeViewer } from './home-access.ts';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import type { Viewer } from './sessions.ts';
import { isTabletAdmitted } from './tablet-sign-in.ts';
import type { TabletGrant } from './tablets.ts';

export interface JournalPrincipal {
  participantId: string;
  clinicId: string;
  /** Which kind of sign-in the request came through (failed unlocks are shown with it). */
  via: 'tablet' | 'home';
}

/** The sign-ins a request carries; `staff` is only read to audit a staff attempt. */
export interface JournalCredentials {
  tablet: TabletGrant | null;
  home: HomeViewer | null;
  staff: Viewer | null;
}

const NOT_FOUND_MESSAGE = 'That page or item does not exist.';

/**
 * The participant behind the request, or a 404. An admitted tablet wins over a home session
 * (both name one participant each; a browser rarely holds both). A staff member who tries is
 * audited as a denial.
 */
export async function requireJournalPrincipal(
  ctx: CoreContext,
  { tablet, home, staff }: JournalCredentials,
): Promise<JournalPrincipal> {
  if (tablet?.tablet.participantId && tablet.tablet.state === 'admitted') {
    if (await isTabletAdmitted(ctx, tablet.tablet.id)) {
      return { participantId: tablet.tablet.participantId, clinicId: tablet.group.clinicId, via: 'tablet' };
    }
  }
  if (home) return { participantId: home.participant.id, clinicId: home.group.clinicId, via: 'home' };
  if (staff) {
    await recordAudit(ctx, 'authz.denied', {
      clinicId: staff.clinic.id,
      actorUserId: staff.user.id,
      details: { what: 'journal' },
    });
  }
  throw new CoreError('not_found', 'not_found', NOT_FOUND_MESSAGE);
}
