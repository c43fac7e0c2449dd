/**
 * What `pnpm demo` prints once Cairn is up: how to sign in as each role, how a tablet joins,
 * and that none of it is real. Short on purpose: it is the first thing a newcomer reads.
 */
import type { SeededDemo } from './seed-demo.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => [...row[col]!].length)));
  return rows.map((row) =>
    row
      .map((cell, col) => cell + ' '.repeat(widths[col]! - [...cell].length))
      .join('   ')
      .trimEnd(),
  );
}

function when(iso: string): string {
  return new Date(iso).toLocaleString('en-US', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatDemoWelcome(demo: SeededDemo, url: string, dataDir: string): string {
  const staff = table([
    ['Role', 'Name', 'Email', 'Password'],
    ...demo.accounts.map((a) => [a.job, a.displayName, a.email, demo.password]),
  ]);
  const cards = table([
    ['Participant', 'Access card code'],
    ...demo.accessCards.map((c) => [`${c.demoId} ${c.preferredName}`, c.code]),
  ]);
  const bar = '='.repeat(78);
  return [
    bar,
    ` DEMO: "${demo.clinicName}". Every person and record is fictional.`,
    bar,
    '',
    `Cairn is running at ${url}`,
    '',
    'Sign in as any role (the same password for everyone):',
    '',
    ...staff.map((line) => `  ${line}`),
    '',
    `Group: "${demo.groupName}", ${demo.accessCards.length} participants.`,
    `The preparation sessions, dosing sessions 1-${demo.upcoming.number - 1} and their integration circles are`,
    `history. Next: dosing session ${demo.upcoming.number}, ${when(demo.upcoming.scheduledStart)}:`,
    `  ${url}/sessions/${demo.upcoming.id}`,
    '',
    'Tablets: sign in as the facilitator, open that session and press "Admit tablets".',
    `On each tablet open ${url}/tablet, type the code shown (or scan the QR code),`,
    'pick a name, then admit the tablet on the staff screen.',
    '',
    `Home access cards (each participant signs in at ${url}/home on their own phone with theirs):`,
    '',
    ...cards.map((line) => `  ${line}`),
    '',
    'Two-step sign-in is OFF in this demo so you can switch roles quickly.',
    'A real clinic must require it (Settings).',
    `Demo data: ${dataDir}, recreated by every \`pnpm demo\`. Stop with Ctrl-C.`,
    '',
  ].join('\n');
}
