import type { CoreContext } from '@cairn/core';
import type { ServerConfig } from './config.ts';

/** What every route plugin receives. */
export interface Services {
  core: CoreContext;
  config: ServerConfig;
}
