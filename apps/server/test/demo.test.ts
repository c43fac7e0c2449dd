/**
 * `pnpm demo`: the fictional Cedar Circle clinic (clinical.md §7.8), seeded through core into a
 * real SQLite file and read back over HTTP the way a newcomer would meet it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSessionState, homeSignIn, resolveViewer } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTICIPANTS, DEMO_STAFF } from '../src/demo/cedar-circle.ts';
import { nextDosingStart, planCourse } from '../src/demo/course-calendar.ts';
import { DemoRefusal } from '../src/demo/demo-dir.ts';
import { seedDemo, type SeededDemo } from '../src/demo/seed-demo.ts';
import { formatDemoWelcome } from '../src/demo/sign-in-table.ts';
import { Browser, startHarness, type Harness } from './harness.ts';

const startDemo = fileURLToPath(new URL('../src/demo/start-demo.ts', import.meta.url));
const DAY_MS = 24 * 3_600_000;
const scratch = mkdtempSync(path.join(tmpdir(), 'cairn-demo-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface GroupBody {
  id: string;
  name: string;
  activeParticipants: number;
  staff: { displayName: string; roles: string[] }[];
  participants: {
    preferredName: string;
    status: string;
    emergencyContact: { phone: string };
    escortContact: { phone: string } | null;
    consents: { groupConfidentialityAgreement: boolean; tabletDataUse: boolean };
  }[];
  sessions: { id: string; kind: string; number: number; scheduledStart: string }[];
}

async function signIn(h: Harness, email: string, password: string): Promise<Browser> {
  const browser = new Browser(h.app);
  const login = await browser.post('/api/v1/auth/login', { email, password });
  expect(login.statusCode, email).toBe(200);
  expect((login.json() as { stage: string }).stage, email).toBe('full');
  return browser;
}

describe('the demo clinic, seeded', () => {
  const dataDir = path.join(scratch, 'seeded');
  const seededAt = new Date();
  let demo: SeededDemo;
  let h: Harness;
  let maya: Browser;
  let group: GroupBody;

  beforeAll(async () => {
    demo = await seedDemo(dataDir, { now: seededAt });
    h = await startHarness({ env: { CAIRN_DATA_DIR: dataDir } });
    maya = await signIn(h, 'maya@cedar.example', demo.password);
    group = (await maya.get(`/api/v1/groups/${demo.groupId}`)).json() as GroupBody;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets every printed account sign in with the printed password, and each sees the group', async () => {
    const printed = formatDemoWelcome(demo, 'http://localhost:3000', dataDir);
    expect(demo.accounts.length).toBe(6);
    for (const account of demo.accounts) {
      expect(printed).toContain(account.email);
      const browser = await signIn(h, account.email, demo.password);
      const { groups } = (await browser.get('/api/v1/groups')).json() as { groups: { name: string }[] };
      expect(
        groups.map((g) => g.name),
        account.email,
      ).toEqual(['Cedar Circle: Spring Cohort (DEMO)']);
      // The clinical staff open the group itself; the admin (not on its staff) sees only its summary.
      const opened = await browser.get(`/api/v1/groups/${demo.groupId}`);
      expect(opened.statusCode, account.email).toBe(account.groupRoles.length > 0 ? 200 : 404);
    }
    expect(printed).toContain(demo.password);
    expect(printed).toContain('DEMO');
    expect(printed).toContain('Admit tablets');
  });

  it('makes two-step sign-in optional, and says a real clinic must require it', async () => {
    const admin = await signIn(h, 'admin@cedar.example', demo.password);
    expect((await admin.get('/api/v1/clinic/settings')).json()).toEqual({
      mfaRequired: false,
      minMinutesBeforeDischarge: 120,
      supportEscalateAfterSeconds: 30,
    });
    expect(formatDemoWelcome(demo, 'http://localhost:3000', dataDir)).toContain(
      'A real clinic must require it',
    );
  });

  it('sets up the clinic as its printed admin, with no hidden account, and audits the optional two-step sign-in', async () => {
    const admin = await signIn(h, 'admin@cedar.example', demo.password);
    const { staff } = (await admin.get('/api/v1/staff')).json() as {
      staff: { id: string; email: string; displayName: string }[];
    };
    expect(staff.map((s) => s.email).sort()).toEqual(demo.accounts.map((m) => m.email).sort());
    expect(staff.map((s) => s.displayName)).not.toContain(expect.stringMatching(/installer/i));
    const ada = staff.find((s) => s.email === 'admin@cedar.example')!;
    // The first entries of the log: setup by Ada, then the same settings change an admin writes.
    const { entries } = (await admin.get('/api/v1/audit?before=4&limit=10')).json() as {
      entries: { action: string; actorUserId: string | null; details: object }[];
    };
    expect(entries.find((e) => e.action === 'clinic.setup')).toMatchObject({ actorUserId: ada.id });
    expect(entries.find((e) => e.action === 'clinic.settings_changed')).toMatchObject({
      actorUserId: ada.id,
      details: { mfaRequired: false, ip: 'demo-seed' },
    });
  });

  it('refuses a wrong password, so the printed one is what opens the accounts', async () => {
    const login = await new Browser(h.app).post('/api/v1/auth/login', {
      email: 'maya@cedar.example',
      password: 'not-the-demo-password',
    });
    expect(login.statusCode).toBe(401);
  });

  it('has six active participants with contacts and both consents, and the §7.8 staff roles', () => {
    expect(group.activeParticipants).toBe(6);
    expect(group.participants.map((p) => p.preferredName)).toEqual(
      DEMO_PARTICIPANTS.map((p) => p.preferredName),
    );
    for (const p of group.participants) {
      expect(p.status).toBe('active');
      expect(p.emergencyContact.phone).toMatch(/555-01\d\d$/);
      expect(p.escortContact?.phone).toMatch(/555-01\d\d$/);
      expect(p.consents).toEqual({ groupConfidentialityAgreement: true, tabletDataUse: true });
    }
    const roles = Object.fromEntries(group.staff.map((s) => [s.displayName, s.roles]));
    expect(roles).toEqual({
      'Maya Okafor, LMFT': ['facilitator'],
      'Luis Ferreira, LPC': ['co_therapist'],
      'Hannah Brandt, PsyD': ['co_therapist'],
      'Dr. Sam Whitaker, NP': ['medical_provider'],
      'Priya Nair, RN': ['medical_provider'],
    });
  });

  it('has exactly one dosing session in the next day, at 09:30 local, and history behind it', () => {
    const startOf = (s: { scheduledStart: string }) => new Date(s.scheduledStart).getTime();
    // "Later today or tomorrow": seeded between 09:00 and 09:30, today's 09:30 is too close to
    // open the doors, so the next one is tomorrow's, a little more than a day away.
    const horizon = seededAt.getTime() + DAY_MS + 30 * 60_000;
    const soon = group.sessions.filter(
      (s) => s.kind === 'dosing' && startOf(s) > seededAt.getTime() && startOf(s) <= horizon,
    );
    expect(soon).toHaveLength(1);
    expect(soon[0]!.id).toBe(demo.upcoming.id);
    const local = new Date(soon[0]!.scheduledStart);
    expect([local.getHours(), local.getMinutes()]).toEqual([9, 30]);

    const count = (kind: string, when: (t: number) => boolean) =>
      group.sessions.filter((s) => s.kind === kind && when(startOf(s))).length;
    const past = (t: number) => t < seededAt.getTime();
    const future = (t: number) => t > seededAt.getTime();
    expect([count('preparation', past), count('dosing', past), count('integration', past)]).toEqual([
      2, 3, 3,
    ]);
    expect([count('preparation', future), count('dosing', future), count('integration', future)]).toEqual([
      0, 3, 4,
    ]);
  });

  it('walked every past session through its phases; the upcoming one has not begun', async () => {
    const viewer = await resolveViewer(h.core, maya.cookie!.split('=')[1]);
    for (const session of group.sessions) {
      const state = await getSessionState(h.core, viewer, session.id);
      const participantStates = [...new Set(state.participants.map((p) => p.state))];
      // Seats follow the roster: P1 in seat 1 … P6 in seat 6, as §7.8's sitter mapping assumes.
      expect(state.participants.map((p) => [p.seat, p.preferredName])).toEqual(
        DEMO_PARTICIPANTS.map((p, i) => [i + 1, p.preferredName]),
      );
      if (new Date(session.scheduledStart) > seededAt) {
        expect([state.phase, participantStates]).toEqual(['scheduled', ['expected']]);
      } else if (session.kind === 'dosing') {
        expect([state.phase, participantStates], `dosing ${session.number}`).toEqual([
          'completed',
          ['discharged'],
        ]);
        // The history happened on the session's own morning: P1 was dosed 46 minutes in.
        const start = new Date(session.scheduledStart).getTime();
        expect(Date.parse(state.participants[0]!.firstDosedAt!) - start).toBe(46 * 60_000);
      } else {
        expect([state.phase, participantStates], `${session.kind} ${session.number}`).toEqual([
          'closed',
          ['checked_in'],
        ]);
      }
    }
  });

  it('issued each participant a home access card that signs them in', async () => {
    expect(demo.accessCards.map((c) => c.preferredName)).toEqual(
      DEMO_PARTICIPANTS.map((p) => p.preferredName),
    );
    const printed = formatDemoWelcome(demo, 'http://localhost:3000', dataDir);
    for (const card of demo.accessCards) {
      expect(printed).toContain(card.code);
      const home = await homeSignIn(h.core, { code: card.code }, { ip: '10.0.0.9' });
      expect(home.token.length).toBeGreaterThan(20);
    }
  });
});

describe('seeding again', () => {
  it('starts from a fresh database: nothing doubles, nothing old survives', async () => {
    const dataDir = path.join(scratch, 'twice');
    const first = await seedDemo(dataDir);
    const second = await seedDemo(dataDir);
    expect(second.groupId).not.toBe(first.groupId);
    const h = await startHarness({ env: { CAIRN_DATA_DIR: dataDir } });
    try {
      const admin = await signIn(h, 'admin@cedar.example', second.password);
      const { groups } = (await admin.get('/api/v1/groups')).json() as {
        groups: { id: string; activeParticipants: number }[];
      };
      expect(groups).toEqual([expect.objectContaining({ id: second.groupId, activeParticipants: 6 })]);
      const maya = await signIn(h, 'maya@cedar.example', second.password);
      const group = (await maya.get(`/api/v1/groups/${second.groupId}`)).json() as GroupBody;
      expect(group.participants).toHaveLength(6);
      expect(group.sessions).toHaveLength(15);
      expect((await maya.get(`/api/v1/groups/${first.groupId}`)).statusCode).toBe(404);
      const staff = (await admin.get('/api/v1/staff')).json() as { staff: { email: string }[] };
      // Exactly the six printed accounts: no hidden account made by first-run setup.
      expect(staff.staff.map((s) => s.email).sort()).toEqual(DEMO_STAFF.map((m) => m.email).sort());
    } finally {
      await h.close();
    }
  }, 120_000);

  it('refuses to wipe a directory it did not create', async () => {
    const dataDir = path.join(scratch, 'real-clinic');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'cairn.db'), 'a real clinic');
    await expect(seedDemo(dataDir)).rejects.toBeInstanceOf(DemoRefusal);
    expect(readdirSync(dataDir)).toEqual(['cairn.db']);
  });
});

describe('pnpm demo', () => {
  it('refuses to run with DATABASE_URL set, before touching anything', () => {
    const cwd = mkdtempSync(path.join(scratch, 'cwd-'));
    const result = spawnSync(process.execPath, [startDemo], {
      cwd,
      env: { ...process.env, DATABASE_URL: 'postgres://cairn@127.0.0.1:5432/clinic' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unset DATABASE_URL');
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
  });
});

describe('the course calendar', () => {
  const at = (h: number, m: number) => new Date(2026, 4, 12, h, m);

  it('puts the next dosing session at 09:30 today while there is time, else tomorrow', () => {
    expect(nextDosingStart(at(7, 0))).toEqual(at(9, 30));
    expect(nextDosingStart(at(9, 0))).toEqual(at(9, 30));
    expect(nextDosingStart(at(9, 1))).toEqual(new Date(2026, 4, 13, 9, 30));
    expect(nextDosingStart(at(22, 0))).toEqual(new Date(2026, 4, 13, 9, 30));
  });

  it('numbers the plan in date order: 2 preparation, 6 dosing, 7 integration circles', () => {
    const course = planCourse(at(12, 0));
    const dosing = course.filter((s) => s.kind === 'dosing');
    expect(dosing.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(course.filter((s) => s.kind === 'integration')).toHaveLength(7);
    expect(course.filter((s) => s.kind === 'preparation')).toHaveLength(2);
    // Each integration circle is two days after its dosing session, at 18:00.
    const circle = course.find((s) => s.kind === 'integration' && s.number === 2)!;
    const twoDaysLater = new Date(dosing[1]!.start);
    twoDaysLater.setDate(twoDaysLater.getDate() + 2);
    twoDaysLater.setHours(18, 0);
    expect(circle.start).toEqual(twoDaysLater);
    expect(course.map((s) => s.start.getTime())).toEqual(
      course.map((s) => s.start.getTime()).sort((a, b) => a - b),
    );
  });
});
