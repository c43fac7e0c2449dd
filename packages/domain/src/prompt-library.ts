/**
 * Cairn's own default prompts (PRODUCT §3.3), in our own wording, after the themes and
 * examples of clinical.md §5.3, in English and Spanish. A facilitator copies one into a
 * session's deck (its `libraryId` travels with it, so a tablet can show the participant's own
 * language) or writes their own. Ids are stable forever: released prompts in old streams name
 * them. Spanish uses "tú" and plain words, as a bilingual clinician would say it in the room.
 *
 * No journey-stage prompts: during the journey the tablet shows only the ambient screen and
 * "I need support" (clinical.md §5.2). The one between-circles practice is tagged `home`.
 */
import type { PromptStage } from './prompts.ts';

export interface LibraryPrompt {
  /** Stable id, e.g. `prep-1`: never reused for a different prompt. */
  id: string;
  stage: PromptStage;
  text: { en: string; es: string };
}

const p = (id: string, stage: PromptStage, en: string, es: string): LibraryPrompt => ({
  id,
  stage,
  text: { en, es },
});

export const PROMPT_LIBRARY: readonly LibraryPrompt[] = [
  // Preparation (at home or in a preparation session).
  p(
    'prep-1',
    'preparation',
    'When you picture yourself a few months from now, a little freer, what is different in an ordinary day?',
    'Cuando te imaginas dentro de unos meses, un poco más libre, ¿qué cambia en un día cualquiera?',
  ),
  p(
    'prep-2',
    'preparation',
    'What would you like to be curious about in your session, rather than get from it?',
    '¿Sobre qué te gustaría sentir curiosidad en tu sesión, en lugar de esperar obtener algo de ella?',
  ),
  p(
    'prep-3',
    'preparation',
    'Name one worry about the session. What would help you feel steadier with it?',
    'Nombra una preocupación que tengas sobre la sesión. ¿Qué te ayudaría a sentirte más firme con ella?',
  ),
  p(
    'prep-4',
    'preparation',
    'Which word or phrase could you carry in with you, like a small stone in your pocket?',
    '¿Qué palabra o frase podrías llevar contigo, como una piedrita en el bolsillo?',
  ),
  p(
    'prep-5',
    'preparation',
    'Who, or what, helps you feel safe? How could that be present next week?',
    '¿Quién o qué te ayuda a sentirte a salvo? ¿Cómo podría estar presente la próxima semana?',
  ),
  p(
    'prep-6',
    'preparation',
    "How will you know that you've had enough for one day?",
    '¿Cómo vas a saber que ya fue suficiente por un día?',
  ),
  // Pre-dose, in the circle.
  p(
    'predose-1',
    'pre_dose',
    "Say your intention in one sentence, then let it go, the way you'd set down a bag.",
    'Di tu intención en una frase y luego suéltala, como quien deja una bolsa en el suelo.',
  ),
  p(
    'predose-2',
    'pre_dose',
    'Notice three places where your body touches the mat or chair.',
    'Fíjate en tres lugares donde tu cuerpo toca la colchoneta o la silla.',
  ),
  p(
    'predose-3',
    'pre_dose',
    'If something difficult shows up, what will you say to yourself? ("I can breathe and let it pass." / "I\'m safe in this room.")',
    'Si aparece algo difícil, ¿qué te vas a decir? («Puedo respirar y dejar que pase». / «Estoy a salvo en esta sala».)',
  ),
  // Return and grounding: per participant, as each returns.
  p(
    'return-1',
    'return',
    "Wiggle your fingers and toes. Notice your breath. You're back in the room.",
    'Mueve los dedos de las manos y de los pies. Fíjate en tu respiración. Ya estás de vuelta en la sala.',
  ),
  p(
    'return-2',
    'return',
    'Three words for where you just were.',
    'Tres palabras para el lugar donde acabas de estar.',
  ),
  p(
    'return-3',
    'return',
    'One image, sound or feeling you want to remember.',
    'Una imagen, un sonido o una sensación que quieras recordar.',
  ),
  p(
    'return-4',
    'return',
    'Right now, on a scale of 0–10, how settled do you feel?',
    'Ahora mismo, en una escala del 0 al 10, ¿qué tan en calma te sientes?',
  ),
  p(
    'return-5',
    'return',
    'Is there anything your body needs: water, a blanket, to sit up, a hand on your shoulder (if agreed)?',
    '¿Necesita algo tu cuerpo: agua, una manta, sentarte, una mano en el hombro (si lo acordamos antes)?',
  ),
  // Sharing circle, the same day.
  p(
    'sharing-1',
    'sharing',
    "What is one thing from today you're willing to share with the group?",
    '¿Qué es algo de hoy que te animas a compartir con el grupo?',
  ),
  p('sharing-2', 'sharing', 'What surprised you?', '¿Qué te sorprendió?'),
  p(
    'sharing-3',
    'sharing',
    'What did you notice while listening to someone else?',
    '¿Qué notaste mientras escuchabas a otra persona?',
  ),
  p(
    'sharing-4',
    'sharing',
    'What do you need from the group before you leave today?',
    '¿Qué necesitas del grupo antes de irte hoy?',
  ),
  // Integration circle (1–3 days later, then weekly).
  p(
    'integration-1',
    'integration',
    'Looking back, what part of the session keeps coming back to you?',
    'Mirando hacia atrás, ¿qué parte de la sesión te sigue volviendo a la mente?',
  ),
  p(
    'integration-2',
    'integration',
    'If the experience were a teacher, what would it be asking of you this week?',
    'Si la experiencia fuera una maestra, ¿qué te estaría pidiendo esta semana?',
  ),
  p(
    'integration-3',
    'integration',
    'What feels different since the session: in your body, your sleep, your relationships?',
    '¿Qué se siente distinto desde la sesión: en tu cuerpo, en tu sueño, en tus relaciones?',
  ),
  p(
    'integration-4',
    'integration',
    'Where did you meet resistance, or an old pattern, this week?',
    '¿Dónde te encontraste esta semana con una resistencia o con un patrón de siempre?',
  ),
  p(
    'integration-5',
    'integration',
    'What are you ready to let go of? What are you not ready to let go of yet?',
    '¿Qué sientes que ya puedes soltar? ¿Qué todavía no puedes soltar?',
  ),
  p(
    'integration-6',
    'integration',
    'Which insight is easy to talk about but hard to live? What is one small way to live it?',
    '¿Qué aprendizaje es fácil de contar pero difícil de vivir? ¿Cuál sería una forma pequeña de vivirlo?',
  ),
  p(
    'integration-7',
    'integration',
    'Who in your life could hear about this from you, and what part would you share?',
    '¿A quién de tu vida podrías contarle esto, y qué parte le contarías?',
  ),
  p(
    'integration-8',
    'integration',
    'What did you hear in the circle today that you want to take with you?',
    '¿Qué escuchaste hoy en el círculo que te quieras llevar contigo?',
  ),
  p(
    'integration-9',
    'integration',
    'How did your intention change between preparation and now?',
    '¿Cómo cambió tu intención desde la preparación hasta hoy?',
  ),
  // Between circles: a practice for the week at home (clinical.md §5.2, "Between circles").
  p(
    'home-1',
    'home',
    'Choose one practice for the next 7 days: walking, writing, calling someone, rest, music. When exactly will you do it?',
    'Elige una práctica para los próximos 7 días: caminar, escribir, llamar a alguien, descansar, escuchar música. ¿Cuándo exactamente la vas a hacer?',
  ),
  // Course closing.
  p(
    'closing-1',
    'closing',
    'Compare where you started with where you are. What changed, and what stayed the same?',
    'Compara dónde empezaste con dónde estás ahora. ¿Qué cambió y qué sigue igual?',
  ),
  p(
    'closing-2',
    'closing',
    'What support will you keep once the group ends?',
    '¿Qué apoyo vas a mantener cuando el grupo termine?',
  ),
  p(
    'closing-3',
    'closing',
    'What would you tell someone starting a group like this one?',
    '¿Qué le dirías a alguien que empieza un grupo como este?',
  ),
  // Challenging-experience follow-up: released by the facilitator to one person only.
  p(
    'followup-1',
    'challenging_follow_up',
    'What was the hardest moment, and what helped, even a little?',
    '¿Cuál fue el momento más difícil, y qué te ayudó, aunque fuera un poco?',
  ),
  p(
    'followup-2',
    'challenging_follow_up',
    "Is there any part of the experience you're still carrying that you'd like more support with?",
    '¿Hay alguna parte de la experiencia que todavía cargues y con la que te gustaría tener más apoyo?',
  ),
];

const BY_ID: ReadonlyMap<string, LibraryPrompt> = new Map(
  PROMPT_LIBRARY.map((prompt) => [prompt.id, prompt]),
);

/** A default prompt by its id, or undefined (a deck may name one a newer version removed). */
export function libraryPrompt(id: string): LibraryPrompt | undefined {
  return BY_ID.get(id);
}

/** The default prompts of one stage, in the library's order. */
export function libraryPromptsOf(stage: PromptStage): LibraryPrompt[] {
  return PROMPT_LIBRARY.filter((prompt) => prompt.stage === stage);
}

/** The default prompts grouped by stage; stages without defaults are absent. */
export function libraryByStage(): Map<PromptStage, LibraryPrompt[]> {
  const grouped = new Map<PromptStage, LibraryPrompt[]>();
  for (const prompt of PROMPT_LIBRARY)
    grouped.set(prompt.stage, [...(grouped.get(prompt.stage) ?? []), prompt]);
  return grouped;
}
