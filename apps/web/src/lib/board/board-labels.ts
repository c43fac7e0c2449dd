/**
 * The live board's words for the domain's kinds (alert kinds and severities, follow-up tasks,
 * score items and what their direction means, prompt stages) in the reader's language. Typed
 * against the domain's lists, so a new kind fails the type check here until it has a message.
 */
import type { AlertKind, AlertSeverity, LiveTask, PromptStage } from '@cairn/domain';
import { m } from '#lib/paraglide/messages.js';
import type { ScoreItem, ScoreMeaning } from './score-trends.ts';

const ALERT_KIND: Record<AlertKind, () => string> = {
  self_harm: m.board_alert_self_harm,
  medical_review: m.board_alert_medical_review,
  private_talk: m.board_alert_private_talk,
};

const SEVERITY: Record<AlertSeverity, () => string> = {
  urgent: m.board_severity_urgent,
  attention: m.board_severity_attention,
  info: m.board_severity_info,
};

const TASK: Record<LiveTask['kind'], () => string> = {
  safety_follow_up: m.board_task_safety_follow_up,
};

const SCORE: Record<ScoreItem, () => string> = {
  distress: m.board_score_distress,
  anxiety: m.board_score_anxiety,
  mood: m.board_score_mood,
  safety: m.board_score_safety,
  connection: m.board_score_connection,
};

const MEANING: Record<ScoreMeaning, () => string> = {
  better: m.board_trend_better,
  worse: m.board_trend_worse,
  same: m.board_trend_same,
  first: m.board_trend_first,
};

const STAGE: Record<PromptStage, () => string> = {
  preparation: m.deck_stage_preparation,
  pre_dose: m.deck_stage_pre_dose,
  return: m.deck_stage_return,
  sharing: m.deck_stage_sharing,
  integration: m.deck_stage_integration,
  closing: m.deck_stage_closing,
  home: m.deck_stage_home,
  challenging_follow_up: m.deck_stage_challenging_follow_up,
};

export const alertKindLabel = (kind: AlertKind): string => ALERT_KIND[kind]();
export const severityLabel = (severity: AlertSeverity): string => SEVERITY[severity]();
export const taskLabel = (kind: LiveTask['kind']): string => TASK[kind]();
export const scoreLabel = (item: ScoreItem): string => SCORE[item]();
export const scoreMeaningLabel = (meaning: ScoreMeaning): string => MEANING[meaning]();
export const promptStageLabel = (stage: PromptStage): string => STAGE[stage]();
