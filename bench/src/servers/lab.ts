/**
 * Starts systems for a workload and names their rooms. Every workload gets a fresh server
 * process, so memory and CPU figures belong to that workload alone.
 */
import path from 'node:path';
import type { CairnState } from './cairn-setup.ts';
import { ServerProcess, type Pinning } from './process.ts';
import { SYSTEMS, targetFor, type SystemId, type Target } from './systems.ts';

export interface Running {
  target: Target;
  server: ServerProcess;
}

export class Lab {
  readonly workDir: string;
  readonly pinning: Pinning;
  readonly cairn: CairnState;
  #files = 0;

  constructor(workDir: string, pinning: Pinning, cairn: CairnState) {
    this.workDir = workDir;
    this.pinning = pinning;
    this.cairn = cairn;
  }

  /** A fresh SQLite file for Hocuspocus' persistence. */
  newSqliteFile(): string {
    this.#files += 1;
    return path.join(this.workDir, `hocuspocus-${this.#files}.sqlite`);
  }

  /**
   * Starts `id`. Cairn always opens the shared data dir (its documents were made at setup);
   * Hocuspocus + sqlite opens `sqliteFile` (a new empty one unless given); `port` lets W7
   * restart on the same address.
   */
  async start(id: SystemId, options: { sqliteFile?: string; port?: number } = {}): Promise<Running> {
    const spec = SYSTEMS[id];
    const env: Record<string, string> =
      id === 'cairn'
        ? this.cairn.env
        : id === 'hocuspocus-sqlite'
          ? { HOCUSPOCUS_SQLITE: options.sqliteFile ?? this.newSqliteFile() }
          : {};
    const server = await ServerProcess.start(spec.entry, env, this.pinning, options.port);
    return { server, target: targetFor(spec, server.port, this.cairn.headers) };
  }

  /** `count` room names for `purpose`: Cairn's pre-made document ids, or plain names. */
  rooms(id: SystemId, purpose: string, count: number): string[] {
    if (id === 'cairn') {
      const ids = this.cairn.docs.get(purpose) ?? [];
      if (ids.length < count) throw new Error(`only ${ids.length} Cairn documents for ${purpose}`);
      return ids.slice(0, count);
    }
    return Array.from({ length: count }, (_, i) => `${purpose}-${i}`);
  }
}
