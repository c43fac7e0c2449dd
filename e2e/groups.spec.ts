/**
 * The group story (issue 4): a facilitator creates a group, enrols six participants through the
 * form, schedules a dosing session and finds it on the dashboard; the group is then filled to
 * twelve through the API and the thirteenth is refused with the reason shown in place; a
 * participant is withdrawn and stays on the roster; the same pages read in Spanish. Every page
 * is checked with axe and saved at both tablet sizes to be looked at.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  enrolTotp,
  finishRecoveryCodes,
  shot,
  watchConsole,
} from './support.ts';

// Fictional clinic and people.
const ADMIN = {
  clinic: 'Alder Bend Clinic',
  name: 'Noor Haddad',
  email: 'noor@alder-bend.example',
  password: 'kettles hum by the window',
};
const FACILITATOR = {
  name: 'Tomás Ibarra',
  email: 'tomas@alder-bend.example',
  password: 'paper boats on a slow canal',
};
const GROUP = 'Thursday Willow Circle';
const FIRST_SIX = ['Alba', 'Bruno', 'Cielo', 'Darío', 'Elena', 'Fausto'];
const NEXT_SIX = ['Gema', 'Hugo', 'Inés', 'Joel', 'Kira', 'Lucio'];

/** The clinic's admin sets Cairn up and invites a facilitator; returns the invite link. */
async function clinicWithFacilitatorInvite(browser: Browser, baseURL: string): Promise<string> {
  const context = await browser.newContext({ viewport: TABLET_LANDSCAPE, baseURL });
  const page = await context.newPage();
  await page.goto('/setup');
  await page.getByLabel('Clinic name').fill(ADMIN.clinic);
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create clinic and account' }).click();
  await enrolTotp(page);
  await finishRecoveryCodes(page);
  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  await page.getByLabel("Colleague's email").fill(FACILITATOR.email);
  await page.getByLabel('Facilitator').check();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const link = await page.getByTestId('invite-link').inputValue();
  await context.close();
  return link;
}

async function enrolThroughForm(page: Page, name: string): Promise<void> {
  await fillEnrolForm(page, name);
  await expect(page.getByRole('status').filter({ hasText: `${name} is enrolled.` })).toBeVisible();
}

async function fillEnrolForm(page: Page, name: string): Promise<void> {
  const form = page.getByTestId('enrol-form');
  await form.getByLabel('Preferred name').fill(name);
  await form.getByLabel('Pronouns (optional)').fill('they/them');
  const emergency = form.getByRole('group', { name: 'Emergency contact' });
  await emergency.getByLabel('Name').fill(`${name}'s sister`);
  await emergency.getByLabel('Phone').fill('+1 555 0100');
  await form.getByLabel('Group confidentiality agreement').check();
  await form.getByLabel('Tablet data use').check();
  await form.getByRole('button', { name: 'Enrol participant' }).click();
}

/** No sideways scrolling: at 768 px everything must fit the width. */
async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The local date of tomorrow as an <input type=date> value. */
function tomorrow(): string {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

test('a facilitator builds a group of six, schedules a dosing session, and the 13th is refused', async ({
  browser,
  baseURL,
}) => {
  const link = await clinicWithFacilitatorInvite(browser, baseURL!);

  const context = await browser.newContext({ viewport: TABLET_LANDSCAPE, baseURL: baseURL! });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(link);
  await page.getByLabel('Your name').fill(FACILITATOR.name);
  await page.getByLabel('Password', { exact: true }).fill(FACILITATOR.password);
  await page.getByLabel('Confirm password').fill(FACILITATOR.password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await enrolTotp(page);
  await finishRecoveryCodes(page);
  await expect(page.getByRole('heading', { name: `Welcome, ${FACILITATOR.name}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'My groups' })).toBeVisible();
  await shot(page, 'groups-01-home-empty');

  // Create the group.
  await page.getByRole('link', { name: 'Create a group' }).click();
  await expect(page.getByRole('heading', { name: 'Create a group' })).toBeVisible();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByText('Enter a name.')).toBeVisible();
  await page.getByLabel('Group name').fill(GROUP);
  await page.getByLabel('Dosing sessions').fill('2');
  await page.getByLabel('Usual route of administration').selectOption('sublingual');
  await shot(page, 'groups-02-create');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { name: GROUP })).toBeVisible();
  await expect(page.getByText('Plan: 2 preparation, 2 dosing, 3 integration')).toBeVisible();
  await expect(page.getByTestId('too-few-hint')).toContainText('needs at least 4');
  const groupUrl = page.url();

  // Six participants through the form.
  for (const name of FIRST_SIX) await enrolThroughForm(page, name);
  await expect(page.getByTestId('roster').getByRole('listitem')).toHaveCount(6);
  await expect(page.getByTestId('too-few-hint')).toHaveCount(0);
  await expect(page.getByText('6 of 12 active participants', { exact: false })).toBeVisible();

  // Schedule a dosing session for tomorrow morning.
  const schedule = page.getByTestId('schedule-form');
  await schedule.getByLabel('Dosing').check();
  await schedule.getByLabel('Date').fill(tomorrow());
  await schedule.getByLabel('Start time').fill('09:30');
  await schedule.getByLabel('Room (optional)').fill('Cedar Room');
  await schedule.getByRole('button', { name: 'Schedule session' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Dosing session 1 is scheduled' })).toBeVisible();
  const sessionLink = page.getByTestId('sessions-table').getByRole('link', { name: 'Dosing session 1' });
  await expect(sessionLink).toHaveAttribute('href', /^\/sessions\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('sessions-table')).toContainText('Cedar Room');
  const sessionHref = await sessionLink.getAttribute('href');
  await shot(page, 'groups-03-group-landscape');
  await page.setViewportSize(TABLET_PORTRAIT);
  await expectNoHorizontalOverflow(page, 'the group page');
  await shot(page, 'groups-04-group-portrait');
  await page.setViewportSize(TABLET_LANDSCAPE);

  // The dashboard shows the group and the session, linking to the session page.
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByTestId('my-groups')).toContainText(GROUP);
  await expect(page.getByTestId('my-groups')).toContainText('6 of 12 participants');
  const upcoming = page.getByTestId('upcoming-sessions').getByRole('link');
  await expect(upcoming).toHaveCount(1);
  await expect(upcoming).toContainText('Dosing session 1');
  await expect(upcoming).toContainText(GROUP);
  await expect(upcoming).toHaveAttribute('href', sessionHref ?? 'missing');
  await shot(page, 'groups-05-home-landscape');
  await page.setViewportSize(TABLET_PORTRAIT);
  await expectNoHorizontalOverflow(page, 'the dashboard');
  await shot(page, 'groups-06-home-portrait');
  await page.setViewportSize(TABLET_LANDSCAPE);

  // Fill the group to twelve through the API, as the same signed-in facilitator.
  const groupId = new URL(groupUrl).pathname.split('/').at(-1)!;
  for (const name of NEXT_SIX) {
    const response = await page.request.post(`/api/v1/groups/${groupId}/participants`, {
      headers: { origin: baseURL! },
      data: {
        preferredName: name,
        emergencyContact: { name: `${name}'s friend`, phone: '+1 555 0101' },
        consents: { groupConfidentialityAgreement: true, tabletDataUse: false },
      },
    });
    expect(response.status(), `enrolling ${name}`).toBe(201);
  }

  // The thirteenth is refused, and the form says why, in place.
  await page.goto(groupUrl);
  await expect(page.getByText('The group is full (12 of 12)')).toBeVisible();
  await fillEnrolForm(page, 'Mara');
  const refusal = page.getByRole('alert').filter({ hasText: 'at most 12' });
  await expect(refusal).toContainText('A group has at most 12 participants');
  await expect(page.getByTestId('roster').getByRole('listitem')).toHaveCount(12);
  await expect(page.getByTestId('roster')).not.toContainText('Mara');
  await shot(page, 'groups-07-group-full');

  // Withdrawing someone keeps them on the roster, marked withdrawn, and frees a place.
  await page.getByRole('button', { name: 'Withdraw Alba' }).click();
  await page.getByRole('button', { name: 'Withdraw participant' }).click();
  await expect(page.getByText('Enter a reason.')).toBeVisible();
  await page.getByLabel('Reason', { exact: true }).fill('Moved to another city');
  await page.getByRole('button', { name: 'Withdraw participant' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Alba was withdrawn' })).toBeVisible();
  const alba = page.getByTestId('roster').getByRole('listitem').filter({ hasText: 'Alba' });
  await expect(alba).toContainText('Withdrawn');
  await expect(page.getByText('11 of 12 active participants', { exact: false })).toBeVisible();

  // Correcting a participant's details: the form opens prefilled, and the row shows the change.
  await page.getByRole('button', { name: 'Edit details of Bruno' }).click();
  const edit = page.getByTestId('participant-edit-form');
  await expect(edit.getByLabel('Preferred name')).toHaveValue('Bruno');
  await expect(edit.getByLabel('Preferred name')).toBeFocused();
  await edit.getByLabel('Pronouns (optional)').fill('he/him');
  await shot(page, 'groups-13-edit-participant');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: "Bruno's details were saved." })).toBeVisible();
  const bruno = page.getByTestId('roster').getByRole('listitem').filter({ hasText: 'Bruno' });
  await expect(bruno).toContainText('(he/him)');
  await expect(edit).toHaveCount(0);

  // Revoking a consent asks once more; recording it again is one step.
  const cielo = page.getByTestId('roster').getByRole('listitem').filter({ hasText: "Cielo's sister" });
  await page.getByRole('button', { name: 'Revoke consent (Tablet data, Cielo)' }).click();
  await expect(cielo).toContainText('Revoke Tablet data for Cielo?');
  await shot(page, 'groups-14-revoke-confirm');
  await page.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tablet data revoked for Cielo.' })).toBeVisible();
  await expect(cielo).toContainText('Tablet data: not given');
  await page.getByRole('button', { name: 'Record consent (Tablet data, Cielo)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tablet data recorded for Cielo.' })).toBeVisible();
  await expect(cielo).toContainText('Tablet data: given');

  // A second session to cancel; the dosing session is moved to later in the day.
  await schedule.getByLabel('Preparation').check();
  await schedule.getByLabel('Date').fill(tomorrow());
  await schedule.getByLabel('Start time').fill('14:00');
  await schedule.getByRole('button', { name: 'Schedule session' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Preparation session 1 is scheduled' }),
  ).toBeVisible();
  const rows = page.getByTestId('sessions-table').getByTestId('session-row');
  const dosingRow = rows.filter({ hasText: 'Dosing session 1' });
  const preparationRow = rows.filter({ hasText: 'Preparation session 1' });

  await page.getByRole('button', { name: 'Reschedule Dosing session 1' }).click();
  const reschedule = page.getByTestId('reschedule-form');
  await expect(reschedule.getByLabel('Start time')).toHaveValue('09:30');
  await reschedule.getByLabel('Start time').fill('11:15');
  await shot(page, 'groups-15-reschedule');
  await reschedule.getByRole('button', { name: 'Save new time' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Dosing session 1 moved to' })).toBeVisible();
  await expect(dosingRow).toContainText('11:15');
  await expect(dosingRow).toContainText('Scheduled');

  await page.getByRole('button', { name: 'Cancel session… Preparation session 1' }).click();
  const cancelForm = page.getByTestId('cancel-session-form');
  await cancelForm.getByRole('button', { name: 'Cancel this session' }).click();
  await expect(cancelForm.getByText('Enter a reason.')).toBeVisible();
  await cancelForm.getByLabel('Reason', { exact: true }).fill('Facilitator unwell');
  await cancelForm.getByRole('button', { name: 'Cancel this session' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Preparation session 1 was cancelled.' }),
  ).toBeVisible();
  await expect(preparationRow).toContainText('Cancelled');
  await expect(preparationRow).toContainText('Reason: Facilitator unwell');
  await expect(page.getByRole('button', { name: 'Reschedule Preparation session 1' })).toHaveCount(0);
  await shot(page, 'groups-16-session-cancelled-landscape');
  await page.setViewportSize(TABLET_PORTRAIT);
  await expectNoHorizontalOverflow(page, 'the group page with a cancelled session');
  await shot(page, 'groups-17-session-cancelled-portrait');
  await page.setViewportSize(TABLET_LANDSCAPE);

  // In Spanish: the switch is on every page, the choice sticks, and the page says lang="es".
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { name: 'Participantes' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { name: 'Inscribir a un participante' })).toBeVisible();
  await expect(page.getByTestId('sessions-table')).toContainText('Sesión de dosificación 1');
  await expect(alba).toContainText('De baja');
  const preparacion = rows.filter({ hasText: 'Sesión de preparación 1' });
  const dosificacion = rows.filter({ hasText: 'Sesión de dosificación 1' });
  await expect(preparacion).toContainText('Cancelada');
  await expect(preparacion).toContainText('Motivo: Facilitator unwell');
  // Moving a session, in Spanish.
  await page.getByRole('button', { name: 'Cambiar horario Sesión de dosificación 1' }).click();
  await page.getByTestId('reschedule-form').getByLabel('Hora de inicio').fill('12:45');
  await page.getByRole('button', { name: 'Guardar nuevo horario' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Sesión de dosificación 1 se movió a' }),
  ).toBeVisible();
  await expect(dosificacion).toContainText('12:45');
  await expect(page.getByRole('button', { name: 'Español' })).toHaveAttribute('aria-pressed', 'true');
  await shot(page, 'groups-08-group-spanish-landscape');
  await page.setViewportSize(TABLET_PORTRAIT);
  await expectNoHorizontalOverflow(page, 'the Spanish group page');
  await shot(page, 'groups-09-group-spanish-portrait');
  await page.getByRole('link', { name: 'Inicio', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sesiones de hoy y próximas' })).toBeVisible();
  // The cancelled session is not on the dashboard; the moved one is, at its new time.
  await expect(page.getByTestId('upcoming-sessions').getByRole('link')).toHaveCount(1);
  await expect(page.getByTestId('upcoming-sessions')).toContainText('Sesión de dosificación 1');
  await expect(page.getByTestId('upcoming-sessions')).toContainText('12:45');
  await shot(page, 'groups-10-home-spanish-portrait');

  // Dark theme, for a dim room.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(groupUrl);
  await expect(page.getByRole('heading', { name: GROUP })).toBeVisible();
  await shot(page, 'groups-11-group-dark-portrait');

  // Back to English.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Participants' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  expect(problems, 'console errors (CSP violations included)').toEqual([]);
  await context.close();
});

test('the sign-in page follows the browser language and the switch', async ({ browser, baseURL }) => {
  const context = await browser.newContext({
    viewport: TABLET_PORTRAIT,
    locale: 'es-MX',
    baseURL: baseURL!,
  });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.waitForLoadState('networkidle'); // the form is handled in the browser once it has loaded
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await expect(page.getByText('Escriba su correo electrónico.')).toBeVisible();
  await shot(page, 'groups-12-login-spanish');

  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The choice outlives the browser's preference on the next visit.
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(problems, 'console errors (CSP violations included)').toEqual([]);
  await context.close();
});
