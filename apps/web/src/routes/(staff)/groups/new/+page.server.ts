import { canCreateGroup } from '@cairn/domain';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
  const { me } = await parent();
  // The API refuses anyway; a 404 keeps the page out of sight for roles that cannot use it.
  if (!canCreateGroup(me.roles)) error(404, 'Not found');
};
