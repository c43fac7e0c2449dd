/**
 * A session's prompt deck on the real server: one document per session, made on first use
 * (race-safe), opened for writing by the group's facilitators and co-therapists, read-only by
 * its medical provider, and by nobody else; and hostile releases that write nothing.
 */
import { PROMPT_TEXT_MAX } from '@cairn/domain';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ORIGIN, startHarness, type Harness } from './harness.ts';
import { openLine, promptRoom, release, settle, type PromptRoom } from './prompts-support.ts';
import { connectProvider, rawSocket, storedDoc, until, wsBase } from './realtime-support.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

async function start(): Promise<PromptRoom> {
  h = await startHarness({ realtime: { revocationIntervalMs: 200 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return promptRoom(h, opened);
}

const item = (id: string, text: string) =>
  new Y.Map<unknown>(Object.entries({ id, libraryId: null, stage: 'integration', text }));

async function storedTexts(docId: string): Promise<string[]> {
  const doc = await storedDoc(h!, docId);
  const texts = doc
    .getArray<Y.Map<unknown>>('prompts')
    .toArray()
    .map((m) => String(m.get('text')));
  doc.destroy();
  return texts;
}

describe('the prompt deck document', () => {
  it("[AC-13] is one per session, made on first use even by two at once, and only for the group's staff", async () => {
    const room = await start();
    const path = `/api/v1/sessions/${room.s.sessionA.id}/prompt-deck`;
    const [fa, ca] = await Promise.all([room.s.fa.post(path), room.s.ca.post(path)]);
    expect([fa.statusCode, ca.statusCode]).toEqual([200, 200]);
    const deck = fa.json() as { docId: string; access: string };
    expect(deck.access).toBe('write');
    expect(ca.json()).toEqual({ docId: deck.docId, access: 'write' });
    expect((await room.med.post(path)).json()).toEqual({ docId: deck.docId, access: 'read' });
    expect((await room.s.fa.post(path)).json()).toEqual(deck);
    expect(await h!.core.store.getDocument(deck.docId)).toMatchObject({
      kind: 'prompt_deck',
      streamId: room.s.sessionA.streamId,
    });
    // Another session gets another deck.
    const other = await room.s.fb.post(`/api/v1/sessions/${room.s.sessionB.id}/prompt-deck`);
    expect((other.json() as { docId: string }).docId).not.toBe(deck.docId);

    // Another group's facilitator, the clinic admin, a made-up session: the same 404.
    for (const [who, url] of [
      [room.s.fb, path],
      [room.s.admin, path],
      [room.s.fa, '/api/v1/sessions/no-such-session/prompt-deck'],
    ] as const) {
      const answer = await who.post(url);
      expect(answer.statusCode).toBe(404);
    }
  });

  it("[AC-13] opens for writing to the group's facilitators, read-only to its medical provider, and to nobody else", async () => {
    const room = await start();
    const { docId } = (await room.s.fa.post(`/api/v1/sessions/${room.s.sessionA.id}/prompt-deck`)).json() as {
      docId: string;
    };
    const fay = connectProvider(h!, docId, room.s.fa.cookie);
    const cal = connectProvider(h!, docId, room.s.ca.cookie);
    const mo = connectProvider(h!, docId, room.med.cookie);
    for (const client of [fay, cal, mo]) opened.push({ close: () => client.destroy() });
    await until(() => [fay, cal, mo].every((c) => c.provider.synced), 5000, 'deck synced');

    // Facilitators co-edit; the medical provider reads along.
    fay.doc.getArray('prompts').push([item('p1', 'What keeps coming back to you?')]);
    cal.doc.getArray('prompts').push([item('p2', 'Where did you meet an old pattern?')]);
    await until(() => mo.doc.getArray('prompts').length === 2, 5000, 'reader sees both');
    await until(async () => (await storedTexts(docId)).length === 2, 5000, 'stored');

    // The medical provider's own edits are refused, each one: after the socket's allowance of
    // refused writes it is closed as read-only (4403). None is stored or reaches the others.
    const closes: number[] = [];
    mo.provider.on('connection-close', (event) => closes.push((event as { code: number } | null)?.code ?? 0));
    for (let n = 0; n < 25; n++)
      mo.doc.getArray('prompts').push([item(`p3-${n}`, 'A prompt the prescriber slipped in')]);
    await until(() => closes.includes(4403), 5000, 'read-only socket closed');
    fay.doc.getArray('prompts').push([item('p4', 'What would you tell someone starting?')]);
    await until(
      async () => (await storedTexts(docId)).includes('What would you tell someone starting?'),
      5000,
      'stored',
    );
    expect(await storedTexts(docId)).not.toContain('A prompt the prescriber slipped in');
    await until(() => cal.doc.getArray('prompts').length === 3, 5000, 'writer sees the facilitator edit');
    expect(JSON.stringify(cal.doc.getArray('prompts').toJSON())).not.toContain('prescriber');

    // Another group's facilitator and a signed-in admin of the clinic are not shown it.
    for (const cookie of [room.s.fb.cookie!, room.s.admin.cookie!]) {
      const socket = rawSocket(`${wsBase(h!)}/ws/doc/${docId}`, { origin: ORIGIN, cookie });
      opened.push({ close: () => socket.socket.terminate() });
      expect(await socket.opened).toBe(404);
    }
  });
});

describe('the prompt deck after a change of staff', () => {
  it("[AC-07] closes the deck socket of someone taken off the group's staff; the others keep theirs", async () => {
    const room = await start();
    const { docId } = (await room.s.fa.post(`/api/v1/sessions/${room.s.sessionA.id}/prompt-deck`)).json() as {
      docId: string;
    };
    const fay = connectProvider(h!, docId, room.s.fa.cookie);
    const cal = connectProvider(h!, docId, room.s.ca.cookie);
    for (const client of [fay, cal]) opened.push({ close: () => client.destroy() });
    await until(() => fay.provider.synced && cal.provider.synced, 5000, 'deck synced');
    const closes = { fay: [] as number[], cal: [] as number[] };
    fay.provider.on('connection-close', (e) => closes.fay.push((e as { code: number } | null)?.code ?? 0));
    cal.provider.on('connection-close', (e) => closes.cal.push((e as { code: number } | null)?.code ?? 0));

    const staffed = await room.s.fa.request('PUT', `/api/v1/groups/${room.s.groupA}/staff`, {
      staff: [{ userId: room.s.faId, roles: ['facilitator'] }],
    });
    expect(staffed.statusCode).toBe(200);
    await until(() => closes.cal.includes(4403), 5000, 'removed co-therapist closed');
    // Their next attempt is refused like a stranger's, and nothing they type is kept.
    cal.provider.disconnect();
    cal.doc.getArray('prompts').push([item('late', 'Written after removal')]);
    const socket = rawSocket(`${wsBase(h!)}/ws/doc/${docId}`, { origin: ORIGIN, cookie: room.s.ca.cookie! });
    opened.push({ close: () => socket.socket.terminate() });
    expect(await socket.opened).toBe(404);
    fay.doc.getArray('prompts').push([item('p1', 'Still here')]);
    await until(
      async () => (await storedTexts(docId)).includes('Still here'),
      5000,
      'facilitator still writes',
    );
    expect(closes.fay).toEqual([]);
    expect(await storedTexts(docId)).not.toContain('Written after removal');
  });
});

describe('[BI-A12] hostile releases write nothing', () => {
  it('over-long, blank, oversized, and to people outside the session', async () => {
    const room = await start();
    const seqBefore = await h!.core.store.lastEventSeq(room.s.sessionA.streamId);

    expect(await room.fay.command(release('q1', 'x'.repeat(PROMPT_TEXT_MAX + 1)))).toMatchObject({
      type: 'rejected',
      reason: 'bad_command',
    });
    expect(await room.fay.command(release('q1', ' \n\t '))).toMatchObject({
      type: 'rejected',
      reason: 'invalid',
      message: `text must be 1 to ${PROMPT_TEXT_MAX} characters, not only spaces.`,
    });
    const outsider = room.s.participantsB[0]!.id;
    for (const ids of [[room.participants[0]!.id, outsider], ['no-such-person']]) {
      expect(
        await room.fay.command(release('q1', 'Hello', { kind: 'participants', participantIds: ids })),
      ).toEqual(
        expect.objectContaining({
          type: 'rejected',
          reason: 'not_allowed',
          message: 'That person is not a participant of this session.',
        }),
      );
    }
    // A tablet may not release at all.
    expect(await room.robin.command(release('q1', 'From the tablet'))).toMatchObject({
      type: 'rejected',
      reason: 'forbidden',
    });
    expect(await h!.core.store.lastEventSeq(room.s.sessionA.streamId)).toBe(seqBefore);

    // A 1 MB frame closes that socket; nothing is written, the others carry on.
    room.fay.raw.send({
      type: 'command',
      id: 'huge-release-01',
      command: release('q1', 'y'.repeat(1024 * 1024)),
    });
    expect((await room.fay.raw.closed).code).toBe(4400);
    expect(await h!.core.store.lastEventSeq(room.s.sessionA.streamId)).toBe(seqBefore);
    const fresh = await openLine(h!, room.s.sessionA.streamId, room.s.fa.cookie, opened);
    await settle({ ...room, fay: fresh });
    expect(fresh.text()).not.toContain('From the tablet');
  });
});
