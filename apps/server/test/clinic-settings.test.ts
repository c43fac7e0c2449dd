/**
 * The clinic's settings over the real server: two-step sign-in and the discharge minimum (a
 * clinic-configurable default, not medical advice). Only an admin changes them, every change
 * is audited with the setting's name and new value, and [BI-A1] [BI-A11] wrong or hostile
 * bodies are refused (400 for unknown fields or a body that is not an object, 422 naming the
 * field for a bad value) with nothing changed.
 */
import { DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE, MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE } from '@cairn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notObjects, type BadBodyCase } from './groups-support.ts';
import { ORIGIN, setUpAdmin, startHarness, type Browser, type Harness } from './harness.ts';
import { addStaff } from './realtime-support.ts';

const URL = '/api/v1/clinic/settings';

let h: Harness;
let admin: Browser;
let facilitator: Browser;

beforeAll(async () => {
  h = await startHarness();
  ({ admin } = await setUpAdmin(h));
  ({ browser: facilitator } = await addStaff(h, admin, 'fay@juniper.test', ['facilitator']));
}, 60_000);

afterAll(async () => {
  await h.close();
});

async function settings(): Promise<unknown> {
  return (await admin.get(URL)).json();
}

async function auditCount(): Promise<number> {
  return (await h.core.store.verifyAuditChain()).checked;
}

async function lastAudit(): Promise<{ action: string; details: Record<string, unknown> }> {
  const { entries } = (await admin.get('/api/v1/audit?limit=1')).json() as {
    entries: { action: string; details: Record<string, unknown> }[];
  };
  return entries[0]!;
}

describe('clinic settings', () => {
  it('start with two-step sign-in required and the default discharge minimum', async () => {
    expect(await settings()).toEqual({
      mfaRequired: true,
      minMinutesBeforeDischarge: DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE,
      supportEscalateAfterSeconds: 30,
    });
    expect(DEFAULT_MIN_MINUTES_BEFORE_DISCHARGE).toBe(120);
  });

  it('change one setting at a time or both, audited with the name and new value', async () => {
    const one = await admin.request('PATCH', URL, { minMinutesBeforeDischarge: 30 });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({
      mfaRequired: true,
      minMinutesBeforeDischarge: 30,
      supportEscalateAfterSeconds: 30,
    });
    expect(await lastAudit()).toMatchObject({
      action: 'clinic.settings_changed',
      details: { minMinutesBeforeDischarge: 30 },
    });
    expect((await lastAudit()).details).not.toHaveProperty('mfaRequired');

    for (const minutes of [0, 720, 90]) {
      const both = await admin.request('PATCH', URL, {
        mfaRequired: true,
        minMinutesBeforeDischarge: minutes,
      });
      expect(both.json()).toEqual({
        mfaRequired: true,
        minMinutesBeforeDischarge: minutes,
        supportEscalateAfterSeconds: 30,
      });
    }
    expect(await lastAudit()).toMatchObject({
      action: 'clinic.settings_changed',
      details: { mfaRequired: true, minMinutesBeforeDischarge: 90 },
    });
    expect(await settings()).toEqual({
      mfaRequired: true,
      minMinutesBeforeDischarge: 90,
      supportEscalateAfterSeconds: 30,
    });
  });

  it('are read by any signed-in staff member but changed only by an admin', async () => {
    const before = await settings();
    expect((await facilitator.get(URL)).json()).toEqual(before);
    // A 404, as for every refused role: no existence oracle. The refusal is audited.
    const refused = await facilitator.request('PATCH', URL, { minMinutesBeforeDischarge: 5 });
    expect(refused.statusCode).toBe(404);
    expect(await lastAudit()).toMatchObject({ action: 'authz.denied', details: { what: 'clinic.settings' } });
    expect(await settings()).toEqual(before);
  });
});

const field = (value: unknown) => ({ minMinutesBeforeDischarge: value });

const hostile: BadBodyCase[] = [
  ...notObjects,
  ['an empty patch', {}, 422],
  ['[BI-A11] clinicId', { ...field(30), clinicId: 'other' }, 400],
  ['[BI-A11] a clinic name', { name: 'Renamed' }, 400],
  ['[BI-A11] a misspelt setting', { minMinutesBeforeDischarg: 30 }, 400],
  ['[BI-A11] __proto__', JSON.parse('{"minMinutesBeforeDischarge":30,"__proto__":{"admin":true}}'), 400],
  ['[BI-A1] minutes as a string', field('30'), 422],
  ['[BI-A1] minutes as an empty string', field(''), 422],
  ['[BI-A1] fractional minutes', field(30.5), 422],
  ['[BI-A1] negative minutes', field(-1), 422],
  ['[BI-A1] 721 minutes', field(721), 422],
  ['[BI-A1] null minutes', field(null), 422],
  ['[BI-A1] minutes as true', field(true), 422],
  ['[BI-A1] minutes as a list', field([30]), 422],
  ['[BI-A1] a billion minutes', field(1e9), 422],
  ['[BI-A1] minutes past the safe integers', field(Number.MAX_SAFE_INTEGER + 2), 422],
  ['[BI-A1] a good MFA value with bad minutes', { mfaRequired: false, ...field(-5) }, 422],
  ['[BI-A1] MFA as "yes"', { mfaRequired: 'yes' }, 422],
];

describe('[BI-A1] [BI-A11] hostile settings bodies', () => {
  it.each(hostile)('%s is refused and changes nothing', async (label, body, status) => {
    const before = await settings();
    const audits = await auditCount();
    const response = await admin.request('PATCH', URL, body);
    expect(response.statusCode).toBe(status);
    const answer = response.json() as { error: string; fields?: Record<string, string> };
    if (status === 400) expect(['unknown_field', 'invalid_body', 'bad_request']).toContain(answer.error);
    if (status === 422) expect(answer.error).toBe('validation_failed');
    if (label.includes('minutes')) {
      expect(answer.fields).toEqual({ minMinutesBeforeDischarge: MIN_MINUTES_BEFORE_DISCHARGE_MESSAGE });
    }
    expect(await settings()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it.each([
    ['1e309 (Infinity once parsed)', '{"minMinutesBeforeDischarge":1e309}'],
    ['a 400-digit number', `{"minMinutesBeforeDischarge":${'9'.repeat(400)}}`],
    ['NaN', '{"minMinutesBeforeDischarge":NaN}'],
  ])('[BI-A1] %s is refused and changes nothing', async (_label, payload) => {
    const before = await settings();
    const audits = await auditCount();
    const response = await h.app.inject({
      method: 'PATCH',
      url: URL,
      headers: { origin: ORIGIN, 'content-type': 'application/json', cookie: admin.cookie ?? '' },
      payload,
    });
    expect([400, 422]).toContain(response.statusCode);
    expect(await settings()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });
});
