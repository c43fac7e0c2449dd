import { canEditClinicSettings } from '@cairn/domain';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
  const { me } = await parent();
  if (!canEditClinicSettings(me.roles)) error(404, 'Not found');
};
