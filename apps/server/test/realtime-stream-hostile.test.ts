/**
 * Hostile traffic on the session event stream (reliability.md §7(a)): every bad frame closes
 * only its own socket or refuses only its own command; nothing is stored for it; the process
 * stays up and a well-behaved client on the same stream keeps getting events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setUpAdmin, startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { addStaff, healthStatus, until } from './realtime-support.ts';
import {
  createStream,
  rawStream,
  watchStream,
  type RawStream,
  type WatchedStream,
} from './stream-support.ts';

let harness: Harness | undefined;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const item of opened.splice(0)) item.close();
  await harness?.close();
  harness = undefined;
});

async function scene(realtime: HarnessOptions['realtime'] = {}) {
  const h = await startHarness({ realtime });
  harness = h;
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { admin } = await setUpAdmin(h);
  const streamId = await createStream(h);
  const fia = await addStaff(h, admin, 'fia@juniper.test', ['facilitator']);
  const bystander = watchStream(h, streamId, admin.cookie);
  opened.push(bystander.client);
  await until(() => bystander.client.status === 'live', 5000, 'bystander live');
  const hostile = () => {
    const stream = rawStream(h, streamId, fia.browser.cookie);
    opened.push({ close: () => stream.socket.terminate() });
    return stream;
  };
  return { h, streamId, fia, bystander, hostile };
}

/** The bystander still gets a new event, and the process answers HTTP. */
async function othersUnaffected(h: Harness, streamId: string, bystander: WatchedStream, cookie: string) {
  expect(await healthStatus(h)).toBe(200);
  const before = bystander.client.lastSeq;
  const helper = watchStream(h, streamId, cookie);
  opened.push(helper.client);
  await helper.client.send({ type: 'duty.set', onDuty: true });
  await until(() => bystander.client.lastSeq > before, 5000, 'bystander still served');
}

async function closeCode(stream: RawStream): Promise<number> {
  return (await stream.closed).code;
}

const HELLO = { type: 'hello', since: 0 };

describe('session stream: hostile frames', () => {
  it.each([
    ['[BI-W1] a text frame that is not JSON', '"..`"'],
    ['[BI-W2] an empty text frame', ''],
    ['[BI-W3] an unknown message type', { type: 'subscribe', since: 0 }],
    ['hello with a negative since', { type: 'hello', since: -1 }],
    ['hello with a fractional since', { type: 'hello', since: 1.5 }],
    ['hello with since as a string', { type: 'hello', since: '0' }],
    ['hello with an unsafe integer since', { type: 'hello', since: 2 ** 60 }],
    ['hello without since', { type: 'hello' }],
    ['hello with an extra key', { type: 'hello', since: 0, role: 'admin' }],
    ['hello carrying __proto__', '{"type":"hello","since":0,"__proto__":{"polluted":true}}'],
    ['a JSON array', [HELLO]],
    ['JSON nested 5,000 deep', '['.repeat(5000) + ']'.repeat(5000)],
    ['[BI-W4] a frame over the 16 KiB stream limit', { type: 'hello', since: 0, pad: 'x'.repeat(17_000) }],
  ])('%s closes that socket with 4400', async (_name, frame) => {
    const { h, streamId, fia, bystander, hostile } = await scene();
    const stream = hostile();
    await stream.opened;
    stream.send(frame);
    expect(await closeCode(stream)).toBe(4400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await othersUnaffected(h, streamId, bystander, fia.browser.cookie!);
  });

  it('a binary frame closes with 4400', async () => {
    const { h, streamId, fia, bystander, hostile } = await scene();
    const stream = hostile();
    await stream.opened;
    stream.socket.send(new Uint8Array([0, 0, 1, 2]));
    expect(await closeCode(stream)).toBe(4400);
    await othersUnaffected(h, streamId, bystander, fia.browser.cookie!);
  });

  it.each([
    [
      'a command before hello',
      [{ type: 'command', id: 'early-command-01', command: { type: 'duty.set', onDuty: true } }],
    ],
    ['hello twice', [HELLO, HELLO]],
    ['a command id that is too short', [HELLO, { type: 'command', id: 'short', command: {} }]],
    ['a command id with spaces', [HELLO, { type: 'command', id: 'has spaces in it', command: {} }]],
    ['a command id that is not a string', [HELLO, { type: 'command', id: 12345678, command: {} }]],
    ['a command id of 65 characters', [HELLO, { type: 'command', id: 'a'.repeat(65), command: {} }]],
  ])('%s closes with 4400 and stores nothing', async (_name, frames) => {
    const { h, streamId, fia, bystander, hostile } = await scene();
    const before = await h.core.store.lastEventSeq(streamId);
    const stream = hostile();
    await stream.opened;
    for (const frame of frames) stream.send(frame);
    expect(await closeCode(stream)).toBe(4400);
    const after = await h.core.store.readEvents(streamId, before, 100);
    expect(after.filter((e) => e.type === 'staff.duty_changed')).toEqual([]);
    await othersUnaffected(h, streamId, bystander, fia.browser.cookie!);
  });

  it.each([
    ['an unknown command type', { type: 'phase.skip_to_end' }],
    ['a command with a wrong value', { type: 'duty.set', onDuty: 'yes' }],
    ['a command with an extra key', { type: 'duty.set', onDuty: true, actorId: 'someone-else' }],
    ['a command carrying __proto__', JSON.parse('{"type":"duty.set","onDuty":true,"__proto__":{"x":1}}')],
    ['a command that is not an object', 'duty.set'],
  ])('%s is refused as bad_command; the socket stays and its next command works', async (_name, command) => {
    const { h, streamId, hostile } = await scene();
    const stream = hostile();
    await stream.opened;
    stream.send(HELLO);
    stream.send(JSON.stringify({ type: 'command', id: 'bad-command-0001', command }));
    stream.send({ type: 'command', id: 'good-command-0001', command: { type: 'duty.set', onDuty: true } });
    await until(() => stream.messages.some((m) => m.type === 'ack'), 5000, 'ack');
    const answers = stream.messages.filter((m) => m.type === 'rejected' || m.type === 'ack');
    expect(answers[0]).toEqual({ type: 'rejected', id: 'bad-command-0001', reason: 'bad_command' });
    expect(answers[1]).toMatchObject({ type: 'ack', id: 'good-command-0001', duplicate: false });
    const duty = (await h.core.store.readEvents(streamId, 0, 100)).filter(
      (e) => e.type === 'staff.duty_changed',
    );
    expect(duty.map((e) => e.payload)).toEqual([{ onDuty: true }]);
  });

  it('[BI-W8] a socket that never says hello is closed at the deadline, and chatter does not extend it', async () => {
    const { h, streamId, fia, bystander, hostile } = await scene({ streamLimits: { helloTimeoutMs: 300 } });
    const silent = hostile();
    await silent.opened;
    silent.socket.ping(); // pings are not a hello
    expect(await closeCode(silent)).toBe(4400);
    await othersUnaffected(h, streamId, bystander, fia.browser.cookie!);
  });

  it('[BI-W10] a flood of frames closes that socket with 4429; others go on', async () => {
    const { h, streamId, fia, bystander, hostile } = await scene();
    const flood = hostile();
    await flood.opened;
    flood.send(HELLO);
    for (let i = 0; i < 1000; i++) flood.send({ type: 'hello', since: 0 });
    expect([4400, 4429]).toContain(await closeCode(flood));
    const rate = hostile();
    await rate.opened;
    rate.send(HELLO);
    for (let i = 0; i < 1000; i++) {
      if (rate.socket.readyState !== rate.socket.OPEN) break;
      rate.send({
        type: 'command',
        id: `flood-command-${String(i).padStart(4, '0')}`,
        command: { type: 'duty.set', onDuty: true },
      });
    }
    expect(await closeCode(rate)).toBe(4429);
    await othersUnaffected(h, streamId, bystander, fia.browser.cookie!);
  });

  it('commands beyond the command rate are refused, not queued; every acknowledged one is stored once', async () => {
    const { h, streamId, hostile } = await scene({
      streamLimits: { commandBurst: 5, commandsPerSecond: 1, messageBurst: 100 },
    });
    const stream = hostile();
    await stream.opened;
    stream.send(HELLO);
    for (let i = 0; i < 20; i++) {
      stream.send({
        type: 'command',
        id: `burst-command-${String(i).padStart(4, '0')}`,
        command: { type: 'duty.set', onDuty: i % 2 === 0 },
      });
    }
    await until(
      () => stream.messages.filter((m) => m.type === 'ack' || m.type === 'rejected').length === 20,
      5000,
      'answers',
    );
    const acks = stream.messages.filter((m) => m.type === 'ack');
    const refused = stream.messages.filter((m) => m.type === 'rejected');
    expect(acks.length).toBeGreaterThanOrEqual(5);
    expect(refused.every((m) => m['reason'] === 'rate_limited')).toBe(true);
    const duty = (await h.core.store.readEvents(streamId, 0, 100)).filter(
      (e) => e.type === 'staff.duty_changed',
    );
    expect(duty.map((e) => e.seq).sort()).toEqual(acks.map((m) => m['seq']).sort());
  });
});
