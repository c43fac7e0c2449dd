/**
 * What a person types into the toolbar's link field, as an address a note may hold. Checked
 * before anything is sent: the editor and the server refuse other schemes anyway (BI-Y11), but
 * a refusal there would be silent, and here it can say what to type instead.
 */
import { linkHrefProblem } from '@cairn/domain';

export type LinkAddress = { ok: true; href: string } | { ok: false; problem: 'empty' | 'scheme' | 'invalid' };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const EMAIL = /^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/;
/** "example.org", "example.org/page", "example.org:8080/x" (the last looks like a scheme). */
const HOST_FIRST = /^[^\s/:@]+\.[^\s/:@]+(:\d+)?([/?#]\S*)?$/;

export function linkAddressFrom(typed: string): LinkAddress {
  const text = typed.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  let href = text;
  // "example.org/page" and "name@example.org" are what people type; give them their scheme.
  if (EMAIL.test(text)) href = `mailto:${text}`;
  else if (HOST_FIRST.test(text)) href = `https://${text}`;
  else if (!SCHEME.test(text)) return { ok: false, problem: 'invalid' };
  if (linkHrefProblem(href) === null) return { ok: true, href };
  // An address that parses was refused for its scheme; anything else is not an address.
  return { ok: false, problem: URL.canParse(href) ? 'scheme' : 'invalid' };
}
