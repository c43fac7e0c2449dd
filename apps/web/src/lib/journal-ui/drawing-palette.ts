import { m } from '#lib/paraglide/messages.js';

/**
 * A few calm colours, named so the choice is read out and not shown by colour alone. The
 * values are what the journal stores and exports (`#rrggbb`); journal.css paints the swatches.
 */
export const PALETTE = [
  { name: 'ink', color: '#1f2933', label: m.journal_ui_colour_ink },
  { name: 'sea', color: '#2f6f8f', label: m.journal_ui_colour_sea },
  { name: 'moss', color: '#4f7a4a', label: m.journal_ui_colour_moss },
  { name: 'clay', color: '#b0674a', label: m.journal_ui_colour_clay },
  { name: 'dusk', color: '#7a5c93', label: m.journal_ui_colour_dusk },
] as const;

/** A finger's line, in the drawing's own units (1000 × 750). */
export const BASE_STROKE_WIDTH = 6;

/** A pen's pressure (0–1, 0.5 when the device cannot tell) thickens or thins its line. */
export function strokeWidthFor(pointerType: string, pressure: number): number {
  if (pointerType !== 'pen' || pressure <= 0) return BASE_STROKE_WIDTH;
  return Math.round(BASE_STROKE_WIDTH * (0.4 + pressure * 1.2) * 10) / 10;
}
