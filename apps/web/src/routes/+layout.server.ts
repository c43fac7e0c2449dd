import { redirect } from '@sveltejs/kit';
import { guardRedirect } from '#lib/route-guard.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
  // Reading url.pathname makes SvelteKit rerun this on every navigation, so the guard also
  // applies to client-side page changes, not just full page loads.
  const target = guardRedirect(url.pathname, locals.viewer, locals.setupNeeded);
  if (target !== null) redirect(303, target);
  return { viewer: locals.viewer };
};
