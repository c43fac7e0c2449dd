import { describe, expect, it } from 'vitest';
import {
  audienceAdmits,
  mayIssueCommand,
  mayReceiveEvent,
  SESSION_EVENT_TYPES,
  type EventAudience,
  type StreamRecipient,
} from './session-events.ts';

const facilitator: StreamRecipient = { kind: 'staff', userId: 'u1', roles: ['facilitator'] };
const medical: StreamRecipient = { kind: 'staff', userId: 'u2', roles: ['medical_provider'] };
const adminOnly: StreamRecipient = { kind: 'staff', userId: 'u3', roles: ['admin'] };
const ana: StreamRecipient = { kind: 'participant', participantId: 'p-ana' };
const ben: StreamRecipient = { kind: 'participant', participantId: 'p-ben' };

describe('mayReceiveEvent', () => {
  it('every event type in the table has an audience the filter knows', () => {
    const audiences: EventAudience[] = ['staff', 'subject_and_staff', 'subject', 'everyone'];
    for (const spec of Object.values(SESSION_EVENT_TYPES)) expect(audiences).toContain(spec.audience);
  });

  it.each([
    ['presence.joined', facilitator, true],
    ['presence.joined', medical, true],
    ['presence.joined', ana, false],
    ['staff.duty_changed', adminOnly, true],
    ['staff.duty_changed', ana, false],
    ['staff.duty_changed', ben, false],
    ['session.phase_changed', ana, true],
    ['session.phase_changed', medical, true],
    ['session.aborted', facilitator, true],
    ['session.aborted', ana, false],
  ] as const)('%s reaches %o: %s', (type, recipient, expected) => {
    expect(mayReceiveEvent({ type, payload: {} }, recipient)).toBe(expected);
  });

  it('a participant state change reaches staff and its subject only', () => {
    const event = { type: 'participant.state_changed', payload: { participantId: 'p-ana', to: 'dosed' } };
    expect(mayReceiveEvent(event, facilitator)).toBe(true);
    expect(mayReceiveEvent(event, ana)).toBe(true);
    expect(mayReceiveEvent(event, ben)).toBe(false);
  });

  it('an answer shared with the therapist reaches staff and its author, never another participant', () => {
    const event = { type: 'prompt.answer_to_therapist', payload: { participantId: 'p-ana', text: 'words' } };
    for (const recipient of [facilitator, medical, adminOnly, ana])
      expect(mayReceiveEvent(event, recipient)).toBe(true);
    expect(mayReceiveEvent(event, ben)).toBe(false);
    // A kept answer from before issue 6 still reaches its author alone.
    const kept = { type: 'prompt.answer_kept', payload: { participantId: 'p-ana', text: 'words' } };
    expect([facilitator, medical, ana, ben].map((r) => mayReceiveEvent(kept, r))).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it('unknown event types reach nobody, staff included (fails closed)', () => {
    for (const recipient of [facilitator, medical, ana]) {
      expect(mayReceiveEvent({ type: 'checkin.recorded.v9', payload: {} }, recipient)).toBe(false);
      expect(mayReceiveEvent({ type: '__proto__', payload: {} }, recipient)).toBe(false);
      expect(mayReceiveEvent({ type: 'constructor', payload: {} }, recipient)).toBe(false);
    }
  });
});

describe('audienceAdmits', () => {
  const about = (participantId: unknown) => ({ participantId });
  it.each([
    ['staff', about('p-ana'), facilitator, true],
    ['staff', about('p-ana'), ana, false],
    ['subject_and_staff', about('p-ana'), medical, true],
    ['subject_and_staff', about('p-ana'), ana, true],
    ['subject_and_staff', about('p-ana'), ben, false],
    ['subject_and_staff', {}, ana, false],
    ['subject_and_staff', about(['p-ana']), ana, false],
    ['subject', about('p-ana'), ana, true],
    ['subject', about('p-ana'), ben, false],
    // A participant's private words reach no staff member, whatever their role (PRODUCT §4).
    ['subject', about('p-ana'), facilitator, false],
    ['subject', about('p-ana'), medical, false],
    ['subject', about('p-ana'), adminOnly, false],
    ['subject', {}, ana, false],
    ['everyone', {}, ana, true],
    ['everyone', {}, adminOnly, true],
  ] as const)('%s with %o to %o: %s', (audience, payload, recipient, expected) => {
    expect(audienceAdmits(audience, payload, recipient)).toBe(expected);
  });
});

describe('mayIssueCommand', () => {
  it.each([
    ['duty.set', facilitator, true],
    ['duty.set', medical, true],
    ['duty.set', { kind: 'staff', userId: 'u4', roles: ['co_therapist', 'admin'] }, true],
    ['duty.set', adminOnly, false],
    ['duty.set', ana, false],
    ['phase.advance', facilitator, true],
    ['phase.advance', adminOnly, false],
    ['phase.advance', ana, false],
    ['phase.abort', ana, false],
    ['participant.set_state', medical, true],
    ['participant.set_state', adminOnly, false],
    ['participant.set_state', ana, true],
    // A participant's own acts come from their own tablet only.
    ['checkin.submit', ana, true],
    ['checkin.submit', facilitator, false],
    ['support.request', ana, true],
    ['support.request', medical, false],
    ['prompt.seen', ana, true],
    ['prompt.answer', ana, true],
    ['prompt.answer', facilitator, false],
    // The team's answers to them: clinical staff only.
    ['support.acknowledge', medical, true],
    ['support.acknowledge', ana, false],
    ['support.acknowledge', adminOnly, false],
    ['alert.acknowledge', facilitator, true],
    ['alert.acknowledge', ana, false],
    ['task.complete', adminOnly, false],
    ['participant.assign', facilitator, true],
    ['participant.assign', ana, false],
    ['prompt.release', facilitator, true],
    ['prompt.release', ana, false],
    ['prompt.release', adminOnly, false],
    ['prompt.reveal', ana, false],
  ] as const)('%s by %o: %s', (type, recipient, expected) => {
    expect(mayIssueCommand(type, recipient as StreamRecipient)).toBe(expected);
  });
});
