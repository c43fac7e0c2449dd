/**
 * Join codes, the staff's half and the tablet's first step: a facilitator makes a short code
 * (with its QR image) for a session, and a tablet redeems it for a tablet sign-in that has not
 * yet picked a name. Separate because the code's shape, lifetime and hashing change with the
 * join flow, not with sign-in or admission; what a wrong code costs is join-code-failures.ts,
 * why a fast hash is enough is told in tablets.ts.
 */
import { randomInt } from 'node:crypto';
import {
  CROCKFORD_ALPHABET,
  formatCode,
  JOIN_CODE_LENGTH,
  JOIN_CODE_LIFETIME_MS,
  normaliseCode,
  redeemJoinCodeInputSchema,
} from '@cairn/domain';
import type { TabletSessionRecord } from '@cairn/db';
import QRCode from 'qrcode';
import { recordAudit } from './audit.ts';
import type { CoreContext } from './context.ts';
import { CoreError } from './errors.ts';
import { failRedeem, INVALID_CODE_MESSAGE, rateLimited, reportReuse } from './join-code-failures.ts';
import type { Viewer } from './sessions.ts';
import { codeLimitsOf } from './tablet-limits.ts';
import {
  accessSession,
  freeNames,
  isSessionOver,
  TABLET_LIFETIME_MS,
  type NameChoice,
  type TabletMeta,
} from './tablets.ts';
import { constantTimeEqual, generateId, generateToken, sha256Hex } from './tokens.ts';
import { parseInput } from './validate.ts';

export interface IssuedJoinCode {
  /** Shown once, as `ABCD-EFGH`; never stored. */
  code: string;
  expiresAt: string;
  /** The code as a QR image (SVG data URL) for the tablet's camera. */
  qrDataUrl: string;
}

function hashJoinCode(canonical: string): string {
  return sha256Hex(`join:${canonical}`);
}

function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return code.toLowerCase();
}

export async function createJoinCode(
  ctx: CoreContext,
  maybeViewer: Viewer | null,
  sessionId: string,
): Promise<IssuedJoinCode> {
  const { viewer, session } = await accessSession(ctx, maybeViewer, sessionId, 'tablet.code_create');
  if (await isSessionOver(ctx, session)) {
    throw new CoreError(
      'conflict',
      'session_over',
      'This session has ended: tablets cannot join it any more.',
    );
  }
  const code = newJoinCode();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + JOIN_CODE_LIFETIME_MS);
  await ctx.store.createJoinCode({
    id: generateId(),
    clinicId: viewer.clinic.id,
    sessionId: session.id,
    codeHash: hashJoinCode(code),
    createdBy: viewer.user.id,
    createdAt: now,
    expiresAt,
    failures: 0,
    redeemedAt: null,
    redeemedByDevice: null,
    retiredAt: null,
  });
  await recordAudit(ctx, 'tablet.code_issued', {
    clinicId: viewer.clinic.id,
    actorUserId: viewer.user.id,
    targetId: session.id,
  });
  const shown = formatCode(code);
  const svg = await QRCode.toString(shown, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    code: shown,
    expiresAt: expiresAt.toISOString(),
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

// --- Tablet: redeem ------------------------------------------------------------------------

export interface IssuedTablet {
  /** Goes into the tablet cookie; never stored or logged. */
  token: string;
  tablet: TabletSessionRecord;
}

export interface RedeemedView {
  groupName: string;
  participants: NameChoice[];
}

export async function redeemJoinCode(
  ctx: CoreContext,
  input: unknown,
  meta: TabletMeta,
): Promise<{ issued: IssuedTablet; view: RedeemedView }> {
  const { code } = parseInput(redeemJoinCodeInputSchema, input);
  const limits = codeLimitsOf(ctx);
  const clinic = await ctx.store.getFirstClinic();
  if (!clinic) throw new CoreError('not_found', 'invalid_code', INVALID_CODE_MESSAGE);
  const nowMs = ctx.now().getTime();
  const wait = Math.max(
    limits.joinByDevice.retryAfterSeconds(meta.deviceKey, nowMs),
    limits.joinByIp.retryAfterSeconds(meta.ip, nowMs),
    limits.joinByClinic.retryAfterSeconds(clinic.id, nowMs),
  );
  if (wait > 0) throw rateLimited(wait);

  const canonical = normaliseCode(code, JOIN_CODE_LENGTH);
  const hash = canonical ? hashJoinCode(canonical) : null;
  const found = hash ? await ctx.store.findJoinCodeByHash(hash) : null;
  const now = ctx.now();
  if (!found || !hash || !constantTimeEqual(found.codeHash, hash)) {
    return failRedeem(ctx, clinic.id, meta, 'unknown', null);
  }
  if (found.redeemedAt) {
    if (found.redeemedByDevice !== meta.deviceKey) await reportReuse(ctx, found, meta);
    return failRedeem(ctx, clinic.id, meta, 'used', found);
  }
  if (found.retiredAt || found.expiresAt.getTime() <= now.getTime()) {
    return failRedeem(ctx, clinic.id, meta, 'expired', found);
  }
  const session = await ctx.store.getGroupSession(found.sessionId);
  const group = session ? await ctx.store.getGroup(session.groupId) : null;
  if (!session || !group || (await isSessionOver(ctx, session))) {
    return failRedeem(ctx, clinic.id, meta, 'ended', found);
  }

  const token = generateToken();
  const tablet: TabletSessionRecord = {
    id: sha256Hex(token),
    deviceId: generateId(),
    sessionId: session.id,
    participantId: null,
    state: 'pending',
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + TABLET_LIFETIME_MS),
  };
  if ((await ctx.store.redeemJoinCode(found.id, meta.deviceKey, tablet, now)) !== 'redeemed') {
    return failRedeem(ctx, clinic.id, meta, 'ended', found);
  }
  await recordAudit(ctx, 'tablet.code_redeemed', {
    clinicId: clinic.id,
    actorUserId: null,
    targetId: session.id,
    details: { deviceId: tablet.deviceId, ip: meta.ip },
  });
  return {
    issued: { token, tablet },
    view: { groupName: group.name, participants: await freeNames(ctx, { session, group }, tablet.id) },
  };
}
