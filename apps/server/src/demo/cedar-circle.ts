/**
 * The fictional demo clinic of clinical.md §7.8, as data. Every person, phone number and
 * address here is invented: emails use a reserved example domain and phones the 555-01xx
 * range kept for fiction, so nothing can reach a real person.
 */
import type { GroupPlan, GroupStaffRole, Route, StaffRole } from '@cairn/domain';

export const DEMO_CLINIC_NAME = 'Cedar Circle Demo Clinic (fictional)';
export const DEMO_GROUP_NAME = 'Cedar Circle: Spring Cohort (DEMO)';
export const DEMO_ROOM = 'Harbor Street Clinic, Room 2 (6 mats)';
export const DEMO_ROUTE: Route = 'intramuscular';

/**
 * One password for every demo account, so a newcomer can try each role. It passes the
 * password policy; that it is printed on screen is exactly why no real clinic may use it.
 */
export const DEMO_PASSWORD = 'cedar-circle-demo';

/** 2 preparation sessions, 6 dosing sessions, an integration circle after each and a closing circle. */
export const DEMO_PLAN: GroupPlan = { preparation: 2, dosing: 6, integration: 7 };

/** A part someone plays in the room, which session-scripts.ts writes the story in. */
export type DemoActor = 'facilitator' | 'sitterA' | 'sitterB' | 'prescriber' | 'nurse';

export interface DemoStaffMember {
  /** What the sign-in table calls this person's job. */
  job: string;
  displayName: string;
  email: string;
  clinicRoles: StaffRole[];
  /** Roles in the demo group; empty for the clinic admin, who staffs groups but is not on them. */
  groupRoles: GroupStaffRole[];
  /** Their part in the past sessions' history; §7.8 sits Luis with P1–P3 and Hannah with P4–P6. */
  part?: DemoActor;
}

/** The printed accounts, in the order the sign-in table lists them. */
export const DEMO_STAFF: readonly DemoStaffMember[] = [
  {
    job: 'Facilitator',
    displayName: 'Maya Okafor, LMFT',
    email: 'maya@cedar.example',
    part: 'facilitator',
    clinicRoles: ['facilitator'],
    groupRoles: ['facilitator'],
  },
  {
    job: 'Co-therapist',
    displayName: 'Luis Ferreira, LPC',
    email: 'luis@cedar.example',
    part: 'sitterA',
    clinicRoles: ['co_therapist'],
    groupRoles: ['co_therapist'],
  },
  {
    job: 'Co-therapist',
    displayName: 'Hannah Brandt, PsyD',
    email: 'hannah@cedar.example',
    part: 'sitterB',
    clinicRoles: ['co_therapist'],
    groupRoles: ['co_therapist'],
  },
  {
    job: 'Medical provider',
    displayName: 'Dr. Sam Whitaker, NP',
    email: 'sam@cedar.example',
    part: 'prescriber',
    clinicRoles: ['medical_provider'],
    groupRoles: ['medical_provider'],
  },
  {
    // §7.8 has her taking vitals; Cairn's role for that is medical provider.
    job: 'Nurse (medical provider)',
    displayName: 'Priya Nair, RN',
    email: 'priya@cedar.example',
    part: 'nurse',
    clinicRoles: ['medical_provider'],
    groupRoles: ['medical_provider'],
  },
  {
    job: 'Clinic admin',
    displayName: 'Ada Lindqvist (clinic admin)',
    email: 'admin@cedar.example',
    clinicRoles: ['admin'],
    groupRoles: [],
  },
];

export interface DemoParticipant {
  /** P1–P6 of clinical.md §7.8. */
  demoId: string;
  preferredName: string;
  pronouns: string;
  emergencyContact: { name: string; phone: string };
  escortContact: { name: string; phone: string };
  /** §7.8: intramuscular for four, a sublingual lozenge for two (it sets when they return). */
  route: 'intramuscular' | 'sublingual';
}

export const DEMO_PARTICIPANTS: readonly DemoParticipant[] = [
  {
    demoId: 'P1',
    preferredName: 'Jordan',
    pronouns: 'he/him',
    emergencyContact: { name: 'Elena Reyes (spouse)', phone: '(503) 555-0101' },
    escortContact: { name: 'Elena Reyes (spouse)', phone: '(503) 555-0101' },
    route: 'intramuscular',
  },
  {
    demoId: 'P2',
    preferredName: 'Alma',
    pronouns: 'she/her',
    emergencyContact: { name: 'Piotr Kowalczyk (brother)', phone: '(503) 555-0102' },
    escortContact: { name: 'Grace Oduya (friend)', phone: '(503) 555-0103' },
    route: 'intramuscular',
  },
  {
    demoId: 'P3',
    preferredName: 'Dev',
    pronouns: 'he/him',
    emergencyContact: { name: 'Anita Malhotra (mother)', phone: '(503) 555-0104' },
    escortContact: { name: 'Chris Lee (partner)', phone: '(503) 555-0105' },
    route: 'sublingual',
  },
  {
    demoId: 'P4',
    preferredName: 'Ruth',
    pronouns: 'she/her',
    emergencyContact: { name: 'Miriam Abernathy (daughter)', phone: '(503) 555-0106' },
    escortContact: { name: 'Miriam Abernathy (daughter)', phone: '(503) 555-0106' },
    route: 'sublingual',
  },
  {
    demoId: 'P5',
    preferredName: 'Tomás',
    pronouns: 'he/him',
    emergencyContact: { name: 'Beatriz Ilunga (sister)', phone: '(503) 555-0107' },
    escortContact: { name: 'Kofi Mensah (colleague)', phone: '(503) 555-0108' },
    route: 'intramuscular',
  },
  {
    demoId: 'P6',
    preferredName: 'Simone',
    pronouns: 'she/her',
    emergencyContact: { name: 'Joost Achterberg (husband)', phone: '(503) 555-0109' },
    escortContact: { name: 'Joost Achterberg (husband)', phone: '(503) 555-0109' },
    route: 'intramuscular',
  },
];
