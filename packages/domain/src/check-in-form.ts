/**
 * The default participant check-in form (clinical.md §7.4): which items a tablet shows at which
 * moment, what a valid answer is, and which answers need a person's attention. Pure and shared:
 * the tablet validates with it before sending, the server again before storing. The wording
 * lives with the screens (English and Spanish messages); here an item is its id and its shape.
 *
 * The items are single-item check-ins, not validated instruments, and which answers raise
 * which flag is a clinic-configurable default, never medical advice. Every item may be skipped.
 */
import { z } from 'zod';
import { FINAL_PARTICIPANT_STATES, type ParticipantState } from './participant-states.ts';
import type { SessionKind, SessionPhase } from './session-phases.ts';

/** When a check-in is asked for. */
export const CHECK_IN_MOMENTS = [
  'arrival',
  'pre_dose',
  'return',
  'pre_discharge',
  'circle_open',
  'circle_close',
] as const;
export type CheckInMoment = (typeof CHECK_IN_MOMENTS)[number];

export const BODY_SENSATIONS = [
  'none',
  'nausea',
  'headache',
  'dizziness',
  'tight_chest',
  'short_of_breath',
  'tense',
  'tired',
  'other',
] as const;
export type BodySensation = (typeof BODY_SENSATIONS)[number];

/** The longest free text an item takes (the medicines note, the intention). */
export const CHECK_IN_TEXT_MAX = 500;

const CIRCLES: readonly CheckInMoment[] = ['circle_open', 'circle_close'];
const ALL: readonly CheckInMoment[] = CHECK_IN_MOMENTS;

/** Each item: its answer's shape, the moments it is asked at, and whether only on dosing days. */
const ITEMS = {
  distress: { answer: 'scale', moments: ALL },
  mood: { answer: 'scale', moments: ['arrival', 'pre_discharge', ...CIRCLES] },
  anxiety: { answer: 'scale', moments: ['arrival', 'pre_dose', 'return', 'pre_discharge'] },
  safety: { answer: 'scale', moments: ['arrival', 'pre_dose', ...CIRCLES] },
  connection: { answer: 'scale', moments: [...CIRCLES, 'pre_discharge'] },
  body: { answer: 'sensations', moments: ['arrival', 'return', 'pre_discharge'] },
  medication_changes: { answer: 'yes_no_note', moments: ['arrival'], dosingOnly: true },
  preparation_followed: { answer: 'yes_no_unsure', moments: ['arrival'], dosingOnly: true },
  ride_home: { answer: 'yes_no', moments: ['arrival'], dosingOnly: true },
  intention: { answer: 'text', moments: ['pre_dose'] },
  private_talk: { answer: 'yes_no', moments: ALL },
  self_harm_thoughts: { answer: 'yes_no', moments: ['arrival', ...CIRCLES] },
} as const satisfies Record<
  string,
  {
    answer: 'scale' | 'sensations' | 'yes_no' | 'yes_no_unsure' | 'yes_no_note' | 'text';
    moments: readonly CheckInMoment[];
    dosingOnly?: boolean;
  }
>;

export type CheckInItemId = keyof typeof ITEMS;
export const CHECK_IN_ITEM_IDS = Object.keys(ITEMS) as CheckInItemId[];

/** The items asked at `moment`, in the form's order. */
export function checkInItemsFor(moment: CheckInMoment, dosingSession: boolean): CheckInItemId[] {
  return CHECK_IN_ITEM_IDS.filter((id) => {
    const item: { moments: readonly CheckInMoment[]; dosingOnly?: boolean } = ITEMS[id];
    return item.moments.includes(moment) && (dosingSession || !item.dosingOnly);
  });
}

export type CheckInAnswerKind = (typeof ITEMS)[CheckInItemId]['answer'];

/** The shape of an item's answer (a scale, yes/no…): what a refusal says the item accepts. */
export function checkInAnswerKind(id: CheckInItemId): CheckInAnswerKind {
  return ITEMS[id].answer;
}

const ANSWER_SCHEMAS = {
  scale: z.number().int().min(0).max(10),
  sensations: z
    .array(z.enum(BODY_SENSATIONS))
    .min(1)
    .max(BODY_SENSATIONS.length)
    .refine((list) => new Set(list).size === list.length, 'Each sensation once.')
    .refine((list) => !list.includes('none') || list.length === 1, '"None" goes alone.'),
  yes_no: z.boolean(),
  yes_no_unsure: z.enum(['yes', 'no', 'unsure']),
  yes_no_note: z.strictObject({
    answer: z.boolean(),
    note: z.string().trim().max(CHECK_IN_TEXT_MAX).optional(),
  }),
  text: z.string().trim().min(1).max(CHECK_IN_TEXT_MAX),
} as const;

/**
 * The answers to the items of `moment`: only those items, each optional (skipping is always
 * allowed), nothing else. A tablet that sends an item of another moment is refused, not trimmed.
 */
export function checkInAnswersSchema(moment: CheckInMoment, dosingSession: boolean) {
  const shape: Record<string, z.ZodType> = {};
  for (const id of checkInItemsFor(moment, dosingSession)) {
    shape[id] = ANSWER_SCHEMAS[ITEMS[id].answer].optional();
  }
  return z.strictObject(shape);
}

export type CheckInAnswers = Partial<{
  distress: number;
  mood: number;
  anxiety: number;
  safety: number;
  connection: number;
  body: BodySensation[];
  medication_changes: { answer: boolean; note?: string };
  preparation_followed: 'yes' | 'no' | 'unsure';
  ride_home: boolean;
  intention: string;
  private_talk: boolean;
  self_harm_thoughts: boolean;
}>;

/**
 * What a check-in asks of the team (clinic-configurable defaults):
 * - `urgent_safety`: thoughts of self-harm — an urgent clinician alert and a follow-up task;
 * - `medical_review`: changed medicines, guidance not (or not surely) followed, no ride home;
 * - `private_talk`: the participant asked for a quiet word.
 */
export type CheckInFlag = 'urgent_safety' | 'medical_review' | 'private_talk';

export function checkInFlags(answers: CheckInAnswers): CheckInFlag[] {
  const flags: CheckInFlag[] = [];
  if (answers.self_harm_thoughts === true) flags.push('urgent_safety');
  const medical =
    answers.medication_changes?.answer === true ||
    (answers.preparation_followed !== undefined && answers.preparation_followed !== 'yes') ||
    answers.ride_home === false;
  if (medical) flags.push('medical_review');
  if (answers.private_talk === true) flags.push('private_talk');
  return flags;
}

/** States in which a participant is under the medicine or in someone's hands: no form then. */
const NO_CHECK_IN_STATES: readonly ParticipantState[] = ['deferred', 'dosed', 'acute', 'escalated'];
const BEFORE_DOSING: readonly SessionPhase[] = ['arrival', 'opening_circle', 'settling', 'dosing'];
const NOT_YET_CHECKED_IN: readonly ParticipantState[] = ['expected', 'checked_in'];
const AFTER_THE_JOURNEY: readonly SessionPhase[] = ['return', 'sharing_circle', 'closing'];
const GETTING_READY_TO_LEAVE: readonly ParticipantState[] = ['observation', 'discharge_ready'];

/**
 * The check-in a participant's tablet offers now, or null. People arrive, are dosed and come
 * back at different times, so the moment follows the person as much as the room:
 * - dosing day, before the journey: not yet checked in (a latecomer too) → `arrival`; in the
 *   arrival phase everyone present → `arrival`; from the opening circle until their own dose
 *   → `pre_dose`;
 * - under the medicine (dosed, acute), escalated or deferred: nothing — the journey screen has
 *   only "I need support", and a deferred person is not dosed today;
 * - back (returned) in the return or sharing phases → `return`; in observation or ready to
 *   leave, or anyone back during closing → `pre_discharge` (the return check-in is then past);
 * - circles: the opening rounds → `circle_open`, closing → `circle_close`;
 * - during the journey phase, before the doors open, after the session and for someone who
 *   has left: nothing.
 * Whether they already sent that moment's check-in is the tablet's to know (the live fold).
 */
export function checkInMomentFor(
  kind: SessionKind,
  phase: SessionPhase,
  state: ParticipantState,
): CheckInMoment | null {
  if (FINAL_PARTICIPANT_STATES.includes(state) || NO_CHECK_IN_STATES.includes(state)) return null;
  if (kind !== 'dosing') {
    if (phase === 'open' || phase === 'check_in_round') return 'circle_open';
    return phase === 'closing' ? 'circle_close' : null;
  }
  if (phase === 'journey') return null;
  if (BEFORE_DOSING.includes(phase)) {
    if (phase === 'arrival' || NOT_YET_CHECKED_IN.includes(state)) return 'arrival';
    return state === 'ready' || state === 'needs_review' ? 'pre_dose' : null;
  }
  if (!AFTER_THE_JOURNEY.includes(phase)) return null;
  if (GETTING_READY_TO_LEAVE.includes(state)) return 'pre_discharge';
  if (state !== 'returned') return null;
  return phase === 'closing' ? 'pre_discharge' : 'return';
}
