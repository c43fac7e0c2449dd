import { describe, expect, it } from 'vitest';
import type { GroupRecord, NewEnrolment, ParticipantRecord } from '../../src/store.ts';
import { T0, minutes, race, seedClinic, type ContractContext } from './fixtures.ts';

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
