/**
 * Circle notes and private process notes (issue 6): a facilitator on a laptop and a co-therapist
 * on a tablet, both in the dimmed room, write the circle notes at the same time and see each
 * other's named carets; "Saved" shows once the server has committed; a select-all-and-delete is
 * brought back from the history (BI-Y12); a `javascript:` link is refused before it is sent
 * (BI-Y11); signing locks the notes for both and an addendum follows; each clinician's private
 * note stays their own. The clinic, staff and group are made through the API; the rest is UI.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { preparedSession } from './session-setup.ts';
import { TABLET_LANDSCAPE, shot, watchConsole } from './support.ts';

// Fictional clinic and people.
const CLINIC = {
  clinicName: 'Heron Point Clinic',
  displayName: 'Odile Marsh',
  email: 'odile@heron-point.example',
};
const FACILITATOR = {
  displayName: 'Maren Solberg',
  email: 'maren@heron-point.example',
  roles: ['facilitator'],
};
const CO_THERAPIST = {
  displayName: 'Tobias Reyes',
  email: 'tobias@heron-point.example',
  roles: ['co_therapist'],
};
const LAPTOP = { width: 1280, height: 800 };

const FROM_FACILITATOR = 'Trust grew as the circle named what felt unsafe.';
const FROM_CO_THERAPIST = 'Next circle: return to grounding before sharing.';
const PRIVATE_WORDS = 'Countertransference: I felt protective during the long silence.';

const circleEditor = (page: Page): Locator => page.getByTestId('circle-notes-editor').locator('.ProseMirror');
/** The note's words alone: colleagues' caret labels sit inside the editor but are not text. */
const noteText = (page: Page): Promise<string> =>
  circleEditor(page).evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.note-caret')) caret.remove();
    return [...copy.children].map((block) => block.textContent ?? '').join('\n');
  });
const savedState = (page: Page, panel: string): Locator =>
  page.getByTestId(panel).getByTestId('note-saved-state');

test('co-writing, carets, saved, restore after a mass delete, link refusal, signing, addenda, private notes', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const admin = await browser.newContext();
  const facilitatorContext = await browser.newContext({ viewport: LAPTOP, colorScheme: 'dark' });
  const coContext = await browser.newContext({ viewport: TABLET_LANDSCAPE, colorScheme: 'dark' });
  const { sessionId } = await preparedSession(
    admin,
    {
      clinic: CLINIC,
      staff: [
        { member: FACILITATOR, context: facilitatorContext },
        { member: CO_THERAPIST, context: coContext },
      ],
      participants: ['Ines', 'Jonah'],
      groupName: 'Heron Point Spring Group',
    },
    baseURL!,
  );
  await admin.close();

  const facilitator = await facilitatorContext.newPage();
  const co = await coContext.newPage();
  const problems = [watchConsole(facilitator), watchConsole(co)];
  for (const page of [facilitator, co]) {
    await page.goto(`/sessions/${sessionId}`);
    await page.getByLabel('Dim room').check();
    await page.getByRole('button', { name: 'Open circle notes' }).click();
    await expect(circleEditor(page)).toBeVisible();
    await expect(circleEditor(page)).toHaveAttribute('contenteditable', 'true');
  }

  // The template gives headings and nothing else: no member is named in it.
  await facilitator.getByRole('button', { name: 'Use group-note template' }).click();
  for (const page of [facilitator, co]) {
    await expect(circleEditor(page).locator('h2')).toHaveText([
      'Themes',
      'Process',
      'What the group practised',
      'Plan',
    ]);
  }

  // Both write at once, in different sections.
  await circleEditor(facilitator).locator('p').nth(0).click();
  await circleEditor(co).locator('p').nth(3).click();
  await Promise.all([
    circleEditor(facilitator).pressSequentially(FROM_FACILITATOR, { delay: 25 }),
    circleEditor(co).pressSequentially(FROM_CO_THERAPIST, { delay: 25 }),
  ]);
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([noteText(facilitator), noteText(co)]);
      return a === b && a.includes(FROM_FACILITATOR) && a.includes(FROM_CO_THERAPIST);
    })
    .toBe(true);

  // Each sees the other's caret, named as the server knows them.
  await expect(
    facilitator.getByTestId('circle-notes-editor').locator('.note-caret-label', { hasText: 'Tobias Reyes' }),
  ).toBeVisible();
  await expect(
    co.getByTestId('circle-notes-editor').locator('.note-caret-label', { hasText: 'Maren Solberg' }),
  ).toBeVisible();
  await expect(facilitator.getByTestId('circle-notes-others')).toContainText('Tobias Reyes');
  await expect(savedState(facilitator, 'circle-notes')).toHaveText('Saved');
  await expect(savedState(co, 'circle-notes')).toHaveText('Saved');
  await shot(facilitator, 'notes-01-laptop-dim-co-writing');
  await shot(co, 'notes-02-tablet-dim-co-writing');

  // [BI-Y12] Select all and delete, by one of them…
  await circleEditor(co).click();
  await co.keyboard.press('ControlOrMeta+A');
  await co.keyboard.press('Delete');
  for (const page of [facilitator, co]) await expect.poll(() => noteText(page)).toMatch(/^\s*$/);
  await expect(savedState(co, 'circle-notes')).toHaveText('Saved');

  // …and the other brings the text back from the history.
  await facilitator.getByRole('button', { name: 'Version history' }).click();
  const drawer = facilitator.getByRole('dialog', { name: 'Version history' });
  await expect(drawer.getByTestId('note-versions').locator('li').first()).toContainText('0 characters');
  const sizes = await drawer.locator('.note-version-size').allInnerTexts();
  const before = sizes.findIndex((size) => !/^0 /.test(size));
  expect(before).toBeGreaterThan(0);
  await drawer.getByTestId('note-versions').locator('li').nth(before).getByRole('button').click();
  await expect(drawer.getByTestId('note-preview')).toContainText(FROM_FACILITATOR);
  await expect(drawer.getByTestId('note-preview').locator('.ProseMirror')).toHaveAttribute(
    'contenteditable',
    'false',
  );
  await shot(facilitator, 'notes-03-laptop-dim-history');
  await drawer.getByRole('button', { name: 'Restore this version' }).click();
  await expect(drawer.getByText('Replace the notes with this version for everyone?')).toBeVisible();
  await drawer.getByRole('button', { name: 'Yes, restore it' }).click();
  await expect(drawer.getByRole('status').filter({ hasText: 'Restored the version' })).toBeVisible();
  await drawer.getByRole('button', { name: 'Close' }).click();
  for (const page of [facilitator, co]) {
    await expect(circleEditor(page)).toContainText(FROM_FACILITATOR);
    await expect(circleEditor(page)).toContainText(FROM_CO_THERAPIST);
  }

  // [BI-Y11] A javascript: link is refused before it reaches the editor; https is taken.
  await circleEditor(facilitator).locator('p').nth(0).click();
  await facilitator.keyboard.press('End');
  await facilitator.keyboard.type(' See ');
  await facilitator.getByRole('button', { name: 'Link', exact: true }).click();
  const address = facilitator.getByLabel('Link address');
  await address.fill('javascript:alert(document.cookie)');
  await facilitator.getByRole('button', { name: 'Add link' }).click();
  await expect(facilitator.getByRole('alert').filter({ hasText: 'can only open web pages' })).toBeVisible();
  await expect(circleEditor(facilitator).locator('a')).toHaveCount(0);
  await shot(facilitator, 'notes-06-laptop-dim-link-refused');
  await address.fill('https://example.org/grounding');
  await facilitator.getByRole('button', { name: 'Add link' }).click();
  for (const page of [facilitator, co]) {
    await expect(circleEditor(page).locator('a[href="https://example.org/grounding"]')).toBeVisible();
    await expect(circleEditor(page).locator('a[href^="javascript"]')).toHaveCount(0);
  }
  await expect(savedState(facilitator, 'circle-notes')).toHaveText('Saved');

  // Signing asks first, then locks the notes for both; an addendum follows.
  await facilitator.getByRole('button', { name: 'Sign note' }).click();
  await expect(facilitator.getByText('Signing locks the notes for everyone')).toBeVisible();
  await shot(facilitator, 'notes-07-laptop-dim-sign-confirm');
  await facilitator.getByRole('button', { name: 'Sign and lock' }).click();
  for (const page of [facilitator, co]) {
    await expect(page.getByTestId('note-signature')).toContainText('Signed by Maren Solberg');
    await expect(page.getByTestId('circle-notes-locked')).toBeVisible();
    await expect(circleEditor(page)).toHaveAttribute('contenteditable', 'false');
    await expect(page.getByRole('toolbar', { name: 'Formatting' })).toHaveCount(0);
  }
  await co.getByLabel('Add an addendum').fill('Jonah left ten minutes early; the plan stands.');
  await co.getByRole('button', { name: 'Add addendum' }).click();
  for (const page of [facilitator, co]) {
    await expect(page.getByTestId('note-addenda')).toContainText('Jonah left ten minutes early');
    await expect(page.getByTestId('note-addenda')).toContainText('Tobias Reyes');
  }
  await shot(co, 'notes-04-tablet-dim-signed');

  // The private process note is its author's alone.
  await facilitator.getByRole('tab', { name: 'My private process note' }).click();
  await expect(facilitator.getByTestId('private-note')).toContainText('Only you can see this note.');
  const facilitatorPrivate = facilitator.getByTestId('private-note-editor').locator('.ProseMirror');
  await facilitatorPrivate.click();
  await facilitatorPrivate.pressSequentially(PRIVATE_WORDS, { delay: 10 });
  await expect(savedState(facilitator, 'private-note')).toHaveText('Saved');
  await shot(facilitator, 'notes-05-laptop-dim-private');

  await co.getByRole('tab', { name: 'My private process note' }).click();
  const coPrivate = co.getByTestId('private-note-editor').locator('.ProseMirror');
  await expect(coPrivate).toBeVisible();
  await expect(coPrivate).toHaveText(/^\s*$/);
  await expect(co.getByText(PRIVATE_WORDS)).toHaveCount(0);
  await co.getByRole('tab', { name: 'Circle notes' }).click();
  await expect(circleEditor(co)).not.toContainText(PRIVATE_WORDS);

  expect(problems.flat()).toEqual([]);
  await facilitatorContext.close();
  await coContext.close();
});
