/**
 * The check-in's wording in the tablet's language (clinical.md §7.4, our own words): each item's
 * question and, for the 0–10 items, the words at the two ends only. Typed against the domain's
 * item list, so a new item fails the type check until it has its words.
 */
import type { BodySensation, CheckInItemId, CheckInMoment } from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';

export const QUESTION: Record<CheckInItemId, () => string> = {
  distress: m.checkin_q_distress,
  mood: m.checkin_q_mood,
  anxiety: m.checkin_q_anxiety,
  safety: m.checkin_q_safety,
  connection: m.checkin_q_connection,
  body: m.checkin_q_body,
  medication_changes: m.checkin_q_medication_changes,
  preparation_followed: m.checkin_q_preparation_followed,
  ride_home: m.checkin_q_ride_home,
  intention: m.checkin_q_intention,
  private_talk: m.checkin_q_private_talk,
  self_harm_thoughts: m.checkin_q_self_harm_thoughts,
};

export type ScaleItemId = 'distress' | 'mood' | 'anxiety' | 'safety' | 'connection';

export const ANCHORS: Record<ScaleItemId, { low: () => string; high: () => string }> = {
  distress: { low: m.checkin_anchor_distress_low, high: m.checkin_anchor_distress_high },
  mood: { low: m.checkin_anchor_mood_low, high: m.checkin_anchor_mood_high },
  anxiety: { low: m.checkin_anchor_anxiety_low, high: m.checkin_anchor_anxiety_high },
  safety: { low: m.checkin_anchor_safety_low, high: m.checkin_anchor_safety_high },
  connection: { low: m.checkin_anchor_connection_low, high: m.checkin_anchor_connection_high },
};

export const SENSATION: Record<BodySensation, () => string> = {
  none: m.checkin_body_none,
  nausea: m.checkin_body_nausea,
  headache: m.checkin_body_headache,
  dizziness: m.checkin_body_dizziness,
  tight_chest: m.checkin_body_tight_chest,
  short_of_breath: m.checkin_body_short_of_breath,
  tense: m.checkin_body_tense,
  tired: m.checkin_body_tired,
  other: m.checkin_body_other,
};

export const MOMENT: Record<CheckInMoment, () => string> = {
  arrival: m.checkin_moment_arrival,
  pre_dose: m.checkin_moment_pre_dose,
  return: m.checkin_moment_return,
  pre_discharge: m.checkin_moment_pre_discharge,
  circle_open: m.checkin_moment_circle_open,
  circle_close: m.checkin_moment_circle_close,
};
