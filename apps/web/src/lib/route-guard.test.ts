import type { MeView } from '@cairn/domain';
import { describe, expect, it } from 'vitest';
import { guardRedirect, pathForStage } from './route-guard.ts';

function viewer(stage: MeView['stage'], mfaEnrolled = stage === 'full'): MeView {
  return {
    id: 'u1',
    email: 'ana@example.com',
    displayName: 'Ana',
    roles: ['admin'],
    stage,
    mfaEnrolled,
    recoveryCodesLeft: 10,
    clinic: { id: 'c1', name: 'Clinic', mfaRequired: true },
  };
}

describe('guardRedirect', () => {
  it.each([
    // path, viewer, setupNeeded, expected
    ['/', null, true, '/setup'],
    ['/login', null, true, '/setup'],
    ['/setup', null, true, null],
    ['/setup', null, false, '/login'],
    ['/setup', viewer('full'), false, '/login'],
    ['/', null, false, '/login'],
    ['/staff', null, false, '/login'],
    ['/login', null, false, null],
    ['/invite', null, false, null],
    ['/invite', viewer('full'), false, null],
    ['/tablet', null, false, null],
    ['/tablet', viewer('mfa'), false, null],
    ['/home/', null, false, null],
    ['/tablet', null, true, '/setup'],
    ['/tablets', null, false, '/login'],
    ['/', viewer('mfa'), false, '/login'],
    ['/login', viewer('mfa'), false, null],
    ['/mfa/enrol', viewer('mfa'), false, '/login'],
    ['/', viewer('enrol'), false, '/mfa/enrol'],
    ['/login', viewer('enrol'), false, '/mfa/enrol'],
    ['/mfa/enrol', viewer('enrol'), false, null],
    ['/login', viewer('full'), false, '/'],
    ['/', viewer('full'), false, null],
    ['/staff/', viewer('full'), false, null],
    ['/mfa/enrol', viewer('full', false), false, null],
    ['/mfa/enrol', viewer('full', true), false, '/account'],
  ] as const)('%s as %o (setup needed: %s) → %s', (path, who, setupNeeded, expected) => {
    expect(guardRedirect(path, who, setupNeeded)).toBe(expected);
  });
});

describe('pathForStage', () => {
  it('sends each stage to its page', () => {
    expect(pathForStage('mfa')).toBe('login');
    expect(pathForStage('enrol')).toBe('mfa/enrol');
    expect(pathForStage('full')).toBe('');
  });
});
