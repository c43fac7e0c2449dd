/** Rules both adapters share for tablets. */
import type { TabletState } from '@cairn/domain';

/** A tablet in these states holds its participant: no second tablet may pick the same name. */
export const LIVE_TABLET_STATES: readonly TabletState[] = ['awaiting_admission', 'admitted'];
