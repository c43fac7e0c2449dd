/**
 * The participant's own export of their journal (issue 6 deliverable 6): Markdown or a
 * standalone HTML page, made in the browser from the decrypted document — the server cannot
 * make one, it never has the text. Drawings go in as SVG. Everything from the document is
 * escaped (escape.ts, drawing-svg.ts); the HTML page also carries a Content-Security-Policy
 * that allows no script at all, in case an escape were ever missed.
 */
import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import { drawingSvg } from './drawing-svg.ts';
import { escapeHtml, escapeMarkdown } from './escape.ts';
import type { JournalEntryView } from './journal-doc.ts';

export interface ExportOptions {
  /** When the export is made (the file says so). */
  now?: Date;
  /** Language of dates; the page's by default. */
  locale?: string;
  /** The device's zone by default. */
  timeZone?: string;
}

function when(iso: string, options: ExportOptions): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(options.locale ?? getLocale(), {
    dateStyle: 'full',
    timeStyle: 'short',
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  }).format(date);
}

/** UTF-8 text as standard base64 (a data: URL for an image). */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Paragraphs stay paragraphs; single line breaks stay line breaks (CommonMark hard breaks). */
function markdownBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => escapeMarkdown(paragraph).split('\n').join('\\\n'))
    .join('\n\n');
}

/** The journal as Markdown, newest entry first (as `entries` are listed). */
export function journalMarkdown(entries: readonly JournalEntryView[], options: ExportOptions = {}): string {
  const now = options.now ?? new Date();
  const lines: string[] = [
    `# ${escapeMarkdown(m.journal_export_title())}`,
    '',
    `_${escapeMarkdown(m.journal_export_exported_at({ date: when(now.toISOString(), options) }))}_`,
    '',
  ];
  if (entries.length === 0) lines.push(escapeMarkdown(m.journal_export_empty()), '');
  for (const entry of entries) {
    lines.push(`## ${escapeMarkdown(when(entry.createdAt, options))}`, '');
    if (entry.promptText !== null) {
      const prompt = escapeMarkdown(entry.promptText.replace(/\s+/g, ' ').trim());
      lines.push(`> **${escapeMarkdown(m.journal_export_prompt())}:** ${prompt}`, '');
    }
    if (entry.text.trim() !== '') lines.push(markdownBody(entry.text), '');
    if (entry.strokes.length > 0) {
      const label = m.journal_export_drawing();
      const svg = drawingSvg(entry.strokes, label);
      // An image, not inline markup: an SVG shown through <img> runs no script.
      lines.push(`![${escapeMarkdown(label)}](data:image/svg+xml;base64,${base64Utf8(svg)})`, '');
    }
  }
  return lines.join('\n');
}

const HTML_STYLE = `
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
article { border-top: 1px solid #d2d6dc; padding: 1rem 0; }
h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
blockquote { margin: 0 0 .75rem; padding-left: .75rem; border-left: 3px solid #9aa5b1; color: #3e4c59; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 .75rem; }
svg { width: 100%; height: auto; border: 1px solid #d2d6dc; border-radius: 4px; }
@media print { article { break-inside: avoid; } }
`;

/** The journal as one self-contained HTML page (drawings inline as SVG), newest entry first. */
export function journalHtml(entries: readonly JournalEntryView[], options: ExportOptions = {}): string {
  const now = options.now ?? new Date();
  const locale = options.locale ?? getLocale();
  const title = escapeHtml(m.journal_export_title());
  const articles = entries.map((entry) => {
    const parts = [
      `<h2><time datetime="${escapeHtml(entry.createdAt)}">${escapeHtml(when(entry.createdAt, options))}</time></h2>`,
    ];
    if (entry.promptText !== null) {
      parts.push(
        `<blockquote><strong>${escapeHtml(m.journal_export_prompt())}:</strong> ${escapeHtml(entry.promptText)}</blockquote>`,
      );
    }
    if (entry.text.trim() !== '') parts.push(`<p class="text">${escapeHtml(entry.text)}</p>`);
    if (entry.strokes.length > 0) parts.push(drawingSvg(entry.strokes, m.journal_export_drawing()));
    return `<article>${parts.join('')}</article>`;
  });
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p>${escapeHtml(m.journal_export_exported_at({ date: when(now.toISOString(), options) }))}</p>`,
    entries.length === 0 ? `<p>${escapeHtml(m.journal_export_empty())}</p>` : articles.join('\n'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** `journal-2026-11-22.md` / `.html`, dated in the device's zone. */
export function exportFileName(format: 'markdown' | 'html', now: Date = new Date()): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `journal-${day}.${format === 'markdown' ? 'md' : 'html'}`;
}

/**
 * Hands the text to the browser as a download. The file is made from memory (a Blob URL,
 * revoked at once after the click): nothing is uploaded, nothing stays in the page.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Makes and downloads the export in one step (what the page's Export button calls). */
export function downloadJournal(
  entries: readonly JournalEntryView[],
  format: 'markdown' | 'html',
  options: ExportOptions = {},
): void {
  const now = options.now ?? new Date();
  const text =
    format === 'markdown'
      ? journalMarkdown(entries, { ...options, now })
      : journalHtml(entries, { ...options, now });
  downloadText(exportFileName(format, now), text, format === 'markdown' ? 'text/markdown' : 'text/html');
}
