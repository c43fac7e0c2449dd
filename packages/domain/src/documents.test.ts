import { describe, expect, it } from 'vitest';
import { documentAccess, isDocumentKind } from './documents.ts';

const note = { kind: 'clinician_note', clinicId: 'c1', ownerUserId: 'ana' };

describe('documentAccess', () => {
  it.each([
    ['its author', { userId: 'ana', clinicId: 'c1', roles: ['co_therapist'] as const }, 'write'],
    ['another clinician', { userId: 'bo', clinicId: 'c1', roles: ['facilitator'] as const }, 'none'],
    ['the clinic admin', { userId: 'cy', clinicId: 'c1', roles: ['admin'] as const }, 'none'],
    [
      'its author signed in to another clinic',
      { userId: 'ana', clinicId: 'c2', roles: ['co_therapist'] as const },
      'none',
    ],
  ])('[AC-01] a clinician note opens for %s as %s', (_who, staff, expected) => {
    expect(documentAccess(note, staff)).toBe(expected);
  });

  it('opens unknown kinds for nobody', () => {
    expect(
      documentAccess({ ...note, kind: 'journal' }, { userId: 'ana', clinicId: 'c1', roles: ['admin'] }),
    ).toBe('none');
    expect(isDocumentKind('__proto__')).toBe(false);
    expect(isDocumentKind('clinician_note')).toBe(true);
  });
});

describe('prompt deck access', () => {
  const deck = { kind: 'prompt_deck', clinicId: 'c1', ownerUserId: null };
  const staff = (groupRoles: Array<'facilitator' | 'co_therapist' | 'medical_provider'>) => ({
    userId: 'ana',
    clinicId: 'c1',
    roles: ['facilitator', 'admin'] as const,
    groupRoles,
  });

  it.each([
    ["the group's facilitator", staff(['facilitator']), 'write'],
    ["the group's co-therapist", staff(['co_therapist']), 'write'],
    ["the group's medical provider", staff(['medical_provider']), 'read'],
    ['a medical provider who also co-facilitates', staff(['medical_provider', 'co_therapist']), 'write'],
    ["a facilitator and admin of the clinic, not on the group's staff", staff([]), 'none'],
    [
      "the group's facilitator signed in to another clinic",
      { ...staff(['facilitator']), clinicId: 'c2' },
      'none',
    ],
  ])('[AC-13] a session prompt deck opens for %s as %s', (_who, viewer, expected) => {
    expect(documentAccess(deck, viewer)).toBe(expected);
  });

  it('[AC-13] without group roles (no session found) nobody opens a deck', () => {
    expect(documentAccess(deck, { userId: 'ana', clinicId: 'c1', roles: ['facilitator'] })).toBe('none');
  });
});

describe('circle notes access', () => {
  const notes = (signed: boolean) => ({ kind: 'circle_notes', clinicId: 'c1', ownerUserId: null, signed });
  const staff = (groupRoles: Array<'facilitator' | 'co_therapist' | 'medical_provider'>) => ({
    userId: 'ana',
    clinicId: 'c1',
    roles: ['facilitator', 'admin'] as const,
    groupRoles,
  });

  it.each([
    ["the group's facilitator", staff(['facilitator']), 'write', 'read'],
    ["the group's co-therapist", staff(['co_therapist']), 'write', 'read'],
    ["the group's medical provider", staff(['medical_provider']), 'read', 'read'],
    ["a facilitator and admin of the clinic, not on the group's staff", staff([]), 'none', 'none'],
    [
      "the group's facilitator signed in to another clinic",
      { ...staff(['facilitator']), clinicId: 'c2' },
      'none',
      'none',
    ],
  ])('[AC-13] circle notes open for %s as %s, and once signed as %s', (_who, viewer, unsigned, signed) => {
    expect(documentAccess(notes(false), viewer)).toBe(unsigned);
    expect(documentAccess(notes(true), viewer)).toBe(signed);
  });
});
