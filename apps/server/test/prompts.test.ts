/**
 * Staged prompts over the session stream on the real server: released to all, to some, or to
 * each participant as they return; never to anyone twice; a participant never holds a prompt
 * that was not released to them; private answers never reach staff; shared answers reach the
 * circle, or wait for the facilitator's reveal. Raw frames are searched for the words. Where each
 * answer goes (journal, circle, therapist) and the refusals of bad answers: prompts-answers.test.ts.
 */
import { readPromptDeckItem, type PromptDeckItem } from '@cairn/domain';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startHarness, type Harness } from './harness.ts';
import {
  acked,
  commandId,
  eventOn,
  ofType,
  promptRoom,
  release,
  settle,
  TO_ACUTE,
  walkTo,
  type PromptRoom,
} from './prompts-support.ts';
import { connectProvider, rawSocket, until, wsBase } from './realtime-support.ts';
import { ORIGIN } from './harness.ts';

let h: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await h?.close();
  h = undefined;
});

async function start(): Promise<PromptRoom> {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return promptRoom(h, opened);
}

const NOT_RELEASED = 'That prompt has not been released to you.';

/** How many events of `type` about (`participantId`, `promptId`) a screen received. */
const countOf = (
  events: Array<{ type: string; payload: Record<string, unknown> }>,
  type: string,
  match: object,
) =>
  events.filter(
    (e) => e.type === type && Object.entries(match).every(([key, value]) => e.payload[key] === value),
  ).length;

describe('staged prompts: who receives what', () => {
  it('[AC-13] a participant holds only the prompts released to them: not in any frame, not through the deck', async () => {
    const room = await start();
    const robin = room.participants[0]!;

    // The facilitator writes three prompts into the session's deck with the stock provider.
    const deck = await room.s.fa.post(`/api/v1/sessions/${room.s.sessionA.id}/prompt-deck`);
    expect(deck.statusCode).toBe(200);
    const { docId } = deck.json() as { docId: string };
    const fay = connectProvider(h!, docId, room.s.fa.cookie);
    opened.push({ close: () => fay.destroy() });
    await until(() => fay.provider.synced, 5000, 'deck synced');
    const words = [
      'Which river did you follow today?',
      'Name a colour the music had.',
      'What would the lighthouse say to you?',
    ];
    const prompts = fay.doc.getArray<Y.Map<unknown>>('prompts');
    prompts.push(
      words.map(
        (text, i) =>
          new Y.Map<unknown>(
            Object.entries({ id: `deck-${i + 1}`, libraryId: null, stage: 'sharing', text }),
          ),
      ),
    );
    const items = prompts.toArray().map((m) => readPromptDeckItem(m.toJSON()) as PromptDeckItem);
    expect(items.map((i) => i.text)).toEqual(words);

    // Released to Robin only.
    const first = items[0]!;
    await acked(
      room.fay.command(
        release(
          first.id,
          first.text,
          { kind: 'participants', participantIds: [robin.id] },
          { stage: first.stage },
        ),
      ),
    );
    await eventOn(room.robin, ofType('prompt.released', { promptId: first.id, participantId: robin.id }));
    await settle(room);
    expect(room.robin.text()).toContain(words[0]);
    for (const unreleased of words.slice(1)) expect(room.robin.text()).not.toContain(unreleased);
    for (const text of words) expect(room.sasha.text()).not.toContain(text);
    expect(room.sasha.text()).not.toContain(first.id);
    // Staff follow the release; tracking names Robin.
    expect(
      countOf(room.mo.events(), 'prompt.released', { promptId: first.id, participantId: robin.id }),
    ).toBe(1);

    // The tablet cannot open the deck: it has no staff session, whatever cookie it carries.
    const socket = rawSocket(`${wsBase(h!)}/ws/doc/${docId}`, {
      origin: ORIGIN,
      cookie: room.robinTablet.cookie!,
    });
    expect(await socket.opened).toBe(401);
    expect(
      (await room.robinTablet.post(`/api/v1/sessions/${room.s.sessionA.id}/prompt-deck`)).statusCode,
    ).toBe(401);

    // Unreleased and nonexistent prompt ids get one sentence, and nothing of them comes back.
    for (const promptId of [items[1]!.id, 'never-made-1']) {
      for (const command of [
        { type: 'prompt.seen', promptId },
        { type: 'prompt.answer', promptId, text: 'Trying my luck', share: 'circle' },
      ]) {
        const answer = await room.robin.command(command);
        expect(answer).toEqual({
          type: 'rejected',
          id: answer.id,
          reason: 'not_allowed',
          message: NOT_RELEASED,
        });
      }
    }
    await settle(room);
    expect(room.robin.text()).not.toContain(items[1]!.text);
    expect(room.fay.text()).not.toContain('Trying my luck');
  });

  it('releases to all and to a subset reach each participant once, never twice', async () => {
    const room = await start();
    const ids = room.participants.map((p) => p.id);
    const [robin, sasha] = ids as [string, string];

    await acked(room.fay.command(release('q-all', 'What did the morning feel like?')));
    await eventOn(room.fay, ofType('prompt.released', { promptId: 'q-all', participantId: ids[3]! }));
    for (const id of ids)
      expect(countOf(room.fay.events(), 'prompt.released', { promptId: 'q-all', participantId: id })).toBe(1);
    // A second release to all has nobody left to reach.
    expect(await room.cal.command(release('q-all', 'What did the morning feel like?'))).toMatchObject({
      type: 'rejected',
      reason: 'not_allowed',
      message: 'Everyone you chose already has that prompt.',
    });

    // To Robin and Sasha, then to all: only the other two get the second round.
    await acked(
      room.cal.command(
        release('q-some', 'Where is your breath now?', {
          kind: 'participants',
          participantIds: [robin, sasha, robin],
        }),
      ),
    );
    const second = await acked(room.fay.command(release('q-some', 'Where is your breath now?')));
    await settle(room);
    for (const id of ids)
      expect(countOf(room.fay.events(), 'prompt.released', { promptId: 'q-some', participantId: id })).toBe(
        1,
      );
    const secondRound = room.fay
      .events()
      .filter((e) => e.type === 'prompt.released' && e.payload['promptId'] === 'q-some');
    // The second round (the last commit, two events) reached the two who lacked it.
    const reached = secondRound.filter((e) => e.seq > second.seq - 2).map((e) => e.payload['participantId']);
    expect(reached.sort()).toEqual(ids.slice(2).sort());
    // Each tablet holds exactly its own.
    expect(
      room.robin
        .events()
        .filter((e) => e.type === 'prompt.released')
        .every((e) => e.payload['participantId'] === robin),
    ).toBe(true);
    expect(countOf(room.sasha.events(), 'prompt.released', { promptId: 'q-some' })).toBe(1);
  });

  it('on return: queued for staff, sent at once to whoever has returned, and to each later returner in the same commit', async () => {
    const room = await start();
    const [robin, sasha, tove] = room.participants.map((p) => p.id) as [string, string, string];
    await walkTo(room, robin, [...TO_ACUTE, 'returned']);
    await walkTo(room, sasha, TO_ACUTE);
    await walkTo(room, tove, TO_ACUTE);

    const text = 'Three words for where you just were.';
    const queued = await acked(
      room.fay.command(
        release('q-return', text, { kind: 'on_return' }, { libraryId: 'return-2', stage: 'return' }),
      ),
    );
    const atOnce = await eventOn(room.robin, ofType('prompt.released', { promptId: 'q-return' }));
    expect(atOnce.payload).toMatchObject({ participantId: robin, libraryId: 'return-2', text });
    expect(atOnce.seq).toBe(queued.seq);
    const queue = await eventOn(room.fay, ofType('prompt.queued_for_return', { promptId: 'q-return' }));
    expect(queue.seq).toBe(queued.seq - 1);

    // Sasha returns: the state change and her prompt are one commit, acknowledged together.
    const back = { type: 'participant.set_state', participantId: sasha, to: 'returned' };
    const backId = commandId();
    const returned = await acked(room.cal.command(back, backId));
    // The same command again (a retry after a dropped ack) is that commit, not a second one.
    expect(await acked(room.cal.command(back, backId))).toEqual({
      type: 'ack',
      id: backId,
      seq: returned.seq,
      duplicate: true,
    });
    const hers = await eventOn(room.sasha, ofType('prompt.released', { promptId: 'q-return' }));
    expect(hers.seq).toBe(returned.seq);
    const change = await eventOn(room.sasha, ofType('participant.state_changed', { to: 'returned' }));
    expect(change.seq).toBe(returned.seq - 1);

    // Moving on from returned, and queueing again, send nothing twice; Tove, still away, has nothing.
    await walkTo(room, sasha, ['observation']);
    expect(
      await room.fay.command(release('q-return', text, { kind: 'on_return' }, { stage: 'return' })),
    ).toMatchObject({
      type: 'rejected',
      message: "That prompt is already waiting for each participant's return.",
    });
    await settle(room);
    for (const id of [robin, sasha])
      expect(countOf(room.fay.events(), 'prompt.released', { promptId: 'q-return', participantId: id })).toBe(
        1,
      );
    expect(countOf(room.fay.events(), 'prompt.released', { promptId: 'q-return', participantId: tove })).toBe(
      0,
    );
    // The queue is the staff's: no tablet hears of it.
    expect(room.robin.text()).not.toContain('prompt.queued_for_return');
    expect(room.sasha.text()).not.toContain('prompt.queued_for_return');
  });

  it('a medical provider is refused releasing and revealing, in words', async () => {
    const room = await start();
    expect(await room.mo.command(release('q-med', 'A prompt from the prescriber'))).toMatchObject({
      type: 'rejected',
      reason: 'not_allowed',
      message: 'A medical provider can read the deck but not release prompts.',
    });
    await acked(room.fay.command(release('q-med', 'A prompt from the facilitator')));
    expect(await room.mo.command({ type: 'prompt.reveal', promptId: 'q-med' })).toMatchObject({
      type: 'rejected',
      message: 'A medical provider can read the deck but not reveal answers.',
    });
    await settle(room);
    expect(room.fay.text()).not.toContain('A prompt from the prescriber');
  });
});

describe('staged prompts: answers', () => {
  it('[AC-13] a private answer is only a fact for staff; a shared answer reaches everyone', async () => {
    const room = await start();
    const [robin, sasha] = room.participants.map((p) => p.id) as [string, string];
    await acked(room.fay.command(release('q1', 'What surprised you?')));
    await eventOn(room.robin, ofType('prompt.released', { promptId: 'q1' }));

    // Kept in Robin's journal: the command carries no words at all.
    await acked(room.robin.command({ type: 'prompt.answer', promptId: 'q1', share: 'journal' }));
    const sharedWords = 'I heard a forest in the cello';
    await acked(
      room.sasha.command({
        type: 'prompt.answer',
        promptId: 'q1',
        text: `  ${sharedWords}  `,
        share: 'circle',
      }),
    );
    await settle(room);

    // Staff track that Robin answered, privately; no other participant hears of it.
    expect(countOf(room.fay.events(), 'prompt.answered', { participantId: robin, share: 'journal' })).toBe(1);
    expect(countOf(room.robin.events(), 'prompt.answered', { participantId: robin, share: 'journal' })).toBe(
      1,
    );
    expect(countOf(room.sasha.events(), 'prompt.answered', { participantId: robin })).toBe(0);
    expect(countOf(room.fay.events(), 'prompt.answered', { participantId: sasha, share: 'circle' })).toBe(1);

    for (const line of [room.fay, room.cal, room.mo, room.robin, room.sasha]) {
      const shared = line.events().filter((e) => e.type === 'prompt.answer_shared');
      expect(shared.map((e) => e.payload)).toEqual([
        expect.objectContaining({ participantId: sasha, name: 'Sasha', text: sharedWords }),
      ]);
    }
  });

  it('with answers hidden until revealed, a shared answer reaches staff and its author, then everyone once on reveal', async () => {
    const room = await start();
    const sasha = room.participants[1]!.id;
    await acked(
      room.fay.command(
        release(
          'q-held',
          'What do you need from the group?',
          { kind: 'all' },
          { hideSharedUntilRevealed: true },
        ),
      ),
    );
    await eventOn(room.sasha, ofType('prompt.released', { promptId: 'q-held' }));

    const words = 'Patience while I find my words';
    await acked(
      room.sasha.command({ type: 'prompt.answer', promptId: 'q-held', text: words, share: 'circle' }),
    );
    await settle(room);
    for (const line of [room.fay, room.cal, room.mo, room.sasha]) {
      expect(countOf(line.events(), 'prompt.answer_held', { participantId: sasha, text: words })).toBe(1);
    }
    expect(room.robin.text()).not.toContain(words);

    const revealed = await acked(room.fay.command({ type: 'prompt.reveal', promptId: 'q-held' }));
    await eventOn(room.robin, ofType('prompt.revealed', { promptId: 'q-held' }));
    for (const line of [room.fay, room.mo, room.robin, room.sasha]) {
      expect(
        countOf(line.events(), 'prompt.answer_shared', { participantId: sasha, text: words, name: 'Sasha' }),
      ).toBe(1);
    }
    expect((await eventOn(room.robin, ofType('prompt.revealed'))).seq).toBe(revealed.seq);
    expect(await room.cal.command({ type: 'prompt.reveal', promptId: 'q-held' })).toMatchObject({
      type: 'rejected',
      message: 'Those answers have already been revealed.',
    });

    // After the reveal a share goes straight to the circle.
    await acked(
      room.robin.command({
        type: 'prompt.answer',
        promptId: 'q-held',
        text: 'Tea afterwards',
        share: 'circle',
      }),
    );
    await settle(room);
    expect(countOf(room.sasha.events(), 'prompt.answer_shared', { text: 'Tea afterwards' })).toBe(1);
    expect(countOf(room.fay.events(), 'prompt.answer_held', { text: 'Tea afterwards' })).toBe(0);
  });

  it('[BI-A3] the same answer sent twice is one answer; seen twice is one seen; a second answer is refused', async () => {
    const room = await start();
    const robin = room.participants[0]!.id;
    const releaseId = commandId();
    const released = await acked(
      room.fay.command(release('q1', 'One image you want to remember.'), releaseId),
    );
    expect(
      await acked(room.fay.command(release('q1', 'One image you want to remember.'), releaseId)),
    ).toMatchObject({
      seq: released.seq,
      duplicate: true,
    });
    await eventOn(room.robin, ofType('prompt.released', { promptId: 'q1' }));

    const seen = await acked(room.robin.command({ type: 'prompt.seen', promptId: 'q1' }));
    expect(seen.duplicate).toBe(false);
    const seenAgain = await acked(room.robin.command({ type: 'prompt.seen', promptId: 'q1' }));
    expect(seenAgain).toMatchObject({ seq: seen.seq, duplicate: true });

    const id = commandId();
    const answer = { type: 'prompt.answer', promptId: 'q1', text: 'A heron standing still', share: 'circle' };
    const first = await acked(room.robin.command(answer, id));
    const repeat = await acked(room.robin.command(answer, id));
    expect(repeat).toMatchObject({ seq: first.seq, duplicate: true });
    for (const second of [
      { ...answer, text: 'Something else' },
      { ...answer, text: 'Something else', share: 'therapist' },
      { type: 'prompt.answer', promptId: 'q1', share: 'journal' },
    ]) {
      expect(await room.robin.command(second)).toMatchObject({
        type: 'rejected',
        reason: 'not_allowed',
        message: 'You have already answered that prompt.',
      });
    }
    await settle(room);
    expect(countOf(room.robin.events(), 'prompt.answer_shared', { participantId: robin })).toBe(1);
    expect(room.fay.text()).not.toContain('Something else');
    expect(countOf(room.fay.events(), 'prompt.answered', { participantId: robin })).toBe(1);
    expect(countOf(room.fay.events(), 'prompt.seen', { participantId: robin })).toBe(1);
    expect(countOf(room.fay.events(), 'prompt.released', { participantId: robin, promptId: 'q1' })).toBe(1);
  });
});
