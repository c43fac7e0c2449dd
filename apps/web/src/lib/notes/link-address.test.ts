import { describe, expect, it } from 'vitest';
import { linkAddressFrom } from './link-address.ts';

describe('a link address typed into the notes toolbar', () => {
  it.each([
    ['https://example.org/a?b=1', 'https://example.org/a?b=1'],
    ['  http://example.org  ', 'http://example.org'],
    ['example.org/path', 'https://example.org/path'],
    ['example.org:8080/x', 'https://example.org:8080/x'],
    ['mailto:team@example.org', 'mailto:team@example.org'],
    ['team@example.org', 'mailto:team@example.org'],
  ])('%s becomes %s', (typed, href) => {
    expect(linkAddressFrom(typed)).toEqual({ ok: true, href });
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<b>x</b>',
    'ftp://files.example.org',
    'tel:+15550100',
    'vbscript:x',
  ])('[BI-Y11] refuses %s for its scheme', (typed) => {
    expect(linkAddressFrom(typed)).toEqual({ ok: false, problem: 'scheme' });
  });

  it.each(['just words', '/relative/path', '../up', 'https://'])(
    '[BI-Y11] refuses %s as not an address',
    (typed) => {
      expect(linkAddressFrom(typed)).toEqual({ ok: false, problem: 'invalid' });
    },
  );

  it('asks for an address when the field is empty', () => {
    expect(linkAddressFrom('   ')).toEqual({ ok: false, problem: 'empty' });
  });
});
