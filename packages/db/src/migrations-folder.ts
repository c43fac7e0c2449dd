import { fileURLToPath } from 'node:url';
import type { Engine } from './store.ts';

/**
 * The committed migrations live at the repo root (drizzle/<engine>). Resolved from this file,
 * not the working directory, so the server, the CLI and tests find them wherever they start.
 */
export function migrationsFolder(engine: Engine): string {
  return fileURLToPath(new URL(`../../../drizzle/${engine}`, import.meta.url));
}
