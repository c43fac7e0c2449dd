/**
 * Loads the fictional demo clinic (clinical.md §7.8) into a fresh SQLite database, through
 * @cairn/core's use-cases only, exactly as people would through the API: setup, invites,
 * the group, enrolment, scheduling, each past session's phases and participants' states, and
 * the home access cards are each validated, authorised and audited. No SQL.
 *
 * The core's clock is walked through the course (set up a fortnight before preparation, each
 * past session at its own time), so the audit log and the session history read as if the
 * course had really happened; it is back at the real time when seeding ends.
 */
import {
  createGroup,
  enrolParticipant,
  issueAccessCard,
  openCore,
  scheduleSession,
  setGroupStaff,
  type CoreContext,
  type GroupSessionView,
  type Viewer,
} from '@cairn/core';
import { loadConfig } from '../config.ts';
import { coreConfigFrom } from '../core-config.ts';
import {
  DEMO_CLINIC_NAME,
  DEMO_GROUP_NAME,
  DEMO_PARTICIPANTS,
  DEMO_PASSWORD,
  DEMO_PLAN,
  DEMO_ROOM,
  DEMO_ROUTE,
  DEMO_STAFF,
  type DemoStaffMember,
} from './cedar-circle.ts';
import { planCourse } from './course-calendar.ts';
import { addStaff, setUpDemoClinic, signInAs } from './demo-accounts.ts';
import { recreateDemoDir } from './demo-dir.ts';
import { playSessionHistory, type StoryClock } from './phase-history.ts';
import type { SeatedParticipant } from './session-scripts.ts';

const DAY_MS = 24 * 3_600_000;

export interface SeededDemo {
  clinicName: string;
  groupId: string;
  groupName: string;
  /** The one password of every printed account. */
  password: string;
  accounts: readonly DemoStaffMember[];
  /** The next dosing session: later today or tomorrow at 09:30 local. */
  upcoming: GroupSessionView;
  /** Each participant's home access card, in P1–P6 order (the codes are shown only here). */
  accessCards: { demoId: string; preferredName: string; code: string }[];
}

export interface SeedOptions {
  /** "Now" for the course calendar (tests pin it); defaults to the real time. */
  now?: Date;
  /** The server's CAIRN_SECRET_KEY, if it has one, so sealed secrets open in the server too. */
  secretKeyBase64?: string;
}

/** Maya runs the group: she creates it, enrols everyone, schedules and prints the cards. */
function facilitatorEmail(): string {
  const member = DEMO_STAFF.find((m) => m.part === 'facilitator');
  if (!member) throw new Error('demo seed: the demo has no facilitator');
  return member.email;
}

async function createCohort(
  core: CoreContext,
  clock: StoryClock,
  facilitator: Viewer,
): Promise<{ groupId: string; participants: SeatedParticipant[] }> {
  const group = await createGroup(core, facilitator, {
    name: DEMO_GROUP_NAME,
    plan: DEMO_PLAN,
    routeDefault: DEMO_ROUTE,
  });
  const members = await Promise.all(
    DEMO_STAFF.filter((m) => m.groupRoles.length > 0).map(async (m) => {
      const user = await core.store.findUserByEmail(m.email);
      if (!user) throw new Error('demo seed: a staff member it just added is missing');
      return { userId: user.id, roles: m.groupRoles };
    }),
  );
  await setGroupStaff(core, facilitator, group.id, { staff: members });
  const participants: SeatedParticipant[] = [];
  for (const p of DEMO_PARTICIPANTS) {
    // A minute apart: the roster (and so each seat number) follows enrolment order, P1 in seat 1.
    clock.now = new Date(clock.now.getTime() + 60_000);
    const enrolled = await enrolParticipant(core, facilitator, group.id, {
      preferredName: p.preferredName,
      pronouns: p.pronouns,
      emergencyContact: p.emergencyContact,
      escortContact: p.escortContact,
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    });
    participants.push({ participantId: enrolled.id, demoId: p.demoId, route: p.route });
  }
  return { groupId: group.id, participants };
}

/** Seeds `dataDir` (deleting whatever demo was there) and closes the database again. */
export async function seedDemo(dataDir: string, options: SeedOptions = {}): Promise<SeededDemo> {
  recreateDemoDir(dataDir);
  const realNow = options.now ?? new Date();
  const course = planCourse(realNow);
  const clock: StoryClock = { now: new Date(course[0]!.start.getTime() - 14 * DAY_MS) };
  const config = loadConfig({
    CAIRN_DATA_DIR: dataDir,
    ...(options.secretKeyBase64 ? { CAIRN_SECRET_KEY: options.secretKeyBase64 } : {}),
  });
  const core = await openCore({ ...coreConfigFrom(config), now: () => clock.now });
  try {
    const admin = await setUpDemoClinic(core);
    await addStaff(core, admin);
    const facilitator = await signInAs(core, facilitatorEmail());
    const { groupId, participants } = await createCohort(core, clock, facilitator);
    const sessions: GroupSessionView[] = [];
    for (const planned of course) {
      sessions.push(
        await scheduleSession(core, facilitator, groupId, {
          kind: planned.kind,
          scheduledStart: planned.start.toISOString(),
          plannedMinutes: planned.plannedMinutes,
          room: DEMO_ROOM,
        }),
      );
    }
    // History in date order, so the audit log and every stream run forward in time.
    for (const session of sessions.filter((s) => new Date(s.scheduledStart) < realNow)) {
      await playSessionHistory(core, clock, (email) => signInAs(core, email), session, participants);
    }
    const upcoming = sessions.find((s) => s.kind === 'dosing' && new Date(s.scheduledStart) > realNow);
    if (!upcoming) throw new Error('demo seed: the course has no upcoming dosing session');
    clock.now = realNow;
    const today = await signInAs(core, facilitatorEmail());
    const accessCards: SeededDemo['accessCards'] = [];
    for (const [i, p] of participants.entries()) {
      const { code } = await issueAccessCard(core, today, groupId, p.participantId);
      accessCards.push({ demoId: p.demoId, preferredName: DEMO_PARTICIPANTS[i]!.preferredName, code });
    }
    return {
      clinicName: DEMO_CLINIC_NAME,
      groupId,
      groupName: DEMO_GROUP_NAME,
      password: DEMO_PASSWORD,
      accounts: DEMO_STAFF,
      upcoming,
      accessCards,
    };
  } finally {
    await core.store.close();
  }
}
