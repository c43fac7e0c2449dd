/**
 * A participant's state in the reader's language. Typed against the domain's list, so a new
 * state fails the type check here until it has a message.
 */
import type { ParticipantState } from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';

const STATE: Record<ParticipantState, () => string> = {
  expected: m.pstate_expected,
  checked_in: m.pstate_checked_in,
  ready: m.pstate_ready,
  needs_review: m.pstate_needs_review,
  deferred: m.pstate_deferred,
  dosed: m.pstate_dosed,
  acute: m.pstate_acute,
  returned: m.pstate_returned,
  observation: m.pstate_observation,
  discharge_ready: m.pstate_discharge_ready,
  discharged: m.pstate_discharged,
  escalated: m.pstate_escalated,
  transferred: m.pstate_transferred,
  absent: m.pstate_absent,
  left_against_advice: m.pstate_left_against_advice,
};

export const participantStateLabel = (state: ParticipantState): string => STATE[state]();
