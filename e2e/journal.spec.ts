/**
 * The private journal (issue 6): Ana sets up her journal on the clinic tablet (a weak passphrase
 * is refused, a strong one gives a recovery code), writes an entry with a drawing and sees it
 * saved; the server holds only ciphertext (AC-20: the marker is in no file of its data directory
 * and not in its log). Offline with unsaved writing, the tablet reloads and the writing comes
 * back after unlocking (FT-08). At home, on her phone in Spanish, a wrong passphrase is refused,
 * the right one opens the same entry (second device), and the recovery code sets a new
 * passphrase. "Sign out & clear" leaves nothing of the journal on the tablet (AC-10); the
 * facilitator, redeeming her join code on that tablet, finds the journal locked and cannot open
 * it, and Ana is told of the attempt next time (AC-03). Clinic, staff and group are made
 * through the API; everything the participant does is the UI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { admitTablets, call, preparedSession } from './session-setup.ts';
import { shot, watchConsole } from './support.ts';

// Fictional clinic and people.
const CLINIC = {
  clinicName: 'Juniper Ford Clinic',
  displayName: 'Petra Lund',
  email: 'petra@juniper-ford.example',
};
const FACILITATOR = {
  displayName: 'Samir Okafor',
  email: 'samir@juniper-ford.example',
  roles: ['facilitator', 'medical_provider'],
};
const NAMES = ['Ana', 'Bruno'];
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const PASSPHRASE = 'lantern over the quiet harbour';
const NEW_PASSPHRASE = 'seven herons fold into morning fog';
// Unique to this run, so finding it anywhere can only mean this journal leaked it.
const MARKER = `heron-marker-${Date.now().toString(36)}`;
const OFFLINE_MARKER = `tidepool-marker-${Date.now().toString(36)}`;
const ANSWER_MARKER = `lakeshore-marker-${Date.now().toString(36)}`;

const words = {
  en: JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'apps/web/messages/en.json'), 'utf8')),
  es: JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'apps/web/messages/es.json'), 'utf8')),
} as Record<'en' | 'es', Record<string, string>>;
type Lang = keyof typeof words;
const say = (lang: Lang, key: string) => {
  const text = words[lang][key];
  if (text === undefined) throw new Error(`no message ${key}`);
  return text;
};

async function unlockWith(page: Page, lang: Lang, passphrase: string) {
  await page.getByLabel(say(lang, 'journal_ui_passphrase_label'), { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: say(lang, 'journal_ui_unlock_submit'), exact: true }).click();
}

/** Draws a short curve on the entry's canvas with the pointer. */
async function draw(page: Page) {
  const canvas = page.getByTestId('journal-canvas');
  // Scrolled to the top of the viewport, so the sticky support button covers none of the curve.
  await canvas.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(
      box.x + box.width * (0.2 + i * 0.05),
      box.y + box.height * (0.4 - Math.sin(i / 4) * 0.3),
    );
  }
  await page.mouse.up();
}

/** Makes the journal's appends fail as if the Wi-Fi were down; the page itself still loads. */
async function cutJournalSync(context: BrowserContext) {
  await context.route('**/api/v1/journal/blobs', (route) => route.abort('internetdisconnected'));
}

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

test('a private journal: set up on the tablet, ciphertext only on the server, home, recovery, sign-out, a facilitator locked out', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(900_000);
  const admin = await browser.newContext();
  const staffContext = await browser.newContext({ viewport: LAPTOP });
  const { sessionId, groupId } = await preparedSession(
    admin,
    {
      clinic: CLINIC,
      staff: [{ member: FACILITATOR, context: staffContext }],
      participants: NAMES,
      groupName: 'Juniper Ford Spring Group',
    },
    baseURL!,
  );
  await admin.close();
  const staff = await staffContext.newPage();
  const staffProblems = watchConsole(staff);
  await staff.goto(`/sessions/${sessionId}`);
  const [ana] = await admitTablets(browser, staff, ['Ana']);
  const tablet = ana!.page;

  // The journal is one tap away from the room screen, not on it.
  const openJournal = tablet.getByRole('button', { name: say('en', 'journal_ui_open') });
  await expect(openJournal).toBeVisible();
  await shot(tablet, 'journal-01-tablet-room');
  await openJournal.click();

  // Set-up: a weak passphrase is refused with a reason; a strong one is taken.
  const setup = tablet.getByTestId('journal-setup');
  await expect(setup).toBeVisible();
  await expect(setup).toContainText(say('en', 'journal_ui_private'));
  await tablet.getByLabel(say('en', 'journal_ui_passphrase_label'), { exact: true }).fill('moss');
  await tablet.getByLabel(say('en', 'journal_ui_passphrase_again')).fill('moss');
  // The journal's own check (passphrase-strength.ts): too short, in the reader's words.
  await expect(setup.locator('#journal-strength')).toHaveText(
    say('en', 'journal_passphrase_too_short').replace('{min}', '12').replace('{words}', '4'),
  );
  await tablet.getByRole('button', { name: say('en', 'journal_ui_setup_submit') }).click();
  await shot(tablet, 'journal-02-setup-weak');
  await expect(tablet.getByTestId('journal-recovery')).toHaveCount(0);
  await tablet.getByLabel(say('en', 'journal_ui_passphrase_label'), { exact: true }).fill(PASSPHRASE);
  await expect(setup).toContainText(say('en', 'journal_ui_passphrase_strong'));
  await tablet.getByLabel(say('en', 'journal_ui_passphrase_again')).fill(PASSPHRASE);
  await tablet.getByRole('button', { name: say('en', 'journal_ui_setup_submit') }).click();

  // The recovery code: shown once, grouped, printable; kept before the journal opens.
  const codeList = tablet.getByTestId('journal-recovery-code');
  await expect(codeList).toBeVisible({ timeout: 30_000 });
  const recoveryCode = (await codeList.locator('li').allInnerTexts()).join('-');
  expect(recoveryCode).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
  await expect(tablet.getByTestId('journal-recovery')).toContainText(say('en', 'journal_ui_recovery_lead'));
  await shot(tablet, 'journal-03-recovery-code');
  await tablet.emulateMedia({ media: 'print' });
  await tablet.screenshot({
    path: path.join(import.meta.dirname, 'screenshots', 'journal-04-recovery-print.png'),
  });
  await tablet.emulateMedia({ media: 'screen' });
  const keep = tablet.getByRole('button', { name: say('en', 'journal_ui_recovery_continue') });
  await expect(keep).toBeDisabled();
  await tablet.getByLabel(say('en', 'journal_ui_recovery_kept')).check();
  await keep.click();

  // An entry: words with the marker, and a drawing; "Saved" once the server has them.
  await expect(tablet.getByTestId('journal-entries')).toContainText(say('en', 'journal_ui_no_entries'));
  await shot(tablet, 'journal-05-entries-empty');
  await tablet.getByRole('button', { name: say('en', 'journal_ui_new_entry') }).click();
  await tablet.getByTestId('journal-text').fill(`After the circle: ${MARKER}\nThe room felt warm.`);
  await draw(tablet);
  await expect(tablet.getByTestId('journal-canvas')).toHaveAttribute('data-strokes', '1');
  await expect(tablet.getByTestId('journal-save')).toHaveText(say('en', 'journal_ui_saved'), {
    timeout: 20_000,
  });
  await shot(tablet, 'journal-06-entry-saved');

  // [FT-08] The Wi-Fi drops with words unsaved, and the tablet reloads.
  await cutJournalSync(ana!.context);
  await tablet.getByTestId('journal-text').press('End');
  await tablet.getByTestId('journal-text').pressSequentially(` ${OFFLINE_MARKER}`);
  await expect(tablet.getByTestId('journal-save')).toHaveText(say('en', 'journal_ui_offline'), {
    timeout: 20_000,
  });
  await shot(tablet, 'journal-07-offline');
  const dialogs: string[] = [];
  tablet.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await tablet.reload();
  await ana!.context.unroute('**/api/v1/journal/blobs');
  await tablet.getByRole('button', { name: say('en', 'journal_ui_open') }).click();
  await unlockWith(tablet, 'en', PASSPHRASE);
  await expect(tablet.getByTestId('journal-entries')).toContainText(MARKER, { timeout: 30_000 });
  await expect(tablet.getByTestId('journal-save')).toHaveText(say('en', 'journal_ui_saved'), {
    timeout: 20_000,
  });
  expect(dialogs, 'the page warned before the reload dropped unsaved writing').toContain('beforeunload');

  // A prompt answered privately goes into the journal; staff learn only that it was answered.
  // Cairn's default prompt 'return-2' (packages/domain's prompt-library.ts), released to Ana.
  const prompt = 'Three words for where you just were.';
  await staff.getByText('Add from the library').click();
  await staff
    .locator('.deck-library-item')
    .filter({ hasText: prompt })
    .getByRole('button', { name: 'Add' })
    .click();
  const deckItem = staff.getByTestId('deck-prompt').filter({ hasText: prompt });
  await deckItem.getByRole('button', { name: 'Release to…' }).click();
  await deckItem.getByLabel(/Seat 1/).check();
  await deckItem.getByRole('button', { name: 'Release to the chosen participants' }).click();
  await tablet.getByRole('button', { name: say('en', 'journal_ui_back_to_session') }).click();
  const promptCard = tablet.getByTestId('tablet-prompt');
  await promptCard.getByText(prompt).click();
  await tablet.getByLabel('Your answer').fill(ANSWER_MARKER);
  await promptCard.getByRole('button', { name: say('en', 'prompt_share_keep_journal') }).click();
  await expect(promptCard).toContainText(say('en', 'prompt_share_answered_journal'), { timeout: 30_000 });
  const anasTile = staff.getByTestId('tile-seat-1');
  await expect(anasTile.getByTestId('tile-answers')).toContainText(say('en', 'prompt_share_board_private'));
  await expect(staff.locator('body')).not.toContainText(ANSWER_MARKER);
  await tablet.getByRole('button', { name: say('en', 'journal_ui_open') }).click();
  await expect(tablet.getByTestId('journal-entries')).toContainText(ANSWER_MARKER);
  await expect(tablet.getByTestId('journal-save')).toHaveText(say('en', 'journal_ui_saved'), {
    timeout: 20_000,
  });

  // A second device: Ana at home on her phone, in Spanish, with her access card.
  const group = (await call(staffContext.request, baseURL!, 'GET', `/groups/${groupId}`)) as {
    participants: { id: string; preferredName: string }[];
  };
  const anaId = group.participants.find((p) => p.preferredName === 'Ana')!.id;
  const { code: cardCode } = (await call(
    staffContext.request,
    baseURL!,
    'POST',
    `/groups/${groupId}/participants/${anaId}/access-card`,
  )) as { code: string };
  const homeContext = await browser.newContext({ viewport: PHONE, locale: 'es-MX', hasTouch: true });
  const phone = await homeContext.newPage();
  const phoneProblems = watchConsole(phone);
  await phone.goto('/home');
  await phone.locator('#card-code').fill(cardCode);
  await phone.getByRole('button', { name: say('es', 'common_continue') }).click();
  await phone.getByRole('button', { name: say('es', 'journal_ui_open') }).click();
  await expect(phone.getByTestId('journal-unlock')).toBeVisible();
  await unlockWith(phone, 'es', 'lantern over the loud harbour');
  await expect(phone.getByTestId('journal-unlock')).toContainText(say('es', 'journal_ui_wrong_passphrase'), {
    timeout: 30_000,
  });
  await shot(phone, 'journal-08-phone-wrong-passphrase');
  await unlockWith(phone, 'es', PASSPHRASE);
  const failed = phone.getByTestId('journal-failed');
  await expect(failed).toContainText(say('es', 'journal_ui_failed_home'), { timeout: 30_000 });
  await shot(phone, 'journal-09-phone-told-of-attempt');
  await failed.getByRole('button', { name: say('es', 'journal_ui_failed_dismiss') }).click();
  await phone.getByRole('button', { name: new RegExp(MARKER) }).click();
  await expect(phone.getByTestId('journal-text')).toHaveValue(
    new RegExp(`${MARKER}[\\s\\S]*${OFFLINE_MARKER}`),
  );
  await expect(phone.getByTestId('journal-canvas')).toHaveAttribute('data-strokes', '1');
  await shot(phone, 'journal-10-phone-entry');

  // The recovery code opens the journal and sets a new passphrase; the old one no longer works.
  await phone.getByRole('button', { name: say('es', 'journal_ui_entry_back') }).click();
  await phone.getByRole('button', { name: say('es', 'journal_ui_lock') }).click();
  await phone.getByRole('button', { name: say('es', 'journal_ui_forgot') }).click();
  await phone.getByLabel(say('es', 'journal_ui_recovery_code_label')).fill(recoveryCode.toLowerCase());
  await phone.getByLabel(say('es', 'journal_ui_new_passphrase_label')).fill(NEW_PASSPHRASE);
  await phone.getByLabel(say('es', 'journal_ui_passphrase_again')).fill(NEW_PASSPHRASE);
  await shot(phone, 'journal-11-phone-recover');
  await phone.getByRole('button', { name: say('es', 'journal_ui_recover_submit') }).click();
  await expect(phone.getByTestId('journal-entries')).toContainText(MARKER, { timeout: 30_000 });
  await phone.getByRole('button', { name: say('es', 'journal_ui_lock') }).click();
  await unlockWith(phone, 'es', PASSPHRASE);
  await expect(phone.getByTestId('journal-unlock')).toContainText(say('es', 'journal_ui_wrong_passphrase'), {
    timeout: 30_000,
  });
  await unlockWith(phone, 'es', NEW_PASSPHRASE);
  await expect(phone.getByTestId('journal-entries')).toContainText(MARKER, { timeout: 30_000 });
  await phone.getByTestId('journal-failed').getByRole('button').click();

  // Back on the tablet: if five minutes passed untouched while Ana was at home, the journal
  // locked itself and says so; her passphrase opens it again.
  const relocked = tablet.getByTestId('journal-unlock');
  if (await relocked.isVisible()) {
    await expect(relocked).toContainText(say('en', 'journal_ui_idle_locked'));
    await unlockWith(tablet, 'en', PASSPHRASE);
  }

  // [AC-10] "Sign out & clear" with writing still unsaved: warned, then nothing is left.
  await tablet.getByRole('button', { name: new RegExp(MARKER) }).click();
  await cutJournalSync(ana!.context);
  await tablet.getByTestId('journal-text').press('End');
  await tablet.getByTestId('journal-text').pressSequentially(' left on the tablet');
  await expect(tablet.getByTestId('journal-save')).toHaveText(say('en', 'journal_ui_offline'), {
    timeout: 20_000,
  });
  await tablet.getByRole('button', { name: say('en', 'tablet_sign_out') }).click();
  await expect(tablet.getByText(say('en', 'journal_ui_sign_out_unsaved'))).toBeVisible();
  await shot(tablet, 'journal-12-sign-out-unsaved');
  await tablet.locator('.btn-danger').click();
  await expect(tablet.locator('#join-code')).toBeVisible();
  await ana!.context.unroute('**/api/v1/journal/blobs');
  const left = await tablet.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).map((db) => db.name),
  }));
  expect(left).toEqual({ local: 0, session: 0, databases: [] });

  // [AC-03] The facilitator redeems Ana's join code on that same tablet and is let in as her.
  const code = (await staff.getByTestId('join-code').innerText()).trim();
  await tablet.locator('#join-code').fill(code);
  await tablet.locator('form').getByRole('button').click();
  await tablet.getByRole('button', { name: 'Ana', exact: true }).click();
  await staff
    .getByTestId('tablet-request')
    .filter({ hasText: 'Ana' })
    .getByRole('button', { name: 'Let in' })
    .click();
  await expect(tablet.getByTestId('tablet-phase')).toBeVisible();
  await tablet.getByRole('button', { name: say('en', 'journal_ui_open') }).click();
  // Locked, with nothing of it on screen: the tablet kept no key and no text.
  await expect(tablet.getByTestId('journal-unlock')).toBeVisible();
  await expect(tablet.getByTestId('journal-setup')).toHaveCount(0);
  await expect(tablet.locator('body')).not.toContainText(MARKER);
  // The join code's sign-in alone reaches no ciphertext.
  const direct = await ana!.context.request.get('/api/v1/journal/blobs/after/0');
  expect([401, 403, 404]).toContain(direct.status());
  await unlockWith(tablet, 'en', 'i know her well enough');
  await expect(tablet.getByTestId('journal-unlock')).toContainText(say('en', 'journal_ui_wrong_passphrase'), {
    timeout: 30_000,
  });
  await shot(tablet, 'journal-13-facilitator-locked-out');

  // Ana is told at her next unlock: when, and that it was on a clinic tablet.
  await phone.getByRole('button', { name: say('es', 'journal_ui_lock') }).click();
  await unlockWith(phone, 'es', NEW_PASSPHRASE);
  await expect(phone.getByTestId('journal-failed')).toContainText(say('es', 'journal_ui_failed_tablet'), {
    timeout: 30_000,
  });

  // Repeated wrong guesses: the journal makes the guesser wait, and says so.
  const wait = say('en', 'journal_ui_wait').split('{wait}')[0]!;
  for (let i = 0; i < 6; i++) {
    await unlockWith(tablet, 'en', `guess number ${i} of many`);
    await expect(tablet.getByTestId('journal-unlock').locator('[role=alert]')).toBeVisible({
      timeout: 30_000,
    });
    if ((await tablet.getByTestId('journal-unlock').innerText()).includes(wait)) break;
  }
  await expect(tablet.getByTestId('journal-unlock')).toContainText(wait);
  await shot(tablet, 'journal-14-wait');

  // [AC-10] At home too: signing out with writing unsaved asks first, then leaves nothing.
  await cutJournalSync(homeContext);
  await phone.getByRole('button', { name: say('es', 'journal_ui_new_entry') }).click();
  await phone.getByTestId('journal-text').fill('Escrito sin conexión, en casa.');
  await expect(phone.getByTestId('journal-save')).toHaveText(say('es', 'journal_ui_offline'), {
    timeout: 20_000,
  });
  await phone.getByRole('button', { name: say('es', 'tablet_sign_out') }).click();
  await expect(phone.getByText(say('es', 'journal_ui_sign_out_unsaved'))).toBeVisible();
  await phone.locator('.btn-danger').click();
  await expect(phone.locator('#card-code')).toBeVisible();
  await homeContext.unroute('**/api/v1/journal/blobs');
  const leftAtHome = await phone.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).map((db) => db.name),
  }));
  expect(leftAtHome).toEqual({ local: 0, session: 0, databases: [] });

  // [AC-20] Only ciphertext reached the server: the markers are in no file of its data
  // directory (the SQLite database and its WAL) and nowhere in its log. Ana's name, which the
  // server does keep in plaintext, is found the same way, so the search itself works.
  const dataDir = process.env.CAIRN_E2E_DATA_DIR_JOURNAL!;
  const files = [...filesUnder(dataDir), `${dataDir}.log`];
  const contents = files.map((file) => ({ file, text: readFileSync(file).toString('latin1') }));
  expect(contents.some(({ text }) => text.includes('Juniper Ford Spring Group'))).toBe(true);
  expect(readFileSync(`${dataDir}.log`, 'utf8')).toContain('/api/v1/journal/blobs');
  for (const marker of [MARKER, OFFLINE_MARKER, ANSWER_MARKER]) {
    expect(
      contents.filter(({ text }) => text.includes(marker)).map(({ file }) => file),
      `${marker} in plaintext on the server`,
    ).toEqual([]);
  }

  // The appends this story cut off on purpose are the only failed loads allowed.
  expect(ana!.problems.filter((problem) => !problem.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  expect(phoneProblems.filter((problem) => !problem.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  expect(staffProblems).toEqual([]);
});
