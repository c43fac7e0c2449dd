/**
 * Behaviours added after the hostile-input suite found gaps: no edit is taken on a session that
 * has just ended, and presence cannot lock a writer out of their own client id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  addStaff,
  authorizeWithGrants,
  awarenessFrame,
  awarenessUpdate,
  BASELINE,
  Stage,
  storedText,
  until,
  type Grants,
} from './realtime-support.ts';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.stop();
  stage = undefined;
});

describe('regressions', () => {
  it('[AC-09] an edit sent right after logout is refused, never stored, and the socket closes 4401', async () => {
    // A sweep every minute: only the immediate revocation can stop this edit.
    stage = await Stage.start({ revocationIntervalMs: 60_000 });
    const { admin, docId, bystander } = await stage.scene();
    const writer = await stage.raw(docId, admin.cookie);
    await writer.sync();
    await writer.write(' [before]');

    await admin.post('/api/v1/auth/logout');
    writer.append(' [after logout]');
    expect((await writer.closedWithin(5000)).code).toBe(4401);
    await until(() => bystander.doc.getText('content').toString().endsWith(' [before]'), 5000, 'bystander');
    expect(await storedText(stage.h, docId)).toBe(`${BASELINE} [before]`);
    expect(writer.received(' [after logout]')).toBe(false);
  });

  it("[BI-Y6] [BI-Y14] a read-only viewer showing presence under a writer's client id cannot lock the writer out", async () => {
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId, bystander } = await stage.scene();
    const reader = await addStaff(stage.h, admin, 'reader@juniper.test');
    grants.set(docId, new Map([[reader.userId, 'read']]));

    const writer = await stage.raw(docId, admin.cookie);
    await writer.sync();
    const victimId = writer.doc.clientID;

    // The reader claims the writer's (not yet used) client id for presence, with a high clock.
    const spy = await stage.raw(docId, reader.browser.cookie);
    spy.send(
      awarenessFrame(
        awarenessUpdate([{ clientId: victimId, clock: 99, state: JSON.stringify({ cursor: 1 }) }]),
      ),
    );
    await spy.barrier();

    // The writer's edits under its own id are still accepted and stored.
    await writer.write(' [mine]');
    expect(await storedText(stage.h, docId)).toBe(`${BASELINE} [mine]`);
    await until(
      () => bystander.doc.getText('content').toString() === `${BASELINE} [mine]`,
      5000,
      'bystander',
    );
    // And the forged presence entry under that id is gone.
    await until(
      () => !bystander.provider.awareness.getStates().has(victimId),
      5000,
      'forged presence removed',
    );
    expect(writer.isOpen).toBe(true);
  });

  it("[BI-Y6] a client id stays its writer's after the room unloads: a co-author cannot forge it later", async () => {
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants), unloadGraceMs: 20 });
    const { admin, docId, bystander } = await stage.scene();
    const coAuthor = await addStaff(stage.h, admin, 'coauthor@juniper.test');
    grants.set(docId, new Map([[coAuthor.userId, 'write']]));
    const victimId = bystander.doc.clientID;

    // Everyone leaves; the room unloads and its memory of who wrote what is gone.
    bystander.provider.disconnect();
    await until(async () => (await storedText(stage!.h, docId)) === BASELINE, 5000, 'baseline');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const forger = await stage.raw(docId, coAuthor.browser.cookie);
    await forger.sync();
    forger.doc.clientID = victimId;
    forger.append(' FORGED');
    expect((await forger.closedWithin(5000)).code).toBe(4400);
    expect(await storedText(stage.h, docId)).toBe(BASELINE);

    // Under an id of their own, the co-author writes normally.
    const honest = await stage.raw(docId, coAuthor.browser.cookie);
    await honest.sync();
    await honest.write(' [co-author]');
    expect(await storedText(stage.h, docId)).toBe(`${BASELINE} [co-author]`);
  });
});
