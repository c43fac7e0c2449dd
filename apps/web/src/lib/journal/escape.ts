/**
 * Escaping for journal exports. Journal text is the participant's own, but exports are opened
 * in browsers and Markdown viewers, and a decrypted document is only as careful as the device
 * that wrote it: text must always read as text, never as markup.
 */

/** Text or an attribute value (double-quoted) inside HTML or SVG. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Text inside Markdown that renders exactly as typed. Characters CommonMark could read as inline
 * syntax anywhere (emphasis, code, links, raw HTML, entities, tables, strikethrough) get a
 * backslash, which CommonMark defines as "this character, literally"; so do the marks that only
 * mean something at the start of a line (headings, lists, quotes, rules). Ordinary punctuation
 * elsewhere is left alone so the exported file stays readable as plain text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&~|]/g, (character) => `\\${character}`)
    .split('\n')
    .map((line) =>
      line.replace(/^(\s*)([#+\-=]|\d+(?=[.)]))/, (_all, space: string, mark: string) => {
        if (/^\d/.test(mark)) return `${space}${mark}\\`;
        return `${space}\\${mark}`;
      }),
    )
    .join('\n');
}
