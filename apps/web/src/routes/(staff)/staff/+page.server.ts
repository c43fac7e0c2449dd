import { canManageStaff } from '@cairn/domain';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
  const { me } = await parent();
  // A 404, not a 403: people without the role need not learn the page exists.
  if (!canManageStaff(me.roles)) error(404, 'Not found');
};
