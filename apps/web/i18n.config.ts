/**
 * One home for the Paraglide compiler options: the Vite plugin (dev and build) and the
 * `i18n:compile` script (run before svelte-check on a clean clone, where Vite has not run yet)
 * must generate the same code, or the type check would look at a different runtime than the
 * one that ships.
 *
 * The plugin module is loaded from node_modules by relative path rather than the usual CDN
 * address: the build must not reach out to the network.
 */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  // A person's explicit choice (the language switch sets the cookie) wins; then what their
  // browser asks for (Accept-Language on the server, navigator.languages in the browser);
  // then English.
  strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
  cookieName: 'cairn_locale',
  emitTsDeclarations: false,
} as const;
