/**
 * The live room on the real server (SQLite file, real sockets): check-ins from tablets, the
 * alerts and follow-up tasks they raise, "I need support" with its acknowledgement and
 * escalation, co-therapist assignments and tablet presence. Named by the catalog
 * (reliability.md): BI-A1, BI-A2, BI-A3, AC-14.
 */
import { CommandRefused, type StreamCommand } from '@cairn/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { liveRoom, newId, ofType, setClinic, storedEvents, type LiveRoom } from './live-room-support.ts';
import { until } from './realtime-support.ts';
import { rawStream } from './stream-support.ts';
import { admittedTablet } from './tablets-support.ts';

let room: LiveRoom | undefined;

afterEach(async () => {
  room?.closeAll();
  await room?.h.close();
  room = undefined;
});

async function start(options: { withMedical?: boolean } = {}) {
  room = await liveRoom(options);
  return room;
}

/** The refusal's reason and sentence, or a failure if the command went through. */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string; explanation: string | null }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommandRefused);
  return { reason: (error as CommandRefused).reason, explanation: (error as CommandRefused).explanation };
}

const checkIn = (moment: string, answers: Record<string, unknown>) => ({
  type: 'checkin.submit',
  moment,
  answers,
});

describe('check-ins from the tablet', () => {
  it.each([
    ['11', '11', 'distress must be a whole number from 0 to 10.'],
    ['-1', '-1', 'distress must be a whole number from 0 to 10.'],
    ['a string "7"', '"7"', 'distress must be a whole number from 0 to 10.'],
    ['null', 'null', 'distress must be a whole number from 0 to 10.'],
    ['1e309 (Infinity once parsed)', '1e309', 'distress must be a whole number from 0 to 10.'],
    ['7.5', '7.5', 'distress must be a whole number from 0 to 10.'],
  ])('[BI-A1] refuses distress %s, naming the field, and writes nothing', async (_name, value, message) => {
    const r = await start();
    const tablet = await r.tablet(r.s.participantsA[0]!.id);
    await until(() => r.fay.events.some((e) => e.type === 'tablet.presence'), 5000, 'presence seen');
    const before = await r.h.core.store.lastEventSeq(r.s.sessionA.streamId);
    const id = newId();
    const reply = await tablet.sendText(
      id,
      `{"type":"command","id":"${id}","command":{"type":"checkin.submit","moment":"arrival","answers":{"mood":5,"distress":${value}}}}`,
    );
    expect(reply).toMatchObject({ type: 'rejected', reason: 'invalid', message });
    expect(await r.h.core.store.lastEventSeq(r.s.sessionA.streamId)).toBe(before);
  });

  it('[BI-A1] refuses an item of another moment, an unknown item and a wrong shape; a skipped item is fine', async () => {
    const r = await start();
    const tablet = await r.tablet(r.s.participantsA[0]!.id);
    await until(() => r.fay.events.some((e) => e.type === 'tablet.presence'), 5000, 'presence seen');
    const before = await r.h.core.store.lastEventSeq(r.s.sessionA.streamId);
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ intention: 'Rest' }, 'intention is not asked at this check-in.'],
      [{ favourite_colour: 'blue' }, 'The check-in form has no item called favourite_colour.'],
      [{ 'Odd Key!': 1 }, 'The check-in form has no such item.'],
      [{ self_harm_thoughts: 'no' }, 'self_harm_thoughts must be yes or no.'],
      [
        { body: ['none', 'nausea'] },
        'body must be a list of different body sensations from the form, with "none" only alone.',
      ],
      [{ preparation_followed: 'maybe' }, 'preparation_followed must be yes, no or unsure.'],
    ];
    for (const [answers, message] of refusals) {
      expect(await tablet.send(checkIn('arrival', answers))).toMatchObject({
        type: 'rejected',
        reason: 'invalid',
        message,
      });
    }
    expect(await r.h.core.store.lastEventSeq(r.s.sessionA.streamId)).toBe(before);
    // Every item may be skipped: only mood answered, and nothing flagged.
    const ok = await tablet.send(checkIn('arrival', { mood: 6 }));
    expect(ok).toMatchObject({ type: 'ack', duplicate: false });
    const events = await storedEvents(r.h, r.s.sessionA.streamId);
    // The ack names the commit's last event: here the arrival itself, after the check-in.
    expect(events.at(-1)).toMatchObject({ seq: ok.seq, type: 'participant.state_changed' });
    expect(events.at(-2)).toMatchObject({
      type: 'checkin.submitted',
      payload: {
        participantId: r.s.participantsA[0]!.id,
        seat: await r.seatOf(r.s.participantsA[0]!.id),
        moment: 'arrival',
        answers: { mood: 6 },
        flags: [],
      },
    });
  });

  it('[BI-A2] a tablet admitted to one session cannot open another, and speaks only for its own participant', async () => {
    const r = await start();
    const { tablet } = await admittedTablet(r.h, r.s.fa, r.s.sessionA.id, r.s.participantsA[0]!.id);
    const other = rawStream(r.h, r.s.sessionB.streamId, tablet.cookie);
    expect(await other.opened).toBe(404);
    const audit = await r.s.admin.get('/api/v1/audit?limit=50');
    const denied = (
      audit.json() as { entries: Array<{ action: string; targetId: string | null }> }
    ).entries.filter((e) => e.action === 'authz.denied' && e.targetId === r.s.sessionB.streamId);
    expect(denied).toHaveLength(1);

    const socket = await r.tablet(r.s.participantsA[1]!.id);
    const before = await r.h.core.store.lastEventSeq(r.s.sessionA.streamId);
    const withParticipant = await socket.send({
      ...checkIn('arrival', { distress: 2 }),
      participantId: r.s.participantsA[2]!.id,
    });
    expect(withParticipant).toMatchObject({ type: 'rejected', reason: 'bad_command' });
    const forOther = await socket.send({ type: 'support.request', participantId: r.s.participantsA[2]!.id });
    expect(forOther).toMatchObject({ type: 'rejected', reason: 'bad_command' });
    // Staff commands from a tablet are forbidden outright.
    expect(await socket.send({ type: 'alert.acknowledge', alertId: 'abc' })).toMatchObject({
      type: 'rejected',
      reason: 'forbidden',
    });
    expect(await r.h.core.store.lastEventSeq(r.s.sessionA.streamId)).toBe(before);
  });

  it('[BI-A3] the same check-in and the same support request sent twice with one id apply once', async () => {
    const r = await start();
    const tablet = await r.tablet(r.s.participantsA[0]!.id);
    const id = newId();
    const first = await tablet.send(checkIn('arrival', { distress: 4, self_harm_thoughts: true }), id);
    const again = await tablet.send(checkIn('arrival', { distress: 4, self_harm_thoughts: true }), id);
    expect(first).toMatchObject({ type: 'ack', duplicate: false });
    expect(again).toMatchObject({ type: 'ack', seq: first.seq, duplicate: true });
    const supportId = newId();
    const asked = await tablet.send({ type: 'support.request' }, supportId);
    const askedAgain = await tablet.send({ type: 'support.request' }, supportId);
    expect(askedAgain).toMatchObject({ type: 'ack', seq: asked.seq, duplicate: true });
    const events = await storedEvents(r.h, r.s.sessionA.streamId);
    expect(ofType(events, 'checkin.submitted')).toHaveLength(1);
    expect(ofType(events, 'alert.raised')).toHaveLength(1);
    expect(ofType(events, 'task.opened')).toHaveLength(1);
    expect(ofType(events, 'support.requested')).toHaveLength(1);
    // Answering the arrival check-in marked the participant as arrived, once.
    expect(ofType(events, 'participant.state_changed').map((e) => e.payload)).toEqual([
      expect.objectContaining({
        participantId: r.s.participantsA[0]!.id,
        from: 'expected',
        to: 'checked_in',
      }),
    ]);
  });

  it('[AC-14] another tablet receives nothing of a participant’s check-in, alerts or support; staff never read the intention', async () => {
    const r = await start();
    const [robin, sasha] = r.s.participantsA as unknown as [{ id: string }, { id: string }];
    const a = await r.tablet(robin.id);
    const b = await r.tablet(sasha.id);
    const intention = 'Intention-words-only-Robin-reads';
    await a.send(checkIn('arrival', { distress: 9, self_harm_thoughts: true, private_talk: true }));
    await a.send(checkIn('pre_dose', { anxiety: 8, intention }));
    const support = await a.send({ type: 'support.request' });
    await until(() => ofType(r.cal.events, 'support.requested').length === 1, 5000, 'staff saw the request');
    await r.cal.client.send({
      type: 'support.acknowledge',
      requestId: ofType(r.cal.events, 'support.requested')[0]!.payload['requestId'] as string,
    } as StreamCommand);
    await until(
      () => ofType(r.fay.events, 'support.acknowledged').length === 1,
      5000,
      'staff saw the answer',
    );
    const events = await storedEvents(r.h, r.s.sessionA.streamId);
    const secrets = [
      robin.id,
      intention,
      ...ofType(events, 'alert.raised').map((e) => e.payload['alertId'] as string),
      ...ofType(events, 'task.opened').map((e) => e.payload['taskId'] as string),
      ...ofType(events, 'support.requested').map((e) => e.payload['requestId'] as string),
    ];
    expect(secrets.length).toBe(6);
    // B's frames, byte for byte, up to after A's last event reached everyone.
    await until(
      () =>
        a.raw.messages.some((m) => m.type === 'events' && JSON.stringify(m).includes('support.acknowledged')),
      5000,
      'A heard',
    );
    const bText = b.text();
    for (const secret of secrets) expect(bText).not.toContain(secret);
    for (const type of [
      'checkin.submitted',
      'checkin.intention_kept',
      'alert.raised',
      'support.requested',
      'support.acknowledged',
    ])
      expect(bText).not.toContain(type);

    // A's own tablet: its answers, its intention, its request and that someone is coming; no alert.
    const aTypes = a.raw.messages.flatMap((m) =>
      m.type === 'events' ? (m['events'] as Array<{ type: string }>).map((e) => e.type) : [],
    );
    expect(aTypes).toEqual(
      expect.arrayContaining([
        'checkin.submitted',
        'checkin.intention_kept',
        'support.requested',
        'support.acknowledged',
      ]),
    );
    expect(aTypes).not.toContain('alert.raised');
    expect(aTypes).not.toContain('task.opened');

    // Staff: everything except the participant's own words.
    for (const staff of [r.fay, r.cal]) {
      await until(() => staff.client.lastSeq >= support.seq!, 5000, 'staff caught up');
      const types = staff.events.map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining(['checkin.submitted', 'alert.raised', 'task.opened', 'support.requested']),
      );
      expect(types).not.toContain('checkin.intention_kept');
      expect(JSON.stringify(staff.events)).not.toContain(intention);
    }
    const submitted = ofType(r.fay.events, 'checkin.submitted').find(
      (e) => e.payload['moment'] === 'pre_dose',
    );
    expect(submitted?.payload).toEqual({
      participantId: robin.id,
      seat: await r.seatOf(robin.id),
      moment: 'pre_dose',
      answers: { anxiety: 8 },
      flags: [],
    });
  });
});

describe('alerts, tasks and the discharge guard', () => {
  it('a self-harm "yes" raises an urgent alert and a follow-up task; discharge waits until the alert is acknowledged', async () => {
    const r = await start({ withMedical: true });
    await setClinic(r.s.admin, { minMinutesBeforeDischarge: 0 });
    const med = r.watch(r.med!);
    await until(() => med.client.status === 'live', 5000, 'medical live');
    const p1 = r.s.participantsA[0]!.id;
    const tablet = await r.tablet(p1);
    const answered = await tablet.send(
      checkIn('arrival', { distress: 7, self_harm_thoughts: true, ride_home: false }),
    );
    expect(answered.type).toBe('ack');

    await until(() => ofType(r.cal.events, 'task.opened').length === 1, 5000, 'staff saw the alert');
    const alerts = ofType(r.cal.events, 'alert.raised');
    const seat = await r.seatOf(p1);
    expect(alerts.map((e) => e.payload)).toEqual([
      expect.objectContaining({ participantId: p1, seat, kind: 'self_harm', severity: 'urgent' }),
      expect.objectContaining({ participantId: p1, seat, kind: 'medical_review', severity: 'attention' }),
    ]);
    const urgent = alerts[0]!.payload['alertId'] as string;
    expect(ofType(r.cal.events, 'task.opened')[0]!.payload).toMatchObject({
      participantId: p1,
      kind: 'safety_follow_up',
      alertId: urgent,
    });

    const mark = (to: string, extra: object = {}) =>
      r.cal.client.send({ type: 'participant.set_state', participantId: p1, to, ...extra } as StreamCommand);
    await r.fay.client.send({ type: 'phase.advance', to: 'arrival' } as StreamCommand);
    // The arrival check-in already marked them checked in.
    await mark('ready');
    await med.client.send({ type: 'participant.set_state', participantId: p1, to: 'dosed' } as StreamCommand);
    for (const to of ['acute', 'returned', 'observation']) await mark(to);
    expect(await refusal(mark('discharge_ready', { escortPresent: true }))).toEqual({
      reason: 'not_allowed',
      explanation: `The participant in seat ${seat} has an urgent alert nobody has resolved.`,
    });

    await r.fay.client.send({ type: 'alert.acknowledge', alertId: urgent } as StreamCommand);
    expect(
      await refusal(r.cal.client.send({ type: 'alert.acknowledge', alertId: urgent } as StreamCommand)),
    ).toEqual({
      reason: 'not_allowed',
      explanation: 'Someone already acknowledged this alert.',
    });
    expect(
      await refusal(
        r.cal.client.send({ type: 'alert.acknowledge', alertId: 'no-such-alert' } as StreamCommand),
      ),
    ).toEqual({
      reason: 'not_allowed',
      explanation: 'That alert does not exist.',
    });
    await mark('discharge_ready', { escortPresent: true });

    const taskId = ofType(r.cal.events, 'task.opened')[0]!.payload['taskId'] as string;
    await r.cal.client.send({ type: 'task.complete', taskId } as StreamCommand);
    expect(
      await refusal(r.fay.client.send({ type: 'task.complete', taskId } as StreamCommand)),
    ).toMatchObject({
      explanation: 'That task is already done.',
    });
    const events = await storedEvents(r.h, r.s.sessionA.streamId);
    expect(ofType(events, 'alert.acknowledged')).toMatchObject([
      { payload: { alertId: urgent }, actorId: r.s.faId },
    ]);
    expect(ofType(events, 'task.completed')).toMatchObject([{ payload: { taskId }, actorId: r.s.caId }]);
  });

  it('co-therapists are assigned by a facilitator or co-therapist, only to the group’s clinical staff', async () => {
    const r = await start({ withMedical: true });
    const med = r.watch(r.med!);
    await until(() => med.client.status === 'live', 5000, 'medical live');
    const p2 = r.s.participantsA[1]!.id;
    const assign = (w: typeof med, userId: string | null, participantId = p2) =>
      w.client.send({ type: 'participant.assign', participantId, userId } as StreamCommand);
    await assign(r.fay, r.s.caId);
    await assign(r.cal, null);
    expect(await refusal(assign(med, r.s.caId))).toEqual({
      reason: 'not_allowed',
      explanation: 'Only a facilitator or a co-therapist can assign co-therapists.',
    });
    expect((await refusal(assign(r.fay, r.s.fbId))).explanation).toBe(
      "That person is not on this group's clinical staff.",
    );
    expect((await refusal(assign(r.fay, r.s.caId, r.s.participantsB[0]!.id))).explanation).toBe(
      'That person is not a participant of this session.',
    );
    const events = ofType(await storedEvents(r.h, r.s.sessionA.streamId), 'participant.assigned');
    expect(events.map((e) => e.payload)).toEqual([
      { participantId: p2, userId: r.s.caId },
      { participantId: p2, userId: null },
    ]);
  });

  it('a tablet’s presence shows on the staff stream when it connects and when it leaves', async () => {
    const r = await start();
    const p1 = r.s.participantsA[0]!.id;
    const tablet = await r.tablet(p1);
    await until(() => ofType(r.fay.events, 'tablet.presence').length === 1, 5000, 'online');
    expect(ofType(r.fay.events, 'tablet.presence')[0]).toMatchObject({
      payload: { participantId: p1, online: true },
      actorId: p1,
    });
    tablet.raw.socket.close();
    await until(() => ofType(r.fay.events, 'tablet.presence').length === 2, 5000, 'offline');
    expect(ofType(r.fay.events, 'tablet.presence')[1]!.payload).toEqual({ participantId: p1, online: false });
  });
});

describe('"I need support"', () => {
  it('reaches every staff board; a second tap joins it; an acknowledgement tells the tablet someone is coming', async () => {
    const r = await start();
    const p1 = r.s.participantsA[0]!.id;
    const tablet = await r.tablet(p1);
    const asked = await tablet.send({ type: 'support.request' });
    expect(asked).toMatchObject({ type: 'ack', duplicate: false });
    for (const staff of [r.fay, r.cal])
      await until(() => ofType(staff.events, 'support.requested').length === 1, 5000, 'board got it');
    const requestId = ofType(r.fay.events, 'support.requested')[0]!.payload['requestId'] as string;
    expect(ofType(r.fay.events, 'support.requested')[0]!.payload).toEqual({
      requestId,
      participantId: p1,
      seat: await r.seatOf(p1),
    });

    // A second tap (a new command) while nobody answered: the same request, nothing new written.
    const before = await r.h.core.store.lastEventSeq(r.s.sessionA.streamId);
    expect(await tablet.send({ type: 'support.request' })).toMatchObject({
      type: 'ack',
      seq: asked.seq,
      duplicate: true,
    });
    expect(await r.h.core.store.lastEventSeq(r.s.sessionA.streamId)).toBe(before);

    await r.cal.client.send({ type: 'support.acknowledge', requestId } as StreamCommand);
    await until(
      () =>
        tablet.raw.messages.some(
          (m) => m.type === 'events' && JSON.stringify(m).includes('support.acknowledged'),
        ),
      5000,
      'tablet heard someone is coming',
    );
    expect(
      await refusal(r.fay.client.send({ type: 'support.acknowledge', requestId } as StreamCommand)),
    ).toEqual({
      reason: 'not_allowed',
      explanation: 'Someone already answered this request.',
    });
    expect(
      (await refusal(r.fay.client.send({ type: 'support.acknowledge', requestId: 'nope' } as StreamCommand)))
        .explanation,
    ).toBe('That request does not exist.');
    // Answered, a new tap is a new request.
    const later = await tablet.send({ type: 'support.request' });
    expect(later).toMatchObject({ type: 'ack', duplicate: false });
    expect(ofType(await storedEvents(r.h, r.s.sessionA.streamId), 'support.requested')).toHaveLength(2);
  });

  it('escalates once after the clinic’s limit, to staff and the asking tablet; an answered request never escalates', async () => {
    const r = await start();
    await setClinic(r.s.admin, { supportEscalateAfterSeconds: 5 });
    const [p1, p2, p3] = r.s.participantsA.map((p) => p.id) as [string, string, string];
    const [t1, t2, t3] = [await r.tablet(p1), await r.tablet(p2), await r.tablet(p3)];
    await t1.send({ type: 'support.request' });
    await t2.send({ type: 'support.request' });
    await until(() => ofType(r.cal.events, 'support.requested').length === 2, 5000, 'requests seen');
    const requestOf = (p: string) =>
      ofType(r.cal.events, 'support.requested').find((e) => e.payload['participantId'] === p)!.payload[
        'requestId'
      ] as string;
    await r.cal.client.send({ type: 'support.acknowledge', requestId: requestOf(p1) } as StreamCommand);

    r.h.clock.advance(4_000);
    // Not yet due: a later request is the sign the sweeper has looked and let both be.
    await t3.send({ type: 'support.request' });
    r.h.clock.advance(1_000);
    await until(() => ofType(r.fay.events, 'support.escalated').length >= 1, 5000, 'escalated');
    await until(
      () =>
        t2.raw.messages.some((m) => m.type === 'events' && JSON.stringify(m).includes('support.escalated')),
      5000,
      'the tablet heard',
    );
    // p3's request, one second old, escalates only when its own time comes.
    r.h.clock.advance(5_000);
    await until(() => ofType(r.fay.events, 'support.escalated').length === 2, 5000, 'second escalation');
    const escalated = ofType(await storedEvents(r.h, r.s.sessionA.streamId), 'support.escalated');
    expect(escalated.map((e) => [e.payload['participantId'], e.actorId])).toEqual([
      [p2, 'system'],
      [p3, 'system'],
    ]);
    expect(t1.text()).not.toContain('support.escalated');
    expect(t1.text()).not.toContain(requestOf(p2));
  });

  it('the clinic’s escalation limit is a setting between 5 and 600 seconds', async () => {
    const r = await start();
    const read = await r.s.admin.get('/api/v1/clinic/settings');
    expect(read.json()).toMatchObject({ supportEscalateAfterSeconds: 30 });
    for (const bad of [4, 601, 10.5, '30', null]) {
      const refused = await r.s.admin.request('PATCH', '/api/v1/clinic/settings', {
        supportEscalateAfterSeconds: bad,
      });
      expect(refused.statusCode).toBe(422);
      expect((refused.json() as { fields: Record<string, string> }).fields).toEqual({
        supportEscalateAfterSeconds: 'Use a whole number of seconds from 5 to 600.',
      });
    }
    const changed = await r.s.admin.request('PATCH', '/api/v1/clinic/settings', {
      supportEscalateAfterSeconds: 45,
    });
    expect(changed.json()).toMatchObject({ supportEscalateAfterSeconds: 45 });
  });
});
