// Start-up of the single executable (dist-bin/karmadactl, `npm run build:binary`) against the npm
// launcher on Node 24 (`node bin/karmadactl`) and the Go karmadactl when it is built
// (~/.cache/karmadactl-e2e/bin/karmadactl from test/e2e/kube/build.sh, or KARMADACTL_GO_BIN).
// Median wall time and peak RSS (GNU time's %M, else the child's rusage) of `version` and `--help`,
// variants in alternating order (A B C A B C ...) so that drift on a shared machine hits all alike.
//
// Usage: npm run bench:binary [-- --runs 15] [-- --extra NAME=PATH ...]
//   --extra NAME=PATH  also measure another single executable (e.g. one built with --snapshot)
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const TIME = '/usr/bin/time';
const useTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

const node24 = path.join(root, 'node_modules/.bin/node');
const binary = path.join(root, 'dist-bin/karmadactl');
const goBin = [process.env.KARMADACTL_GO_BIN, path.join(os.homedir(), '.cache/karmadactl-e2e/bin/karmadactl')].find((p) => p && existsSync(p));

if (!existsSync(binary)) {
  console.error(`${binary} not found: run \`npm run build:binary\` first`);
  process.exit(1);
}
if (!existsSync(path.join(root, 'dist/main.js'))) {
  console.error('dist/main.js not found: run `npm run build` first');
  process.exit(1);
}

/** Runs argv once; wall ms and peak RSS (KiB) of the child. */
function once(argv) {
  const env = { ...process.env, NO_COLOR: '1' };
  const started = process.hrtime.bigint();
  const r = useTime
    ? spawnSync(TIME, ['-f', '%M', ...argv], { encoding: 'utf8', env })
    : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  // Without GNU time: the largest max RSS of any child so far (a lower bound per run, fine for a peak).
  const rssKiB = useTime ? Number(r.stderr.trim().split('\n').pop()) : process.resourceUsage().maxRSS;
  return { ms, rssKiB };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const programs = [
  { name: 'single binary', argv: [binary] },
  { name: 'node bin/karmadactl', argv: [realpathSync(node24), path.join(root, 'bin/karmadactl')] },
];
for (const a of args.flatMap((a, i) => (args[i - 1] === '--extra' ? [a] : []))) {
  const [name, p] = a.split('=');
  programs.push({ name, argv: [path.resolve(p)] });
}
if (goBin) programs.push({ name: 'Go karmadactl', argv: [goBin] });

// The floor: what spawning a process through GNU time costs here, before any program runs.
const variants = [{ name: 'floor: /bin/true', argv: ['/bin/true'] }];
for (const cmd of ['version', '--help']) for (const p of programs) variants.push({ name: `${p.name} ${cmd}`, argv: [...p.argv, cmd] });

// Warm-up: page cache, and the launcher's on-disk compile cache.
for (const v of variants) {
  once(v.argv);
  once(v.argv);
}
const samples = new Map(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i++) for (const v of variants) samples.get(v.name).push(once(v.argv));

const mib = (b) => (b / 1024 / 1024).toFixed(1);
console.log(`start-up, ${runs} runs each, ${new Date().toISOString()}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(`peak RSS via ${useTime ? 'GNU time %M' : 'process.resourceUsage().maxRSS of children'}`);
console.log(`single binary: ${binary} (${mib(statSync(binary).size)} MiB)`);
console.log(`Go karmadactl: ${goBin ? `${goBin} (${mib(statSync(goBin).size)} MiB)` : 'not found (build it with test/e2e/kube/build.sh or set KARMADACTL_GO_BIN)'}`);
console.log('');
console.log(`| ${'command'.padEnd(36)} | ${'median ms'.padStart(9)} | ${'min ms'.padStart(7)} | ${'peak RSS MiB'.padStart(12)} |`);
console.log(`|${'-'.repeat(38)}|${'-'.repeat(11)}|${'-'.repeat(9)}|${'-'.repeat(14)}|`);
for (const v of variants) {
  const s = samples.get(v.name);
  const ms = median(s.map((x) => x.ms));
  const min = Math.min(...s.map((x) => x.ms));
  const rss = Math.max(...s.map((x) => x.rssKiB)) / 1024;
  console.log(`| ${v.name.padEnd(36)} | ${ms.toFixed(1).padStart(9)} | ${min.toFixed(1).padStart(7)} | ${Number.isFinite(rss) ? rss.toFixed(1).padStart(12) : 'n/a'.padStart(12)} |`);
}
