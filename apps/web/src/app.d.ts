// See https://svelte.dev/docs/kit/types#app.d.ts
import type { MeView } from '@cairn/domain';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in person at any session stage, or `null` when signed out. */
      viewer: MeView | null;
      /** True until the first clinic has been created. */
      setupNeeded: boolean;
    }
    // `Platform` (`{ req: IncomingMessage }`) comes from @sveltejs/adapter-node.
  }
}

export {};
