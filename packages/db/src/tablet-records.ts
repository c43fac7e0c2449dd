/**
 * Records for participants' own ways in: tablets joining a session in the room with a join code,
 * and home sign-in with an access card. Codes and tokens are never stored, only their hashes.
 */
import type { TabletState } from '@cairn/domain';

export interface JoinCodeRecord {
  id: string;
  clinicId: string;
  /** The group session it joins. */
  sessionId: string;
  /** Hash of the normalised code (core/join-codes.ts). */
  codeHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  /** Wrong guesses counted against it while it was open (BI-J1). */
  failures: number;
  redeemedAt: Date | null;
  redeemedByDevice: string | null;
  retiredAt: Date | null;
}

export interface TabletSessionRecord {
  /** SHA-256 (hex) of the cookie token. */
  id: string;
  /** Public name of this tablet for staff (URLs, events). Not a credential. */
  deviceId: string;
  sessionId: string;
  participantId: string | null;
  state: TabletState;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export type RedeemOutcome = 'redeemed' | 'closed';
export type ClaimOutcome = 'claimed' | 'taken' | 'not_pending';

export interface AccessCardRecord {
  participantId: string;
  groupId: string;
  codeHash: string;
  issuedBy: string;
  issuedAt: Date;
}

export interface HomeSessionRecord {
  /** SHA-256 (hex) of the cookie token. */
  id: string;
  participantId: string;
  groupId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}
