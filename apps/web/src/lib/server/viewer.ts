/**
 * Who is asking for a page. In production Fastify runs this SvelteKit handler in its own
 * process, resolves the session cookie itself and hangs the answer on the raw Node request
 * under these registry symbols (shared with apps/server by name, so neither imports the
 * other). Without Fastify in-process — `vite dev` — the same answer comes from the API over
 * HTTP, forwarding the browser's cookie.
 */
import type { MeView } from '@cairn/domain';

/** `MeView | null` on the raw request; `null` means "not signed in". */
export const VIEWER = Symbol.for('cairn.viewer');
/** `boolean` on the raw request: no clinic exists yet. */
export const SETUP_NEEDED = Symbol.for('cairn.setupNeeded');

export interface ViewerState {
  viewer: MeView | null;
  setupNeeded: boolean;
}

const SIGNED_OUT: ViewerState = { viewer: null, setupNeeded: false };

/** The state Fastify attached to the request, or `null` when nothing was attached. */
export function readAttachedViewer(req: object | undefined): ViewerState | null {
  if (req === undefined || !(VIEWER in req)) return null;
  const attached = req as Record<symbol, unknown>;
  return {
    viewer: (attached[VIEWER] as MeView | null) ?? null,
    setupNeeded: attached[SETUP_NEEDED] === true,
  };
}

/**
 * Asks the API over HTTP. Any failure — the API not running yet, a timeout, an odd answer —
 * counts as "signed out, no setup needed" so the sign-in page still renders; the API refuses
 * anything the page then tries.
 */
export async function fetchViewer(pageUrl: URL, cookie: string | null): Promise<ViewerState> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  const get = (path: string) => fetch(new URL(path, pageUrl), { headers, signal: AbortSignal.timeout(5000) });

  try {
    const [me, setup] = await Promise.all([get('/api/v1/me'), get('/api/v1/setup')]);
    const setupNeeded = setup.ok && ((await setup.json()) as { needed?: unknown }).needed === true;
    const viewer = me.ok ? ((await me.json()) as MeView) : null;
    return { viewer, setupNeeded };
  } catch {
    return SIGNED_OUT;
  }
}
