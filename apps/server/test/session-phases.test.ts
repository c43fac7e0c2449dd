/**
 * Moving a session through its phases and its participants through their states, over the
 * session stream on the real server: every transition is an event with its actor, illegal
 * ones are refused with a sentence a person understands, racing commands apply once, and the
 * staff's state view follows the stream.
 */
import { CommandRefused, type StreamCommand } from '@cairn/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Browser, type Harness } from './harness.ts';
import { groupScene, person, type GroupScene } from './groups-support.ts';
import { addStaff, until } from './realtime-support.ts';
import { rawEvents, rawStream, watchStream, type WatchedStream } from './stream-support.ts';
import { admittedTablet, tabletScene } from './tablets-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

interface Room {
  s: GroupScene;
  /** Group A's facilitator, co-therapist and medical provider on the session stream. */
  fay: WatchedStream;
  cal: WatchedStream;
  med: WatchedStream;
  medBrowser: Browser;
  participants: string[];
}

async function room(count = 4): Promise<Room> {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const s = await groupScene(h);
  const med = await addStaff(h, s.admin, 'mo@juniper.test', ['medical_provider']);
  const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
    staff: [
      { userId: s.faId, roles: ['facilitator'] },
      { userId: s.caId, roles: ['co_therapist'] },
      { userId: med.userId, roles: ['medical_provider'] },
    ],
  });
  expect(staffed.statusCode).toBe(200);
  const participants: string[] = [];
  for (let n = 1; n <= count; n++) {
    h.clock.advance(1000); // seats follow the order of enrolment
    const enrolled = await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, person(n));
    expect(enrolled.statusCode).toBe(201);
    participants.push((enrolled.json() as { id: string }).id);
  }
  const watch = (cookie: string | undefined) => {
    const watched = watchStream(h!, s.sessionA.streamId, cookie);
    opened.push(watched.client);
    return watched;
  };
  const r = { s, fay: watch(s.fa.cookie), cal: watch(s.ca.cookie), med: watch(med.browser.cookie) };
  await until(() => [r.fay, r.cal, r.med].every((w) => w.client.status === 'live'), 5000, 'live');
  return { ...r, medBrowser: med.browser, participants };
}

/** Opens the doors and takes the first participant through their dose to observation. */
async function dosedAndInObservation(r: Room): Promise<string> {
  const p1 = r.participants[0]!;
  await advance(r.fay, 'arrival');
  await mark(r.cal, p1, 'checked_in');
  await mark(r.cal, p1, 'ready');
  await mark(r.med, p1, 'dosed');
  for (const to of ['acute', 'returned', 'observation']) await mark(r.cal, p1, to);
  return p1;
}

/** The refusal's sentence, or a failure if the command went through. */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string; explanation: string | null }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommandRefused);
  const refused = error as CommandRefused;
  return { reason: refused.reason, explanation: refused.explanation };
}

async function state(browser: Browser, sessionId: string) {
  const answer = await browser.get(`/api/v1/sessions/${sessionId}/state`);
  expect(answer.statusCode).toBe(200);
  return answer.json() as {
    phase: string;
    paused: boolean;
    abortedReason: string | null;
    participants: Array<{ participantId: string; seat: number; state: string; preferredName: string }>;
    seq: number;
  };
}

const advance = (w: WatchedStream, to: string) =>
  w.client.send({ type: 'phase.advance', to } as StreamCommand);
const mark = (w: WatchedStream, participantId: string, to: string, extra: object = {}) =>
  w.client.send({ type: 'participant.set_state', participantId, to, ...extra } as StreamCommand);

describe('session phases over the stream', () => {
  it('a dosing session runs from arrival to completed, guards explaining themselves, every screen following', async () => {
    const r = await room(4);
    const [p1, p2, p3, p4] = r.participants as [string, string, string, string];
    const sessionId = r.s.sessionA.id;

    await advance(r.fay, 'arrival');
    expect(await refusal(advance(r.fay, 'opening_circle'))).toEqual({
      reason: 'not_allowed',
      explanation: 'No participant is ready yet.',
    });
    for (const p of [p1, p2, p3]) {
      await mark(r.cal, p, 'checked_in');
      await mark(r.cal, p, 'ready');
    }
    await mark(r.fay, p4, 'absent');
    await advance(r.fay, 'opening_circle');
    await advance(r.fay, 'settling');
    expect((await refusal(advance(r.fay, 'dosing'))).explanation).toBe(
      'Only a medical provider can begin dosing.',
    );
    await advance(r.med, 'dosing');
    await mark(r.med, p1, 'dosed');
    // Seats are the roster's order: p2 sits in seat 2, p3 in seat 3.
    expect((await refusal(advance(r.fay, 'journey'))).explanation).toBe(
      'The participants in seats 2 and 3 have not been dosed or deferred yet.',
    );
    expect((await refusal(mark(r.fay, p2, 'deferred', { reason: 'Blood pressure' }))).explanation).toBe(
      'Only a medical provider can mark a participant deferred.',
    );
    await mark(r.med, p2, 'deferred', { reason: 'Blood pressure above the review threshold' });
    await mark(r.med, p3, 'dosed');
    await advance(r.fay, 'journey');
    for (const p of [p1, p3]) await mark(r.cal, p, 'acute');
    await advance(r.fay, 'return');
    // Sharing circle warns but does not block: the client shows the warning before sending.
    await advance(r.fay, 'sharing_circle');
    await advance(r.fay, 'closing');
    expect((await refusal(advance(r.fay, 'completed'))).explanation).toBe(
      'The participants in seats 1, 2 and 3 are still here; discharge or transfer them first.',
    );
    expect((await refusal(mark(r.cal, p1, 'discharge_ready', { escortPresent: true }))).explanation).toBe(
      'The participant in seat 1 is in journey: they cannot be marked ready to leave from there.',
    );

    const view = await state(r.s.fa, sessionId);
    expect(view.phase).toBe('closing');
    expect(view.participants.map((p) => [p.seat, p.state])).toEqual([
      [1, 'acute'],
      [2, 'deferred'],
      [3, 'acute'],
      [4, 'absent'],
    ]);

    // Every screen saw the same transitions, each with its actor.
    await until(
      () => r.cal.client.lastSeq === view.seq && r.med.client.lastSeq === view.seq,
      5000,
      'caught up',
    );
    const phases = (w: WatchedStream) =>
      w.events.filter((e) => e.type === 'session.phase_changed').map((e) => e.payload['phase']);
    const expected = [
      'arrival',
      'opening_circle',
      'settling',
      'dosing',
      'journey',
      'return',
      'sharing_circle',
      'closing',
    ];
    for (const w of [r.fay, r.cal, r.med]) expect(phases(w)).toEqual(expected);
    const dosing = r.fay.events.find(
      (e) => e.type === 'session.phase_changed' && e.payload['phase'] === 'dosing',
    );
    expect(dosing?.actorId).not.toBe(r.s.faId);
    const deferral = r.fay.events.find(
      (e) => e.type === 'participant.state_changed' && e.payload['to'] === 'deferred',
    );
    expect(deferral?.payload).toEqual({ participantId: p2, seat: 2, from: 'ready', to: 'deferred' });
    // The reason is recorded, for staff, in its own event just before the move.
    const noted = r.fay.events.find((e) => e.seq === deferral!.seq - 1);
    expect(noted).toMatchObject({
      type: 'participant.state_noted',
      payload: { participantId: p2, reason: 'Blood pressure above the review threshold' },
    });
  });

  it('discharge waits for the clinic minimum after the first dose, and for an escort', async () => {
    const r = await room(4);
    const p1 = await dosedAndInObservation(r);
    expect((await refusal(mark(r.cal, p1, 'discharge_ready', { escortPresent: true }))).explanation).toBe(
      "The participant in seat 1 was first dosed 0 minutes ago; the clinic's minimum is 120 (120 to go).",
    );
    // Staff stay signed in while time passes (sessions slide on activity).
    for (let i = 0; i < 5; i++) {
      h!.clock.advance(25 * 60_000);
      for (const b of [r.s.fa, r.s.ca, r.medBrowser])
        expect((await b.get('/api/v1/me')).statusCode).toBe(200);
    }
    expect((await refusal(mark(r.cal, p1, 'discharge_ready'))).explanation).toBe(
      'The participant in seat 1 has no escort here yet.',
    );
    await mark(r.cal, p1, 'discharge_ready', { escortPresent: true });
    await mark(r.cal, p1, 'discharged');
    const view = await state(r.s.fa, r.s.sessionA.id);
    expect(view.participants[0]).toMatchObject({ seat: 1, state: 'discharged' });
  });

  it("discharge waits for the clinic's own minimum once an admin changes it", async () => {
    const r = await room(4);
    const changed = await r.s.admin.request('PATCH', '/api/v1/clinic/settings', {
      minMinutesBeforeDischarge: 30,
    });
    expect(changed.json()).toMatchObject({ minMinutesBeforeDischarge: 30 });
    const p1 = await dosedAndInObservation(r);
    h!.clock.advance(10 * 60_000);
    expect((await refusal(mark(r.cal, p1, 'discharge_ready', { escortPresent: true }))).explanation).toBe(
      "The participant in seat 1 was first dosed 10 minutes ago; the clinic's minimum is 30 (20 to go).",
    );
    // Staff stay signed in while time passes (sessions slide on activity).
    h!.clock.advance(15 * 60_000);
    for (const b of [r.s.fa, r.s.ca, r.medBrowser]) expect((await b.get('/api/v1/me')).statusCode).toBe(200);
    h!.clock.advance(5 * 60_000);
    await mark(r.cal, p1, 'discharge_ready', { escortPresent: true });
    await mark(r.cal, p1, 'discharged');
    const view = await state(r.s.fa, r.s.sessionA.id);
    expect(view.participants[0]).toMatchObject({ seat: 1, state: 'discharged' });
  });

  it('pause holds the session, resume releases it, abort needs a reason and reaches staff with it', async () => {
    const r = await room(4);
    await advance(r.fay, 'arrival');
    expect((await refusal(r.cal.client.send({ type: 'phase.pause' }))).explanation).toBe(
      'Only a facilitator can pause the session.',
    );
    await r.fay.client.send({ type: 'phase.pause' });
    expect((await refusal(advance(r.fay, 'opening_circle'))).explanation).toBe(
      'The session is paused; resume it first.',
    );
    expect((await state(r.s.fa, r.s.sessionA.id)).paused).toBe(true);
    await r.fay.client.send({ type: 'phase.resume' });
    expect((await refusal(r.fay.client.send({ type: 'phase.abort', reason: '   ' }))).explanation).toBe(
      'Please give a reason for aborting; it goes in the record.',
    );
    await r.med.client.send({ type: 'phase.abort', reason: 'Fire alarm in the building' });
    const view = await state(r.s.fa, r.s.sessionA.id);
    expect(view).toMatchObject({
      phase: 'arrival',
      paused: false,
      abortedReason: 'Fire alarm in the building',
    });
    // An aborted session only winds down: straight to completed once everyone has left.
    expect((await refusal(advance(r.fay, 'opening_circle'))).explanation).toBe(
      'The session moves from Arrival to Completed next, not to Opening circle.',
    );
    await until(() => r.cal.events.some((e) => e.type === 'session.aborted'), 5000, 'reason reached staff');
  });

  it('only a facilitator moves the phase on; an admin who is not clinical is refused outright', async () => {
    const r = await room(4);
    await advance(r.fay, 'arrival');
    for (const p of r.participants.slice(0, 1)) {
      await mark(r.cal, p, 'checked_in');
      await mark(r.cal, p, 'ready');
    }
    expect((await refusal(advance(r.cal, 'opening_circle'))).explanation).toBe(
      'Only a facilitator can move the session on.',
    );
    const before = await state(r.s.fa, r.s.sessionA.id);
    expect(before.phase).toBe('arrival');
  });
});

describe('racing and repeated commands', () => {
  it('two facilitators pressing "next" at once move the phase once; the other hears why', async () => {
    const r = await room(4);
    const second = await addStaff(h!, r.s.admin, 'fern@juniper.test', ['facilitator']);
    const staff = await r.s.fa.request('PUT', `/api/v1/groups/${r.s.groupA}/staff`, {
      staff: [
        { userId: r.s.faId, roles: ['facilitator'] },
        { userId: second.userId, roles: ['facilitator'] },
      ],
    });
    expect(staff.statusCode).toBe(200);
    const fern = watchStream(h!, r.s.sessionA.streamId, second.browser.cookie);
    opened.push(fern.client);
    await until(() => fern.client.status === 'live', 5000, 'live');

    const before = await state(r.s.fa, r.s.sessionA.id);
    const results = await Promise.allSettled([advance(r.fay, 'arrival'), advance(fern, 'arrival')]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as CommandRefused).explanation).toBe(
      'The session moves from Arrival to Opening circle next, not to Arrival.',
    );
    const after = await state(r.s.fa, r.s.sessionA.id);
    expect(after.seq).toBe(before.seq + 1);
    expect(after.phase).toBe('arrival');
  });

  it('the same command id twice applies once and answers with the first seq, even after the session moved on', async () => {
    const r = await room(4);
    const first = await r.fay.client.send({ type: 'phase.advance', to: 'arrival' }, 'advance-to-arrival-1');
    await mark(r.cal, r.participants[0]!, 'checked_in');
    const again = await r.fay.client.send({ type: 'phase.advance', to: 'arrival' }, 'advance-to-arrival-1');
    expect(again).toEqual({ seq: first.seq, duplicate: true });
    const view = await state(r.s.fa, r.s.sessionA.id);
    expect(view.seq).toBe(first.seq + 1);
  });
});

describe('hostile and wrong commands', () => {
  it('malformed session commands are refused one by one and change nothing', async () => {
    const r = await room(4);
    const raw = rawStream(h!, r.s.sessionA.streamId, r.s.fa.cookie);
    opened.push({ close: () => raw.socket.terminate() });
    expect(await raw.opened).toBe('open');
    raw.send({ type: 'hello', since: 0 });
    const bad: unknown[] = [
      { type: 'phase.advance', to: 'the_moon' },
      { type: 'phase.advance', to: '__proto__' },
      { type: 'phase.advance' },
      { type: 'phase.advance', to: 'arrival', extra: 1 },
      { type: 'phase.abort', reason: 'x'.repeat(501) },
      { type: 'phase.abort', reason: 42 },
      { type: 'participant.set_state', participantId: 'x'.repeat(65), to: 'ready' },
      { type: 'participant.set_state', participantId: '../etc', to: 'ready' },
      { type: 'participant.set_state', participantId: 'abc', to: 'flying' },
      { type: 'participant.set_state', participantId: 'abc', to: 'ready', escortPresent: 'yes' },
    ];
    bad.forEach((command, i) => raw.send({ type: 'command', id: `bad-command-${i}`, command }));
    await until(
      () => raw.messages.filter((m) => m.type === 'rejected').length === bad.length,
      5000,
      'all refused',
    );
    for (const m of raw.messages.filter((m) => m.type === 'rejected'))
      expect(m['reason']).toBe('bad_command');
    expect((await state(r.s.fa, r.s.sessionA.id)).phase).toBe('scheduled');
  });

  it('a participant of another group, or no participant at all, cannot be marked', async () => {
    const r = await room(4);
    const other = await r.s.fb.post(`/api/v1/groups/${r.s.groupB}/participants`, person(9));
    const outsider = (other.json() as { id: string }).id;
    await advance(r.fay, 'arrival');
    for (const id of [outsider, 'no-such-participant']) {
      expect((await refusal(mark(r.cal, id, 'checked_in'))).explanation).toBe(
        'That person is not a participant of this session.',
      );
    }
    const view = await state(r.s.fa, r.s.sessionA.id);
    expect(view.participants.every((p) => p.state === 'expected')).toBe(true);
  });

  it('outside dosing sessions only attendance is recorded', async () => {
    const r = await room(4);
    const prep = await r.s.fa.post(`/api/v1/groups/${r.s.groupA}/sessions`, {
      kind: 'integration',
      scheduledStart: '2026-05-03T18:00:00Z',
      plannedMinutes: 90,
    });
    const { streamId } = prep.json() as { streamId: string };
    const circle = watchStream(h!, streamId, r.s.fa.cookie);
    opened.push(circle.client);
    await circle.client.send({ type: 'phase.advance', to: 'open' });
    await circle.client.send({
      type: 'participant.set_state',
      participantId: r.participants[0]!,
      to: 'checked_in',
    });
    expect(
      (
        await refusal(
          circle.client.send({
            type: 'participant.set_state',
            participantId: r.participants[0]!,
            to: 'ready',
          }),
        )
      ).explanation,
    ).toBe('Only attendance is recorded in preparation and integration sessions.');
    expect((await refusal(circle.client.send({ type: 'phase.advance', to: 'journey' }))).explanation).toBe(
      'An integration session has no journey phase.',
    );
  });

  it("[AC-04] staff of group B get no socket on group A's session, and A's state over HTTP is 404", async () => {
    const r = await room(4);
    const raw = rawStream(h!, r.s.sessionA.streamId, r.s.fb.cookie);
    opened.push({ close: () => raw.socket.terminate() });
    expect(await raw.opened).toBe(404);
    expect(rawEvents(raw)).toEqual([]);
    const answer = await r.s.fb.get(`/api/v1/sessions/${r.s.sessionA.id}/state`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body).not.toContain('Person');
  });
});

describe('a tablet on the session stream', () => {
  it('follows the phase, checks only its own participant in, and never sees staff-only facts', async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const s = await tabletScene(h);
    const [robin, sasha] = [s.participantsA[0]!, s.participantsA[1]!];
    const { tablet, deviceId } = await admittedTablet(h, s.fa, s.sessionA.id, robin.id);
    const fay = watchStream(h, s.sessionA.streamId, s.fa.cookie);
    const robinTablet = watchStream(h, s.sessionA.streamId, tablet.cookie);
    opened.push(fay.client, robinTablet.client);
    await until(() => fay.client.status === 'live' && robinTablet.client.status === 'live', 5000, 'live');

    await advance(fay, 'arrival');
    await robinTablet.client.send({
      type: 'participant.set_state',
      participantId: robin.id,
      to: 'checked_in',
    });
    expect(
      (
        await refusal(
          robinTablet.client.send({
            type: 'participant.set_state',
            participantId: sasha.id,
            to: 'checked_in',
          }),
        )
      ).explanation,
    ).toBe('A tablet can only check in its own participant.');
    expect(
      (
        await refusal(
          robinTablet.client.send({ type: 'participant.set_state', participantId: robin.id, to: 'ready' }),
        )
      ).explanation,
    ).toBe('Only a clinician can mark a participant ready.');
    expect((await refusal(advance(robinTablet, 'opening_circle'))).reason).toBe('forbidden');

    await mark(fay, sasha.id, 'checked_in');
    // A reason about the tablet's own participant stays with the staff too.
    await mark(fay, robin.id, 'escalated', { reason: 'Robin said the walls are breathing' });
    await fay.client.send({ type: 'phase.abort', reason: 'Fire alarm: Sasha is outside with staff' });
    const view = await state(s.fa, s.sessionA.id);
    await until(() => fay.client.lastSeq === view.seq, 5000, 'staff caught up');
    // The tablet's cursor reached the end, yet only what its participant may see arrived.
    await until(
      () => robinTablet.events.some((e) => e.payload['action'] === 'abort'),
      5000,
      'abort reached tablet',
    );
    const types = robinTablet.events.map((e) => e.type);
    expect(types).not.toContain('session.aborted');
    expect(types).not.toContain('presence.joined');
    const aboutOthers = robinTablet.events.filter(
      (e) => e.type === 'participant.state_changed' && e.payload['participantId'] !== robin.id,
    );
    expect(aboutOthers).toEqual([]);
    expect(JSON.stringify(robinTablet.events)).not.toContain('Fire alarm');
    expect(JSON.stringify(robinTablet.events)).not.toContain('walls are breathing');
    expect(types).not.toContain('participant.state_noted');
    expect(JSON.stringify(robinTablet.events)).not.toContain('Sasha');
    const robinsOwn = robinTablet.events.find((e) => e.type === 'participant.state_changed');
    expect(robinsOwn?.payload).toMatchObject({ participantId: robin.id, to: 'checked_in' });
    expect(view.participants.find((p) => p.participantId === robin.id)?.state).toBe('escalated');
    // Every transition is stored with its actor and the device it came from.
    const stored = await h.core.store.readEvents(s.sessionA.streamId, 0, 1000);
    const checkIn = stored.find(
      (e) => e.type === 'participant.state_changed' && e.payload['participantId'] === robin.id,
    );
    expect(checkIn).toMatchObject({ actorId: robin.id, deviceId });
    const arrival = stored.find((e) => e.type === 'session.phase_changed');
    expect(arrival).toMatchObject({ actorId: s.faId, deviceId: null });
  });
});
