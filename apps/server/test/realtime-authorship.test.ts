/**
 * Every stored document update names who wrote it (BI-Y12 rests on this): the user whose socket
 * sent it, whoever else's updates the same group commit carried. Forging someone else's client
 * id is still refused, so the author recorded is the author who wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN } from './harness.ts';
import {
  addStaff,
  authorizeWithGrants,
  BASELINE,
  insertedStrings,
  Stage,
  storedText,
  type Grants,
} from './realtime-support.ts';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.stop();
  stage = undefined;
});

/** The update log as (text inserted, author, device), oldest first. */
async function authoredLog(docId: string) {
  const log = await stage!.h.core.store.readDocUpdates(docId, 0, 10_000);
  return log.map(({ update, actorId, deviceId }) => ({
    text: insertedStrings(update).join(''),
    actorId,
    deviceId,
  }));
}

describe('authorship of stored updates', () => {
  it("[BI-Y12] each stored update carries its writer's user id, also when two staff write at once", async () => {
    // No kind lets two staff write one document yet: grant the co-author write access.
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId } = await stage.scene(); // the admin's note, holding BASELINE
    const coAuthor = await addStaff(stage.h, admin, 'coauthor@juniper.test');
    grants.set(docId, new Map([[coAuthor.userId, 'write']]));
    const adminId = (await stage.h.core.store.findUserByEmail(ADMIN.email))!.id;

    const adminWriter = await stage.raw(docId, admin.cookie);
    const coWriter = await stage.raw(docId, coAuthor.browser.cookie);
    await adminWriter.sync();
    await coWriter.sync();
    await adminWriter.write(' [admin]');
    await coWriter.write(' [co-author]');
    // Both at once: the two updates likely share a group commit, and keep their own authors.
    await Promise.all([adminWriter.write(' [admin again]'), coWriter.write(' [co-author again]')]);

    const log = await authoredLog(docId);
    expect(log.map(({ actorId }) => actorId)).not.toContain(null);
    const writerOf = (marker: string) => log.filter(({ text }) => text.includes(marker));
    expect(writerOf(BASELINE)).toEqual([{ text: BASELINE, actorId: adminId, deviceId: null }]);
    expect(writerOf(' [admin]')).toEqual([{ text: ' [admin]', actorId: adminId, deviceId: null }]);
    expect(writerOf(' [admin again]')).toEqual([
      { text: ' [admin again]', actorId: adminId, deviceId: null },
    ]);
    expect(writerOf(' [co-author]')).toEqual([
      { text: ' [co-author]', actorId: coAuthor.userId, deviceId: null },
    ]);
    expect(writerOf(' [co-author again]')).toEqual([
      { text: ' [co-author again]', actorId: coAuthor.userId, deviceId: null },
    ]);
    expect(log).toHaveLength(5);
  });

  it("[BI-Y6] [BI-Y12] a co-author forging the admin's client id is refused: nothing is stored under either name", async () => {
    const grants: Grants = new Map();
    stage = await Stage.start({ authorize: authorizeWithGrants(grants) });
    const { admin, docId } = await stage.scene();
    const coAuthor = await addStaff(stage.h, admin, 'coauthor@juniper.test');
    grants.set(docId, new Map([[coAuthor.userId, 'write']]));

    const adminWriter = await stage.raw(docId, admin.cookie);
    await adminWriter.sync();
    await adminWriter.write(' [admin]');
    const before = await authoredLog(docId);

    const forger = await stage.raw(docId, coAuthor.browser.cookie);
    await forger.sync();
    forger.doc.clientID = adminWriter.doc.clientID;
    forger.append(' FORGED');
    expect((await forger.closedWithin(5000)).code).toBe(4400);
    expect(await authoredLog(docId)).toEqual(before);
    expect(await storedText(stage.h, docId)).toBe(`${BASELINE} [admin]`);
  });
});
