/**
 * `pnpm test:pg`: runs the Store contract suite on PostgreSQL and fails unless it really ran.
 * A skipped suite would otherwise look green, so the JSON report is read back and every test
 * in the PostgreSQL file must have passed (none skipped, at least one run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ensure = spawnSync(process.execPath, ['scripts/require-postgres.ts'], { stdio: 'inherit' });
if (ensure.status !== 0) process.exit(ensure.status ?? 1);

const dir = mkdtempSync(path.join(tmpdir(), 'cairn-pg-report-'));
const report = path.join(dir, 'report.json');
const run = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    '--project',
    'db',
    'packages/db/test/postgres.test.ts',
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
  `PostgreSQL suite: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`,
);
if (run.status !== 0 || summary.numFailedTests > 0) process.exit(1);
if (summary.numPassedTests === 0 || skipped > 0) {
  console.error('The PostgreSQL suite was skipped. Set TEST_DATABASE_URL to a reachable PostgreSQL server.');
  process.exit(1);
}
