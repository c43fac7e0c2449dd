/**
 * A participant's latest check-in scores as the board shows them: each 0–10 item with its
 * direction against the same item's answer before, and what that direction *means* — for
 * distress and anxiety a rise is worse, for mood, felt safety and connection a rise is better.
 * The board writes the meaning out in words, so nobody has to read it from a colour.
 */
import { answerDirection, type ParticipantCheckIns } from '@cairn/domain';

/** The scale items, in the order the tile shows them (distress first: it is asked every time). */
export const SCORE_ITEMS = ['distress', 'anxiety', 'mood', 'safety', 'connection'] as const;
export type ScoreItem = (typeof SCORE_ITEMS)[number];

/** Items where a higher number means the person feels worse. */
const HIGHER_IS_WORSE: readonly ScoreItem[] = ['distress', 'anxiety'];

export type ScoreMeaning = 'better' | 'worse' | 'same' | 'first';

export interface ScoreTrend {
  item: ScoreItem;
  value: number;
  direction: 'up' | 'down' | 'same' | null;
  /** `first`: nothing to compare with yet (the first answer to this item). */
  meaning: ScoreMeaning;
}

export function scoreTrends(checkIns: ParticipantCheckIns | undefined): ScoreTrend[] {
  if (!checkIns) return [];
  const trends: ScoreTrend[] = [];
  for (const item of SCORE_ITEMS) {
    const answer = checkIns.items[item];
    if (!answer || typeof answer.value !== 'number') continue;
    const direction = answerDirection(answer);
    trends.push({ item, value: answer.value, direction, meaning: meaningOf(item, direction) });
  }
  return trends;
}

function meaningOf(item: ScoreItem, direction: ScoreTrend['direction']): ScoreMeaning {
  if (direction === null) return 'first';
  if (direction === 'same') return 'same';
  const rose = direction === 'up';
  return rose === HIGHER_IS_WORSE.includes(item) ? 'worse' : 'better';
}
