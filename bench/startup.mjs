// Start-up benchmark: median wall time and peak RSS of short commands, in alternating order (A B A B)
// so that drift on a shared machine hits every variant alike.
// Usage: npm run bench:startup [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const node = process.execPath;
const TIME = '/usr/bin/time';

/** Runs argv once; returns wall ms and peak RSS (KiB) of the child, via GNU time when present. */
function once(argv) {
  const started = process.hrtime.bigint();
  const useTime = existsSync(TIME);
  const r = spawnSync(useTime ? TIME : argv[0], useTime ? ['-f', '%M', ...argv] : argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const rss = useTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, rssKiB: rss };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const variants = [
  { name: 'node -e 0 (floor)', argv: [node, '-e', '0'] },
  { name: 'karmadactl version', argv: [node, path.join(root, 'bin/karmadactl'), 'version'] },
  { name: 'karmadactl --help', argv: [node, path.join(root, 'bin/karmadactl'), '--help'] },
];
const goRef = process.env.KARMADACTL_GO_BIN;
if (goRef && existsSync(goRef)) {
  variants.push({ name: 'Go karmadactl version', argv: [goRef, 'version'] }, { name: 'Go karmadactl --help', argv: [goRef, '--help'] });
}

// Warm-up: fills the compile cache and the page cache.
for (const v of variants) once(v.argv);
const samples = new Map(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i++) for (const v of variants) samples.get(v.name).push(once(v.argv));

console.log(`start-up, ${runs} runs each, ${new Date().toISOString()}, node ${process.version}`);
console.log(`${'command'.padEnd(28)} ${'median ms'.padStart(10)} ${'peak RSS MiB'.padStart(13)}`);
for (const v of variants) {
  const s = samples.get(v.name);
  const ms = median(s.map((x) => x.ms));
  const rss = Math.max(...s.map((x) => x.rssKiB)) / 1024;
  console.log(`${v.name.padEnd(28)} ${ms.toFixed(1).padStart(10)} ${Number.isFinite(rss) ? rss.toFixed(1).padStart(13) : 'n/a'.padStart(13)}`);
}
