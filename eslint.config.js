// @ts-check
/**
 * Lint rules, including the import boundaries of ARCHITECTURE §2: a package may only import
 * the packages the table allows, browser code in apps/web may not reach server-only packages,
 * and nobody imports another package by relative path.
 */
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PACKAGES = ['domain', 'sync', 'db', 'core'];

/** @param {string[]} forbidden @param {string} why */
function boundary(forbidden, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((name) => ({ group: [`@cairn/${name}`, `@cairn/${name}/*`], message: why })),
          {
            group: ['**/packages/*', '**/packages/**', '../../*/src/*', '**/apps/*/src/**'],
            message: 'Import other workspace packages by name (@cairn/...), never by relative path.',
          },
        ],
      },
    ],
  };
}

/** @param {string} self */
function allBut(self, allowed) {
  return PACKAGES.filter((p) => p !== self && !allowed.includes(p));
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/dist/**',
      'data/**',
      'drizzle/**',
      'test-results/**',
      'playwright-report/**',
      'apps/web/src/lib/paraglide/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['packages/domain/**'],
    rules: boundary(allBut('domain', []), 'packages/domain is pure: it imports no other Cairn package.'),
  },
  {
    files: ['packages/sync/**'],
    rules: boundary(allBut('sync', ['domain']), 'packages/sync may import only @cairn/domain.'),
  },
  {
    files: ['packages/db/**'],
    rules: boundary(allBut('db', ['domain']), 'packages/db may import only @cairn/domain.'),
  },
  { files: ['packages/core/**'], rules: boundary([], 'packages/core may import domain, sync and db.') },
  {
    files: ['apps/web/src/**'],
    ignores: ['apps/web/src/**/*.server.ts', 'apps/web/src/lib/server/**', 'apps/web/src/hooks.server.ts'],
    rules: boundary(
      ['db', 'core'],
      'Browser code may import only @cairn/domain and @cairn/sync; server-only code lives in *.server.ts or src/lib/server/.',
    ),
  },
  {
    files: ['apps/web/src/**/*.server.ts', 'apps/web/src/lib/server/**', 'apps/web/src/hooks.server.ts'],
    rules: boundary(['db'], 'apps/web server code goes through @cairn/core, never @cairn/db.'),
  },
  { files: ['apps/server/**', 'e2e/**', 'scripts/**', 'bench/**'], rules: boundary([], '') },
);
