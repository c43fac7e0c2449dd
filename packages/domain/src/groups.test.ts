import { describe, expect, it } from 'vitest';
import {
  canAssignGroupStaff,
  canCreateGroup,
  canManageGroup,
  canViewGroup,
  enrolInputSchema,
  groupInputSchema,
  groupStaffInputSchema,
  groupUpdateInputSchema,
  hasRoomFor,
  mayHoldGroupRole,
  cancelSessionInputSchema,
  consentChangeInputSchema,
  participantUpdateInputSchema,
  rescheduleSessionInputSchema,
  scheduleSessionInputSchema,
  withdrawInputSchema,
} from './groups.ts';

const group = {
  name: 'Spring cohort',
  plan: { preparation: 2, dosing: 1, integration: 3 },
  routeDefault: 'intramuscular',
};
const enrol = {
  preferredName: 'Robin',
  pronouns: 'they/them',
  emergencyContact: { name: 'Sam', phone: '+1 555 010 0200' },
  consents: { groupConfidentialityAgreement: true, tabletDataUse: false },
};
const session = { kind: 'dosing', scheduledStart: '2026-05-01T09:30:00+02:00', plannedMinutes: 480 };

describe('group schemas', () => {
  it('keep a name with emoji and accents', () => {
    expect(groupInputSchema.parse({ ...group, name: 'Círculo 🌲' }).name).toBe('Círculo 🌲');
  });

  it('accept good input, trimmed', () => {
    expect(groupInputSchema.parse({ ...group, name: '  Spring  ' }).name).toBe('Spring');
    expect(enrolInputSchema.parse(enrol).preferredName).toBe('Robin');
    expect(scheduleSessionInputSchema.parse(session).scheduledStart.toISOString()).toBe(
      '2026-05-01T07:30:00.000Z',
    );
    expect(withdrawInputSchema.parse({ reason: 'moved away' }).reason).toBe('moved away');
    expect(
      groupStaffInputSchema.parse({ staff: [{ userId: 'u1', roles: ['facilitator', 'facilitator'] }] })
        .staff[0]!.roles,
    ).toEqual(['facilitator']);
    expect(groupUpdateInputSchema.parse({ name: 'New' })).toEqual({ name: 'New' });
  });

  it.each([
    ['extra field', { ...group, clinicId: 'other' }],
    ['extra plan field', { ...group, plan: { ...group.plan, follow_up: 1 } }],
    ['negative count', { ...group, plan: { ...group.plan, dosing: -1 } }],
    ['huge count', { ...group, plan: { ...group.plan, dosing: 1e9 } }],
    ['fractional count', { ...group, plan: { ...group.plan, dosing: 1.5 } }],
    ['string count', { ...group, plan: { ...group.plan, dosing: '1' } }],
    ['10k name', { ...group, name: 'x'.repeat(10_000) }],
    ['empty name', { ...group, name: '   ' }],
    ['control character', { ...group, name: 'a\u0000b' }],
    ['lone surrogate', { ...group, name: 'a\ud800b' }],
    ['unknown route', { ...group, routeDefault: 'oral' }],
  ])('a group refuses %s', (_, input) => {
    expect(groupInputSchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['extra field', { ...enrol, groupId: 'g' }],
    ['extra contact field', { ...enrol, emergencyContact: { ...enrol.emergencyContact, email: 'a@b' } }],
    ['letters for a phone', { ...enrol, emergencyContact: { name: 'Sam', phone: 'call me' } }],
    ['missing consents', { ...enrol, consents: undefined }],
    [
      'consent as string',
      { ...enrol, consents: { groupConfidentialityAgreement: 'yes', tabletDataUse: true } },
    ],
    ['newline in a name', { ...enrol, preferredName: 'Rob\nin' }],
    ['10k pronouns', { ...enrol, pronouns: 'x'.repeat(10_000) }],
  ])('an enrolment refuses %s', (_, input) => {
    expect(enrolInputSchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['unknown kind', { ...session, kind: 'follow_up' }],
    ['a date that is not one', { ...session, scheduledStart: '2026-02-30T10:00:00Z' }],
    ['a date without time', { ...session, scheduledStart: '2026-05-01' }],
    ['prose', { ...session, scheduledStart: 'next tuesday' }],
    ['a number for a date', { ...session, scheduledStart: 1_777_000_000_000 }],
    ['too short', { ...session, plannedMinutes: 29 }],
    ['too long', { ...session, plannedMinutes: 721 }],
    ['extra field', { ...session, streamId: 's' }],
    ['year 9999', { ...session, scheduledStart: '9999-01-01T00:00:00Z' }],
  ])('a session refuses %s', (_, input) => {
    expect(scheduleSessionInputSchema.safeParse(input).success).toBe(false);
  });

  it('staff input refuses admin as a group role, duplicates and bad ids', () => {
    expect(groupStaffInputSchema.safeParse({ staff: [{ userId: 'u', roles: ['admin'] }] }).success).toBe(
      false,
    );
    expect(
      groupStaffInputSchema.safeParse({
        staff: [
          { userId: 'u', roles: ['facilitator'] },
          { userId: 'u', roles: ['co_therapist'] },
        ],
      }).success,
    ).toBe(false);
    expect(
      groupStaffInputSchema.safeParse({ staff: [{ userId: '../x', roles: ['facilitator'] }] }).success,
    ).toBe(false);
    expect(groupUpdateInputSchema.safeParse({}).success).toBe(false);
  });
});

describe('editing schemas', () => {
  it('a participant patch takes any one field with enrolment rules; null clears only what may be empty', () => {
    expect(participantUpdateInputSchema.parse({ preferredName: '  Robin ' })).toEqual({
      preferredName: 'Robin',
    });
    expect(participantUpdateInputSchema.parse({ pronouns: null, escortContact: null })).toEqual({
      pronouns: null,
      escortContact: null,
    });
    for (const bad of [
      {},
      { preferredName: null },
      { emergencyContact: null },
      { preferredName: 'x'.repeat(121) },
      { pronouns: 'a\u0007b' },
      { escortContact: { name: 'Sam', phone: 'call me' } },
      { emergencyContact: { name: 'Sam', phone: '+1 555 010 0200', relation: 'x' } },
      { status: 'withdrawn' },
    ]) {
      expect(participantUpdateInputSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('a consent change names a known consent and a boolean', () => {
    expect(consentChangeInputSchema.parse({ type: 'tablet_data_use', given: false })).toEqual({
      type: 'tablet_data_use',
      given: false,
    });
    expect(consentChangeInputSchema.safeParse({ type: 'research', given: true }).success).toBe(false);
    expect(consentChangeInputSchema.safeParse({ type: 'tablet_data_use', given: 'yes' }).success).toBe(false);
    expect(
      consentChangeInputSchema.safeParse({ type: 'tablet_data_use', given: true, version: 9 }).success,
    ).toBe(false);
  });

  it('a reschedule changes time, length or room, never the kind; a cancellation needs a reason', () => {
    expect(rescheduleSessionInputSchema.parse({ room: null })).toEqual({ room: null });
    expect(
      rescheduleSessionInputSchema
        .parse({ scheduledStart: session.scheduledStart })
        .scheduledStart?.toISOString(),
    ).toBe('2026-05-01T07:30:00.000Z');
    for (const bad of [
      {},
      { kind: 'dosing' },
      { plannedMinutes: 29 },
      { plannedMinutes: null },
      { scheduledStart: null },
    ]) {
      expect(rescheduleSessionInputSchema.safeParse(bad).success).toBe(false);
    }
    expect(cancelSessionInputSchema.safeParse({ reason: '  ' }).success).toBe(false);
    expect(cancelSessionInputSchema.parse({ reason: ' Snow ' })).toEqual({ reason: 'Snow' });
  });
});

describe('group rules', () => {
  it('has room for the 12th but not the 13th', () => {
    expect(hasRoomFor(11)).toBe(true);
    expect(hasRoomFor(12)).toBe(false);
  });

  it.each([
    [['admin'], true],
    [['facilitator'], true],
    [['co_therapist'], false],
    [['medical_provider'], false],
  ] as const)('canCreateGroup(%j) is %s', (roles, expected) => {
    expect(canCreateGroup(roles)).toBe(expected);
  });

  it('group roles decide viewing and managing; admins only assign staff', () => {
    expect(canViewGroup([])).toBe(false);
    expect(canViewGroup(['medical_provider'])).toBe(true);
    expect(canManageGroup(['co_therapist'])).toBe(false);
    expect(canManageGroup(['facilitator'])).toBe(true);
    expect(canAssignGroupStaff(['admin'], [])).toBe(true);
    expect(canAssignGroupStaff(['co_therapist'], ['co_therapist'])).toBe(false);
    expect(mayHoldGroupRole(['admin'], 'facilitator')).toBe(false);
    expect(mayHoldGroupRole(['facilitator', 'admin'], 'facilitator')).toBe(true);
  });
});
