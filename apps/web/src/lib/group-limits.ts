/**
 * Limits of packages/domain/src/groups.ts that @cairn/domain does not export yet
 * (PLAN_MAX_PER_KIND, PLANNED_MINUTES_MIN/MAX, the text maxima). The forms check them before
 * sending so people see the limit in their own language; the server enforces the real ones.
 * Keep in step with groups.ts, or better, import them once the domain exports them.
 */
export const PLAN_MAX = 50;
export const PLANNED_MINUTES_MIN = 30;
export const PLANNED_MINUTES_MAX = 720;
export const PERSON_NAME_MAX = 120;
export const PRONOUNS_MAX = 40;
export const PHONE_MAX = 40;
export const ROOM_MAX = 80;
export const REASON_MAX = 500;
