/**
 * The board workload's clinic, built on its own fresh data directory entirely through Cairn's
 * real HTTP API and session stream, as people would: first-run setup and MFA for the admin;
 * per group, a facilitator and a co-therapist invited, accepting and enrolling MFA; the group
 * and its staff; 12 participants enrolled with both consents; a dosing session scheduled and
 * moved to Arrival over the facilitator's stream socket; then 12 tablets, each redeeming its
 * own join code, claiming a participant and admitted by the facilitator. Join-code limits
 * count failures only, so 1,200 good redemptions from 127.0.0.1 need no way around them.
 *
 * Nothing here is measured, but it is bounded: every request has a timeout, a setup that runs
 * past its limit fails the workload, and the server is stopped whatever happens.
 */
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { StreamSocket } from '../clients/stream-socket.ts';
import { CairnBrowser } from './cairn-http.ts';
import { CAIRN_ORIGIN } from './cairn-setup.ts';
import { ServerProcess, type Pinning } from './process.ts';
import { SYSTEMS } from './systems.ts';

/** Groups set up at once: enough to keep the server's core busy, few enough to stay gentle. */
const GROUPS_AT_ONCE = 4;
const PASSWORD = 'a long bench passphrase';
const COMMAND_TIMEOUT_MS = 15_000;

export interface BoardTablet {
  participantId: string;
  /** The tablet's cookies (sign-in + device id), as its browser sends them. */
  cookie: string;
}

export interface BoardSession {
  streamId: string;
  /** Facilitator then co-therapist: each a distinct account, signed in with MFA. */
  staffCookies: [string, string];
  tablets: BoardTablet[];
}

export interface BoardClinic {
  env: Record<string, string>;
  sessions: BoardSession[];
  setupMs: number;
}

/** Fictional first names; with the seat number every participant's name is unique and made up. */
const NAMES = ['Ari', 'Bo', 'Cleo', 'Dara', 'Eli', 'Fen', 'Gale', 'Hollis', 'Ines', 'Jun', 'Kit', 'Lior'];

function totpFor(secret: string): TOTP {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** Enrols MFA for a browser whose session is at the 'enrol' stage; the cookie is then 'full'. */
async function enrolMfa(browser: CairnBrowser): Promise<void> {
  const start = await browser.post('/api/v1/auth/mfa/enrol/start');
  await browser.post('/api/v1/auth/mfa/enrol/confirm', { code: totpFor(String(start.secret)).generate() });
}

async function setUpAdmin(port: number): Promise<CairnBrowser> {
  const admin = new CairnBrowser(port);
  await admin.post('/api/v1/setup', {
    clinicName: 'Bench Board Clinic',
    displayName: 'Bo Board',
    email: 'bo@board.bench.local',
    password: PASSWORD,
  });
  await enrolMfa(admin);
  return admin;
}

/** A staff member invited by the admin, signed in with MFA; returns their browser and user id. */
async function invitedStaff(
  port: number,
  admin: CairnBrowser,
  email: string,
  displayName: string,
  role: 'facilitator' | 'co_therapist',
): Promise<{ browser: CairnBrowser; userId: string }> {
  const { token } = await admin.post('/api/v1/staff/invites', { email, roles: [role] });
  const browser = new CairnBrowser(port);
  const accepted = await browser.post('/api/v1/invites/accept', { token, displayName, password: PASSWORD });
  if (accepted.stage === 'enrol') await enrolMfa(browser);
  const me = await browser.get('/api/v1/me');
  return { browser, userId: String(me.id) };
}

/** Sends one command on a fresh stream socket and waits for its ack (setup only). */
async function commandOverStream(
  port: number,
  streamId: string,
  cookie: string,
  command: Record<string, unknown>,
): Promise<void> {
  let settle: (error?: Error) => void = () => undefined;
  const settled = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const id = `setup-${streamId.slice(0, 12)}-${Date.now().toString(36)}`;
  const socket = new StreamSocket(
    `ws://127.0.0.1:${port}/ws/stream/${streamId}`,
    { origin: CAIRN_ORIGIN, cookie },
    {
      onAck: (acked) => acked === id && settle(),
      onRejected: (rejected, reason, message) =>
        rejected === id && settle(new Error(`${String(command.type)} refused: ${reason} ${message ?? ''}`)),
    },
  );
  const timer = setTimeout(() => settle(new Error(`${String(command.type)}: no answer`)), COMMAND_TIMEOUT_MS);
  try {
    await socket.live;
    socket.command(id, command);
    await settled;
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

async function setUpGroup(
  port: number,
  admin: CairnBrowser,
  g: number,
  tabletsPerSession: number,
): Promise<BoardSession> {
  const facilitator = await invitedStaff(
    port,
    admin,
    `facilitator-${g}@board.bench.local`,
    `Facilitator ${g} (bench)`,
    'facilitator',
  );
  const coTherapist = await invitedStaff(
    port,
    admin,
    `co-therapist-${g}@board.bench.local`,
    `Co-therapist ${g} (bench)`,
    'co_therapist',
  );
  const group = await admin.post('/api/v1/groups', {
    name: `Bench board group ${g}`,
    plan: { preparation: 0, dosing: 1, integration: 0 },
    routeDefault: 'intramuscular',
  });
  const groupId = String(group.id);
  await admin.put(`/api/v1/groups/${groupId}/staff`, {
    staff: [
      { userId: facilitator.userId, roles: ['facilitator'] },
      { userId: coTherapist.userId, roles: ['co_therapist'] },
    ],
  });
  const fac = facilitator.browser;
  const participantIds: string[] = [];
  for (let p = 0; p < tabletsPerSession; p++) {
    const enrolled = await fac.post(`/api/v1/groups/${groupId}/participants`, {
      preferredName: `${NAMES[p % NAMES.length]} ${g}-${p + 1}`,
      emergencyContact: {
        name: 'Bench Contact (fictional)',
        phone: `(503) 555-01${String(p).padStart(2, '0')}`,
      },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    });
    participantIds.push(String(enrolled.id));
  }
  const session = await fac.post(`/api/v1/groups/${groupId}/sessions`, {
    kind: 'dosing',
    scheduledStart: new Date(Date.now() + 3_600_000).toISOString(),
    plannedMinutes: 180,
  });
  const sessionId = String(session.id);
  const streamId = String(session.streamId);
  await commandOverStream(port, streamId, fac.cookie, { type: 'phase.advance', to: 'arrival' });

  // Each tablet: its own code, its own browser (cookie jar), its own participant; then admitted.
  const tablets: Array<{ browser: CairnBrowser; participantId: string }> = [];
  for (const participantId of participantIds) {
    const { code } = await fac.post(`/api/v1/sessions/${sessionId}/join-codes`);
    const tablet = new CairnBrowser(port);
    await tablet.post('/api/v1/tablet/redeem', { code });
    await tablet.post('/api/v1/tablet/claim', { participantId });
    tablets.push({ browser: tablet, participantId });
  }
  const listed = await fac.get(`/api/v1/sessions/${sessionId}/tablets`);
  const waiting = listed.tablets as Array<{
    deviceId: string;
    state: string;
    participant: { id: string } | null;
  }>;
  for (const { participantId } of tablets) {
    const mine = waiting.find((t) => t.state === 'awaiting_admission' && t.participant?.id === participantId);
    if (!mine) throw new Error(`group ${g}: a claimed tablet is not waiting for admission`);
    await fac.post(`/api/v1/sessions/${sessionId}/tablets/${mine.deviceId}/admit`);
  }
  return {
    streamId,
    staffCookies: [fac.cookie, coTherapist.browser.cookie],
    tablets: tablets.map((t) => ({ participantId: t.participantId, cookie: t.browser.cookie })),
  };
}

export async function setUpBoardClinic(
  workDir: string,
  pinning: Pinning,
  shape: { sessions: number; tabletsPerSession: number; setupLimitMs: number },
  log: (message: string) => void,
): Promise<BoardClinic> {
  const started = performance.now();
  const env = {
    CAIRN_DATA_DIR: path.join(workDir, 'cairn-board'),
    CAIRN_ORIGIN,
    SERVE_WEB: 'false',
    LOG_LEVEL: 'silent',
  };
  const server = await ServerProcess.start(SYSTEMS.cairn.entry, env, pinning);
  const deadline = started + shape.setupLimitMs;
  try {
    const admin = await setUpAdmin(server.port);
    const sessions: BoardSession[] = [];
    for (let first = 0; first < shape.sessions; first += GROUPS_AT_ONCE) {
      if (performance.now() > deadline) {
        throw new Error(`board setup passed its ${shape.setupLimitMs / 1000} s limit at group ${first}`);
      }
      const batch = Array.from({ length: Math.min(GROUPS_AT_ONCE, shape.sessions - first) }, (_, i) =>
        setUpGroup(server.port, admin, first + i, shape.tabletsPerSession),
      );
      sessions.push(...(await Promise.all(batch)));
      if ((first + GROUPS_AT_ONCE) % 20 === 0) {
        log(`board setup: ${sessions.length} of ${shape.sessions} sessions ready`);
      }
    }
    return { env, sessions, setupMs: performance.now() - started };
  } finally {
    await server.stop();
  }
}
