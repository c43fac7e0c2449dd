/**
 * Hostile bodies on the participants' endpoints (redeem, claim, home sign-in): wrong types,
 * extra fields, oversize, unicode tricks, other content types, 10 MB. Each gets a clear 400,
 * 404, 413 or 415, and nothing changes: the real code still works afterwards (BI-A4, BI-A5,
 * BI-A9, BI-A11, BI-J4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { Device, newCode, tabletScene, type TabletScene } from './tablets-support.ts';

let h: Harness;
let s: TabletScene;

beforeAll(async () => {
  h = await startHarness();
  s = await tabletScene(h);
});

afterAll(async () => {
  await h.close();
});

const WRONG_SHAPES: Array<[string, unknown, number[]]> = [
  ['[BI-A11] an extra field', { code: 'ABCD-EFGH', sessionId: 'x' }, [400]],
  ['a number for the code', { code: 12345678 }, [422]],
  ['null for the code', { code: null }, [422]],
  ['an array for the code', { code: ['ABCD-EFGH'] }, [422]],
  ['an object for the code', { code: { $gt: '' } }, [422]],
  ['no code', {}, [422]],
  ['an array body', ['ABCD-EFGH'], [400]],
  ['a string body', 'ABCD-EFGH', [400]],
  ['an oversize code', { code: 'A'.repeat(10_000) }, [422]],
];

const UNICODE_TRICKS = [
  'ＡＢＣＤ-ＥＦＧＨ', // full-width
  'ABCD\u200b-EFGH', // zero-width space
  'АВСD-EFGH', // Cyrillic look-alikes
  'ABCD\u0000EFGH', // NUL
  '\ud800ABCDEFG', // lone surrogate
  'ABCD-EFGH\u202e', // right-to-left override
];

describe('hostile bodies: tablet redeem', () => {
  it.each(WRONG_SHAPES)('%s is refused clearly and changes nothing', async (_name, body, statuses) => {
    const tablet = new Device(h.app);
    const r = await tablet.post('/api/v1/tablet/redeem', body);
    expect(statuses).toContain(r.statusCode);
    expect((r.json() as { message: string }).message.length).toBeGreaterThan(0);
    expect(r.cookies.some((c) => c.name.endsWith('cairn_tablet'))).toBe(false);
  });

  it('[BI-J4] unicode tricks never fold into a valid code: the generic answer', async () => {
    for (const code of UNICODE_TRICKS) {
      const r = await new Device(h.app).post('/api/v1/tablet/redeem', { code });
      expect(r.statusCode, JSON.stringify(code)).toBe(404);
    }
  });

  it('[BI-A4] a 10 MB body is a 413 before anything is parsed', async () => {
    const r = await new Device(h.app).request('POST', '/api/v1/tablet/redeem', undefined, {
      payload: JSON.stringify({ code: 'A'.repeat(10 * 1024 * 1024) }),
    });
    expect(r.statusCode).toBe(413);
  });

  it('[BI-A5] other content types are a 415; deep nesting a 400', async () => {
    const form = await new Device(h.app).request('POST', '/api/v1/tablet/redeem', undefined, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'code=ABCD-EFGH',
    });
    expect(form.statusCode).toBe(415);
    const deep = await new Device(h.app).request('POST', '/api/v1/tablet/redeem', undefined, {
      payload: `{"code":${'['.repeat(100)}${']'.repeat(100)}}`,
    });
    expect(deep.statusCode).toBe(400);
  });

  it('after all of the above, the real code still redeems and no tablet was created before', async () => {
    expect((await s.fa.get(`/api/v1/sessions/${s.sessionA.id}/tablets`)).json()).toEqual({ tablets: [] });
    const code = await newCode(s.fa, s.sessionA.id);
    expect((await new Device(h.app, '10.99.0.1').post('/api/v1/tablet/redeem', { code })).statusCode).toBe(
      200,
    );
  });
});

describe('hostile bodies: claim and home sign-in', () => {
  it('claim refuses wrong shapes, unknown and foreign participants, and changes nothing', async () => {
    const tablet = new Device(h.app, '10.98.0.1');
    expect(
      (await tablet.post('/api/v1/tablet/claim', { participantId: s.participantsA[0]!.id })).statusCode,
    ).toBe(401);
    const code = await newCode(s.fa, s.sessionA.id);
    expect((await tablet.post('/api/v1/tablet/redeem', { code })).statusCode).toBe(200);
    for (const [body, status] of [
      [{ participantId: s.participantsA[0]!.id, state: 'admitted' }, 400],
      [{ participantId: 42 }, 422],
      [{ participantId: '../../admin' }, 422],
      [{ participantId: 'x'.repeat(65) }, 422],
      [{ participantId: 'doesnotexist' }, 404],
      [{ participantId: s.participantsB[0]!.id }, 404],
    ] as const) {
      const r = await tablet.post('/api/v1/tablet/claim', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.body).not.toContain('Wren');
    }
    expect((await tablet.get('/api/v1/tablet/me')).json()).toMatchObject({ state: 'pending' });
  });

  it('home sign-in refuses wrong shapes and a 10 MB body', async () => {
    for (const [name, body, statuses] of WRONG_SHAPES) {
      const r = await new Device(h.app).post('/api/v1/home/sign-in', body);
      expect(statuses, name).toContain(r.statusCode);
      expect(r.cookies.some((c) => c.name.endsWith('cairn_home'))).toBe(false);
    }
    const big = await new Device(h.app).request('POST', '/api/v1/home/sign-in', undefined, {
      payload: JSON.stringify({ code: 'A'.repeat(10 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    for (const code of UNICODE_TRICKS) {
      expect((await new Device(h.app).post('/api/v1/home/sign-in', { code })).statusCode).toBe(401);
    }
  });
});
