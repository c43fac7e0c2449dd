/**
 * The foundation story: a clinic's first admin sets Cairn up, turns on two-step sign-in, signs
 * out and back in, and invites a co-therapist who joins on a tablet. Screenshots of every page
 * land in e2e/screenshots/ to be looked at.
 */
import { expect, test } from '@playwright/test';
import {
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  enrolTotp,
  finishRecoveryCodes,
  shot,
  signInWithCode,
  totpCode,
  watchConsole,
} from './support.ts';

// Fictional people and clinic.
const ADMIN = {
  clinic: 'Juniper Hollow Clinic',
  name: 'Rowan Vale',
  email: 'rowan@juniper-hollow.example',
  password: 'lanterns over the quiet bay',
};
const COLLEAGUE = {
  name: 'Sol Marin',
  email: 'sol@juniper-hollow.example',
  password: 'cedar smoke and river stones',
};

test('first run → MFA → sign out → sign in with MFA → invite → the co-therapist joins', async ({
  browser,
}) => {
  const adminContext = await browser.newContext({ viewport: TABLET_LANDSCAPE });
  const admin = await adminContext.newPage();
  const adminProblems = watchConsole(admin);

  // First run: every page leads to setup while no clinic exists.
  await admin.goto('/');
  await expect(admin).toHaveURL(/\/setup$/);
  await expect(admin.getByRole('heading', { name: 'Set up your clinic' })).toBeVisible();
  await shot(admin, '01-setup');

  await admin.getByLabel('Clinic name').fill(ADMIN.clinic);
  await admin.getByLabel('Your name').fill(ADMIN.name);
  await admin.getByLabel('Email').fill(ADMIN.email);
  await admin.getByLabel('Password', { exact: true }).fill('too short');
  await admin.getByLabel('Confirm password').fill('too short');
  await admin.getByRole('button', { name: 'Create clinic and account' }).click();
  await expect(admin.getByText(/at least 12 characters/).first()).toBeVisible();
  await shot(admin, '01b-setup-weak-password');
  await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await admin.getByLabel('Confirm password').fill(ADMIN.password);
  await admin.getByRole('button', { name: 'Create clinic and account' }).click();

  // MFA enrolment is required before anything else.
  await expect(admin).toHaveURL(/\/mfa\/enrol$/);
  await shot(admin, '02-mfa-enrol');
  const { secret } = await enrolTotp(admin);
  await shot(admin, '03-recovery-codes');
  await finishRecoveryCodes(admin);
  await expect(admin.getByRole('heading', { name: `Welcome, ${ADMIN.name}` })).toBeVisible();
  await shot(admin, '04-home');

  // Setup is closed for good.
  await admin.goto('/setup');
  await expect(admin).not.toHaveURL(/\/setup$/);

  // Sign out, then back in with password and a fresh code (the next 30-second step, so the
  // enrolment code is not replayed).
  await admin.getByRole('button', { name: 'Sign out' }).click();
  await expect(admin).toHaveURL(/\/login$/);
  await shot(admin, '05-login');
  await admin.goto('/');
  await expect(admin).toHaveURL(/\/login$/);

  await admin.getByLabel('Email').fill(ADMIN.email);
  await admin.getByLabel('Password', { exact: true }).fill('not my password at all');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await expect(admin.getByRole('alert')).toContainText('Email or password is incorrect');
  await shot(admin, '05b-login-wrong-password');

  await signInWithCode(admin, ADMIN.email, ADMIN.password, '000000');
  await expect(admin.getByRole('alert')).toContainText('code did not work');
  await shot(admin, '06-login-code-wrong');
  await admin.getByLabel('Enter the 6-digit code from your authenticator app').fill(totpCode(secret, 1));
  await admin.getByRole('button', { name: 'Verify' }).click();
  await expect(admin.getByRole('heading', { name: `Welcome, ${ADMIN.name}` })).toBeVisible();

  // Invite a co-therapist.
  await admin.getByRole('link', { name: 'Staff', exact: true }).click();
  await expect(admin.getByRole('heading', { name: 'Staff', exact: true })).toBeVisible();
  await admin.getByLabel("Colleague's email").fill(COLLEAGUE.email);
  await admin.getByLabel('Co-therapist').check();
  await admin.getByRole('button', { name: 'Create invite link' }).click();
  const link = await admin.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite#[A-Za-z0-9_-]{43}$/);
  await shot(admin, '07-staff-invite');

  // The co-therapist opens the link on a tablet held upright.
  const tabletContext = await browser.newContext({ viewport: TABLET_PORTRAIT });
  const tablet = await tabletContext.newPage();
  const tabletProblems = watchConsole(tablet);
  await tablet.goto(link);
  await expect(tablet.getByRole('heading', { name: `Join ${ADMIN.clinic}` })).toBeVisible();
  await expect(tablet).not.toHaveURL(/#/);
  await shot(tablet, '08-invite');
  await tablet.getByLabel('Your name').fill(COLLEAGUE.name);
  await tablet.getByLabel('Password', { exact: true }).fill(COLLEAGUE.password);
  await tablet.getByLabel('Confirm password').fill(COLLEAGUE.password);
  await tablet.getByRole('button', { name: 'Create my account' }).click();
  const colleague = await enrolTotp(tablet);
  await finishRecoveryCodes(tablet);
  await expect(tablet.getByRole('heading', { name: `Welcome, ${COLLEAGUE.name}` })).toBeVisible();
  await expect(tablet.getByRole('link', { name: 'Staff', exact: true })).toHaveCount(0);
  await shot(tablet, '09-cotherapist-home');

  // The link worked once only.
  const strangerContext = await browser.newContext({ viewport: TABLET_PORTRAIT });
  const stranger = await strangerContext.newPage();
  await stranger.goto(link);
  await expect(stranger.getByRole('heading', { name: "This invite can't be used" })).toBeVisible();
  await shot(stranger, '10-invite-used');

  // The co-therapist signs out and back in with MFA.
  await tablet.getByRole('button', { name: 'Sign out' }).click();
  await expect(tablet).toHaveURL(/\/login$/);
  await signInWithCode(tablet, COLLEAGUE.email, COLLEAGUE.password, totpCode(colleague.secret, 1));
  await expect(tablet.getByRole('heading', { name: `Welcome, ${COLLEAGUE.name}` })).toBeVisible();

  // The admin sees the new colleague with MFA on.
  await admin.reload();
  await expect(admin.getByRole('cell', { name: COLLEAGUE.name, exact: true })).toBeVisible();
  await shot(admin, '11-staff-list');

  // The other signed-in pages, and the dark theme a facilitator in a dim room would use.
  await admin.getByRole('link', { name: 'Your account' }).click();
  await expect(admin.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await shot(admin, '12-account');
  await admin.getByRole('link', { name: 'Clinic settings', exact: true }).click();
  await expect(admin.getByRole('heading', { name: 'Clinic settings' })).toBeVisible();
  await shot(admin, '13-settings');
  await admin.emulateMedia({ colorScheme: 'dark' });
  await admin.getByRole('link', { name: 'Home' }).click();
  await expect(admin.getByRole('heading', { name: `Welcome, ${ADMIN.name}` })).toBeVisible();
  await shot(admin, '14-home-dark');

  expect(adminProblems, 'console errors (CSP violations included) on the admin pages').toEqual([]);
  expect(tabletProblems, 'console errors on the tablet pages').toEqual([]);
  await Promise.all([adminContext.close(), tabletContext.close(), strangerContext.close()]);
});

test('pages carry a nonce-based CSP and the hardening headers', async ({ request }) => {
  const response = await request.get('/login');
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'nonce-[^']+'/);
  expect(headers['content-security-policy']).toContain("object-src 'none'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cache-control']).toBe('no-store');
  const html = await response.text();
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/<script[^>]+src="https?:/);
});
