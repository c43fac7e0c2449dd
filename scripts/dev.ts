/**
 * `pnpm dev`: Fastify (API + sockets) restarts on change on port 3001; Vite serves the pages
 * with hot reload on PORT (default 3000) and proxies /api, /ws, /healthz and /readyz to it.
 * Open http://localhost:3000.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const webPort = process.env.PORT ?? '3000';
const apiPort = process.env.CAIRN_API_PORT ?? '3001';
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: Record<string, string>): void {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code) => {
    console.log(`[dev] ${name} exited (${code ?? 'signal'}); stopping the rest.`);
    for (const other of children) other.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  children.push(child);
}

run('api', process.execPath, ['--watch', 'apps/server/src/main.ts'], {
  PORT: apiPort,
  SERVE_WEB: 'false',
});
run('web', 'pnpm', ['--filter', '@cairn/web', 'exec', 'vite', 'dev', '--port', webPort, '--strictPort'], {
  CAIRN_API_PORT: apiPort,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}
