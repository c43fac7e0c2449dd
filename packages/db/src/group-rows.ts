/** Row shapes of the group tables and their records, shared by both adapters. */
import type { Route } from '@cairn/domain';
import type {
  ConsentRecord,
  EnrolmentRecord,
  GroupRecord,
  GroupSessionRecord,
  ParticipantPatch,
  ParticipantRecord,
  RosterEntry,
  SessionCancellation,
  SessionSchedulePatch,
} from './store.ts';

export interface GroupRow {
  id: string;
  clinicId: string;
  name: string;
  planPreparation: number;
  planDosing: number;
  planIntegration: number;
  routeDefault: Route;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function groupToRow(group: GroupRecord): GroupRow {
  const { plan, ...rest } = group;
  return {
    ...rest,
    planPreparation: plan.preparation,
    planDosing: plan.dosing,
    planIntegration: plan.integration,
  };
}

export function groupFromRow(row: GroupRow): GroupRecord {
  const { planPreparation, planDosing, planIntegration, ...rest } = row;
  return {
    ...rest,
    plan: { preparation: planPreparation, dosing: planDosing, integration: planIntegration },
  };
}

export function groupPatchToRow(
  patch: Partial<Pick<GroupRecord, 'name' | 'plan' | 'routeDefault'>>,
  updatedAt: Date,
): Partial<GroupRow> {
  return {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.routeDefault !== undefined ? { routeDefault: patch.routeDefault } : {}),
    ...(patch.plan
      ? {
          planPreparation: patch.plan.preparation,
          planDosing: patch.plan.dosing,
          planIntegration: patch.plan.integration,
        }
      : {}),
    updatedAt,
  };
}

export interface ParticipantRow {
  id: string;
  clinicId: string;
  preferredName: string;
  pronouns: string | null;
  emergencyContactName: string;
  emergencyContactPhone: string;
  escortContactName: string | null;
  escortContactPhone: string | null;
  createdAt: Date;
}

export function participantToRow(p: ParticipantRecord): ParticipantRow {
  return {
    id: p.id,
    clinicId: p.clinicId,
    preferredName: p.preferredName,
    pronouns: p.pronouns,
    emergencyContactName: p.emergencyContact.name,
    emergencyContactPhone: p.emergencyContact.phone,
    escortContactName: p.escortContact?.name ?? null,
    escortContactPhone: p.escortContact?.phone ?? null,
    createdAt: p.createdAt,
  };
}

export function participantFromRow(row: ParticipantRow): ParticipantRecord {
  return {
    id: row.id,
    clinicId: row.clinicId,
    preferredName: row.preferredName,
    pronouns: row.pronouns,
    emergencyContact: { name: row.emergencyContactName, phone: row.emergencyContactPhone },
    escortContact:
      row.escortContactName !== null && row.escortContactPhone !== null
        ? { name: row.escortContactName, phone: row.escortContactPhone }
        : null,
    createdAt: row.createdAt,
  };
}

export function participantPatchToRow(patch: ParticipantPatch): Partial<ParticipantRow> {
  return {
    ...(patch.preferredName !== undefined && { preferredName: patch.preferredName }),
    ...(patch.pronouns !== undefined && { pronouns: patch.pronouns }),
    ...(patch.emergencyContact !== undefined && {
      emergencyContactName: patch.emergencyContact.name,
      emergencyContactPhone: patch.emergencyContact.phone,
    }),
    ...(patch.escortContact !== undefined && {
      escortContactName: patch.escortContact?.name ?? null,
      escortContactPhone: patch.escortContact?.phone ?? null,
    }),
  };
}

/**
 * A session has started once its stream holds a phase change (@cairn/domain's session events):
 * from then on its schedule is history and it cannot be cancelled.
 */
export const SESSION_STARTED_EVENT = 'session.phase_changed';

export type SessionRowChange = Partial<
  Pick<
    GroupSessionRecord,
    'scheduledStart' | 'plannedMinutes' | 'room' | 'cancelledAt' | 'cancelReason' | 'cancelledBy'
  >
>;

export function schedulePatchToRow(patch: SessionSchedulePatch): SessionRowChange {
  return {
    ...(patch.scheduledStart !== undefined && { scheduledStart: patch.scheduledStart }),
    ...(patch.plannedMinutes !== undefined && { plannedMinutes: patch.plannedMinutes }),
    ...(patch.room !== undefined && { room: patch.room }),
  };
}

export function cancellationToRow({ at, reason, by }: SessionCancellation): SessionRowChange {
  return { cancelledAt: at, cancelReason: reason, cancelledBy: by };
}

/** Joins a group's enrolments with their people and consents, oldest enrolment first. */
export function assembleRoster(
  rows: Array<{ enrolment: EnrolmentRecord; participant: ParticipantRow }>,
  consents: ConsentRecord[],
): RosterEntry[] {
  return rows.map(({ enrolment, participant }) => ({
    enrolment,
    participant: participantFromRow(participant),
    consents: consents.filter((c) => c.participantId === participant.id),
  }));
}
