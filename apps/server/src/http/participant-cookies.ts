/**
 * The cookies of participants' devices, each apart from the staff session cookie so a tablet or
 * a phone can never carry staff rights (and a staff browser never a tablet's):
 * - the tablet cookie: a tablet's sign-in for one session (core/tablet-sign-in.ts);
 * - the device cookie: a random id set on a tablet's first visit, which per-device limits count
 *   (not a credential: clearing it only moves the tablet to the per-address limit);
 * - the home cookie: a participant's sign-in at home (core/home-access.ts).
 * All are httpOnly and SameSite=Strict, `Secure` with the `__Host-` prefix behind HTTPS.
 */
import { randomBytes } from 'node:crypto';
import {
  resolveHomeViewer,
  resolveTablet,
  type CoreContext,
  type HomeViewer,
  type TabletGrant,
} from '@cairn/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSecureContext } from './session-cookie.ts';

export type ParticipantCookie = 'tablet' | 'device' | 'home';

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const DEVICE_COOKIE_DAYS = 365;

function cookieName(kind: ParticipantCookie, secure: boolean): string {
  return `${secure ? '__Host-' : ''}cairn_${kind}`;
}

export function readParticipantCookie(request: FastifyRequest, kind: ParticipantCookie): string | undefined {
  return request.cookies[cookieName(kind, true)] ?? request.cookies[cookieName(kind, false)];
}

export function setParticipantCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  publicOrigin: string | undefined,
  kind: ParticipantCookie,
  value: string,
  expires: Date,
): void {
  const secure = isSecureContext(request, publicOrigin);
  reply.setCookie(cookieName(kind, secure), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    expires,
  });
}

export function clearParticipantCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  publicOrigin: string | undefined,
  kinds: readonly ParticipantCookie[],
): void {
  const secure = isSecureContext(request, publicOrigin);
  for (const kind of kinds) {
    reply.clearCookie(cookieName(kind, secure), { path: '/', httpOnly: true, sameSite: 'strict', secure });
  }
}

/** The device id from its cookie, or a new one set on this reply (a tablet's first visit). */
export function deviceKeyOf(
  request: FastifyRequest,
  reply: FastifyReply,
  publicOrigin: string | undefined,
): string {
  const existing = readParticipantCookie(request, 'device');
  if (existing && DEVICE_ID.test(existing)) return existing;
  const fresh = randomBytes(16).toString('base64url');
  const expires = new Date(Date.now() + DEVICE_COOKIE_DAYS * 24 * 60 * 60 * 1000);
  setParticipantCookie(request, reply, publicOrigin, 'device', fresh, expires);
  return fresh;
}

const tablets = new WeakMap<FastifyRequest, Promise<TabletGrant | null>>();
const homes = new WeakMap<FastifyRequest, Promise<HomeViewer | null>>();

/** The tablet behind this request's tablet cookie, resolved once per request. */
export function tabletOf(core: CoreContext, request: FastifyRequest): Promise<TabletGrant | null> {
  let grant = tablets.get(request);
  if (!grant) {
    grant = resolveTablet(core, readParticipantCookie(request, 'tablet'));
    tablets.set(request, grant);
  }
  return grant;
}

/** The participant behind this request's home cookie, resolved once per request. */
export function homeViewerOf(core: CoreContext, request: FastifyRequest): Promise<HomeViewer | null> {
  let viewer = homes.get(request);
  if (!viewer) {
    viewer = resolveHomeViewer(core, readParticipantCookie(request, 'home'));
    homes.set(request, viewer);
  }
  return viewer;
}

/** "Sign out & clear": the browser drops what this origin cached and stored, too. */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';
