/**
 * The session story (issue 4): a facilitator opens a dosing session, brings six tablets into
 * the room (six browser contexts, one of them in Spanish), admits each one — nothing joins
 * silently — and moves the session through every phase to completed, each participant through
 * theirs to discharged (escort confirmed), while every tablet follows live; pause shows on every
 * tablet; "End session" signs every tablet out. The clinic, staff and group are
 * made through the API (groups.spec.ts walks those screens); everything here is the UI.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { TABLET_LANDSCAPE, TABLET_PORTRAIT, shot, totpCode, watchConsole } from './support.ts';

// Fictional clinic and people.
const CLINIC = {
  clinicName: 'Larch Hill Clinic',
  displayName: 'Ines Varga',
  email: 'ines@larch-hill.example',
};
const FACILITATOR = { displayName: 'Owen Tamsin', email: 'owen@larch-hill.example' };
const PASSWORD = 'moss on the garden wall';
const NAMES = ['Ada', 'Basil', 'Cora', 'Dario', 'Esme', 'Felix'];

const spanish = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', 'apps/web/messages/es.json'), 'utf8'),
) as Record<string, string>;

async function call(
  api: APIRequestContext,
  baseURL: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  data?: unknown,
) {
  const response = await api.fetch(`/api/v1${url}`, {
    method,
    headers: { origin: baseURL },
    ...(data !== undefined && { data }),
  });
  expect(response.status(), `${method} ${url}: ${await response.text()}`).toBeLessThan(300);
  return response.status() === 204 ? null : ((await response.json()) as Record<string, unknown>);
}

async function enrolMfa(api: APIRequestContext, baseURL: string) {
  const { secret } = (await call(api, baseURL, 'POST', '/auth/mfa/enrol/start', {})) as { secret: string };
  await call(api, baseURL, 'POST', '/auth/mfa/enrol/confirm', { code: totpCode(secret) });
}

/** A clinic, a facilitator who is also the group's medical provider, six participants, one session. */
async function preparedSession(staff: BrowserContext, admin: BrowserContext, baseURL: string) {
  await call(admin.request, baseURL, 'POST', '/setup', { ...CLINIC, password: PASSWORD });
  await enrolMfa(admin.request, baseURL);
  const { token } = (await call(admin.request, baseURL, 'POST', '/staff/invites', {
    email: FACILITATOR.email,
    roles: ['facilitator', 'medical_provider'],
  })) as { token: string };
  // The clinic's own choice of observation time (a clinic-configurable default, 120 minutes):
  // this story has no two hours to wait, so its clinic chose none.
  await call(admin.request, baseURL, 'PATCH', '/clinic/settings', { minMinutesBeforeDischarge: 0 });
  await call(staff.request, baseURL, 'POST', '/invites/accept', {
    token,
    displayName: FACILITATOR.displayName,
    password: PASSWORD,
  });
  await enrolMfa(staff.request, baseURL);
  const me = (await call(staff.request, baseURL, 'GET', '/me')) as { id: string };
  const group = (await call(staff.request, baseURL, 'POST', '/groups', {
    name: 'Larch Hill Autumn Group',
    plan: { preparation: 2, dosing: 6, integration: 6 },
    routeDefault: 'intramuscular',
  })) as { id: string };
  await call(staff.request, baseURL, 'PUT', `/groups/${group.id}/staff`, {
    staff: [{ userId: me.id, roles: ['facilitator', 'medical_provider'] }],
  });
  for (const [i, name] of NAMES.entries()) {
    await call(staff.request, baseURL, 'POST', `/groups/${group.id}/participants`, {
      preferredName: name,
      emergencyContact: { name: `Contact of ${name}`, phone: `+1 555 0100 ${i}` },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    });
  }
  const session = (await call(staff.request, baseURL, 'POST', `/groups/${group.id}/sessions`, {
    kind: 'dosing',
    scheduledStart: new Date(Date.now() + 3_600_000).toISOString(),
    plannedMinutes: 240,
    room: 'Room 2',
  })) as { id: string };
  return session.id;
}

test('six tablets join, are admitted, follow every phase live, and are signed out by End session', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const admin = await browser.newContext({ viewport: TABLET_LANDSCAPE });
  // The facilitator's tablet in a dimmed room: the dark theme (prefers-color-scheme).
  const staffContext = await browser.newContext({ viewport: TABLET_LANDSCAPE, colorScheme: 'dark' });
  const sessionId = await preparedSession(staffContext, admin, baseURL!);
  await admin.close();

  const staff = await staffContext.newPage();
  const staffProblems = watchConsole(staff);
  await staff.goto(`/sessions/${sessionId}`);
  await expect(staff.getByTestId('staff-phase')).toHaveText('Scheduled');
  await expect(staff.getByText('Waiting to be let in: 0')).toBeVisible();
  await shot(staff, 'session-01-staff-before');

  // Six tablets: the first in Spanish, half of them held upright.
  const tablets: Page[] = [];
  const tabletProblems: string[][] = [];
  await staff.getByRole('button', { name: 'Admit tablets' }).click();
  for (const [i, name] of NAMES.entries()) {
    const context = await browser.newContext({
      viewport: i % 2 === 0 ? TABLET_PORTRAIT : TABLET_LANDSCAPE,
      locale: i === 0 ? 'es-MX' : 'en-US',
      colorScheme: i === 1 ? 'dark' : 'light',
    });
    const tablet = await context.newPage();
    tabletProblems.push(watchConsole(tablet));
    tablets.push(tablet);
    const code = (await staff.getByTestId('join-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await tablet.goto('/tablet');
    await tablet.locator('#join-code').fill(code.toLowerCase().replace('-', ' '));
    if (i === 0) await shot(tablet, 'session-02-tablet-join-es');
    await tablet.locator('form').getByRole('button').click();
    await tablet.getByRole('button', { name, exact: true }).click();
    await expect(tablet.locator('h1')).toContainText(name);
    if (i === 1) await shot(tablet, 'session-03-tablet-waiting');

    // Nothing joins silently: the tablet waits until a person lets it in.
    const request = staff.getByTestId('tablet-request').filter({ hasText: name });
    await expect(request).toBeVisible();
    if (i === 0) await shot(staff, 'session-04-staff-admission-request');
    await request.getByRole('button', { name: 'Let in' }).click();
    await expect(tablet.getByTestId('tablet-phase')).toHaveText(
      i === 0 ? spanish['phase_scheduled']! : 'Scheduled',
    );
    // A code works once: the next tablet gets a fresh one.
    await expect(staff.getByTestId('join-code')).not.toHaveText(code);
  }
  await expect(staff.getByText('In the session: 6')).toBeVisible();
  await shot(tablets[1]!, 'session-05-tablet-admitted');

  const everyTabletShows = async (phase: string, spanishKey: string) => {
    for (const [i, tablet] of tablets.entries()) {
      await expect(tablet.getByTestId('tablet-phase')).toHaveText(i === 0 ? spanish[spanishKey]! : phase);
    }
  };
  const moveTo = async (phase: string, spanishKey: string) => {
    await staff.getByRole('button', { name: `Move to ${phase}` }).click();
    await expect(staff.getByTestId('staff-phase')).toHaveText(phase);
    await everyTabletShows(phase, spanishKey);
  };
  const markAll = async (state: string, shown = state) => {
    for (let seat = 1; seat <= NAMES.length; seat++) {
      const row = staff.getByTestId(`seat-${seat}`);
      await row.getByRole('button', { name: state, exact: true }).click();
      await expect(row.locator('.state-badge')).toHaveText(shown);
    }
  };

  await moveTo('Arrival', 'phase_arrival');
  // The guard explains itself before anyone presses.
  await expect(staff.getByTestId('phase-guard')).toHaveText('No participant is ready yet.');
  await markAll('Checked in');
  await markAll('Ready');
  await shot(staff, 'session-06-staff-arrival');

  await staff.getByRole('button', { name: 'Pause the session' }).click();
  for (const tablet of tablets.slice(1))
    await expect(tablet.getByText('The session is paused for a moment.')).toBeVisible();
  await shot(tablets[2]!, 'session-07-tablet-paused');
  await staff.getByRole('button', { name: 'Resume the session' }).click();
  for (const tablet of tablets.slice(1))
    await expect(tablet.getByText('This screen follows the session by itself.')).toBeVisible();

  await moveTo('Opening circle', 'phase_opening_circle');
  await moveTo('Settling', 'phase_settling');
  await moveTo('Dosing', 'phase_dosing');
  await markAll('Dosed');
  await moveTo('Journey', 'phase_journey');
  await markAll('In journey');
  await moveTo('Return', 'phase_return');
  await markAll('Returned');
  await moveTo('Sharing circle', 'phase_sharing_circle');
  await moveTo('Closing', 'phase_closing');
  // Completed waits until everyone has left.
  await expect(staff.getByTestId('phase-guard')).toContainText('still here');
  await markAll('Observation');
  for (let seat = 1; seat <= NAMES.length; seat++) {
    const row = staff.getByTestId(`seat-${seat}`);
    await row.getByRole('button', { name: 'Ready to leave', exact: true }).click();
    // Nobody leaves without an escort: staff confirm it for each person.
    await row.getByLabel('Their escort is here').check();
    if (seat === 1) await shot(staff, 'session-08-staff-discharge-escort');
    await row.getByRole('button', { name: 'Mark as Ready to leave' }).click();
    await expect(row.locator('.state-badge')).toHaveText('Ready to leave');
  }
  await markAll('Discharged');
  await staff.setViewportSize(TABLET_PORTRAIT);
  await shot(staff, 'session-09-staff-closing-portrait');
  await staff.setViewportSize(TABLET_LANDSCAPE);
  await moveTo('Completed', 'phase_completed');
  await shot(staff, 'session-09b-staff-completed');

  // [AC-22] End session signs every tablet out.
  await staff.getByRole('button', { name: 'End session on all tablets' }).click();
  await staff.locator('.end-session').getByRole('button', { name: 'End session on all tablets' }).click();
  await expect(staff.getByText('Tablets signed out: 6')).toBeVisible();
  for (const tablet of tablets.slice(1)) {
    await expect(
      tablet.getByRole('heading', { name: 'This session has ended on this tablet' }),
    ).toBeVisible();
  }
  await expect(tablets[0]!.getByRole('heading', { name: spanish['tablet_ended_heading']! })).toBeVisible();
  await shot(tablets[3]!, 'session-10-tablet-ended');

  expect(staffProblems).toEqual([]);
  for (const problems of tabletProblems) expect(problems).toEqual([]);
});
