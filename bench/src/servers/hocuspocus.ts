/**
 * Hocuspocus 4 with its built-in `Server` and default settings (debounce 2 s / max 10 s,
 * flushDelay 0). With `HOCUSPOCUS_SQLITE=<file>` it persists through `@hocuspocus/extension-
 * database` with the exact schema and queries of `@hocuspocus/extension-sqlite`, on Node's
 * built-in `node:sqlite` instead of better-sqlite3 (whose native build needs Node headers this
 * offline box cannot download). Behaviour is the extension's: whole-document snapshots written
 * by the debounced `onStoreDocument`.
 */
import { DatabaseSync } from 'node:sqlite';
import { Database } from '@hocuspocus/extension-database';
import { Server, type Extension } from '@hocuspocus/server';
import { HOCUSPOCUS_SQLITE_SCHEMA, SELECT, UPSERT } from './hocuspocus-schema.ts';
import { announceReady, exitOnSigterm, HOST, portFromEnv } from './ready.ts';

function sqliteExtension(file: string): Extension {
  const db = new DatabaseSync(file);
  db.exec(HOCUSPOCUS_SQLITE_SCHEMA);
  const select = db.prepare(SELECT);
  const upsert = db.prepare(UPSERT);
  return new Database({
    fetch: async ({ documentName }) => {
      const row = select.get({ name: documentName }) as { data: Uint8Array } | undefined;
      return row ? new Uint8Array(row.data) : null;
    },
    store: async ({ documentName, state }) => {
      upsert.run({ name: documentName, data: state });
    },
  });
}

const sqliteFile = process.env.HOCUSPOCUS_SQLITE;
exitOnSigterm();
const port = portFromEnv();
const server = new Server({
  port,
  address: HOST,
  quiet: true,
  stopOnSignals: false,
  websocketOptions: { perMessageDeflate: false },
  extensions: sqliteFile ? [sqliteExtension(sqliteFile)] : [],
  // No auth (like the other servers under test); the thin clients still send the Auth frame
  // the protocol requires before anything else.
});
await server.listen();
announceReady(port);
