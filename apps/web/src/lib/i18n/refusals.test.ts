import {
  CHECK_IN_ITEM_IDS,
  checkInItemProblem,
  checkInValueProblem,
  decideParticipantChange,
  decidePhaseChange,
  PARTICIPANT_STATES,
  PHASES,
  PROMPT_REFUSALS,
  SESSION_KINDS,
  type ParticipantState,
  type PhaseFacts,
  type SessionPhase,
  type StaffRole,
  type StateActor,
} from '@cairn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { translateRefusal } from './refusals.ts';

/**
 * Every sentence the state machines can refuse or warn with, gathered by asking them about
 * every move in a spread of situations: a new sentence in the domain fails here until the
 * Spanish page can say it too.
 */
function everyDomainSentence(): Set<string> {
  const sentences = new Set<string>();
  const roleSets: StaffRole[][] = [['facilitator'], ['co_therapist'], ['medical_provider'], []];
  const rooms: PhaseFacts[] = [
    { participants: [], notesSigned: false },
    { participants: [1, 2, 3, 4].map((seat) => ({ seat, state: 'expected' as const })), notesSigned: false },
    ...PARTICIPANT_STATES.map((state) => ({
      participants: [1, 2, 3, 4].map((seat) => ({ seat, state: seat === 1 ? state : ('ready' as const) })),
      notesSigned: false,
    })),
  ];
  for (const kind of SESSION_KINDS) {
    for (const phase of PHASES[kind] as readonly SessionPhase[]) {
      for (const paused of [false, true]) {
        for (const abortedReason of [null, 'Fire alarm']) {
          const status = { kind, phase, paused, abortedReason };
          for (const roles of roleSets) {
            for (const facts of rooms) {
              const actions = [
                ...Object.values(PHASES)
                  .flat()
                  .map((to) => ({ type: 'advance' as const, to: to as SessionPhase })),
                { type: 'pause' as const },
                { type: 'resume' as const },
                { type: 'abort' as const, reason: '' },
                { type: 'abort' as const, reason: 'x'.repeat(501) },
              ];
              for (const action of actions) {
                const decision = decidePhaseChange(status, action, roles, facts);
                if (!decision.ok) sentences.add(decision.reason);
                else decision.warnings.forEach((w) => sentences.add(w));
              }
            }
          }
        }
      }
    }
  }
  const actors: StateActor[] = [
    ...roleSets.map((roles) => ({ kind: 'staff' as const, roles })),
    { kind: 'participant' },
  ];
  const discharges = [
    undefined,
    { minutesSinceFirstDose: null, minMinutesBeforeDischarge: 120, openUrgentAlerts: 0, escortPresent: true },
    { minutesSinceFirstDose: 30, minMinutesBeforeDischarge: 120, openUrgentAlerts: 0, escortPresent: true },
    { minutesSinceFirstDose: 200, minMinutesBeforeDischarge: 120, openUrgentAlerts: 1, escortPresent: true },
    { minutesSinceFirstDose: 200, minMinutesBeforeDischarge: 120, openUrgentAlerts: 0, escortPresent: false },
  ];
  for (const from of PARTICIPANT_STATES) {
    for (const to of PARTICIPANT_STATES as readonly ParticipantState[]) {
      for (const actor of actors) {
        for (const reason of [undefined, '', 'x'.repeat(501)]) {
          for (const discharge of discharges) {
            const decision = decideParticipantChange(from, { to, reason }, actor, 4, discharge);
            if (!decision.ok) sentences.add(decision.reason);
          }
        }
      }
    }
  }
  return sentences;
}

// What core adds on the stream (session-commands.ts), said to staff screens.
const CORE_SENTENCES = [
  'That person is not a participant of this session.',
  'Only attendance is recorded in preparation and integration sessions.',
  'This session was cancelled.',
  // The live room (live-commands.ts LIVE_REFUSALS).
  "This tablet's participant has no seat in this session.",
  "Only the group's clinical staff can answer this.",
  'Only a facilitator or a co-therapist can assign co-therapists.',
  "That person is not on this group's clinical staff.",
  'That request does not exist.',
  'Someone already answered this request.',
  'That alert does not exist.',
  'Someone already acknowledged this alert.',
  'That task does not exist.',
  'That task is already done.',
];

/** Every sentence a check-in's answers can be refused with (domain check-in-problems.ts). */
function everyCheckInSentence(): string[] {
  return [
    ...CHECK_IN_ITEM_IDS.flatMap((item) => [checkInValueProblem(item), checkInItemProblem(item)]),
    checkInItemProblem('no_such_item'),
    checkInItemProblem('Not An Item'),
  ];
}

describe('translateRefusal', () => {
  beforeAll(() => overwriteGetLocale(() => 'es'));
  afterAll(() => overwriteGetLocale(() => 'en'));

  it('says every refusal and warning of the state machines in Spanish', () => {
    const sentences = [
      ...everyDomainSentence(),
      ...CORE_SENTENCES,
      ...everyCheckInSentence(),
      ...Object.values(PROMPT_REFUSALS),
    ];
    expect(sentences.length).toBeGreaterThan(30);
    const untranslated = sentences.filter((sentence) => translateRefusal(sentence) === sentence);
    expect(untranslated).toEqual([]);
  });

  it('keeps the seats, phases and states of the sentence', () => {
    expect(translateRefusal('The participants in seats 2 and 3 have not been dosed or deferred yet.')).toBe(
      'Aún sin dosis ni aplazamiento: asientos 2 y 3.',
    );
    expect(translateRefusal('The session moves from Journey to Return next, not to Closing.')).toBe(
      'Después de Experiencia sigue Regreso, no Cierre.',
    );
  });

  it('tells a prompt that needs words from an answer that does, keeping the limit', () => {
    expect(translateRefusal(PROMPT_REFUSALS.promptText)).toBe(
      'La pregunta necesita texto: de 1 a 1000 caracteres, no solo espacios.',
    );
    expect(translateRefusal(PROMPT_REFUSALS.answerText)).toBe(
      'Tu respuesta necesita texto: de 1 a 2000 caracteres, no solo espacios.',
    );
  });

  it('leaves a sentence it does not know as it came', () => {
    expect(translateRefusal('Something new the server says.')).toBe('Something new the server says.');
  });

  it('says the domain sentence itself in English', () => {
    overwriteGetLocale(() => 'en');
    expect(translateRefusal('No participant is ready yet.')).toBe('No participant is ready yet.');
    overwriteGetLocale(() => 'es');
  });
});
