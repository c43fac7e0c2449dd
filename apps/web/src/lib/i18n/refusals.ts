/**
 * The state machines' refusals and warnings (@cairn/domain session-phases.ts and
 * participant-states.ts, also sent by the server as a command's `message`) in the reader's
 * language. The domain speaks English; like domain-text.ts, the web app recognises each
 * sentence — here by pattern, since they carry seats, phases and states — and says it again.
 * A sentence not recognised is shown as it came, so a new rule is never silent.
 */
import {
  PARTICIPANT_STATE_LABELS,
  PHASE_LABELS,
  PROMPT_ANSWER_MAX,
  type GroupSessionKind,
  type ParticipantState,
  type SessionPhase,
} from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { kindLabel, phaseLabel } from './labels.ts';
import { participantStateLabel } from './session-labels.ts';

const byLabel = <T extends string>(labels: Record<T, string>) => {
  const found = new Map<string, T>();
  for (const [key, label] of Object.entries(labels) as [T, string][]) found.set(label.toLowerCase(), key);
  return (label: string) => found.get(label.toLowerCase()) ?? null;
};
const phaseByLabel = byLabel<SessionPhase>(PHASE_LABELS);
const stateByLabel = byLabel<ParticipantState>(PARTICIPANT_STATE_LABELS);

/** "seat 4" / "seats 2 and 5" / "seats 1, 3 and 6" → the numbers. */
const seatsIn = (text: string) => (text.match(/\d+/g) ?? []).map(Number);

function seatWords(seats: number[]): string {
  if (seats.length === 1) return m.refusal_seat_one({ seat: seats[0]! });
  return m.refusal_seat_many({ seats: seats.slice(0, -1).join(', '), last: seats.at(-1)! });
}

type Rule = [RegExp, (match: RegExpMatchArray) => string | null];

const RULES: Rule[] = [
  [/^No participant is ready yet\.$/, () => m.refusal_none_ready()],
  [/^This session was cancelled\.$/, () => m.refusal_cancelled()],
  [
    /^Please keep the reason under (\d+) characters\.$/,
    ([, max]) => m.refusal_reason_too_long({ max: max! }),
  ],
  [
    /^An? (preparation|dosing|integration) session has no (.+) phase\.$/,
    ([, kind, phase]) => {
      const found = phaseByLabel(phase!);
      return found
        ? m.refusal_no_such_phase({ kind: kindLabel(kind as GroupSessionKind), phase: phaseLabel(found) })
        : null;
    },
  ],
  [
    /^The participant in seat (\d+) cannot be cleared to leave without the discharge checks\.$/,
    ([, seat]) => m.refusal_no_discharge_checks({ who: seatWords([Number(seat)]) }),
  ],
  [/^Only a medical provider can begin dosing\.$/, () => m.refusal_medical_begins_dosing()],
  [/^Only a facilitator can move the session on\.$/, () => m.refusal_facilitator_moves()],
  [/^Only a facilitator can pause the session\.$/, () => m.refusal_facilitator_pauses()],
  [/^Only a facilitator can resume the session\.$/, () => m.refusal_facilitator_resumes()],
  [/^Only a facilitator or a medical provider can abort the session\.$/, () => m.refusal_who_aborts()],
  [/^The session is paused; resume it first\.$/, () => m.refusal_paused()],
  [/^The session is already paused\.$/, () => m.refusal_already_paused()],
  [/^The session is not paused\.$/, () => m.refusal_not_paused()],
  [/^Only a running session can be (paused|aborted)\.$/, () => m.refusal_not_running()],
  [/^The session has already been aborted\.$/, () => m.refusal_already_aborted()],
  [/^Please give a reason for aborting; it goes in the record\.$/, () => m.refusal_abort_reason()],
  [/^Please give a reason; it goes in the record\.$/, () => m.refusal_reason_needed()],
  [/^The session's notes are not signed yet\.$/, () => m.refusal_notes_unsigned()],
  [/^The session is documented: nothing follows\.$/, () => m.refusal_documented()],
  [
    /^The group has (\d+) enrolled; a group needs at least (\d+)\.$/,
    ([, count, min]) => m.refusal_group_too_small({ count: count!, min: min! }),
  ],
  [/^That person is not a participant of this session\.$/, () => m.refusal_not_a_participant()],
  [
    /^Only attendance is recorded in preparation and integration sessions\.$/,
    () => m.refusal_attendance_only(),
  ],
  [
    /^The session moves from (.+) to (.+) next, not to (.+)\.$/,
    ([, from, next, to]) => {
      const [a, b, c] = [phaseByLabel(from!), phaseByLabel(next!), phaseByLabel(to!)];
      return a && b && c
        ? m.refusal_phase_order({ from: phaseLabel(a), next: phaseLabel(b), to: phaseLabel(c) })
        : null;
    },
  ],
  [
    /^The participants? in (seats? [\d, and]+) (?:has|have) not been dosed or deferred yet\.$/,
    ([, seats]) => m.refusal_not_dosed({ who: seatWords(seatsIn(seats!)) }),
  ],
  [
    /^The participants? in (seats? [\d, and]+) (?:is|are) escalated; resolve that first\.$/,
    ([, seats]) => m.refusal_escalated({ who: seatWords(seatsIn(seats!)) }),
  ],
  [
    /^The participants? in (seats? [\d, and]+) (?:has|have) not returned yet\.$/,
    ([, seats]) => m.refusal_not_returned({ who: seatWords(seatsIn(seats!)) }),
  ],
  [
    /^The participants? in (seats? [\d, and]+) (?:is|are) still here; discharge or transfer them first\.$/,
    ([, seats]) => m.refusal_still_here({ who: seatWords(seatsIn(seats!)) }),
  ],
  [
    /^The participant in seat (\d+) is (.+): they cannot be marked (.+) from there\.$/,
    ([, seat, from, to]) => {
      const [a, b] = [stateByLabel(from!), stateByLabel(to!)];
      return a && b
        ? m.refusal_state_order({
            who: seatWords([Number(seat)]),
            from: participantStateLabel(a),
            to: participantStateLabel(b),
          })
        : null;
    },
  ],
  [
    /^Only (?:the participant or a clinician|a clinician|a medical provider) can mark a participant (.+)\.$/,
    ([whole, to]) => {
      const state = stateByLabel(to!);
      if (!state) return null;
      const label = participantStateLabel(state);
      return whole!.startsWith('Only a medical provider')
        ? m.refusal_medical_marks({ state: label })
        : m.refusal_clinician_marks({ state: label });
    },
  ],
  [
    /^The participant in seat (\d+) was first dosed (\d+) minutes ago; the clinic's minimum is (\d+) \((\d+) to go\)\.$/,
    ([, seat, since, min, left]) =>
      m.refusal_too_soon({ who: seatWords([Number(seat)]), since: since!, min: min!, left: left! }),
  ],
  [
    /^The participant in seat (\d+) has no escort here yet\.$/,
    ([, seat]) => m.refusal_no_escort({ who: seatWords([Number(seat)]) }),
  ],
  [
    /^The participant in seat (\d+) has an urgent alert nobody has resolved\.$/,
    ([, seat]) => m.refusal_open_alert({ who: seatWords([Number(seat)]) }),
  ],
  [
    /^The participant in seat (\d+) has no recorded dose time\.$/,
    ([, seat]) => m.refusal_no_dose_time({ who: seatWords([Number(seat)]) }),
  ],
  // The live room (core live-commands.ts; check-in answers: domain check-in-problems.ts).
  [
    /^([a-z_]+) must be a whole number from 0 to 10\.$/,
    ([, item]) => m.refusal_checkin_scale({ item: item! }),
  ],
  [
    /^([a-z_]+) must be a list of different body sensations from the form, with "none" only alone\.$/,
    ([, item]) => m.refusal_checkin_sensations({ item: item! }),
  ],
  [/^([a-z_]+) must be yes or no\.$/, ([, item]) => m.refusal_checkin_yes_no({ item: item! })],
  [/^([a-z_]+) must be yes, no or unsure\.$/, ([, item]) => m.refusal_checkin_yes_no_unsure({ item: item! })],
  [
    /^([a-z_]+) must be yes or no, with a note of at most (\d+) characters\.$/,
    ([, item, max]) => m.refusal_checkin_yes_no_note({ item: item!, max: max! }),
  ],
  [
    /^([a-z_]+) must be text of 1 to (\d+) characters\.$/,
    ([, item, max]) => m.refusal_checkin_text({ item: item!, max: max! }),
  ],
  [/^([a-z_]+) is not asked at this check-in\.$/, ([, item]) => m.refusal_checkin_not_asked({ item: item! })],
  [
    /^The check-in form has no item called ([a-z_]+)\.$/,
    ([, item]) => m.refusal_checkin_no_item({ item: item! }),
  ],
  [/^The check-in form has no such item\.$/, () => m.refusal_checkin_no_such_item()],
  [/^This tablet's participant has no seat in this session\.$/, () => m.refusal_not_seated()],
  [/^Only the group's clinical staff can answer this\.$/, () => m.refusal_clinical_only()],
  [/^Only a facilitator or a co-therapist can assign co-therapists\.$/, () => m.refusal_assigners_only()],
  [/^That person is not on this group's clinical staff\.$/, () => m.refusal_not_clinical_staff()],
  [/^That request does not exist\.$/, () => m.refusal_no_such_request()],
  [/^Someone already answered this request\.$/, () => m.refusal_request_answered()],
  [/^That alert does not exist\.$/, () => m.refusal_no_such_alert()],
  [/^Someone already acknowledged this alert\.$/, () => m.refusal_alert_acknowledged()],
  [/^That task does not exist\.$/, () => m.refusal_no_such_task()],
  [/^That task is already done\.$/, () => m.refusal_task_done()],
  // Staged prompts (domain prompts.ts PROMPT_REFUSALS).
  [
    /^A medical provider can read the deck but not release prompts\.$/,
    () => m.refusal_prompt_medical_release(),
  ],
  [
    /^Only this group's facilitators and co-therapists can release prompts\.$/,
    () => m.refusal_prompt_staff_release(),
  ],
  [
    /^A medical provider can read the deck but not reveal answers\.$/,
    () => m.refusal_prompt_medical_reveal(),
  ],
  [
    /^Only this group's facilitators and co-therapists can reveal answers\.$/,
    () => m.refusal_prompt_staff_reveal(),
  ],
  [/^Nobody in this session can receive a prompt now\.$/, () => m.refusal_prompt_nobody()],
  [/^Everyone you chose already has that prompt\.$/, () => m.refusal_prompt_already_released()],
  [
    /^That prompt is already waiting for each participant's return\.$/,
    () => m.refusal_prompt_already_queued(),
  ],
  [/^Prompts go out on return only in a dosing session\.$/, () => m.refusal_prompt_return_dosing_only()],
  [/^That prompt has not been released yet\.$/, () => m.refusal_prompt_not_released_yet()],
  [/^Those answers have already been revealed\.$/, () => m.refusal_prompt_already_revealed()],
  [/^That prompt has not been released to you\.$/, () => m.refusal_prompt_not_released_to_you()],
  [/^You have already answered that prompt\.$/, () => m.refusal_prompt_already_answered()],
  [/^This answer was sent in an older way \(share must be /, () => m.prompt_share_refusal_share()],
  [/^An answer kept in the journal is sent without its words/, () => m.prompt_share_refusal_journal_text()],
  [/^text contains characters that cannot be saved/, () => m.prompt_share_refusal_characters()],
  [
    /^text must be 1 to (\d+) characters, not only spaces\.$/,
    ([, max]) =>
      Number(max) === PROMPT_ANSWER_MAX
        ? m.refusal_prompt_answer_text({ max: max! })
        : m.refusal_prompt_text({ max: max! }),
  ],
];

export function translateRefusal(text: string): string {
  // The domain's own sentence is the English one: no second copy to drift from it.
  if (getLocale() === 'en') return text;
  for (const [pattern, say] of RULES) {
    const match = text.match(pattern);
    if (match) return say(match) ?? text;
  }
  return text;
}

/**
 * What a screen says after a stream command: nothing when it went through, the server's reason in
 * the reader's language when it was refused in words, else that it did not go through.
 */
export function commandRefusalText(result: { ok: true } | { ok: false; explanation: string | null }): string {
  if (result.ok) return '';
  return result.explanation ? translateRefusal(result.explanation) : m.session_command_failed();
}
