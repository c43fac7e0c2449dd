/**
 * Helpers for the staged-prompt tests: a dosing session of group A with its facilitator,
 * co-therapist and medical provider, two admitted tablets, and every one of them on a raw
 * stream socket that keeps each frame it received, so a test can search the very bytes a
 * screen was sent for words it must never hold.
 */
import { randomBytes } from 'node:crypto';
import type { StreamEvent } from '@cairn/sync';
import { expect } from 'vitest';
import type { Browser, Harness } from './harness.ts';
import { addStaff, until } from './realtime-support.ts';
import { rawEvents, rawStream, type RawStream } from './stream-support.ts';
import { admittedTablet, tabletScene, type Device, type TabletScene } from './tablets-support.ts';

/** What the server answered to one command. */
export type Reply =
  | { type: 'ack'; id: string; seq: number; duplicate: boolean }
  | { type: 'rejected'; id: string; reason: string; message?: string };

/** One screen on the session stream: every frame it received, and a way to send commands. */
export interface Line {
  raw: RawStream;
  /** Sends `command` (with `id`, or a fresh one) and resolves with the server's answer to it. */
  command(command: Record<string, unknown>, id?: string): Promise<Reply>;
  /** Events this screen received, in order. */
  events(): StreamEvent[];
  /** Every frame received, as text: what a person inspecting the socket could read. */
  text(): string;
}

export const commandId = () => `cmd-${randomBytes(9).toString('base64url')}`;

export async function openLine(
  h: Harness,
  streamId: string,
  cookie: string | undefined,
  opened: Array<{ close(): void }>,
): Promise<Line> {
  const raw = rawStream(h, streamId, cookie);
  opened.push({ close: () => raw.socket.terminate() });
  expect(await raw.opened).toBe('open');
  raw.send({ type: 'hello', since: 0 });
  await until(() => raw.messages.some((m) => m.type === 'live'), 5000, 'stream live');
  return {
    raw,
    async command(command, id = commandId()) {
      const before = raw.messages.length;
      raw.send({ type: 'command', id, command });
      let reply: Reply | undefined;
      await until(
        () => {
          reply = raw.messages
            .slice(before)
            .find((m) => (m.type === 'ack' || m.type === 'rejected') && m['id'] === id) as Reply | undefined;
          return reply !== undefined;
        },
        5000,
        `answer to ${String(command['type'])}`,
      );
      return reply!;
    },
    events: () => rawEvents(raw),
    text: () => JSON.stringify(raw.messages),
  };
}

export interface PromptRoom {
  s: TabletScene;
  med: Browser;
  /** Group A's facilitator, co-therapist and medical provider on the stream. */
  fay: Line;
  cal: Line;
  mo: Line;
  /** Participants of group A in seats 1–4; tablets for the first two (Robin and Sasha). */
  participants: Array<{ id: string; preferredName: string }>;
  robin: Line;
  sasha: Line;
  robinTablet: Device;
}

export async function promptRoom(h: Harness, opened: Array<{ close(): void }>): Promise<PromptRoom> {
  const s = await tabletScene(h);
  const med = await addStaff(h, s.admin, 'mo@juniper.test', ['medical_provider']);
  const staffed = await s.fa.request('PUT', `/api/v1/groups/${s.groupA}/staff`, {
    staff: [
      { userId: s.faId, roles: ['facilitator'] },
      { userId: s.caId, roles: ['co_therapist'] },
      { userId: med.userId, roles: ['medical_provider'] },
    ],
  });
  expect(staffed.statusCode).toBe(200);
  const streamId = s.sessionA.streamId;
  const [robin, sasha] = [s.participantsA[0]!, s.participantsA[1]!];
  const robinTablet = (await admittedTablet(h, s.fa, s.sessionA.id, robin.id)).tablet;
  const sashaTablet = (await admittedTablet(h, s.fa, s.sessionA.id, sasha.id)).tablet;
  return {
    s,
    med: med.browser,
    fay: await openLine(h, streamId, s.fa.cookie, opened),
    cal: await openLine(h, streamId, s.ca.cookie, opened),
    mo: await openLine(h, streamId, med.browser.cookie, opened),
    participants: s.participantsA,
    robin: await openLine(h, streamId, robinTablet.cookie, opened),
    sasha: await openLine(h, streamId, sashaTablet.cookie, opened),
    robinTablet,
  };
}

/** A release command for the deck prompt `promptId`, to `to`. */
export function release(
  promptId: string,
  text: string,
  to: Record<string, unknown> = { kind: 'all' },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'prompt.release',
    promptId,
    libraryId: null,
    stage: 'sharing',
    text,
    to,
    hideSharedUntilRevealed: false,
    ...extra,
  };
}

export async function acked(reply: Promise<Reply>): Promise<{ seq: number; duplicate: boolean }> {
  const answer = await reply;
  expect(answer).toMatchObject({ type: 'ack' });
  return answer as { seq: number; duplicate: boolean };
}

/** Waits until `line` holds an event matching `match`, and returns it. */
export async function eventOn(
  line: Line,
  match: (event: StreamEvent) => boolean,
  what = 'event',
): Promise<StreamEvent> {
  await until(() => line.events().some(match), 5000, what);
  return line.events().find(match)!;
}

export const ofType =
  (type: string, payload: Record<string, unknown> = {}) =>
  (event: StreamEvent) =>
    event.type === type && Object.entries(payload).every(([key, value]) => event.payload[key] === value);

/** Moves a participant to `to` through the states a dosing session takes them (cal and mo act). */
export async function walkTo(room: PromptRoom, participantId: string, path: string[]): Promise<number> {
  let seq = 0;
  for (const to of path) {
    const by = to === 'dosed' ? room.mo : room.cal;
    seq = (await acked(by.command({ type: 'participant.set_state', participantId, to }))).seq;
  }
  return seq;
}

export const TO_ACUTE = ['checked_in', 'ready', 'dosed', 'acute'];

let sentinels = 0;

/**
 * Waits until every screen of the room has received everything written so far: a sentinel
 * prompt released to all arrives after every earlier event (the stream keeps seq order), so a
 * screen that holds it holds all it will ever be sent before it. Then "never sent" can be said.
 */
export async function settle(room: PromptRoom): Promise<void> {
  const promptId = `sentinel-${++sentinels}`;
  await acked(room.fay.command(release(promptId, 'Sentinel: breathe out slowly.')));
  for (const line of [room.fay, room.cal, room.mo, room.robin, room.sasha]) {
    await eventOn(line, ofType('prompt.released', { promptId }), 'sentinel');
  }
}
