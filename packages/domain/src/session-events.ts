/**
 * Who receives which event of a session's stream, and who may issue which command: the
 * privacy matrix (PRODUCT §4) applied to the event log. The socket server filters every event
 * through `mayReceiveEvent` before a byte of it leaves; the message schemas live in
 * @cairn/sync (stream-messages.ts).
 */
import type { StaffRole } from './roles.ts';

/**
 * Who an event may reach:
 * - `staff`: the staff of the session (never a participant);
 * - `subject_and_staff`: staff, and the one participant the event is about;
 * - `subject`: only the one participant the event is about — their private words (their
 *   intention; a prompt answer they kept, before issue 6), which no staff member reads (PRODUCT §4);
 * - `everyone`: staff and every participant of the session.
 */
export type EventAudience = 'staff' | 'subject_and_staff' | 'subject' | 'everyone';

export const SESSION_EVENT_TYPES = {
  /** A staff member opened the session for the first time (once per person). */
  'presence.joined': { audience: 'staff' },
  /** A clinician stepped in or out of duty: who is paged when support is requested. */
  'staff.duty_changed': { audience: 'staff' },
  /** A tablet picked a participant's name and waits for staff to admit it (tablet-sign-in.ts in core). */
  'tablet.admission_requested': { audience: 'staff' },
  /** Staff admitted a tablet for one participant: that participant's tablet learns it too. */
  'tablet.admitted': { audience: 'subject_and_staff' },
  'tablet.rejected': { audience: 'staff' },
  /** A join code was retired after too many wrong guesses (BI-J1). */
  'tablet.code_retired': { audience: 'staff' },
  /** Someone tried a code that was already used, from another device (BI-J3). */
  'tablet.code_reused': { audience: 'staff' },
  /** "End session": every tablet of the session was signed out (AC-22). */
  'tablet.sessions_ended': { audience: 'staff' },
  /**
   * The group's phase moved, or the session was paused, resumed or aborted: every screen in
   * the room follows it. The abort reason is not here (see `session.aborted`).
   */
  'session.phase_changed': { audience: 'everyone' },
  /** Why the session was aborted, in the staff's words: it may name people, so staff only. */
  'session.aborted': { audience: 'staff' },
  /** One participant's own state (checked in, dosed, returned…): theirs and the staff's. */
  'participant.state_changed': { audience: 'subject_and_staff' },
  /** Why a participant was moved (deferred, escalated…), in the staff's words: staff only. */
  'participant.state_noted': { audience: 'staff' },
  /** Which co-therapist looks after a participant (or nobody): the staff's arrangement. */
  'participant.assigned': { audience: 'staff' },
  /** A participant's tablet came online or went offline (the board's presence dot). */
  'tablet.presence': { audience: 'staff' },

  // --- The live room (issue 5): check-ins, alerts, support requests, prompts.
  /** A check-in's answers (all but the intention): the care team's and the participant's own. */
  'checkin.submitted': { audience: 'subject_and_staff' },
  /** The intention written at a check-in: private to its author unless they share it. */
  'checkin.intention_kept': { audience: 'subject' },
  /** Something a check-in asks of the team (self-harm: urgent); never shown to a participant. */
  'alert.raised': { audience: 'staff' },
  'alert.acknowledged': { audience: 'staff' },
  /** A follow-up the team owes a participant (after a self-harm "yes": a same-day review). */
  'task.opened': { audience: 'staff' },
  'task.completed': { audience: 'staff' },
  /** "I need support": the participant's own tablet follows it, no other participant does. */
  'support.requested': { audience: 'subject_and_staff' },
  /** Unanswered past the clinic's limit: every on-duty staff member is paged. */
  'support.escalated': { audience: 'subject_and_staff' },
  /** A staff member said "I'm coming": the tablet shows "someone is coming". */
  'support.acknowledged': { audience: 'subject_and_staff' },
  /** A prompt waits in the staff's queue to go to each participant as they return. */
  'prompt.queued_for_return': { audience: 'staff' },
  /** One prompt released to one participant (a release to all is one event per person). */
  'prompt.released': { audience: 'subject_and_staff' },
  'prompt.seen': { audience: 'subject_and_staff' },
  /** That a participant answered, and where the answer went: tracking, never the words. */
  'prompt.answered': { audience: 'subject_and_staff' },
  /**
   * No longer written (issue 6): a private answer now goes into the participant's encrypted
   * journal and never reaches the server. Kept so streams that already hold one still read,
   * and still only to their author.
   */
  'prompt.answer_kept': { audience: 'subject' },
  /** An answer shared with the therapist: the group's staff and its author, no other participant. */
  'prompt.answer_to_therapist': { audience: 'subject_and_staff' },
  /** An answer shared with the circle while the facilitator hides answers until revealed. */
  'prompt.answer_held': { audience: 'subject_and_staff' },
  /** An answer shared with the circle: everyone in the session reads it. */
  'prompt.answer_shared': { audience: 'everyone' },
  /** The facilitator revealed a prompt's held answers (each follows as `prompt.answer_shared`). */
  'prompt.revealed': { audience: 'everyone' },

  // --- Integration circle notes (issue 6): the notes themselves are a document (circle-notes.ts).
  /** Someone of the group's writing staff signed the notes: from then on they are read-only. */
  'notes.signed': { audience: 'staff' },
  /** A correction or later thought added to signed notes, in the staff's words: staff only. */
  'notes.addendum_added': { audience: 'staff' },
} as const satisfies Record<string, { audience: EventAudience }>;

export type SessionEventType = keyof typeof SESSION_EVENT_TYPES;

export function isSessionEventType(value: string): value is SessionEventType {
  return Object.hasOwn(SESSION_EVENT_TYPES, value);
}

/** The person at the other end of a stream socket. */
export type StreamRecipient =
  | { kind: 'staff'; userId: string; roles: readonly StaffRole[] }
  | { kind: 'participant'; participantId: string };

/** What the filter needs of an event: its type and, for events about one person, who. */
export interface EventFacts {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Whether `recipient` may receive `event`. Unknown types (a newer server's events, a bad row)
 * reach nobody: the filter fails closed.
 */
export function mayReceiveEvent(event: EventFacts, recipient: StreamRecipient): boolean {
  if (!isSessionEventType(event.type)) return false;
  return audienceAdmits(SESSION_EVENT_TYPES[event.type].audience, event.payload, recipient);
}

/** The audience rule itself; an event about one participant names them as `participantId`. */
export function audienceAdmits(
  audience: EventAudience,
  payload: Record<string, unknown>,
  recipient: StreamRecipient,
): boolean {
  if (recipient.kind === 'staff') return audience !== 'subject';
  switch (audience) {
    case 'everyone':
      return true;
    case 'subject_and_staff':
    case 'subject':
      return (
        typeof payload['participantId'] === 'string' && payload['participantId'] === recipient.participantId
      );
    case 'staff':
      return false;
  }
}

/** Clinical roles: the people who answer a support request. An admin-only account is not one. */
const CLINICAL_ROLES: readonly StaffRole[] = ['facilitator', 'co_therapist', 'medical_provider'];

export const SESSION_COMMAND_TYPES = [
  'duty.set',
  'phase.advance',
  'phase.pause',
  'phase.resume',
  'phase.abort',
  'participant.set_state',
  'participant.assign',
  'checkin.submit',
  'support.request',
  'support.acknowledge',
  'alert.acknowledge',
  'task.complete',
  'prompt.release',
  'prompt.reveal',
  'prompt.seen',
  'prompt.answer',
] as const;
export type SessionCommandType = (typeof SESSION_COMMAND_TYPES)[number];

/** Whether `recipient` may issue a command of this type at all (the payload is checked apart). */
export function mayIssueCommand(type: SessionCommandType, recipient: StreamRecipient): boolean {
  // Which clinical role may make which move is the state machines' rule (session-phases.ts,
  // participant-states.ts); here only the coarse cut: these are the clinical team's commands.
  const clinical =
    recipient.kind === 'staff' && recipient.roles.some((role) => CLINICAL_ROLES.includes(role));
  switch (type) {
    case 'checkin.submit':
    case 'support.request':
    case 'prompt.seen':
    case 'prompt.answer':
      // A participant's own acts, from their own tablet: staff do not speak for them here.
      return recipient.kind === 'participant';
    case 'participant.assign':
    case 'support.acknowledge':
    case 'alert.acknowledge':
    case 'task.complete':
    case 'prompt.release':
    case 'prompt.reveal':
      // The group roles decide further (a medical provider reads the deck but does not release).
      return clinical;
    case 'duty.set':
    case 'phase.advance':
    case 'phase.pause':
    case 'phase.resume':
    case 'phase.abort':
      return clinical;
    case 'participant.set_state':
      // A tablet may check its own participant in; the state machine refuses every other move.
      return (
        recipient.kind === 'participant' || recipient.roles.some((role) => CLINICAL_ROLES.includes(role))
      );
  }
}
