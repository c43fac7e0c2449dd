import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Pages for signed-in staff. The root guard has already sent everyone else elsewhere. */
export const load: LayoutServerLoad = async ({ parent }) => {
  const { viewer } = await parent();
  if (viewer === null || viewer.stage !== 'full') redirect(303, '/login');
  return { me: viewer };
};
