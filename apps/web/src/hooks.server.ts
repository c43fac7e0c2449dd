import type { Handle } from '@sveltejs/kit/hooks';
import { dev } from '$app/env';
import { fetchViewer, readAttachedViewer } from '#lib/server/viewer.ts';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

let warnedMissingViewer = false;

export const handle: Handle = async ({ event, resolve }) => {
  let state = readAttachedViewer(event.platform?.req);
  if (state === null) {
    if (!dev && !warnedMissingViewer) {
      warnedMissingViewer = true;
      console.error(
        'cairn: no viewer attached to the request (Symbol.for("cairn.viewer")); asking the API ' +
          'over HTTP instead. In production apps/server must serve these pages and attach it.',
      );
    }
    state = await fetchViewer(event.url, event.request.headers.get('cookie'));
  }
  event.locals.viewer = state.viewer;
  event.locals.setupNeeded = state.setupNeeded;

  // The middleware picks the locale (cookie, then Accept-Language, then English) and keeps it
  // for this request only, so concurrent requests in different languages cannot mix; every
  // message rendered below, and <html lang>, follow it.
  const response = await paraglideMiddleware(event.request, ({ locale }) =>
    resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) }),
  );
  // Pages show names, roles and soon clinical data: never let a shared or back-button cache
  // keep a copy.
  response.headers.set('cache-control', 'no-store');
  return response;
};
