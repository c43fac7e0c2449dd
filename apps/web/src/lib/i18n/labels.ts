/**
 * Names for the domain's fixed vocabularies (roles, phases, session kinds, routes) in the
 * reader's language. @cairn/domain keeps its English labels for logs and the API; pages use
 * these instead. Each table is typed against the domain's own list, so a new role, phase or kind
 * fails the type check here until it has a message.
 */
import type { GroupSessionKind, Route, SessionPhase, StaffRole } from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';

const ROLE: Record<StaffRole, () => string> = {
  admin: m.role_admin,
  facilitator: m.role_facilitator,
  co_therapist: m.role_co_therapist,
  medical_provider: m.role_medical_provider,
};

const PHASE: Record<SessionPhase, () => string> = {
  scheduled: m.phase_scheduled,
  arrival: m.phase_arrival,
  opening_circle: m.phase_opening_circle,
  settling: m.phase_settling,
  dosing: m.phase_dosing,
  journey: m.phase_journey,
  return: m.phase_return,
  sharing_circle: m.phase_sharing_circle,
  closing: m.phase_closing,
  completed: m.phase_completed,
  documented: m.phase_documented,
  open: m.phase_open,
  check_in_round: m.phase_check_in_round,
  sharing_rounds: m.phase_sharing_rounds,
  theme_round: m.phase_theme_round,
  commitments: m.phase_commitments,
  closed: m.phase_closed,
  psychoeducation: m.phase_psychoeducation,
  intention_setting: m.phase_intention_setting,
};

const KIND: Record<GroupSessionKind, () => string> = {
  preparation: m.kind_preparation,
  dosing: m.kind_dosing,
  integration: m.kind_integration,
};

const SESSION_TITLE: Record<GroupSessionKind, (inputs: { number: number }) => string> = {
  preparation: m.session_title_preparation,
  dosing: m.session_title_dosing,
  integration: m.session_title_integration,
};

const ROUTE: Record<Route, () => string> = {
  intramuscular: m.route_intramuscular,
  sublingual: m.route_sublingual,
  intravenous: m.route_intravenous,
  intranasal: m.route_intranasal,
};

export const roleLabel = (role: StaffRole): string => ROLE[role]();
export const phaseLabel = (phase: SessionPhase): string => PHASE[phase]();
export const kindLabel = (kind: GroupSessionKind): string => KIND[kind]();
export const routeLabel = (route: Route): string => ROUTE[route]();

/** "Dosing session 2": the kind and its number within the course. */
export const sessionTitle = (session: { kind: GroupSessionKind; number: number }): string =>
  SESSION_TITLE[session.kind]({ number: session.number });

/** "Facilitator, Co-therapist": roles in the reader's language. */
export function roleList(roles: readonly StaffRole[]): string {
  return roles.map(roleLabel).join(', ');
}

/** "a, b and c" / "a, b y c", by the reader's language's own rules. */
export function joinAnd(items: readonly string[]): string {
  return new Intl.ListFormat(getLocale(), { style: 'long', type: 'conjunction' }).format(items);
}
