/**
 * Helpers for the tablet and home-access tests: a tablet (or phone) as a browser with its own
 * cookie jar and address, a scene of two groups with participants, and the path from a join
 * code to an admitted tablet.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ORIGIN, type Browser, type Harness } from './harness.ts';
import { groupScene, person, type GroupScene } from './groups-support.ts';

/** A device with no staff cookie: keeps every cookie it is given (tablet, device, home). */
export class Device {
  readonly #app: FastifyInstance;
  readonly ip: string;
  readonly jar = new Map<string, string>();

  constructor(app: FastifyInstance, ip = `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`) {
    this.#app = app;
    this.ip = ip;
  }

  get cookie(): string | undefined {
    if (this.jar.size === 0) return undefined;
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    extra: { headers?: Record<string, string>; payload?: string } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { origin: ORIGIN, ...extra.headers };
    const cookie = this.cookie;
    if (cookie) headers.cookie = cookie;
    if (body !== undefined || extra.payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await this.#app.inject({
      method,
      url,
      headers,
      remoteAddress: this.ip,
      ...(extra.payload !== undefined
        ? { payload: extra.payload }
        : body !== undefined
          ? { payload: JSON.stringify(body) }
          : {}),
    });
    for (const c of response.cookies) {
      if (c.value && !(c.expires && c.expires.getTime() <= Date.now())) this.jar.set(c.name, c.value);
      else this.jar.delete(c.name);
    }
    return response;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, body: unknown = {}) {
    return this.request('POST', url, body);
  }
}

/** `person(n)` with the tablet-data-use consent given: only such a participant may hold a tablet. */
export function tabletPerson(n: number, name: string) {
  return { ...person(n, name), consents: { groupConfidentialityAgreement: true, tabletDataUse: true } };
}

export interface TabletScene extends GroupScene {
  /** Active participants of group A, in enrolment order, all consenting to tablet data use. */
  participantsA: Array<{ id: string; preferredName: string }>;
  participantsB: Array<{ id: string; preferredName: string }>;
}

export async function tabletScene(h: Harness): Promise<TabletScene> {
  const s = await groupScene(h);
  const participantsA = [];
  for (const [n, name] of [
    [1, 'Robin'],
    [2, 'Sasha'],
    [3, 'Tove'],
    [4, 'Uma'],
  ] as const) {
    const r = await s.fa.post(`/api/v1/groups/${s.groupA}/participants`, tabletPerson(n, name));
    expect(r.statusCode).toBe(201);
    participantsA.push({ id: (r.json() as { id: string }).id, preferredName: name });
  }
  const participantsB = [];
  for (const [n, name] of [
    [5, 'Wren'],
    [6, 'Yara'],
  ] as const) {
    const r = await s.fb.post(`/api/v1/groups/${s.groupB}/participants`, tabletPerson(n, name));
    expect(r.statusCode).toBe(201);
    participantsB.push({ id: (r.json() as { id: string }).id, preferredName: name });
  }
  return { ...s, participantsA, participantsB };
}

export async function newCode(staff: Browser, sessionId: string): Promise<string> {
  const r = await staff.post(`/api/v1/sessions/${sessionId}/join-codes`);
  expect(r.statusCode).toBe(201);
  return (r.json() as { code: string }).code;
}

/** Code → redeem → claim; the tablet then waits for admission. Returns its device id. */
export async function redeemAndClaim(
  h: Harness,
  staff: Browser,
  sessionId: string,
  participantId: string,
  tablet = new Device(h.app),
): Promise<{ tablet: Device; deviceId: string }> {
  const code = await newCode(staff, sessionId);
  const redeemed = await tablet.post('/api/v1/tablet/redeem', { code });
  expect(redeemed.statusCode).toBe(200);
  const claimed = await tablet.post('/api/v1/tablet/claim', { participantId });
  expect(claimed.statusCode).toBe(200);
  expect((claimed.json() as { state: string }).state).toBe('awaiting_admission');
  const listed = await staff.get(`/api/v1/sessions/${sessionId}/tablets`);
  const mine = (
    listed.json() as { tablets: Array<{ deviceId: string; participant: { id: string } | null }> }
  ).tablets.find(
    (t) => t.participant?.id === participantId && (t as { state?: string }).state === 'awaiting_admission',
  );
  expect(mine).toBeDefined();
  return { tablet, deviceId: mine!.deviceId };
}

/** The whole way to an admitted tablet for `participantId`. */
export async function admittedTablet(
  h: Harness,
  staff: Browser,
  sessionId: string,
  participantId: string,
  tablet = new Device(h.app),
): Promise<{ tablet: Device; deviceId: string }> {
  const waiting = await redeemAndClaim(h, staff, sessionId, participantId, tablet);
  const admitted = await staff.post(`/api/v1/sessions/${sessionId}/tablets/${waiting.deviceId}/admit`);
  expect(admitted.statusCode).toBe(200);
  return waiting;
}
