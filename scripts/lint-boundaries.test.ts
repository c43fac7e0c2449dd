/**
 * The import table of ARCHITECTURE §2 is enforced by ESLint; this proves the rules bite, so a
 * config change cannot silently turn them off.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-imports').length ?? 0;
}

describe('import boundaries', () => {
  it.each([
    ['packages/domain/src/x.ts', '@cairn/db'],
    ['packages/domain/src/x.ts', '@cairn/sync'],
    ['packages/sync/src/x.ts', '@cairn/core'],
    ['packages/sync/src/x.ts', '@cairn/db'],
    ['packages/db/src/x.ts', '@cairn/core'],
    ['packages/db/src/x.ts', '@cairn/sync'],
    ['apps/web/src/routes/x/+page.svelte.ts', '@cairn/core'],
    ['apps/web/src/lib/api.ts', '@cairn/db'],
    ['apps/web/src/hooks.server.ts', '@cairn/db'],
    ['packages/core/src/x.ts', '../../db/src/index.ts'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await restrictedImports(file, `import { x } from '${specifier}';\nexport const y = x;\n`)).toBe(1);
  });

  it.each([
    ['packages/sync/src/x.ts', '@cairn/domain'],
    ['packages/db/src/x.ts', '@cairn/domain'],
    ['packages/core/src/x.ts', '@cairn/db'],
    ['apps/web/src/lib/api.ts', '@cairn/domain'],
    ['apps/web/src/hooks.server.ts', '@cairn/core'],
    ['apps/web/src/lib/server/viewer.ts', '@cairn/core'],
    ['apps/server/src/x.ts', '@cairn/db'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restrictedImports(file, `import { x } from '${specifier}';\nexport const y = x;\n`)).toBe(0);
  });
});
