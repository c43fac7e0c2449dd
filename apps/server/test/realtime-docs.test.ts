import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, Browser, enrolTotp, ORIGIN, setUpAdmin, startHarness, type Harness } from './harness.ts';
import {
  connectProvider,
  createClinicianNote,
  rawSocket,
  until,
  wsBase,
  type Client,
} from './realtime-support.ts';

let h: Harness;
const clients: Client[] = [];

beforeEach(async () => {
  h = await startHarness({ realtime: { revocationIntervalMs: 100, unloadGraceMs: 50 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await h.close();
});

function connect(docId: string, cookie: string | undefined): Client {
  const client = connectProvider(h, docId, cookie);
  clients.push(client);
  return client;
}

describe('document sync with the stock y-websocket provider', () => {
  it('syncs, converges between two devices, and survives a restart of the server', async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    const laptop = connect(docId, admin.cookie);
    const tablet = connect(docId, admin.cookie);
    await until(() => laptop.provider.synced && tablet.provider.synced, 5000, 'sync');

    laptop.doc.getText('content').insert(0, 'Grounding went well. ');
    tablet.doc.getText('content').insert(0, 'Opening circle: ');
    await until(
      () =>
        laptop.doc.getText('content').toString() === tablet.doc.getText('content').toString() &&
        laptop.doc.getText('content').length > 30,
      5000,
      'convergence',
    );
    const agreed = laptop.doc.getText('content').toString();

    // What the other device received was broadcast after commit: it is in the database.
    const stored = await h.core.store.loadDocState(docId);
    const fromDisk = new Y.Doc();
    for (const { update } of stored.updates) Y.applyUpdate(fromDisk, update);
    expect(fromDisk.getText('content').toString()).toBe(agreed);

    // A new server process on the same data: a fresh device loads the same text.
    for (const client of clients.splice(0)) client.destroy();
    await h.app.close();
    await h.core.store.close();
    const restarted = await startHarness({ env: { CAIRN_DATA_DIR: h.dataDir } });
    try {
      await restarted.app.listen({ port: 0, host: '127.0.0.1' });
      const fresh = connectProvider(restarted, docId, admin.cookie);
      clients.push(fresh);
      await until(() => fresh.provider.synced, 5000, 'sync after restart');
      expect(fresh.doc.getText('content').toString()).toBe(agreed);
    } finally {
      for (const client of clients.splice(0)) client.destroy();
      await restarted.app.close();
      await restarted.core.store.close();
    }
    h = { ...h, close: async () => rmSync(h.dataDir, { recursive: true, force: true }) };
  });

  it('answers an unauthenticated upgrade with 401 and a foreign document with 404, before any socket exists', async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    const url = `${wsBase(h)}/ws/doc/${docId}`;
    expect(await rawSocket(url, { origin: ORIGIN }).opened).toBe(401);
    expect(
      await rawSocket(`${wsBase(h)}/ws/doc/does-not-exist`, { origin: ORIGIN, cookie: admin.cookie! }).opened,
    ).toBe(404);
    expect(await rawSocket(url, { origin: ORIGIN, cookie: admin.cookie! }).opened).toBe('open');
  });

  it("[AC-01] never opens one clinician's private note for another: 404, zero content bytes", async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    const owner = connect(docId, admin.cookie);
    await until(() => owner.provider.synced);
    owner.doc.getText('content').insert(0, 'PRIVATE-MARKER about the group');
    await until(async () => (await h.core.store.loadDocState(docId)).updates.length > 0);

    const { token } = (
      await admin.post('/api/v1/staff/invites', {
        email: 'zed@juniper.test',
        roles: ['facilitator', 'admin'],
      })
    ).json();
    const zed = new Browser(h.app, '10.0.0.9');
    await zed.post('/api/v1/invites/accept', { token, displayName: 'Zed', password: 'walking by the shore' });
    await enrolTotp(h, zed);

    const attempt = rawSocket(`${wsBase(h)}/ws/doc/${docId}`, { origin: ORIGIN, cookie: zed.cookie! });
    expect(await attempt.opened).toBe(404);
    expect(attempt.frames).toEqual([]);
    const audit = await h.core.store.listAudit((await zed.get('/api/v1/me')).json().clinic.id, { limit: 5 });
    expect(audit.some((entry) => entry.action === 'authz.denied' && entry.targetId === docId)).toBe(true);
  });

  it('[AC-11] refuses a foreign Origin and [AC-12] credentials in the URL', async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    expect(
      await rawSocket(`${wsBase(h)}/ws/doc/${docId}`, {
        origin: 'https://evil.example',
        cookie: admin.cookie!,
      }).opened,
    ).toBe(403);
    const token = admin.cookie!.split('=')[1]!;
    expect(await rawSocket(`${wsBase(h)}/ws/doc/${docId}?token=${token}`, { origin: ORIGIN }).opened).toBe(
      400,
    );
    expect(
      await rawSocket(`${wsBase(h)}/ws/doc/${docId}?auth=${token}`, { origin: ORIGIN, cookie: admin.cookie! })
        .opened,
    ).toBe(400);
  });

  it('[AC-09] closes the socket soon after logout, and stops sending content', async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    const socket = rawSocket(`${wsBase(h)}/ws/doc/${docId}`, { origin: ORIGIN, cookie: admin.cookie! });
    expect(await socket.opened).toBe('open');
    await admin.post('/api/v1/auth/logout');
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
  });

  it('stamps awareness identity from the session, whatever the client claims', async () => {
    const { admin } = await setUpAdmin(h);
    const docId = await createClinicianNote(h, ADMIN.email);
    const a = connect(docId, admin.cookie);
    const b = connect(docId, admin.cookie);
    await until(() => a.provider.synced && b.provider.synced);
    a.provider.awareness.setLocalState({
      cursor: 3,
      user: { name: 'Dr. X (facilitator)', role: 'superuser' },
    });
    await until(() => b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'awareness');
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as {
      cursor: number;
      user: { name: string; role: string };
    };
    expect(seen.cursor).toBe(3);
    expect(seen.user.name).toBe(ADMIN.displayName);
    expect(seen.user.role).toBe('Clinic admin');
  });
});
