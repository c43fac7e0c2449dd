/**
 * `pnpm db:check`: fails when a schema in src/schema no longer matches the migrations committed
 * in drizzle/<engine>, i.e. someone changed a table and forgot `pnpm db:generate`.
 *
 * drizzle-kit compares the schema with the newest snapshot in its output folder, so we point it
 * at a scratch copy of the committed folder: any file it writes or changes there is drift. The
 * committed folders are never touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGINES = ['sqlite', 'postgres'] as const;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path), readFileSync(path, 'utf8'));
  }
  return files;
}

/** Names of the files drizzle-kit added or changed in a scratch copy; throws if it could not run. */
function regenerate(engine: (typeof ENGINES)[number]): { changed: string[]; sql: string } {
  const scratch = mkdtempSync(join(tmpdir(), `cairn-drift-${engine}-`));
  try {
    cpSync(join(repoRoot, 'drizzle', engine), scratch, { recursive: true });
    const before = snapshot(scratch);
    const result = spawnSync(
      join(packageDir, 'node_modules/.bin/drizzle-kit'),
      ['generate', '--config', `drizzle.${engine}.config.ts`],
      {
        cwd: packageDir,
        // The bin wrapper runs whatever `node` is on PATH; make that the Node running us.
        // drizzle-kit prefixes `out` with './', so it must be relative to the package.
        env: {
          ...process.env,
          DRIZZLE_OUT: relative(packageDir, scratch),
          PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        },
        encoding: 'utf8',
        // No stdin: a rename question would otherwise wait forever in CI.
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.status !== 0) {
      throw new Error(
        `drizzle-kit generate failed for ${engine} (${result.error?.message ?? `exit ${result.status}`}). ` +
          `If it wanted to ask about a rename, run \`pnpm db:generate\` yourself.\n${output}`,
      );
    }
    const after = snapshot(scratch);
    const changed = [...after].filter(([name, text]) => before.get(name) !== text).map(([name]) => name);
    // drizzle-kit reports some failures (e.g. an unreadable snapshot) with exit code 0, so a
    // run that neither wrote anything nor said "No schema changes" proves nothing.
    if (changed.length === 0 && !output.includes('No schema changes')) {
      throw new Error(
        `drizzle-kit generate for ${engine} neither wrote a migration nor confirmed "No schema changes".\n${output}`,
      );
    }
    const sql = changed
      .filter((name) => name.endsWith('.sql'))
      .map((name) => after.get(name))
      .join('\n');
    return { changed, sql };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let drifted = false;
for (const engine of ENGINES) {
  try {
    const { changed, sql } = regenerate(engine);
    if (changed.length === 0) {
      console.log(`${engine}: schema matches drizzle/${engine}.`);
      continue;
    }
    drifted = true;
    console.error(
      `${engine}: schema DRIFT — src/schema/${engine}.ts differs from the migrations committed in drizzle/${engine}.\n` +
        `  drizzle-kit would write: ${changed.join(', ')}\n` +
        `  Run \`pnpm db:generate\` and commit the new migration. It would contain:\n${sql}`,
    );
  } catch (error) {
    drifted = true;
    console.error(`${engine}: ${(error as Error).message}`);
  }
}
process.exit(drifted ? 1 : 0);
