/**
 * Generates src/lib/paraglide from messages/*.json with the same options as the Vite plugin.
 * `pnpm check` runs it first: svelte-check reads the generated modules, and on a clean clone
 * nothing has generated them yet (they are build output and not committed).
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from './i18n.config.ts';

await compile({ ...paraglideOptions, strategy: [...paraglideOptions.strategy] });
