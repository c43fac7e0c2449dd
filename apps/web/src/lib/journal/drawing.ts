/**
 * A journal drawing's strokes: what the canvas records and what the journal stores. Points live
 * in a fixed logical canvas so a drawing made on a tablet looks the same on a phone or in an
 * export. Every stroke is normalised on the way in (and again on the way out, since a decrypted
 * blob is only as trustworthy as the device that wrote it): numbers rounded to a tenth and held
 * inside the canvas, colours limited to `#rrggbb`, sizes bounded.
 */

export const DRAWING_WIDTH = 1000;
export const DRAWING_HEIGHT = 750;
export const STROKE_MIN_WIDTH = 1;
export const STROKE_MAX_WIDTH = 60;
/** 4,000 numbers = 2,000 points: a long, slow stroke; the canvas starts a new one beyond it. */
export const STROKE_MAX_NUMBERS = 4_000;
/** Strokes per entry; past it the canvas says the drawing is full. */
export const ENTRY_MAX_STROKES = 2_000;
export const DEFAULT_STROKE_COLOR = '#1f2933';

export interface JournalStroke {
  /** `#rrggbb`, lower case. */
  color: string;
  /** In canvas units. */
  width: number;
  /** x0, y0, x1, y1, … in canvas units, each rounded to 0.1 and inside the canvas. */
  points: number[];
}

const COLOR = /^#[0-9a-f]{6}$/;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The stroke in its stored form, or null when it cannot be drawn (not an object, a colour that
 * is not `#rrggbb`, a width or a coordinate that is not a finite number, fewer than one point).
 * Accepts anything, so it also guards what comes out of a decrypted document.
 */
export function normaliseStroke(input: unknown): JournalStroke | null {
  if (typeof input !== 'object' || input === null) return null;
  const { color, width, points } = input as Record<string, unknown>;
  if (typeof color !== 'string' || !COLOR.test(color.toLowerCase())) return null;
  if (typeof width !== 'number' || !Number.isFinite(width)) return null;
  if (!Array.isArray(points) || points.length < 2 || points.length > STROKE_MAX_NUMBERS) return null;
  const clean: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x: unknown = points[i];
    const y: unknown = points[i + 1];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      return null;
    }
    clean.push(round(clamp(x, 0, DRAWING_WIDTH)), round(clamp(y, 0, DRAWING_HEIGHT)));
  }
  return {
    color: color.toLowerCase(),
    width: round(clamp(width, STROKE_MIN_WIDTH, STROKE_MAX_WIDTH)),
    points: clean,
  };
}
