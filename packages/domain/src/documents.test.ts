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
