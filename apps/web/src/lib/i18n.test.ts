/**
 * English and Spanish ship together: every message must exist in both, say something, and take
 * the same {placeholders}, or a Spanish page would show a raw key, a blank, or a missing name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, string>;

function load(locale: string): Messages {
  const url = new URL(`../../messages/${locale}.json`, import.meta.url);
  const { $schema: _schema, ...messages } = JSON.parse(readFileSync(url, 'utf8')) as Messages;
  return messages;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1]).sort();

const en = load('en');
const es = load('es');

describe('messages', () => {
  it('has the same keys in English and Spanish', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('has no empty message', () => {
    for (const [locale, messages] of Object.entries({ en, es })) {
      const empty = Object.entries(messages)
        .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
        .map(([key]) => `${locale}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = Object.keys(en).filter(
      (key) => es[key] !== undefined && placeholders(en[key]!).join() !== placeholders(es[key]!).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('only uses simple {name} placeholders that the compiler understands', () => {
    // A brace that is not a {name} placeholder (a typo, or plural syntax this format lacks)
    // would compile to literal text.
    const odd = Object.entries({
      ...en,
      ...Object.fromEntries(Object.entries(es).map(([k, v]) => [`es:${k}`, v])),
    })
      .filter(([, text]) => text.replace(/\{\s*[A-Za-z_]\w*\s*\}/g, '').match(/[{}]/))
      .map(([key]) => key);
    expect(odd).toEqual([]);
  });
});
