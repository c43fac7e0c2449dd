/**
 * `@hocuspocus/extension-sqlite`'s table and statements, shared by the Hocuspocus entry and
 * by W3, which writes the document into that table before the server starts (a cold load).
 */
export const HOCUSPOCUS_SQLITE_SCHEMA = `CREATE TABLE IF NOT EXISTS "documents" (
  "name" varchar(255) NOT NULL,
  "data" blob NOT NULL,
  UNIQUE(name)
)`;
export const SELECT = `SELECT data FROM "documents" WHERE name = $name ORDER BY rowid DESC`;
export const UPSERT = `INSERT INTO "documents" ("name", "data") VALUES ($name, $data)
  ON CONFLICT(name) DO UPDATE SET data = $data`;
