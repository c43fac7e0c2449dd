/**
 * The demo's own data directory, recreated on every run. It is wiped only if it is empty or
 * carries the marker a previous demo left there, so pointing the demo at a real clinic's data
 * directory by mistake refuses instead of deleting patient records.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARKER = 'CAIRN-DEMO-DATA.txt';

export class DemoRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoRefusal';
  }
}

export function recreateDemoDir(dataDir: string): void {
  if (existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new DemoRefusal(
        `${dataDir} holds data that the demo did not create; the demo will not delete it. Choose another directory.`,
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    path.join(dataDir, MARKER),
    'This directory holds the fictional Cairn demo clinic. `pnpm demo` deletes and recreates it on every run.\n',
  );
}
