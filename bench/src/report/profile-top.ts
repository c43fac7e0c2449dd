/**
 * `node bench/src/report/profile-top.ts <file.cpuprofile> [n]`: the functions with the most
 * self time in a V8 CPU profile (from BENCH_CPU_PROF), grouped by package, to explain where a
 * server's time goes (Yjs, storage, ws, the server's own code, or waiting: "(idle)").
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top.ts <file.cpuprofile> [n]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;

/** `…/node_modules/.pnpm/yjs@13…/node_modules/yjs/dist/…` → `yjs`; our code → its folder. */
function packageOf(url: string): string {
  const modules = url.split('/node_modules/');
  if (modules.length > 1)
    return modules
      .at(-1)!
      .split('/')
      .slice(0, modules.at(-1)!.startsWith('@') ? 2 : 1)
      .join('/');
  if (url.startsWith('node:')) return 'node';
  const match = /\/(apps|packages)\/([^/]+)\//.exec(url);
  return match ? `${match[1]}/${match[2]}` : url ? 'other' : '(native/idle)';
}

profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  total += delta;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
  const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
});

const show = (entries: Map<string, number>, n: number) =>
  [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, v]) =>
        `${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`,
    )
    .join('\n');

console.log(`total ${(total / 1000).toFixed(0)} ms\n\nby package:\n${show(byPackage, 15)}\n`);
console.log(`by function (self time):\n${show(selfMicros, Number(top))}`);
