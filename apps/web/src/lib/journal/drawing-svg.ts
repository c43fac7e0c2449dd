/**
 * Journal drawings as SVG, for the entry list, the canvas and exports. The strokes come out of a
 * decrypted document, which is only as trustworthy as the device that wrote it, so nothing from
 * it reaches the markup as text: every stroke goes through `normaliseStroke` again (a colour that
 * is not `#rrggbb` is dropped, numbers must be finite), and numbers are printed by this file.
 */
import { DRAWING_HEIGHT, DRAWING_WIDTH, normaliseStroke, type JournalStroke } from './drawing.ts';
import { escapeHtml } from './escape.ts';

/** A number printed for an attribute: finite, at most one decimal, never exponent notation. */
function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 10) / 10;
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(1).replace(/\.0$/, '');
}

/**
 * A smooth path through the stroke's points: quadratic curves through the midpoints between
 * samples (the usual way to smooth pointer input without overshoot). A single point becomes a
 * dot drawn by the round cap of a zero-length line.
 */
export function strokePath(stroke: JournalStroke): string {
  const p = stroke.points;
  if (p.length < 2) return '';
  if (p.length < 6) {
    const x2 = p.length >= 4 ? p[2]! : p[0]!;
    const y2 = p.length >= 4 ? p[3]! : p[1]!;
    return `M${num(p[0]!)} ${num(p[1]!)}L${num(x2)} ${num(y2)}`;
  }
  let d = `M${num(p[0]!)} ${num(p[1]!)}`;
  for (let i = 2; i + 3 < p.length; i += 2) {
    const midX = (p[i]! + p[i + 2]!) / 2;
    const midY = (p[i + 1]! + p[i + 3]!) / 2;
    d += `Q${num(p[i]!)} ${num(p[i + 1]!)} ${num(midX)} ${num(midY)}`;
  }
  d += `L${num(p[p.length - 2]!)} ${num(p[p.length - 1]!)}`;
  return d;
}

/** One `<path>` element per drawable stroke; undrawable ones are left out. */
export function strokeElements(strokes: readonly unknown[]): string {
  return strokes
    .map((raw) => normaliseStroke(raw))
    .filter((stroke): stroke is JournalStroke => stroke !== null)
    .map(
      (stroke) =>
        `<path d="${strokePath(stroke)}" stroke="${stroke.color}" stroke-width="${num(stroke.width)}"/>`,
    )
    .join('');
}

/** A standalone SVG of the drawing, scaled to its container, labelled for screen readers. */
export function drawingSvg(strokes: readonly unknown[], label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${DRAWING_WIDTH} ${DRAWING_HEIGHT}" ` +
    `role="img" aria-label="${escapeHtml(label)}">` +
    `<rect width="${DRAWING_WIDTH}" height="${DRAWING_HEIGHT}" fill="#ffffff"/>` +
    `<g fill="none" stroke-linecap="round" stroke-linejoin="round">${strokeElements(strokes)}</g>` +
    `</svg>`
  );
}
