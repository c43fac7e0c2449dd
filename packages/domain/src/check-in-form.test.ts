import { describe, expect, it } from 'vitest';
import {
  CHECK_IN_ITEM_IDS,
  CHECK_IN_MOMENTS,
  checkInAnswersSchema,
  checkInFlags,
  checkInItemsFor,
  checkInMomentFor,
  type CheckInAnswers,
} from './check-in-form.ts';

describe('checkInItemsFor', () => {
  it.each([
    [
      'arrival',
      true,
      [
        'distress',
        'mood',
        'anxiety',
        'safety',
        'body',
        'medication_changes',
        'preparation_followed',
        'ride_home',
        'private_talk',
        'self_harm_thoughts',
      ],
    ],
    [
      'arrival',
      false,
      ['distress', 'mood', 'anxiety', 'safety', 'body', 'private_talk', 'self_harm_thoughts'],
    ],
    ['pre_dose', true, ['distress', 'anxiety', 'safety', 'intention', 'private_talk']],
    ['return', true, ['distress', 'anxiety', 'body', 'private_talk']],
    ['pre_discharge', true, ['distress', 'mood', 'anxiety', 'connection', 'body', 'private_talk']],
    [
      'circle_open',
      false,
      ['distress', 'mood', 'safety', 'connection', 'private_talk', 'self_harm_thoughts'],
    ],
    [
      'circle_close',
      false,
      ['distress', 'mood', 'safety', 'connection', 'private_talk', 'self_harm_thoughts'],
    ],
  ] as const)('%s (dosing day: %s)', (moment, dosing, expected) => {
    expect(checkInItemsFor(moment, dosing)).toEqual(expected);
  });

  it('asks distress and offers a private word at every moment', () => {
    for (const moment of CHECK_IN_MOMENTS) {
      for (const dosing of [true, false]) {
        expect(checkInItemsFor(moment, dosing)).toEqual(expect.arrayContaining(['distress', 'private_talk']));
      }
    }
  });

  it('asks every item at some moment', () => {
    const asked = new Set(CHECK_IN_MOMENTS.flatMap((moment) => checkInItemsFor(moment, true)));
    expect([...asked].sort()).toEqual([...CHECK_IN_ITEM_IDS].sort());
  });
});

describe('checkInAnswersSchema', () => {
  const arrival = checkInAnswersSchema('arrival', true);

  it('accepts a full arrival check-in, and an empty one (every item may be skipped)', () => {
    const full = {
      distress: 3,
      mood: 7,
      anxiety: 4,
      safety: 9,
      body: ['nausea', 'tired'],
      medication_changes: { answer: true, note: 'New blood pressure tablet' },
      preparation_followed: 'unsure',
      ride_home: true,
      private_talk: false,
      self_harm_thoughts: false,
    };
    expect(arrival.safeParse(full).success).toBe(true);
    expect(arrival.safeParse({}).success).toBe(true);
  });

  it.each([
    ['[BI-A1] a scale above 10', { distress: 11 }],
    ['[BI-A1] a negative scale', { mood: -1 }],
    ['[BI-A1] a fractional scale', { anxiety: 4.5 }],
    ['[BI-A1] a scale as a string', { safety: '7' }],
    ['[BI-A1] NaN', { distress: Number.NaN }],
    ['[BI-A1] a sensation that is not one', { body: ['flying'] }],
    ['[BI-A1] no sensation at all', { body: [] }],
    ['[BI-A1] a sensation twice', { body: ['tense', 'tense'] }],
    ['[BI-A1] "none" with another sensation', { body: ['none', 'nausea'] }],
    ['[BI-A1] yes/no as a string', { ride_home: 'yes' }],
    ['[BI-A1] unsure spelled otherwise', { preparation_followed: 'maybe' }],
    ['[BI-A1] a note 501 characters long', { medication_changes: { answer: true, note: 'x'.repeat(501) } }],
    ['[BI-A1] extra fields inside an answer', { medication_changes: { answer: true, dose: 40 } }],
    ['[BI-A11] an item this moment does not ask', { intention: 'Be here' }],
    ['[BI-A11] an unknown item', { __proto__: 1, favourite_colour: 'blue' }],
    ['[BI-A1] null for an item', { distress: null }],
  ])('refuses %s', (_, answers) => {
    expect(arrival.safeParse(answers).success).toBe(false);
  });

  it('takes an intention only before the dose, trimmed, never blank', () => {
    const preDose = checkInAnswersSchema('pre_dose', true);
    expect(preDose.parse({ intention: '  To rest  ' })).toEqual({ intention: 'To rest' });
    expect(preDose.safeParse({ intention: '   ' }).success).toBe(false);
    expect(
      checkInAnswersSchema('arrival', false).safeParse({ medication_changes: { answer: false } }).success,
    ).toBe(false);
  });
});

describe('checkInFlags', () => {
  it.each<[string, CheckInAnswers, string[]]>([
    ['nothing to act on', { distress: 2, ride_home: true, preparation_followed: 'yes' }, []],
    ['thoughts of self-harm', { self_harm_thoughts: true }, ['urgent_safety']],
    ['a medicine changed', { medication_changes: { answer: true } }, ['medical_review']],
    ['guidance not surely followed', { preparation_followed: 'unsure' }, ['medical_review']],
    ['no ride home', { ride_home: false }, ['medical_review']],
    ['a quiet word asked for', { private_talk: true }, ['private_talk']],
    [
      'all at once',
      { self_harm_thoughts: true, ride_home: false, private_talk: true },
      ['urgent_safety', 'medical_review', 'private_talk'],
    ],
    ['skipped items raise nothing', {}, []],
  ])('%s', (_, answers, expected) => {
    expect(checkInFlags(answers)).toEqual(expected);
  });
});

describe('checkInMomentFor', () => {
  it.each([
    // Dosing day, before the journey.
    ['dosing', 'scheduled', 'expected', null],
    ['dosing', 'arrival', 'expected', 'arrival'],
    ['dosing', 'arrival', 'checked_in', 'arrival'],
    ['dosing', 'arrival', 'ready', 'arrival'],
    ['dosing', 'arrival', 'needs_review', 'arrival'],
    ['dosing', 'opening_circle', 'expected', 'arrival'],
    ['dosing', 'settling', 'checked_in', 'arrival'],
    ['dosing', 'opening_circle', 'ready', 'pre_dose'],
    ['dosing', 'settling', 'needs_review', 'pre_dose'],
    ['dosing', 'dosing', 'ready', 'pre_dose'],
    ['dosing', 'arrival', 'deferred', null],
    ['dosing', 'settling', 'escalated', null],
    // Under the medicine: the journey screen, nothing to fill in.
    ['dosing', 'dosing', 'dosed', null],
    ['dosing', 'journey', 'acute', null],
    ['dosing', 'journey', 'ready', null],
    ['dosing', 'journey', 'returned', null],
    ['dosing', 'return', 'acute', null],
    ['dosing', 'sharing_circle', 'dosed', null],
    // Back, at their own pace.
    ['dosing', 'return', 'returned', 'return'],
    ['dosing', 'sharing_circle', 'returned', 'return'],
    ['dosing', 'return', 'observation', 'pre_discharge'],
    ['dosing', 'return', 'discharge_ready', 'pre_discharge'],
    ['dosing', 'closing', 'returned', 'pre_discharge'],
    ['dosing', 'closing', 'observation', 'pre_discharge'],
    ['dosing', 'closing', 'escalated', null],
    ['dosing', 'return', 'ready', null],
    // Gone, or the session is over.
    ['dosing', 'closing', 'discharged', null],
    ['dosing', 'return', 'transferred', null],
    ['dosing', 'arrival', 'absent', null],
    ['dosing', 'closing', 'left_against_advice', null],
    ['dosing', 'completed', 'observation', null],
    ['dosing', 'documented', 'discharge_ready', null],
    // Circles.
    ['integration', 'scheduled', 'expected', null],
    ['integration', 'open', 'expected', 'circle_open'],
    ['integration', 'check_in_round', 'checked_in', 'circle_open'],
    ['integration', 'sharing_rounds', 'checked_in', null],
    ['integration', 'commitments', 'checked_in', null],
    ['integration', 'closing', 'checked_in', 'circle_close'],
    ['integration', 'closed', 'checked_in', null],
    ['integration', 'closing', 'absent', null],
    ['preparation', 'check_in_round', 'expected', 'circle_open'],
    ['preparation', 'intention_setting', 'expected', null],
    ['preparation', 'closing', 'expected', 'circle_close'],
  ] as const)('%s session, %s phase, participant %s: %s', (kind, phase, state, expected) => {
    expect(checkInMomentFor(kind, phase, state)).toBe(expected);
  });
});
