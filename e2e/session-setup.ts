/**
 * What the session stories share: a clinic, its staff and a group with one dosing session,
 * made through the API (groups.spec.ts walks those screens), and tablets brought into the room
 * through the UI — each redeems a code, picks a name and waits until staff let it in.
 */
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { TABLET_LANDSCAPE, TABLET_PORTRAIT, totpCode, watchConsole } from './support.ts';

export const PASSWORD = 'moss on the garden wall';

export async function call(
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

export async function enrolMfa(api: APIRequestContext, baseURL: string) {
  const { secret } = (await call(api, baseURL, 'POST', '/auth/mfa/enrol/start', {})) as { secret: string };
  await call(api, baseURL, 'POST', '/auth/mfa/enrol/confirm', { code: totpCode(secret) });
}

export interface StaffMember {
  displayName: string;
  email: string;
  /** Their roles in the clinic and in the group alike. */
  roles: string[];
}

export interface SessionPlan {
  clinic: { clinicName: string; displayName: string; email: string };
  /** Each signs in in their own browser context, in this order. */
  staff: { member: StaffMember; context: BrowserContext }[];
  participants: string[];
  groupName: string;
  /** The clinic's own settings (clinic-configurable defaults), e.g. a shorter escalation. */
  settings?: Record<string, unknown>;
}

/** Makes the clinic, its staff (signed in with MFA in their contexts), the group and a session. */
export async function preparedSession(admin: BrowserContext, plan: SessionPlan, baseURL: string) {
  await call(admin.request, baseURL, 'POST', '/setup', { ...plan.clinic, password: PASSWORD });
  await enrolMfa(admin.request, baseURL);
  if (plan.settings) await call(admin.request, baseURL, 'PATCH', '/clinic/settings', plan.settings);
  const staffIds: { userId: string; roles: string[] }[] = [];
  for (const { member, context } of plan.staff) {
    const { token } = (await call(admin.request, baseURL, 'POST', '/staff/invites', {
      email: member.email,
      roles: member.roles,
    })) as { token: string };
    await call(context.request, baseURL, 'POST', '/invites/accept', {
      token,
      displayName: member.displayName,
      password: PASSWORD,
    });
    await enrolMfa(context.request, baseURL);
    const me = (await call(context.request, baseURL, 'GET', '/me')) as { id: string };
    staffIds.push({ userId: me.id, roles: member.roles });
  }
  const lead = plan.staff[0]!.context.request;
  const group = (await call(lead, baseURL, 'POST', '/groups', {
    name: plan.groupName,
    plan: { preparation: 2, dosing: 6, integration: 6 },
    routeDefault: 'intramuscular',
  })) as { id: string };
  await call(lead, baseURL, 'PUT', `/groups/${group.id}/staff`, { staff: staffIds });
  for (const [i, name] of plan.participants.entries()) {
    await call(lead, baseURL, 'POST', `/groups/${group.id}/participants`, {
      preferredName: name,
      emergencyContact: { name: `Contact of ${name}`, phone: `+1 555 0100 ${i}` },
      consents: { groupConfidentialityAgreement: true, tabletDataUse: true },
    });
  }
  const session = (await call(lead, baseURL, 'POST', `/groups/${group.id}/sessions`, {
    kind: 'dosing',
    scheduledStart: new Date(Date.now() + 3_600_000).toISOString(),
    plannedMinutes: 240,
    room: 'Room 2',
  })) as { id: string };
  return { sessionId: session.id, groupId: group.id, staffIds };
}

export interface AdmittedTablet {
  page: Page;
  context: BrowserContext;
  name: string;
  problems: string[];
}

/**
 * Brings one tablet per name into the room: a fresh context each (portrait and landscape in
 * turn, the languages and colour schemes asked for), redeeming the code the staff page shows,
 * picking the name, and let in by staff. `onStep` takes the story's screenshots on the way.
 */
export async function admitTablets(
  browser: Browser,
  staff: Page,
  names: string[],
  options: {
    locale?: (i: number) => string;
    colorScheme?: (i: number) => 'light' | 'dark';
    onStep?: (step: 'join' | 'waiting' | 'request', tablet: Page, i: number) => Promise<void>;
  } = {},
): Promise<AdmittedTablet[]> {
  const tablets: AdmittedTablet[] = [];
  await staff.getByRole('button', { name: 'Admit tablets' }).click();
  for (const [i, name] of names.entries()) {
    const context = await browser.newContext({
      viewport: i % 2 === 0 ? TABLET_PORTRAIT : TABLET_LANDSCAPE,
      locale: options.locale?.(i) ?? 'en-US',
      colorScheme: options.colorScheme?.(i) ?? 'light',
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    tablets.push({ page, context, name, problems });
    const code = (await staff.getByTestId('join-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await page.goto('/tablet');
    await page.locator('#join-code').fill(code.toLowerCase().replace('-', ' '));
    await options.onStep?.('join', page, i);
    await page.locator('form').getByRole('button').click();
    await page.getByRole('button', { name, exact: true }).click();
    await expect(page.locator('h1')).toContainText(name);
    await options.onStep?.('waiting', page, i);

    // Nothing joins silently: the tablet waits until a person lets it in.
    const request = staff.getByTestId('tablet-request').filter({ hasText: name });
    await expect(request).toBeVisible();
    await options.onStep?.('request', staff, i);
    await request.getByRole('button', { name: 'Let in' }).click();
    await expect(page.getByTestId('tablet-phase')).toBeVisible();
    // A code works once: the next tablet gets a fresh one.
    await expect(staff.getByTestId('join-code')).not.toHaveText(code);
  }
  return tablets;
}
