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
import { expect, test, type BrowserContext } from '@playwright/test';
import { admitTablets, preparedSession } from './session-setup.ts';
import { TABLET_LANDSCAPE, TABLET_PORTRAIT, shot, watchConsole } from './support.ts';

// Fictional clinic and people.
const CLINIC = {
  clinicName: 'Larch Hill Clinic',
  displayName: 'Ines Varga',
  email: 'ines@larch-hill.example',
};
const FACILITATOR = {
  displayName: 'Owen Tamsin',
  email: 'owen@larch-hill.example',
  roles: ['facilitator', 'medical_provider'],
};
const NAMES = ['Ada', 'Basil', 'Cora', 'Dario', 'Esme', 'Felix'];

const spanish = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', 'apps/web/messages/es.json'), 'utf8'),
) as Record<string, string>;

/** A clinic, a facilitator who is also the group's medical provider, six participants, one session. */
async function larchHillSession(staff: BrowserContext, admin: BrowserContext, baseURL: string) {
  const { sessionId } = await preparedSession(
    admin,
    {
      clinic: CLINIC,
      staff: [{ member: FACILITATOR, context: staff }],
      participants: NAMES,
      groupName: 'Larch Hill Autumn Group',
      // The clinic's own choice of observation time (a clinic-configurable default, 120
      // minutes): this story has no two hours to wait, so its clinic chose none.
      settings: { minMinutesBeforeDischarge: 0 },
    },
    baseURL,
  );
  return sessionId;
}

test('six tablets join, are admitted, follow every phase live, and are signed out by End session', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const admin = await browser.newContext({ viewport: TABLET_LANDSCAPE });
  // The facilitator's tablet in a dimmed room: the dark theme (prefers-color-scheme).
  const staffContext = await browser.newContext({ viewport: TABLET_LANDSCAPE, colorScheme: 'dark' });
  const sessionId = await larchHillSession(staffContext, admin, baseURL!);
  await admin.close();

  const staff = await staffContext.newPage();
  const staffProblems = watchConsole(staff);
  await staff.goto(`/sessions/${sessionId}`);
  await expect(staff.getByTestId('staff-phase')).toHaveText('Scheduled');
  await expect(staff.getByText('Waiting to be let in: 0')).toBeVisible();
  await shot(staff, 'session-01-staff-before');

  // Six tablets: the first in Spanish, half of them held upright.
  const admitted = await admitTablets(browser, staff, NAMES, {
    locale: (i) => (i === 0 ? 'es-MX' : 'en-US'),
    colorScheme: (i) => (i === 1 ? 'dark' : 'light'),
    onStep: async (step, page, i) => {
      if (step === 'join' && i === 0) await shot(page, 'session-02-tablet-join-es');
      if (step === 'waiting' && i === 1) await shot(page, 'session-03-tablet-waiting');
      if (step === 'request' && i === 0) await shot(page, 'session-04-staff-admission-request');
    },
  });
  const tablets = admitted.map((t) => t.page);
  const tabletProblems = admitted.map((t) => t.problems);
  for (const [i, tablet] of tablets.entries()) {
    await expect(tablet.getByTestId('tablet-phase')).toHaveText(
      i === 0 ? spanish['phase_scheduled']! : 'Scheduled',
    );
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
