/**
 * `pnpm cairn <command>`: administration without a browser.
 *   setup   --clinic <name> --name <your name> --email <email>   (password read from stdin)
 *   migrate                                                       apply database migrations
 *   audit-verify                                                  check the audit hash chain
 */
import { parseArgs } from 'node:util';
import { openCore, setUpClinic, CoreError } from '@cairn/core';
import { loadConfig, ConfigError } from './config.ts';
import { coreConfigFrom } from './core-config.ts';

const USAGE = `Usage:
  pnpm cairn setup --clinic "<clinic name>" --name "<your name>" --email <email>
      (reads the password from standard input, e.g. from a password manager pipe)
  pnpm cairn migrate
  pnpm cairn audit-verify`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const core = await openCore(coreConfigFrom(config));
  try {
    switch (command) {
      case 'migrate':
        console.log(`Database is up to date (${core.store.engine}).`);
        return 0;
      case 'audit-verify': {
        const verdict = await core.store.verifyAuditChain();
        if (verdict.ok) {
          console.log(
            `Audit log intact: ${verdict.checked} ${verdict.checked === 1 ? 'entry' : 'entries'} checked.`,
          );
          return 0;
        }
        console.error(`Audit log TAMPERED at entry ${verdict.brokenAtSeq}: ${verdict.reason}.`);
        return 2;
      }
      case 'setup': {
        const { values } = parseArgs({
          args: rest,
          options: { clinic: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
          strict: true,
        });
        if (!values.clinic || !values.name || !values.email) {
          console.error(USAGE);
          return 64;
        }
        if (process.stdin.isTTY) process.stderr.write('Password (then Enter, then Ctrl-D): ');
        const password = await readStdin();
        await setUpClinic(
          core,
          { clinicName: values.clinic, displayName: values.name, email: values.email, password },
          { ip: 'cli' },
        );
        console.log(`Clinic "${values.clinic}" created with ${values.email} as its admin.`);
        console.log("Sign in at Cairn's address; you will be asked to set up two-step sign-in first.");
        return 0;
      }
      default:
        console.error(USAGE);
        return 64;
    }
  } finally {
    await core.store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof CoreError) {
      console.error(error.message);
      if (error.fields)
        for (const [field, message] of Object.entries(error.fields)) console.error(`  ${field}: ${message}`);
    } else console.error('Failed:', error instanceof Error ? error.message : 'unknown error');
    process.exit(1);
  },
);
