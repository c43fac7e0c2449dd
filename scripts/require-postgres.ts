/**
 * `pnpm test:pg` runs this first: the PostgreSQL contract suite skips itself without
 * TEST_DATABASE_URL, and CI must fail rather than pass with the suite silently skipped.
 *
 * Dependency-free on purpose (the root package has no database client): it opens a TCP
 * connection and sends a PostgreSQL StartupMessage, which proves a Postgres server answers
 * and that it accepts this user and database (or says why not).
 */
import { connect } from 'node:net';

const TIMEOUT_MS = 5_000;

function fail(message: string): never {
  console.error(`require-postgres: ${message}`);
  process.exit(1);
}

const raw = process.env.TEST_DATABASE_URL;
if (!raw) {
  fail(
    'TEST_DATABASE_URL is not set, so the PostgreSQL suite would be skipped.\n' +
      '  e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm test:pg',
  );
}

let url: URL;
try {
  url = new URL(raw);
} catch {
  fail(`TEST_DATABASE_URL is not a URL: ${raw}`);
}
const host = url.hostname || '127.0.0.1';
const port = Number(url.port || 5432);
const user = decodeURIComponent(url.username || 'postgres');
const database = decodeURIComponent(url.pathname.slice(1) || user);
const where = `${host}:${port} (user ${user}, database ${database})`;

function startupMessage(): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + params.length, 0);
  header.writeInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([header, params]);
}

/** The human-readable part ('M' field) of an ErrorResponse. */
function errorText(body: Buffer): string {
  for (const field of body.toString('utf8').split('\0')) {
    if (field.startsWith('M')) return field.slice(1);
  }
  return 'unknown error';
}

const socket = connect({ host, port });
socket.setTimeout(TIMEOUT_MS, () => {
  socket.destroy();
  fail(`no answer from ${where} within ${TIMEOUT_MS / 1000} s.`);
});
socket.on('error', (error) => fail(`cannot reach PostgreSQL at ${where}: ${error.message}`));
socket.on('connect', () => socket.write(startupMessage()));
let received = Buffer.alloc(0);
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  // Messages: 1 byte type, int32 length (counting itself), body.
  while (received.length >= 5 && received.length >= 1 + received.readInt32BE(1)) {
    const kind = String.fromCharCode(received[0]!);
    const body = received.subarray(5, 1 + received.readInt32BE(1));
    received = received.subarray(1 + received.readInt32BE(1));
    if (kind === 'E') fail(`PostgreSQL at ${where} refused the connection: ${errorText(body)}`);
    if (kind === 'Z') succeed('accepts connections');
    if (kind === 'R' && body.readInt32BE(0) !== 0) succeed('answers (asks for a password, not checked here)');
    if (kind !== 'R' && kind !== 'S' && kind !== 'K' && kind !== 'N') {
      fail(`something at ${where} answered, but not like PostgreSQL.`);
    }
  }
});

function succeed(what: string): never {
  console.log(`require-postgres: PostgreSQL ${what} at ${where}.`);
  process.exit(0);
}
