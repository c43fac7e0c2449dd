import { describe, expect, it } from 'vitest';
import type { JoinCodeRecord, TabletSessionRecord } from '../../src/tablet-records.ts';
import { T0, minutes, seedClinic, type ContractContext } from './fixtures.ts';

function joinCode(id: string, overrides: Partial<JoinCodeRecord> = {}): JoinCodeRecord {
  return {
    id,
    clinicId: 'clinic-1',
    sessionId: 's1',
    codeHash: `hash-${id}`,
    createdBy: 'admin',
    createdAt: T0,
    expiresAt: minutes(10),
    failures: 0,
    redeemedAt: null,
    redeemedByDevice: null,
    retiredAt: null,
    ...overrides,
  };
}

function tablet(id: string, overrides: Partial<TabletSessionRecord> = {}): TabletSessionRecord {
  return {
    id,
    deviceId: `device-${id}`,
    sessionId: 's1',
    participantId: null,
    state: 'pending',
    createdAt: T0,
    updatedAt: T0,
    expiresAt: minutes(720),
    ...overrides,
  };
}

/** A clinic, a group with participants p1…p3 and sessions s1 and s2. */
async function seedSession(ctx: ContractContext): Promise<void> {
  const store = ctx.store();
  await seedClinic(store);
  await store.createGroup(
    {
      id: 'g1',
      clinicId: 'clinic-1',
      name: 'Group g1',
      plan: { preparation: 1, dosing: 1, integration: 1 },
      routeDefault: 'intramuscular',
      createdBy: 'admin',
      createdAt: T0,
      updatedAt: T0,
    },
    [{ userId: 'admin', role: 'facilitator' }],
  );
  for (const id of ['p1', 'p2', 'p3']) {
    await store.enrolParticipant(
      'g1',
      {
        participant: {
          id,
          clinicId: 'clinic-1',
          preferredName: `Person ${id}`,
          pronouns: null,
          emergencyContact: { name: 'Contact', phone: '+1 555 0100' },
          escortContact: null,
          createdAt: T0,
        },
        enrolledAt: T0,
        consents: [],
      },
      12,
    );
  }
  for (const id of ['s1', 's2']) {
    await store.createGroupSession({
      id,
      groupId: 'g1',
      clinicId: 'clinic-1',
      kind: 'dosing',
      scheduledStart: minutes(60),
      plannedMinutes: 480,
      room: null,
      streamId: `stream-${id}`,
      createdAt: T0,
    });
  }
}

export function tabletContract(ctx: ContractContext): void {
  const { store } = ctx;
  describe('tablets: join codes and tablet sessions', () => {
    it('a new code retires the open one of the same session only', async () => {
      await seedSession(ctx);
      await store().createJoinCode(joinCode('c1'));
      await store().createJoinCode(joinCode('c2', { sessionId: 's2' }));
      await store().createJoinCode(joinCode('c3', { createdAt: minutes(1) }));
      expect((await store().findJoinCodeByHash('hash-c1'))?.retiredAt).toEqual(minutes(1));
      expect((await store().findJoinCodeByHash('hash-c2'))?.retiredAt).toBeNull();
      expect(await store().findJoinCodeByHash('hash-c3')).toEqual(joinCode('c3', { createdAt: minutes(1) }));
      expect(await store().findJoinCodeByHash('nope')).toBeNull();
    });

    it('[BI-J3] redeems a code once: racing redeems create exactly one tablet', async () => {
      await seedSession(ctx);
      await store().createJoinCode(joinCode('c1'));
      const outcomes = await Promise.all([
        store().redeemJoinCode('c1', 'dev-a', tablet('t1'), minutes(1)),
        store().redeemJoinCode('c1', 'dev-b', tablet('t2'), minutes(1)),
      ]);
      expect(outcomes.sort()).toEqual(['closed', 'redeemed']);
      const code = await store().findJoinCodeByHash('hash-c1');
      expect(code?.redeemedAt).toEqual(minutes(1));
      expect(['dev-a', 'dev-b']).toContain(code?.redeemedByDevice);
      expect(await store().listTabletSessions('s1')).toHaveLength(1);
    });

    it('[BI-J2] refuses expired, retired and ended-session codes without writing', async () => {
      await seedSession(ctx);
      await store().createJoinCode(joinCode('c1'));
      expect(await store().redeemJoinCode('c1', 'dev', tablet('t1'), minutes(10))).toBe('closed');
      await store().createJoinCode(joinCode('c2', { createdAt: minutes(11), expiresAt: minutes(21) }));
      await store().createJoinCode(joinCode('c3', { createdAt: minutes(12), expiresAt: minutes(22) }));
      expect(await store().redeemJoinCode('c2', 'dev', tablet('t1'), minutes(13))).toBe('closed');
      await store().endTablets('s1', minutes(14));
      expect(await store().redeemJoinCode('c3', 'dev', tablet('t1'), minutes(15))).toBe('closed');
      expect(await store().getTabletSession('t1')).toBeNull();
      expect(await store().tabletsEndedAt('s1')).toEqual(minutes(14));
      expect(await store().tabletsEndedAt('s2')).toBeNull();
    });

    it('[BI-J1] counts failures against open codes of the clinic and retires them at the limit', async () => {
      await seedSession(ctx);
      await store().createJoinCode(joinCode('c1'));
      await store().createJoinCode(joinCode('c2', { sessionId: 's2' }));
      await store().redeemJoinCode('c2', 'dev', tablet('t1', { sessionId: 's2' }), minutes(1));
      for (let i = 0; i < 2; i++)
        expect(await store().recordJoinCodeFailure('clinic-1', minutes(2), 3)).toEqual([]);
      const retired = await store().recordJoinCodeFailure('clinic-1', minutes(2), 3);
      expect(retired.map((c) => [c.id, c.failures, c.retiredAt])).toEqual([['c1', 3, minutes(2)]]);
      expect((await store().findJoinCodeByHash('hash-c2'))?.failures).toBe(0);
      expect(await store().recordJoinCodeFailure('clinic-1', minutes(3), 3)).toEqual([]);
    });

    it('one tablet per participant per session, also under racing claims', async () => {
      await seedSession(ctx);
      for (const id of ['t1', 't2', 't3']) {
        await store().createJoinCode(joinCode(`c-${id}`));
        await store().redeemJoinCode(`c-${id}`, id, tablet(id), minutes(1));
      }
      const outcomes = await Promise.all([
        store().claimTabletParticipant('t1', 'p1', minutes(2)),
        store().claimTabletParticipant('t2', 'p1', minutes(2)),
      ]);
      expect(outcomes.sort()).toEqual(['claimed', 'taken']);
      expect(await store().claimTabletParticipant('t3', 'p2', minutes(2))).toBe('claimed');
      expect(await store().claimTabletParticipant('t3', 'p3', minutes(2))).toBe('not_pending');
      expect(await store().claimTabletParticipant('missing', 'p3', minutes(2))).toBe('not_pending');
      const t3 = await store().getTabletSession('t3');
      expect(t3).toMatchObject({ participantId: 'p2', state: 'awaiting_admission', updatedAt: minutes(2) });
      expect(await store().findTabletByDevice('device-t3')).toEqual(t3);
    });

    it('moves states by compare-and-set; a rejected tablet frees its participant', async () => {
      await seedSession(ctx);
      for (const id of ['t1', 't2']) {
        await store().createJoinCode(joinCode(`c-${id}`));
        await store().redeemJoinCode(`c-${id}`, id, tablet(id), minutes(1));
      }
      await store().claimTabletParticipant('t1', 'p1', minutes(2));
      expect(await store().moveTablet('t1', ['pending'], 'admitted', minutes(3))).toBeNull();
      const rejected = await store().moveTablet('t1', ['awaiting_admission'], 'rejected', minutes(3));
      expect(rejected).toMatchObject({ state: 'rejected', updatedAt: minutes(3) });
      expect(await store().claimTabletParticipant('t2', 'p1', minutes(4))).toBe('claimed');
      expect((await store().moveTablet('t2', ['awaiting_admission'], 'admitted', minutes(5)))?.state).toBe(
        'admitted',
      );
    });

    it('[AC-22] ending a session ends every live tablet of it and no other', async () => {
      await seedSession(ctx);
      await store().createJoinCode(joinCode('c1'));
      await store().redeemJoinCode('c1', 'd1', tablet('t1'), minutes(1));
      await store().createJoinCode(joinCode('c2', { createdAt: minutes(1) }));
      await store().redeemJoinCode('c2', 'd2', tablet('t2'), minutes(1));
      await store().createJoinCode(joinCode('c3', { sessionId: 's2', createdAt: minutes(1) }));
      await store().redeemJoinCode('c3', 'd3', tablet('t3', { sessionId: 's2' }), minutes(1));
      await store().createJoinCode(joinCode('c4', { createdAt: minutes(2) }));
      const ended = await store().endTablets('s1', minutes(5));
      expect(ended.map((t) => t.id).sort()).toEqual(['t1', 't2']);
      expect(ended.every((t) => t.state === 'ended')).toBe(true);
      expect(await store().listTabletSessions('s1')).toEqual([]);
      expect((await store().listTabletSessions('s2')).map((t) => t.id)).toEqual(['t3']);
      expect((await store().findJoinCodeByHash('hash-c4'))?.retiredAt).toEqual(minutes(5));
      expect(await store().endTablets('s1', minutes(6))).toEqual([]);
      expect(await store().tabletsEndedAt('s1')).toEqual(minutes(5));
    });
  });

  describe('home access: cards and home sessions', () => {
    it('a new card replaces the old one and ends its home sessions', async () => {
      await seedSession(ctx);
      const card = {
        participantId: 'p1',
        groupId: 'g1',
        codeHash: 'card-1',
        issuedBy: 'admin',
        issuedAt: T0,
      };
      await store().issueAccessCard(card);
      expect(await store().findAccessCardByHash('card-1')).toEqual(card);
      const session = {
        id: 'h1',
        participantId: 'p1',
        groupId: 'g1',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: minutes(720),
      };
      await store().createHomeSession(session);
      await store().createHomeSession({ ...session, id: 'h2', participantId: 'p2' });
      expect(await store().getHomeSession('h1')).toEqual(session);
      await store().touchHomeSession('h1', minutes(5));
      expect((await store().getHomeSession('h1'))?.lastSeenAt).toEqual(minutes(5));
      await store().issueAccessCard({ ...card, codeHash: 'card-2', issuedAt: minutes(6) });
      expect(await store().findAccessCardByHash('card-1')).toBeNull();
      expect(await store().findAccessCardByHash('card-2')).toMatchObject({ participantId: 'p1' });
      expect(await store().getHomeSession('h1')).toBeNull();
      expect(await store().getHomeSession('h2')).not.toBeNull();
      await store().deleteHomeSession('h2');
      expect(await store().getHomeSession('h2')).toBeNull();
    });
  });
}
