/**
 * Where a page request should go instead, given who is asking. One pure function so the rules
 * can be read (and tested) in one place; `+layout.server.ts` applies it to every page.
 */
import type { MeView } from '@cairn/domain';

/** Pages a signed-out person may open. */
const PUBLIC_PATHS = new Set(['/login', '/setup', '/invite']);
/** Pages for participants, whatever staff session the browser may or may not hold. */
const PARTICIPANT_PATHS = new Set(['/tablet', '/home']);

export function guardRedirect(pathname: string, viewer: MeView | null, setupNeeded: boolean): string | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;

  if (setupNeeded) return path === '/setup' ? null : '/setup';
  if (path === '/setup') return '/login';
  // An invite link works whoever is signed in on this device: accepting it starts a new session.
  if (path === '/invite') return null;
  // Participants' pages: a tablet and a phone at home sign in with their own cookies and codes,
  // never as staff, so the staff sign-in has nothing to say about them.
  if (PARTICIPANT_PATHS.has(path)) return null;

  if (viewer === null) return PUBLIC_PATHS.has(path) ? null : '/login';

  switch (viewer.stage) {
    case 'mfa':
      return path === '/login' ? null : '/login';
    case 'enrol':
      return path === '/mfa/enrol' ? null : '/mfa/enrol';
    case 'full':
      if (path === '/login') return '/';
      if (path === '/mfa/enrol' && viewer.mfaEnrolled) return '/account';
      return null;
  }
}

/**
 * Where a person goes right after a step of signing in, as a pathname for `resolve()` from
 * `$app/paths` (SvelteKit 3 pathnames have no leading slash).
 */
export function pathForStage(stage: MeView['stage']): 'login' | 'mfa/enrol' | '' {
  switch (stage) {
    case 'mfa':
      return 'login';
    case 'enrol':
      return 'mfa/enrol';
    case 'full':
      return '';
  }
}
