/**
 * `interpret` over Karmada's whole third-party corpus (27 customizations, 564 cases), ours against the
 * Go karmadactl v1.18.2, in one run: every case as one CLI process (`-f customizations.yaml
 * --operation … --desired-file/--observed-file/--status-file/--desired-replica`), alternating the two
 * CLIs case by case. Prints the total wall time of each, the median per case, and how many cases
 * print byte-identical stdout (and the same exit code class: ours exits 1 on a rule error, Go 0).
 * Also the in-process time of our interpreter for the whole corpus (no process start-up).
 *
 * `npm run build && node bench/run-ts.mjs bench/interpret.bench.ts [--limit=N] [--show-diff]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { execute } from '../src/operate/interpret';

const repo = process.cwd();
const NODE = path.join(repo, 'node_modules/.bin/node');
const OURS = [NODE, path.join(repo, 'bin/karmadactl')];
const GO = [path.join(process.env.KARMADACTL_E2E_CACHE ?? path.join(os.homedir(), '.cache/karmadactl-e2e'), 'bin/karmadactl')];
const limitArg = process.argv.find((a) => a.startsWith('--limit='));
const LIMIT = limitArg ? Number(limitArg.slice(8)) : Infinity;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const dir = mkdtempSync(path.join(os.tmpdir(), 'interpret-bench-'));
spawnSync('tar', ['xzf', path.resolve('../shared/fixtures/karmada-resourcecustomizations-v1.18.2.tar.gz'), '-C', dir]);
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));

interface Case { argv: string[]; label: string; inProcess: () => void }
const cases: Case[] = [];
let n = 0;
for (const f of walk(path.join(dir, 'resourcecustomizations')).filter((f) => f.includes('/testdata/')).sort()) {
  const kindDir = path.dirname(path.dirname(f));
  const cust = path.join(kindDir, 'customizations.yaml');
  const customization = parse(readFileSync(cust, 'utf8'), { version: '1.1' }) as Obj;
  for (const d of parseAllDocuments(readFileSync(f, 'utf8'), { version: '1.1' })) {
    const doc = d.toJS() as Obj;
    if (!doc) continue;
    const caseDir = path.join(dir, 'cases', String(n++));
    mkdirSync(caseDir, { recursive: true });
    const argv = ['interpret', '-f', cust, '--operation', String(doc.operation)];
    const desired = doc.desiredObj as Obj | undefined;
    const observed = doc.operation === 'Retain' || !desired ? (doc.observedObj as Obj | undefined) : undefined;
    if (desired) {
      writeFileSync(path.join(caseDir, 'desired.yaml'), stringify(desired));
      argv.push('--desired-file', path.join(caseDir, 'desired.yaml'));
    }
    if (observed) {
      writeFileSync(path.join(caseDir, 'observed.yaml'), stringify(observed));
      argv.push('--observed-file', path.join(caseDir, 'observed.yaml'));
    }
    if (Array.isArray(doc.statusItems)) {
      writeFileSync(path.join(caseDir, 'status.yaml'), doc.statusItems.map((s: Obj) => stringify(s)).join('---\n'));
      argv.push('--status-file', path.join(caseDir, 'status.yaml'));
    }
    if (doc.inputReplicas !== undefined) argv.push('--desired-replica', String(doc.inputReplicas));
    cases.push({
      argv,
      label: `${path.relative(path.join(dir, 'resourcecustomizations'), f)} / ${doc.name}`,
      inProcess: () => execute({ operation: String(doc.operation), customizations: [customization], desired, observed, statusItems: Array.isArray(doc.statusItems) ? doc.statusItems : null, desiredReplica: Number(doc.inputReplicas ?? 0) }),
    });
  }
}
const selected = cases.slice(0, LIMIT);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function run(cmd: string[]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out: r.stdout ?? '', code: r.status ?? -1 };
}

const ours: number[] = [];
const go: number[] = [];
let same = 0;
const differing: string[] = [];
selected.forEach((c, i) => {
  const a = i % 2 === 0;
  const first = run([...(a ? OURS : GO), ...c.argv]);
  const second = run([...(a ? GO : OURS), ...c.argv]);
  const [o, g] = a ? [first, second] : [second, first];
  ours.push(o.ms);
  go.push(g.ms);
  if (o.out === g.out) same++;
  else differing.push(c.label);
});
const t0 = performance.now();
for (const c of selected) c.inProcess();
const inProc = performance.now() - t0;

const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
console.log(`interpret over ${selected.length} corpus cases (one process per case, alternating)\n`);
console.log('| | total wall (s) | median per case (ms) |');
console.log('|---|---|---|');
console.log(`| ours (node) | ${(sum(ours) / 1000).toFixed(1)} | ${median(ours).toFixed(0)} |`);
console.log(`| Go karmadactl v1.18.2 | ${(sum(go) / 1000).toFixed(1)} | ${median(go).toFixed(0)} |`);
console.log(`\nbyte-identical stdout: ${same}/${selected.length}`);
if (process.argv.includes('--show-diff')) console.log(`differing:\n  ${differing.join('\n  ')}`);
console.log(`ours in-process (no start-up), all cases: ${inProc.toFixed(0)} ms`);
rmSync(dir, { recursive: true, force: true });
