/**
 * End-to-end stories in Debian's Chromium (browser downloads are impossible here, so
 * Playwright drives /usr/bin/chromium). Cairn runs from the built app on a throw-away
 * SQLite directory, exactly as `pnpm start` runs it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Each story starts from a clinic that does not exist yet (first-run setup is part of them), so
 * each gets its own Cairn on its own port and data directory.
 */
const STORIES = [
  'staff-accounts',
  'groups',
  'session-tablets',
  'live-room',
  'journal',
  'circle-notes',
] as const;
/**
 * Stories that read their server's data directory and log output afterwards (the journal's
 * AC-20: its marker phrase must be in neither). Their server logs everything to a file.
 */
const INSPECTED: readonly string[] = ['journal'];
const basePort = Number(process.env.E2E_PORT ?? 3100);
const root = path.resolve(import.meta.dirname, '..');
const servers = STORIES.map((story, i) => {
  // Every worker loads this file again: the directory the first load made travels in the
  // environment, so a story's test finds the directory its server really uses.
  const key = `CAIRN_E2E_DATA_DIR_${story.replaceAll('-', '_').toUpperCase()}`;
  process.env[key] ??= mkdtempSync(path.join(process.env.E2E_DATA_DIR ?? tmpdir(), `cairn-e2e-${story}-`));
  const dataDir = process.env[key];
  return { story, port: basePort + i, dataDir, logFile: INSPECTED.includes(story) ? `${dataDir}.log` : null };
});

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: path.join(root, 'test-results'),
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
  projects: servers.map(({ story, port }) => ({
    name: story,
    testMatch: `${story}.spec.ts`,
    use: { baseURL: `http://127.0.0.1:${port}` },
  })),
  webServer: servers.map(({ port, dataDir, logFile }) => ({
    command: logFile ? `node apps/server/src/main.ts > '${logFile}' 2>&1` : `node apps/server/src/main.ts`,
    cwd: root,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      CAIRN_DATA_DIR: dataDir,
      LOG_LEVEL: logFile ? 'trace' : 'warn',
    },
  })),
});
