/**
 * Revocation reaches open sockets (reliability.md §7(b) AC-07, AC-09) with the DEFAULT sweep
 * interval: a role change, or "sign out everywhere", closes every document socket of that
 * person with 4401 within 5 s, on every one of their sessions, and nothing reaches those
 * sockets afterwards — while another person's writer on the same document carries on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REALTIME } from '../src/realtime/plugin.ts';
import { ADMIN, ORIGIN, setUpAdmin, signIn } from './harness.ts';
import {
  addStaff,
  authorizeWithGrants,
  awarenessFrame,
  awarenessUpdate,
  createClinicianNote,
  healthStatus,
  rawSocket,
  Stage,
  storedText,
  until,
  wsBase,
  type Grants,
  type RawDocClient,
} from './realtime-support.ts';

let stage: Stage;
afterEach(async () => {
  await stage.stop();
});

/**
 * Zed (facilitator) has their own note open on two sessions (a listener on each, both present
 * in awareness); the admin, granted write on it, is the writer who must not be disturbed, and
 * a watcher (the admin's provider) sees who is present.
 */
async function twoSessionsOnOneNote() {
  const grants: Grants = new Map();
  // Deliberately no revocationIntervalMs: the default is what is promised.
  stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
  expect(DEFAULT_REALTIME.revocationIntervalMs).toBeLessThanOrEqual(5000);
  const { admin } = await setUpAdmin(stage.h);
  const adminUser = await stage.h.core.store.findUserByEmail(ADMIN.email);
  const zed = await addStaff(stage.h, admin, 'zed@juniper.test', ['facilitator']);
  const zedTablet = await signIn(stage.h, zed.email, zed.password, zed.secret, '10.0.0.10');
  const noteId = await createClinicianNote(stage.h, zed.email);
  grants.set(noteId, new Map([[adminUser!.id, 'write']]));

  const listeners = [await stage.raw(noteId, zed.browser.cookie), await stage.raw(noteId, zedTablet.cookie)];
  const writer = await stage.raw(noteId, admin.cookie);
  await writer.sync();
  await writer.write('[before]');
  await until(() => listeners.every((l) => l.received('[before]')), 5000, 'listeners receive');
  listeners.forEach((listener, i) =>
    listener.send(awarenessFrame(awarenessUpdate([{ clientId: ZED_CLIENTS[i]!, clock: 1, state: '{}' }]))),
  );
  const watcher = stage.provider(noteId, admin.cookie);
  const present = () => ZED_CLIENTS.filter((id) => watcher.provider.awareness.getStates().has(id));
  await until(() => present().length === ZED_CLIENTS.length, 5000, 'zed present');
  return { admin, zed, zedTablet, noteId, listeners, writer, present };
}

const ZED_CLIENTS = [7001, 7002];

/** Writes every 50 ms until stopped, so updates are in flight when the sweep comes. */
function keepWriting(writer: RawDocClient) {
  let writing = true;
  let n = 0;
  const done = (async () => {
    while (writing && writer.isOpen) {
      writer.append(`[w${n++}]`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    writing = false;
    await done;
  };
}

async function expectClosedWithin(listeners: RawDocClient[], since: number, ms: number) {
  const closes = await Promise.all(listeners.map((l) => l.closedWithin(8000)));
  const elapsed = Date.now() - since;
  for (const closed of closes) expect(closed).toEqual({ code: 4401, reason: 'session ended' });
  expect(elapsed).toBeLessThan(ms);
}

async function expectNothingAfterClose(listeners: RawDocClient[], writer: RawDocClient, noteId: string) {
  const framesAtClose = listeners.map((l) => l.frames.length);
  await writer.write('[after the close]');
  expect(listeners.map((l) => l.frames.length)).toEqual(framesAtClose);
  expect(listeners.some((l) => l.received('[after the close]'))).toBe(false);
  expect(writer.isOpen).toBe(true);
  await writer.sync();
  expect(await storedText(stage.h, noteId)).toBe(writer.doc.getText('content').toString());
  expect(await storedText(stage.h, noteId)).toContain('[after the close]');
  expect(await healthStatus(stage.h)).toBe(200);
}

/** The sweep closed the sockets; the cookies they were opened with open nothing any more. */
async function expectRefusedWithOldCookies(noteId: string, cookies: string[]) {
  for (const cookie of cookies) {
    const again = rawSocket(`${wsBase(stage.h)}/ws/doc/${noteId}`, { origin: ORIGIN, cookie });
    expect(await again.opened).toBe(401);
  }
}

describe('revocation closes open document sockets', () => {
  it("[AC-07] a role change closes all of that person's document sockets (4401) within 5 s", async () => {
    const { admin, zed, zedTablet, noteId, listeners, writer, present } = await twoSessionsOnOneNote();
    const cookies = [zed.browser.cookie!, zedTablet.cookie!];
    const stop = keepWriting(writer);
    const changedAt = Date.now();
    const change = await admin.request('PUT', `/api/v1/staff/${zed.userId}/roles`, {
      roles: ['co_therapist'],
    });
    expect(change.statusCode).toBe(200);
    await expectClosedWithin(listeners, changedAt, 5000);
    await until(() => present().length === 0, 5000, 'awareness entries removed');
    await stop();
    await expectNothingAfterClose(listeners, writer, noteId);
    await expectRefusedWithOldCookies(noteId, cookies);
  });

  it('[AC-09] "sign out everywhere" closes the sockets of every session (4401) within 5 s', async () => {
    const { zed, zedTablet, noteId, listeners, writer, present } = await twoSessionsOnOneNote();
    const cookies = [zed.browser.cookie!, zedTablet.cookie!];
    const stop = keepWriting(writer);
    const signedOutAt = Date.now();
    const out = await zed.browser.post('/api/v1/auth/logout-everywhere');
    expect(out.statusCode).toBe(204);
    await expectClosedWithin(listeners, signedOutAt, 5000);
    await until(() => present().length === 0, 5000, 'awareness entries removed');
    await stop();
    await expectNothingAfterClose(listeners, writer, noteId);
    await expectRefusedWithOldCookies(noteId, cookies);
  });
});
