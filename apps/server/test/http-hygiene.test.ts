import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, Browser, ORIGIN, setUpAdmin, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function auditCount(): Promise<number> {
  return (await h.core.store.verifyAuditChain()).checked;
}

describe('request hygiene', () => {
  it('[BI-A4] a 10 MB body is refused with 413 and the server stays healthy', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'p'.repeat(10 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'too_large' });
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('[BI-A4] JSON nested 10,000 levels deep is refused with 400 before parsing', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'json_too_deep' });
    expect((await new Browser(h.app).get('/api/v1/setup')).json()).toEqual({ needed: true });
  });

  it('[BI-A4] brackets inside strings do not count as nesting', async () => {
    const response = await new Browser(h.app).post('/api/v1/setup', {
      ...ADMIN,
      clinicName: '[[[[{{{{'.repeat(10),
    });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['APPLICATION/JSON'],
    ['application/json ;charset=utf-8'],
    ['application/json\t;charset=utf-8'],
    ['application/json\tx'],
    ['constructor'],
    ['__proto__'],
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['application/jsonp'],
  ])(
    '[BI-A5] content type %j is validated like JSON or refused with 415, never half-parsed',
    async (contentType) => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        headers: { origin: ORIGIN, 'content-type': contentType },
        payload: JSON.stringify({ ...ADMIN, role: 'superuser' }),
      });
      // With the extra field a validated body is 400 (unknown field); anything else is 415.
      expect([400, 415]).toContain(response.statusCode);
      if (response.statusCode === 400) expect(response.json()).toMatchObject({ error: 'unknown_field' });
      expect((await new Browser(h.app).get('/api/v1/setup')).json()).toEqual({ needed: true });
    },
  );

  it('[BI-A5] prototype-poisoning keys are refused', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: '{"clinicName":"x","__proto__":{"mfaRequired":false}}',
    });
    expect(response.statusCode).toBe(400);
  });

  it.each([
    ['an evil origin', { origin: 'https://evil.example', 'content-type': 'application/json' }],
    ['Origin: null', { origin: 'null', 'content-type': 'application/json' }],
    ['no Origin at all', { 'content-type': 'application/json' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
    ['text/plain from elsewhere', { origin: 'https://evil.example', 'content-type': 'text/plain' }],
    [
      'a form post from elsewhere',
      { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    ],
    [
      'multipart from elsewhere',
      { origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=x' },
    ],
    [
      'an upper-case content type from elsewhere',
      { origin: 'https://evil.example', 'content-type': 'APPLICATION/JSON' },
    ],
    ['a look-alike origin', { origin: `${ORIGIN}.evil.example`, 'content-type': 'application/json' }],
  ])('[BI-A6] refuses a state-changing request with %s (403, no side effect)', async (_label, headers) => {
    const { admin } = await setUpAdmin(h);
    const before = await auditCount();
    for (const [method, url] of [
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/logout-everywhere'],
      ['POST', '/api/v1/staff/invites'],
      ['PATCH', '/api/v1/clinic/settings'],
      ['POST', '/any/path/at/all'],
      ['DELETE', '/api/v1/staff/invites/x'],
    ] as const) {
      const response = await h.app.inject({
        method,
        url,
        headers: { ...headers, cookie: admin.cookie ?? '' },
        payload: JSON.stringify({
          email: ADMIN.email,
          password: ADMIN.password,
          roles: ['admin'],
          mfaRequired: false,
        }),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.cookies).toEqual([]);
    }
    expect(await auditCount()).toBe(before);
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    expect((await admin.get('/api/v1/clinic/settings')).json()).toEqual({
      mfaRequired: true,
      minMinutesBeforeDischarge: 120,
      supportEscalateAfterSeconds: 30,
    });
  });

  it('[BI-A6] accepts Sec-Fetch-Site: same-origin when a browser omits Origin', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      payload: JSON.stringify(ADMIN),
    });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['PUT /staff/:id/roles', 'PUT', 'self', { roles: ['admin'], clinicId: 'other', mfaEnrolled: true }],
    [
      'PATCH /clinic/settings',
      'PATCH',
      '/api/v1/clinic/settings',
      { mfaRequired: true, name: 'Renamed', id: 'x' },
    ],
    [
      'POST /staff/invites',
      'POST',
      '/api/v1/staff/invites',
      { email: 'x@juniper.test', roles: ['admin'], clinicId: 'other' },
    ],
  ] as const)(
    '[BI-A11] mass assignment on %s is a 400 and changes nothing',
    async (_label, method, url, body) => {
      const { admin } = await setUpAdmin(h);
      const me = (await admin.get('/api/v1/me')).json();
      const target = url === 'self' ? `/api/v1/staff/${me.id}/roles` : url;
      const response = await admin.request(method, target, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'unknown_field' });
      const after = (await admin.get('/api/v1/me')).json();
      expect(after).toEqual(me);
      expect((await admin.get('/api/v1/staff')).json().invites).toEqual([]);
    },
  );

  it('[BI-A11] a role outside the four staff roles is refused', async () => {
    const { admin } = await setUpAdmin(h);
    const me = (await admin.get('/api/v1/me')).json();
    const response = await admin.request('PUT', `/api/v1/staff/${me.id}/roles`, {
      roles: ['admin', 'superuser'],
    });
    expect(response.statusCode).toBe(422);
    expect((await admin.get('/api/v1/me')).json().roles).toEqual(['admin']);
  });

  it('puts security headers on API answers and never caches them', async () => {
    const response = await new Browser(h.app).get('/api/v1/setup');
    expect(response.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await new Browser(h.app).get('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'not_found' });
  });

  it('reports health and readiness', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      database: 'sqlite',
    });
  });
});
