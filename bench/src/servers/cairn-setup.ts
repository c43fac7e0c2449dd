/**
 * Makes a Cairn instance ready to be measured, the way a clinic would: first-run setup and
 * MFA enrolment over the real HTTP API (TOTP computed from the returned secret), giving a
 * staff session cookie; then, with the server stopped, `clinician_note` documents created
 * through the Store on the same data directory (the API has no document-creation route yet).
 * Seeded documents (W3's 1 MB note) are written as one stored update, so a later start loads
 * them cold from SQLite.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openStore } from '@cairn/db';
import { Secret, TOTP } from 'otpauth';
import { ServerProcess, type Pinning } from './process.ts';
import { SYSTEMS } from './systems.ts';

export const CAIRN_ORIGIN = 'http://bench.local';

const ADMIN = {
  clinicName: 'Bench Clinic',
  displayName: 'Bea Bench',
  email: 'bea@bench.local',
  password: 'a long bench passphrase',
};

export interface CairnState {
  dataDir: string;
  env: Record<string, string>;
  /** Origin + session cookie, as a signed-in browser on Cairn's origin sends them. */
  headers: Record<string, string>;
  /** Document ids by purpose (e.g. 'w1'), created before any measured start. */
  docs: Map<string, string[]>;
}

async function post(port: number, route: string, body: unknown, cookie?: string) {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    method: 'POST',
    headers: {
      origin: CAIRN_ORIGIN,
      'content-type': 'application/json',
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${route} answered ${response.status}: ${JSON.stringify(json)}`);
  const session = response.headers.getSetCookie().find((c) => /^(__Host-)?cairn_session=/.test(c));
  return { json, cookie: session ? session.split(';')[0]! : cookie };
}

async function signInAdmin(port: number): Promise<string> {
  const setup = await post(port, '/api/v1/setup', ADMIN);
  const start = await post(port, '/api/v1/auth/mfa/enrol/start', {}, setup.cookie);
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(String(start.json.secret)),
  });
  const confirm = await post(port, '/api/v1/auth/mfa/enrol/confirm', { code: totp.generate() }, start.cookie);
  if (!confirm.cookie) throw new Error('no session cookie after MFA enrolment');
  return confirm.cookie;
}

export async function setUpCairn(
  workDir: string,
  pinning: Pinning,
  plan: Record<string, number>,
  seeded: Record<string, Uint8Array>,
): Promise<CairnState> {
  const dataDir = path.join(workDir, 'cairn');
  const env = {
    CAIRN_DATA_DIR: dataDir,
    CAIRN_ORIGIN,
    SERVE_WEB: 'false',
    LOG_LEVEL: 'silent',
  };
  const server = await ServerProcess.start(SYSTEMS.cairn.entry, env, pinning);
  let cookie: string;
  try {
    cookie = await signInAdmin(server.port);
  } finally {
    await server.stop();
  }

  const store = await openStore({ engine: 'sqlite', dataDir });
  const docs = new Map<string, string[]>();
  try {
    const admin = await store.findUserByEmail(ADMIN.email);
    if (!admin) throw new Error('setup did not create the admin');
    for (const [purpose, count] of Object.entries(plan)) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = randomBytes(12).toString('base64url');
        await store.createDocument({
          id,
          clinicId: admin.clinicId,
          kind: 'clinician_note',
          ownerUserId: admin.id,
          streamId: null,
          createdAt: new Date(),
        });
        ids.push(id);
      }
      docs.set(purpose, ids);
    }
    for (const [purpose, state] of Object.entries(seeded)) {
      const batch = (docs.get(purpose) ?? []).map((docId) => ({
        docId,
        update: state,
        actorId: admin.id,
        deviceId: null,
      }));
      await store.appendDocUpdates(batch);
    }
  } finally {
    await store.close();
  }
  return { dataDir, env, headers: { origin: CAIRN_ORIGIN, cookie }, docs };
}
