/**
 * Where a page request should go instead, given who is asking. One pure function so the rules
 * can be read (and tested) in one place; `+layout.server.ts` applies it to every page.
 */
import type { MeView } from '@cairn/domain';

/** Pages a signed-out person may open. */
const PUBLIC_PATHS = new Set(['/login', '/setup', '/invite']);

export function guardRedirect(pathname: string, viewer: MeView | null, setupNeeded: boolean): string | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;

  if (setupNeeded) return path === '/setup' ? null : '/setup';
  if (path === '/setup') return '/login';
  // An invite link works whoever is signed in on this device: accepting it starts a new session.
  if (path === '/invite') return null;

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
