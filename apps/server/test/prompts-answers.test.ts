/**
 * Where a participant's answer to a prompt goes, on the real server (issue 6, deliverable 4):
 * kept in their journal — the command carries no words, and only the fact that they answered
 * is written; shared with the circle — as before; shared with the therapist — the group's staff
 * and the author read it, no other participant receives a byte of it. Bad answers are refused
 * with a sentence and write nothing. Raw frames and the database files are searched for words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROMPT_ANSWER_MAX, PROMPT_REFUSALS } from '@cairn/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import {
  acked,
  commandId,
  eventOn,
  ofType,
  promptRoom,
  release,
  settle,
  type Line,
  type PromptRoom,
} from './prompts-support.ts';

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
  const room = await promptRoom(h, opened);
  await acked(room.fay.command(release('q1', 'What surprised you?')));
  await eventOn(room.robin, ofType('prompt.released', { promptId: 'q1' }));
  await eventOn(room.sasha, ofType('prompt.released', { promptId: 'q1' }));
  return room;
}

/** Every text frame the socket receives from now on, exactly as it came off the wire. */
function recordFrames(line: Line): string[] {
  const frames: string[] = [];
  line.raw.socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  return frames;
}

/** Everything stored in the session's stream, as JSON text. */
async function storedEvents(room: PromptRoom) {
  const events = await h!.core.store.readEvents(room.s.sessionA.streamId, 0, 10_000);
  return events.map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }));
}

/** Every byte of every file in the data directory: the database, its WAL, anything else. */
function dataFilesText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

const answer = (share: unknown, text?: unknown, promptId = 'q1') => ({
  type: 'prompt.answer',
  promptId,
  share,
  ...(text === undefined ? {} : { text }),
});

describe('prompt answers: kept in the journal', () => {
  it('[AC-20] with words it is refused `invalid` and nothing is written; without, only `prompt.answered`; the marker phrase is stored nowhere', async () => {
    const room = await start();
    const robin = room.participants[0]!.id;
    const marker = 'MARKER-journal-answer-7f3a heron on the jetty';
    const before = await storedEvents(room);

    const refused = await room.robin.command(answer('journal', marker));
    expect(refused).toEqual({
      type: 'rejected',
      id: refused.id,
      reason: 'invalid',
      message: PROMPT_REFUSALS.journalAnswerText,
    });
    expect(await storedEvents(room)).toEqual(before);

    const kept = await acked(room.robin.command(answer('journal')));
    const after = await storedEvents(room);
    expect(after.slice(before.length)).toEqual([
      { type: 'prompt.answered', payload: { promptId: 'q1', participantId: robin, share: 'journal' } },
    ]);
    expect(after).toHaveLength(kept.seq);

    await settle(room);
    // Staff see that Robin answered, privately; the words are in no frame and no stored byte.
    expect(await eventOn(room.fay, ofType('prompt.answered', { participantId: robin }))).toMatchObject({
      payload: { share: 'journal' },
    });
    for (const line of [room.fay, room.cal, room.mo, room.robin, room.sasha]) {
      expect(line.text()).not.toContain('MARKER-journal-answer');
    }
    expect(JSON.stringify(await storedEvents(room))).not.toContain('MARKER-journal-answer');
    expect(dataFilesText(h!.dataDir)).not.toContain('MARKER-journal-answer');
  });
});

describe('prompt answers: shared with the therapist', () => {
  it("[AC-13] reaches the group's staff and its author with the author's name; another participant's tablet gets no byte of it", async () => {
    const room = await start();
    const robin = room.participants[0]!.id;
    const sashaFrames = recordFrames(room.sasha);
    const words = 'I am scared of going home to the same kitchen';

    const sent = await acked(room.robin.command(answer('therapist', `\n${words}  `)));
    await settle(room);

    for (const line of [room.fay, room.cal, room.mo, room.robin]) {
      const event = await eventOn(line, ofType('prompt.answer_to_therapist', { participantId: robin }));
      expect(event.payload).toEqual({
        answerId: expect.any(String),
        promptId: 'q1',
        participantId: robin,
        name: 'Robin',
        text: words,
      });
      expect(event.seq).toBe(sent.seq - 1);
      expect(line.events().filter((e) => e.type === 'prompt.answer_shared')).toEqual([]);
      expect(await eventOn(line, ofType('prompt.answered', { participantId: robin }))).toMatchObject({
        seq: sent.seq,
        payload: { share: 'therapist' },
      });
    }
    const answerId = (await eventOn(room.fay, ofType('prompt.answer_to_therapist'))).payload['answerId'];

    // Sasha's tablet received the sentinel that came after, and nothing of Robin's answer.
    expect(sashaFrames.some((frame) => frame.includes('Sentinel'))).toBe(true);
    for (const frame of sashaFrames) {
      for (const trace of ['kitchen', 'scared', String(answerId), 'answer_to_therapist', robin]) {
        expect(frame).not.toContain(trace);
      }
    }
    expect(room.sasha.text()).not.toContain('kitchen');
  });
});

describe('prompt answers: the wire', () => {
  it('an older tablet’s `share: true/false` is refused `invalid`, saying what is accepted; nothing is written', async () => {
    const room = await start();
    const before = await storedEvents(room);
    for (const share of [true, false]) {
      const reply = await room.robin.command(answer(share, 'Words from an older tablet'));
      expect(reply).toEqual({
        type: 'rejected',
        id: reply.id,
        reason: 'invalid',
        message: PROMPT_REFUSALS.answerShare,
      });
    }
    expect(await storedEvents(room)).toEqual(before);
    await settle(room);
    expect(room.fay.text()).not.toContain('Words from an older tablet');
  });

  it.each([
    ['journal', undefined],
    ['circle', 'The drum was my heartbeat'],
    ['therapist', 'I want to talk about my father'],
  ] as const)(
    '[BI-A3] a %s answer sent twice with one id is one answer, acknowledged alike',
    async (share, text) => {
      const room = await start();
      const robin = room.participants[0]!.id;
      const id = commandId();
      const first = await acked(room.robin.command(answer(share, text), id));
      expect(first.duplicate).toBe(false);
      expect(await acked(room.robin.command(answer(share, text), id))).toEqual({
        type: 'ack',
        id,
        seq: first.seq,
        duplicate: true,
      });
      const stored = await storedEvents(room);
      const about = (type: string) =>
        stored.filter((e) => e.type === type && e.payload['participantId'] === robin).length;
      expect(about('prompt.answered')).toBe(1);
      expect(about('prompt.answer_shared')).toBe(share === 'circle' ? 1 : 0);
      expect(about('prompt.answer_to_therapist')).toBe(share === 'therapist' ? 1 : 0);
      expect(about('prompt.answer_kept')).toBe(0);
    },
  );

  it.each([
    ['text on a journal answer', answer('journal', 'Secret words'), PROMPT_REFUSALS.journalAnswerText],
    ['an empty text on a journal answer', answer('journal', ''), PROMPT_REFUSALS.journalAnswerText],
    ['an unknown destination', answer('everyone', 'Hello all'), PROMPT_REFUSALS.answerShare],
    ['[BI-A11] a destination named like a prototype', answer('__proto__', 'x'), PROMPT_REFUSALS.answerShare],
    ['no destination', answer(undefined, 'Hello'), PROMPT_REFUSALS.answerShare],
    ['a share without text', answer('circle'), PROMPT_REFUSALS.answerText],
    ['a share with text that is not a string', answer('therapist', 42), PROMPT_REFUSALS.answerText],
    ['an empty share', answer('circle', ''), PROMPT_REFUSALS.answerText],
    ['a share of only spaces and lines', answer('therapist', ' \n\t '), PROMPT_REFUSALS.answerText],
    ['oversized text', answer('circle', 'w'.repeat(PROMPT_ANSWER_MAX + 1)), PROMPT_REFUSALS.answerText],
    ['[BI-A9] NUL in the text', answer('therapist', 'before\u0000after'), PROMPT_REFUSALS.answerCharacters],
    ['[BI-A9] a lone surrogate', answer('circle', 'wave \uD83C'), PROMPT_REFUSALS.answerCharacters],
  ])('[BI-A1] refuses %s as `invalid`, in words, writing nothing', async (_what, command, message) => {
    const room = await start();
    const before = await storedEvents(room);
    const reply = await room.robin.command(command);
    expect(reply).toEqual({ type: 'rejected', id: reply.id, reason: 'invalid', message });
    expect(await storedEvents(room)).toEqual(before);
    // Still answerable afterwards: the refusal used up nothing.
    await acked(room.robin.command(answer('journal')));
  });

  it('[BI-A11] refuses fields a tablet may not set (another participant, a name) as a bad command', async () => {
    const room = await start();
    const sasha = room.participants[1]!.id;
    const before = await storedEvents(room);
    for (const extra of [{ participantId: sasha }, { name: 'The facilitator' }, { answerId: 'mine' }]) {
      const reply = await room.robin.command({ ...answer('circle', 'Speaking for Sasha'), ...extra });
      expect(reply).toEqual({ type: 'rejected', id: reply.id, reason: 'bad_command' });
    }
    expect(await storedEvents(room)).toEqual(before);
  });

  it('[BI-A9] [BI-A10] hostile but legal words are shared exactly as written, and never run', async () => {
    const room = await start();
    const robin = room.participants[0]!.id;
    const words = '<img src=x onerror=alert(1)> \u202Eevil\u202C "quoted" \\ back';
    await acked(room.robin.command(answer('circle', words)));
    await settle(room);
    const shared = await eventOn(room.sasha, ofType('prompt.answer_shared', { participantId: robin }));
    expect(shared.payload['text']).toBe(words);
  });

  it('a staff member cannot answer, whatever the destination', async () => {
    const room = await start();
    for (const command of [answer('journal'), answer('therapist', 'Written by staff')]) {
      expect(await room.fay.command(command)).toMatchObject({ type: 'rejected', reason: 'forbidden' });
    }
  });
});
