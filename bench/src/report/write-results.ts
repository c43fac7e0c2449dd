/**
 * Writes bench/results/* through Prettier with the repo's settings: the folder is gitignored,
 * but the root `pnpm lint` (prettier --check .) still looks inside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

export async function writeResult(name: string, text: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name);
  const options = (await prettier.resolveConfig(file)) ?? {};
  // The repo's Svelte plugin is irrelevant to JSON and markdown, and resolves only from the root.
  const formatted = await prettier.format(text, { ...options, plugins: [], filepath: file });
  writeFileSync(file, formatted);
  return file;
}
