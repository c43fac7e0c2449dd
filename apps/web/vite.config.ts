import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglideOptions } from './i18n.config.ts';

// In development the API runs as its own Fastify process; in production Fastify serves these
// pages itself, so every path below is same-origin in both shapes.
const apiTarget = `http://127.0.0.1:${process.env.CAIRN_API_PORT ?? 3001}`;

/**
 * SvelteKit's own route announcer (the live region that reads the new page title after a
 * client-side navigation) carries a fixed `style` attribute, which `style-src 'self'` blocks
 * with a console error on every page. Rather than 'unsafe-inline', allow exactly that one
 * attribute value by hash. The hash is read from the installed kit so an upgrade cannot leave
 * it stale; app.css hides the announcer too, so it stays invisible even where the hash is not
 * honoured.
 */
function announcerStyleHash(): `sha256-${string}` | null {
  const kitDir = fileURLToPath(new URL('.', import.meta.resolve('@sveltejs/kit/package.json')));
  const root = readFileSync(`${kitDir}src/runtime/components/root.svelte`, 'utf8');
  const style = /id="svelte-announcer"[^>]*?\sstyle="([^"]*)"/.exec(root)?.[1];
  if (style === undefined) return null;
  return `sha256-${createHash('sha256').update(style).digest('base64')}`;
}

const announcerHash = announcerStyleHash();

export default defineConfig({
  plugins: [
    // Compiles messages/*.json into src/lib/paraglide before the app is built (and on every
    // change in dev).
    paraglideVitePlugin({ ...paraglideOptions, strategy: [...paraglideOptions.strategy] }),
    sveltekit({
      adapter: adapter(),
      compilerOptions: {
        // Runes everywhere in our own code; libraries keep whatever mode they were written in.
        runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
      },
      // No page may rely on inline script or style: SvelteKit adds a nonce for its own bootstrap
      // script, and everything else comes from files under 'self'.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          // 'wasm-unsafe-eval' lets WebAssembly compile (the journal's Argon2id, hash-wasm) and
          // nothing else: JavaScript eval stays refused.
          'script-src': ['self', 'wasm-unsafe-eval'],
          'style-src': ['self'],
          ...(announcerHash && { 'style-src-attr': ['unsafe-hashes', announcerHash] }),
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['none'],
          'frame-ancestors': ['none'],
          'form-action': ['self'],
        },
      },
      csrf: { trustedOrigins: [] },
    }),
  ],
  server: {
    // Keep the browser's Host header so the API's same-origin check sees the origin the browser
    // used. The string shorthand ('/api': target) rewrites Host to the target, so spell it out.
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
      '/readyz': { target: apiTarget, changeOrigin: false },
    },
  },
});
