import { describe, expect, it } from 'vitest';
import {
  StaleStreamError,
  type GroupRecord,
  type NewEnrolment,
  type ParticipantRecord,
} from '../../src/store.ts';
import { T0, minutes, newEvent, race, seedClinic, type ContractContext } from './fixtures.ts';

function groupRecord(id: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    id,
    clinicId: 'clinic-1',
    name: `Group ${id}`,
    plan: { preparation: 2, dosing: 1, integration: 3 },
    routeDefault: 'intramuscular',
    createdBy: 'admin',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function participant(id: string, overrides: Partial<ParticipantRecord> = {}): ParticipantRecord {
  return {
    id,
    clinicId: 'clinic-1',
    preferredName: `Person ${id}`,
    pronouns: null,
    emergencyContact: { name: `Contact ${id}`, phone: '+1 555 0100' },
    escortContact: null,
    createdAt: T0,
    ...overrides,
  };
}

function enrolment(id: string, at = T0): NewEnrolment {
  return {
    participant: participant(id, { createdAt: at }),
    enrolledAt: at,
    consents: [
      {
        id: `consent-${id}`,
        participantId: id,
        type: 'group_confidentiality_agreement',
        version: 1,
        signedAt: at,
        recordedBy: 'admin',
        revokedAt: null,
      },
    ],
  };
}

async function seedGroup(ctx: ContractContext, id = 'g1'): Promise<GroupRecord> {
  const group = groupRecord(id);
  await ctx.store().createGroup(group, [{ userId: 'admin', role: 'facilitator' }]);
  return group;
}

export function groupContract(ctx: ContractContext): void {
  const { store } = ctx;
  describe('groups', () => {
    it('creates a group with its staff, lists and updates it', async () => {
      await seedClinic(store());
      const group = await seedGroup(ctx);
      expect(await store().getGroup('g1')).toEqual(group);
      expect(await store().getGroup('nope')).toBeNull();
      expect(await store().listGroups('clinic-1')).toEqual([group]);
      expect(await store().listGroups('other-clinic')).toEqual([]);
      expect(await store().listGroupStaff('g1')).toEqual([{ userId: 'admin', role: 'facilitator' }]);
      expect(await store().listGroupIdsOfStaff('admin')).toEqual(['g1']);
      const updated = await store().updateGroup(
        'g1',
        { name: 'Renamed', plan: { preparation: 1, dosing: 2, integration: 0 } },
        minutes(5),
      );
      expect(updated).toEqual({
        ...group,
        name: 'Renamed',
        plan: { preparation: 1, dosing: 2, integration: 0 },
        updatedAt: minutes(5),
      });
      expect(await store().updateGroup('nope', { name: 'x' }, minutes(5))).toBeNull();
    });

    it('replaces the staff of a group', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      await store().setGroupStaff('g1', [
        { userId: 'admin', role: 'co_therapist' },
        { userId: 'admin', role: 'medical_provider' },
      ]);
      expect(await store().listGroupStaff('g1')).toEqual([
        { userId: 'admin', role: 'co_therapist' },
        { userId: 'admin', role: 'medical_provider' },
      ]);
      await store().setGroupStaff('g1', []);
      expect(await store().listGroupStaff('g1')).toEqual([]);
      expect(await store().listGroupIdsOfStaff('admin')).toEqual([]);
    });

    it('enrols participants with their consents and lists the roster', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      const full = enrolment('p1');
      full.participant.pronouns = 'she/her';
      full.participant.escortContact = { name: 'Escort', phone: '555 0101' };
      expect(await store().enrolParticipant('g1', full, 12)).toBe('enrolled');
      expect(await store().enrolParticipant('g1', enrolment('p2', minutes(1)), 12)).toBe('enrolled');
      expect(await store().enrolParticipant('missing', enrolment('p3'), 12)).toBe('no_group');
      const roster = await store().listRoster('g1');
      expect(roster.map((r) => r.participant.id)).toEqual(['p1', 'p2']);
      expect(roster[0]).toEqual({
        participant: full.participant,
        enrolment: {
          groupId: 'g1',
          participantId: 'p1',
          status: 'active',
          enrolledAt: T0,
          withdrawnAt: null,
          withdrawalReason: null,
        },
        consents: full.consents,
      });
      expect(await store().countActiveEnrolments('g1')).toBe(2);
    });

    it('refuses an enrolment beyond the cap and stores nothing of it', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      for (let i = 0; i < 12; i++) {
        expect(await store().enrolParticipant('g1', enrolment(`p${i}`), 12)).toBe('enrolled');
      }
      expect(await store().enrolParticipant('g1', enrolment('p13'), 12)).toBe('full');
      const roster = await store().listRoster('g1');
      expect(roster).toHaveLength(12);
      expect(roster.some((r) => r.participant.id === 'p13')).toBe(false);
    });

    it('withdrawing keeps the history and frees the place', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      for (let i = 0; i < 12; i++) await store().enrolParticipant('g1', enrolment(`p${i}`), 12);
      expect(await store().withdrawEnrolment('g1', 'p3', 'moved away', minutes(10))).toBe(true);
      expect(await store().withdrawEnrolment('g1', 'p3', 'again', minutes(11))).toBe(false);
      expect(await store().withdrawEnrolment('g1', 'unknown', 'x', minutes(11))).toBe(false);
      expect(await store().withdrawEnrolment('other', 'p4', 'x', minutes(11))).toBe(false);
      expect(await store().countActiveEnrolments('g1')).toBe(11);
      expect(await store().enrolParticipant('g1', enrolment('p12'), 12)).toBe('enrolled');
      const roster = await store().listRoster('g1');
      expect(roster).toHaveLength(13);
      const withdrawn = roster.find((r) => r.participant.id === 'p3');
      expect(withdrawn?.enrolment).toMatchObject({
        status: 'withdrawn',
        withdrawnAt: minutes(10),
        withdrawalReason: 'moved away',
      });
      expect(withdrawn?.consents).toHaveLength(1);
    });

    it('never exceeds the cap when enrolments race', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      for (let i = 0; i < 10; i++) await store().enrolParticipant('g1', enrolment(`p${i}`), 12);
      const { values, errors } = await race(
        Array.from({ length: 8 }, (_, i) => () => store().enrolParticipant('g1', enrolment(`r${i}`), 12)),
      );
      expect(errors).toEqual([]);
      expect(values.filter((v) => v === 'enrolled')).toHaveLength(2);
      expect(values.filter((v) => v === 'full')).toHaveLength(6);
      expect(await store().countActiveEnrolments('g1')).toBe(12);
      expect(await store().listRoster('g1')).toHaveLength(12);
    });

    it('creates a session and its event stream together, numbered per kind', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      const base = {
        groupId: 'g1',
        clinicId: 'clinic-1',
        kind: 'preparation' as const,
        scheduledStart: minutes(60),
        plannedMinutes: 90,
        room: 'Room A',
        createdAt: T0,
      };
      const first = await store().createGroupSession({ ...base, id: 's1', streamId: 'stream-s1' });
      expect(first).toEqual({
        id: 's1',
        groupId: 'g1',
        kind: 'preparation',
        number: 1,
        scheduledStart: minutes(60),
        plannedMinutes: 90,
        room: 'Room A',
        streamId: 'stream-s1',
        createdAt: T0,
        cancelledAt: null,
        cancelReason: null,
        cancelledBy: null,
      });
      const second = await store().createGroupSession({
        ...base,
        id: 's2',
        streamId: 'stream-s2',
        scheduledStart: minutes(30),
      });
      const dosing = await store().createGroupSession({
        ...base,
        id: 's3',
        streamId: 'stream-s3',
        kind: 'dosing',
        room: null,
      });
      expect([second.number, dosing.number]).toEqual([2, 1]);
      expect(await store().getEventStream('stream-s1')).toEqual({
        id: 'stream-s1',
        clinicId: 'clinic-1',
        createdAt: T0,
      });
      expect(await store().getGroupSession('s1')).toEqual(first);
      expect(await store().getGroupSession('nope')).toBeNull();
      expect(await store().findGroupSessionByStream('stream-s3')).toEqual(dosing);
      expect(await store().findGroupSessionByStream('nope')).toBeNull();
      expect((await store().listGroupSessions('g1')).map((s) => s.id)).toEqual(['s2', 's1', 's3']);
    });

    it('corrects a participant: only the fields given; null clears pronouns and escort', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      await store().enrolParticipant('g1', enrolment('p1'), 12);
      await store().enrolParticipant('g1', enrolment('p2'), 12);
      const escort = { name: 'Ezra', phone: '+1 555 0199' };
      expect(
        await store().updateParticipant('p1', {
          preferredName: 'Robin',
          pronouns: 'she/her',
          escortContact: escort,
        }),
      ).toEqual(participant('p1', { preferredName: 'Robin', pronouns: 'she/her', escortContact: escort }));
      const cleared = await store().updateParticipant('p1', {
        pronouns: null,
        escortContact: null,
        emergencyContact: { name: 'Sam', phone: '+1 555 0111' },
      });
      expect(cleared).toEqual(
        participant('p1', {
          preferredName: 'Robin',
          emergencyContact: { name: 'Sam', phone: '+1 555 0111' },
        }),
      );
      expect(await store().updateParticipant('p1', {})).toEqual(cleared);
      expect(await store().updateParticipant('nobody', { preferredName: 'x' })).toBeNull();
      const roster = await store().listRoster('g1');
      expect(roster.map((r) => r.participant)).toEqual([cleared, participant('p2')]);
    });

    it('gives a consent once, revokes the current one and keeps the history', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      await store().enrolParticipant('g1', enrolment('p1'), 12);
      const tablet = (id: string, at: Date) => ({
        id,
        participantId: 'p1',
        type: 'tablet_data_use' as const,
        version: 1,
        signedAt: at,
        recordedBy: 'admin',
        revokedAt: null,
      });
      expect(await store().revokeConsent('p1', 'tablet_data_use', minutes(1))).toBe(false);
      expect(await store().giveConsent(tablet('t1', minutes(2)))).toBe('given');
      expect(await store().giveConsent(tablet('t2', minutes(3)))).toBe('already_given');
      expect(await store().revokeConsent('p1', 'tablet_data_use', minutes(4))).toBe(true);
      expect(await store().revokeConsent('p1', 'tablet_data_use', minutes(5))).toBe(false);
      expect(await store().giveConsent(tablet('t3', minutes(6)))).toBe('given');
      const [entry] = await store().listRoster('g1');
      expect(entry!.consents).toEqual([
        enrolment('p1').consents[0],
        { ...tablet('t1', minutes(2)), revokedAt: minutes(4) },
        tablet('t3', minutes(6)),
      ]);
    });

    it('records a consent given by two people at once exactly once', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      await store().enrolParticipant('g1', enrolment('p1'), 12);
      const { values, errors } = await race(
        Array.from(
          { length: 6 },
          (_, i) => () =>
            store().giveConsent({
              id: `c${i}`,
              participantId: 'p1',
              type: 'tablet_data_use',
              version: 1,
              signedAt: T0,
              recordedBy: 'admin',
              revokedAt: null,
            }),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter((v) => v === 'given')).toHaveLength(1);
      const [entry] = await store().listRoster('g1');
      expect(entry!.consents.filter((c) => c.type === 'tablet_data_use')).toHaveLength(1);
    });

    it('reschedules and cancels only a session that has not started; numbers stay', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      const base = {
        groupId: 'g1',
        clinicId: 'clinic-1',
        kind: 'dosing' as const,
        scheduledStart: minutes(60),
        plannedMinutes: 480,
        room: 'Room A',
        createdAt: T0,
      };
      const s1 = await store().createGroupSession({ ...base, id: 's1', streamId: 'stream-s1' });
      const s2 = await store().createGroupSession({ ...base, id: 's2', streamId: 'stream-s2' });
      const moved = await store().rescheduleGroupSession('s1', { scheduledStart: minutes(120), room: null });
      expect(moved).toEqual({ ok: true, session: { ...s1, scheduledStart: minutes(120), room: null } });
      expect(await store().rescheduleGroupSession('nope', { plannedMinutes: 60 })).toEqual({
        ok: false,
        reason: 'no_session',
      });
      // Events other than a phase change do not start a session.
      await store().appendEvents('stream-s2', [newEvent(1)]);
      expect((await store().rescheduleGroupSession('s2', { plannedMinutes: 60 })).ok).toBe(true);
      await store().appendEvents('stream-s2', [newEvent(2, { type: 'session.phase_changed' })]);
      expect(await store().rescheduleGroupSession('s2', { plannedMinutes: 90 })).toEqual({
        ok: false,
        reason: 'started',
      });
      expect(await store().cancelGroupSession('s2', { at: minutes(3), reason: 'x', by: 'admin' })).toEqual({
        ok: false,
        reason: 'started',
      });
      expect((await store().getGroupSession('s2'))?.plannedMinutes).toBe(60);

      const cancelled = await store().cancelGroupSession('s1', {
        at: minutes(5),
        reason: 'Snow',
        by: 'admin',
      });
      const expected = {
        ...s1,
        scheduledStart: minutes(120),
        room: null,
        cancelledAt: minutes(5),
        cancelReason: 'Snow',
        cancelledBy: 'admin',
      };
      expect(cancelled).toEqual({ ok: true, session: expected });
      expect(await store().cancelGroupSession('s1', { at: minutes(6), reason: 'y', by: 'admin' })).toEqual({
        ok: false,
        reason: 'cancelled',
      });
      expect(await store().rescheduleGroupSession('s1', { plannedMinutes: 60 })).toEqual({
        ok: false,
        reason: 'cancelled',
      });
      expect(await store().getGroupSession('s1')).toEqual(expected);
      // An append conditional on the session being open is refused once it was cancelled.
      await expect(
        store().appendEvents('stream-s1', [newEvent(4, { type: 'session.phase_changed' })], {
          openSessionId: 's1',
        }),
      ).rejects.toBeInstanceOf(StaleStreamError);
      expect(await store().lastEventSeq('stream-s1')).toBe(0);
      const [open] = await store().appendEvents('stream-s2', [newEvent(5)], { openSessionId: 's2' });
      expect(open?.duplicate).toBe(false);
      const listed = await store().listGroupSessions('g1');
      expect(listed.map((s) => [s.id, s.number])).toEqual([
        ['s2', s2.number],
        ['s1', 1],
      ]);
      const s3 = await store().createGroupSession({ ...base, id: 's3', streamId: 'stream-s3' });
      expect(s3.number).toBe(3);
    });

    it('writes neither session nor stream when one of them fails', async () => {
      await seedClinic(store());
      await seedGroup(ctx);
      await store().createEventStream({ id: 'taken', clinicId: 'clinic-1', createdAt: T0 });
      const base = {
        groupId: 'g1',
        clinicId: 'clinic-1',
        kind: 'dosing' as const,
        scheduledStart: minutes(60),
        plannedMinutes: 480,
        room: null,
        createdAt: T0,
      };
      await expect(store().createGroupSession({ ...base, id: 's1', streamId: 'taken' })).rejects.toThrow();
      expect(await store().getGroupSession('s1')).toBeNull();
      await expect(
        store().createGroupSession({ ...base, id: 's2', groupId: 'no-group', streamId: 'fresh' }),
      ).rejects.toThrow();
      expect(await store().getEventStream('fresh')).toBeNull();
    });
  });
}
