/**
 * The behaviour every Store adapter must have, registered once per engine (sqlite.test.ts,
 * postgres.test.ts). Each test gets a fresh, empty, migrated store from the factory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine, Store } from '../src/store.ts';
import { auditContract } from './contract/audit.ts';
import { clinicAndUserContract } from './contract/clinics-and-users.ts';
import { documentContract } from './contract/documents.ts';
import { eventContract } from './contract/events.ts';
import type { RawAccess } from './contract/fixtures.ts';
import { groupContract } from './contract/groups.ts';
import { inviteContract } from './contract/invites.ts';
import { journalContract } from './contract/journals.ts';
import { mfaContract } from './contract/mfa.ts';
import { sessionContract } from './contract/sessions.ts';
import { tabletContract } from './contract/tablets.ts';

export type { RawAccess } from './contract/fixtures.ts';

export function registerStoreContract(
  engine: Engine,
  openEmptyStore: () => Promise<Store>,
  raw: RawAccess,
): void {
  let current: Store | undefined;
  beforeEach(async () => {
    current = await openEmptyStore();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const store = (): Store => {
    if (!current) throw new Error('no store open');
    return current;
  };
  const context = { store, raw };

  describe('basics', () => {
    it(`is a ${engine} store that answers a ping`, async () => {
      expect(store().engine).toBe(engine);
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });

  clinicAndUserContract(context);
  inviteContract(context);
  sessionContract(context);
  mfaContract(context);
  auditContract(context);
  documentContract(context);
  eventContract(context);
  groupContract(context);
  tabletContract(context);
  journalContract(context);
}
