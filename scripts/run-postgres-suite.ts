/**
 * `pnpm test:pg`: runs the suites that need real services — the Store contract suite on
 * PostgreSQL, and several Cairn instances sharing PostgreSQL and Redis — and fails unless
 * they really ran. A skipped suite would otherwise look green, so the JSON report is read back:
 * every test must have passed, none skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ensure = spawnSync(process.execPath, ['scripts/require-postgres.ts'], { stdio: 'inherit' });
if (ensure.status !== 0) process.exit(ensure.status ?? 1);
if (!process.env.TEST_REDIS_URL) {
  console.error('TEST_REDIS_URL is not set, so the several-instances suite would skip its Redis cases.');
  console.error('  e.g. TEST_REDIS_URL=redis://127.0.0.1:6379');
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), 'cairn-pg-report-'));
const report = path.join(dir, 'report.json');
const run = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    'packages/db/test/postgres.test.ts',
    'apps/server/test/postgres-instances.test.ts',
    'apps/server/test/realtime-instances.test.ts',
    'apps/server/test/realtime-stream-instances.test.ts',
    'apps/server/test/tablets-instances.test.ts',
    'apps/server/test/live-room-instances.test.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ],
  { stdio: 'inherit' },
);

interface Report {
  numTotalTests: number;
  numPassedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTests: number;
}
let summary: Report;
try {
  summary = JSON.parse(readFileSync(report, 'utf8')) as Report;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(
  `PostgreSQL + Redis suites: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`,
);
if (run.status !== 0 || summary.numFailedTests > 0) process.exit(1);
if (summary.numPassedTests === 0 || skipped > 0) {
  console.error(
    'Part of the suite was skipped. Set TEST_DATABASE_URL and TEST_REDIS_URL to reachable servers.',
  );
  process.exit(1);
}
