/**
 * `get pods -s all` across 2, 5 and 10 members, ours against the Go karmadactl v1.18.2, alternating
 * A B / B A in one run, with 0 and 20 ms added to every request the CLI makes.
 *
 * Members are test API server doubles behind a karmada-side double serving the cluster proxy
 * (test/support/federation.ts): the real harness cannot run ten kube-apiservers on two cores. The Go
 * binary talks to them unmodified (TLS, aggregated discovery, server-side Tables, the proxy), which
 * the run checks: both must print the same rows. The latency is added on the karmada-side double only,
 * i.e. once per request as the CLI sees it (a proxied member request pays it once, like a client far
 * from a control plane that is close to its members). Both CLIs start with a warm discovery cache
 * (one unmeasured run each, own HOME), as an operator's second command would.
 *
 * Prints a markdown table (start-to-exit medians, peak RSS from GNU time, the ratio, growth per
 * member); `node bench/run-ts.mjs bench/get.bench.ts [--runs N]` after `npm run build`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFederation, type Federation } from '../test/support/federation';

const repo = process.cwd();
const NODE = path.join(repo, 'node_modules/.bin/node');
const OURS = [NODE, path.join(repo, 'bin/karmadactl')];
const GO = path.join(process.env.KARMADACTL_E2E_CACHE ?? path.join(os.homedir(), '.cache/karmadactl-e2e'), 'bin/karmadactl');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice(7)) : 7;
const PODS_PER_MEMBER = 10;
const membersArg = process.argv.find((a) => a.startsWith('--members='));
const MEMBERS = membersArg ? membersArg.slice(10).split(',').map(Number) : [2, 5, 10];
const LATENCY = [0, 20];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time (ms) and peak RSS (MiB) of one process, without blocking the servers in this process. */
function run(cmd: string[], home: string): Promise<{ ms: number; mib: number; cpu: number; code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%M %U %S', ...cmd], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c));
    p.stderr.on('data', (c: Buffer) => (err += c));
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = err.trim().split('\n');
      const [kib, user, sys] = (lines.pop() ?? '').split(' ').map(Number);
      resolve({ ms, mib: kib / 1024, cpu: (user + sys) * 1000, code: code ?? -1, out, err: lines.join('\n') });
    });
  });
}

function pod(name: string, node: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'bench' }, creationTimestamp: new Date(Date.now() - 3600_000).toISOString() },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.27' }] },
    status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', state: { running: { startedAt: new Date().toISOString() } } }] },
  };
}

/** Rows without the AGE cell, sorted: the two CLIs must show the same pods. */
const rowsOf = (out: string) =>
  out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/ {2,}/).slice(0, 2).join(' '))
    .sort();

interface Cell {
  members: number;
  latency: number;
  ours: number;
  go: number;
  oursMib: number;
  goMib: number;
  oursCpu: number;
  goCpu: number;
}
const cells: Cell[] = [];
const loadAtStart = os.loadavg();

for (const n of MEMBERS) {
  const names = Array.from({ length: n }, (_, i) => `member${i + 1}`);
  const fed: Federation = await startFederation(names);
  try {
    for (const [i, m] of names.entries()) for (let p = 0; p < PODS_PER_MEMBER; p++) fed.members[m].store.put(pod(`pod-${i + 1}-${p}`, `${m}-node`));
    for (const lat of LATENCY) {
      fed.karmada.core.latencyMs = lat;
      const args = ['get', 'pods', '-s', 'all', '--kubeconfig', fed.kubeconfig];
      const homes = { ours: mkdtempSync(path.join(os.tmpdir(), 'kc-bench-ours-')), go: mkdtempSync(path.join(os.tmpdir(), 'kc-bench-go-')) };
      // warm the discovery caches, and check that both print the same pods
      const [wo, wg] = [await run([...OURS, ...args], homes.ours), await run([GO, ...args], homes.go)];
      if (wo.code !== 0 || wg.code !== 0) throw new Error(`warm-up failed: ours ${wo.code} ${wo.err}\ngo ${wg.code} ${wg.err}`);
      const [ro, rg] = [rowsOf(wo.out), rowsOf(wg.out)];
      if (JSON.stringify(ro) !== JSON.stringify(rg) || ro.length !== n * PODS_PER_MEMBER) throw new Error(`the CLIs disagree: ours ${ro.length} rows, go ${rg.length} rows`);
      const o: number[] = [], g: number[] = [], om: number[] = [], gm: number[] = [], oc: number[] = [], gc: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const order = r % 2 ? (['go', 'ours'] as const) : (['ours', 'go'] as const);
        for (const who of order) {
          const x = await run(who === 'ours' ? [...OURS, ...args] : [GO, ...args], homes[who]);
          if (x.code !== 0) throw new Error(`${who} failed: ${x.err}`);
          if (who === 'ours') o.push(x.ms), om.push(x.mib), oc.push(x.cpu);
          else g.push(x.ms), gm.push(x.mib), gc.push(x.cpu);
        }
      }
      cells.push({ members: n, latency: lat, ours: median(o), go: median(g), oursMib: median(om), goMib: median(gm), oursCpu: median(oc), goCpu: median(gc) });
      process.stderr.write(`${n} members, ${lat} ms: ours ${median(o).toFixed(0)} ms, go ${median(g).toFixed(0)} ms\n`);
    }
  } finally {
    await fed.close();
  }
}

const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const out = [
  `get pods -s all, ${PODS_PER_MEMBER} pods per member, ${RUNS} runs each (alternating), medians; ${os.cpus().length} cores`,
  '',
  `load average (1, 5, 15 min) at the start: ${loadAtStart.map((x) => x.toFixed(1)).join(' ')}`,
  '',
  '| members | added per request | ours | Go karmadactl v1.18.2 | ratio | ours CPU (user+sys) | Go CPU | ours peak RSS | Go peak RSS |',
  '|---|---|---|---|---|---|---|---|---|',
  ...cells.map((c) => `| ${c.members} | ${c.latency} ms | ${f(c.ours)} ms | ${f(c.go)} ms | ${(c.ours / c.go).toFixed(2)}× | ${f(c.oursCpu)} ms | ${f(c.goCpu)} ms | ${f(c.oursMib)} MiB | ${f(c.goMib)} MiB |`),
  '',
  `| added per request | growth ${MEMBERS[0]}→${MEMBERS[MEMBERS.length - 1]} members, ours | Go | memory growth, ours | Go |`,
  '|---|---|---|---|---|',
  ...LATENCY.map((lat) => {
    const a = cells.find((c) => c.members === MEMBERS[0] && c.latency === lat)!;
    const b = cells.find((c) => c.members === MEMBERS[MEMBERS.length - 1] && c.latency === lat)!;
    if (a === b) return `| ${lat} ms | - | - | - | - |`;
    return `| ${lat} ms | ${f((b.ours - a.ours) / (b.members - a.members))} ms/member | ${f((b.go - a.go) / (b.members - a.members))} ms/member | ${f((b.oursMib - a.oursMib) / (b.members - a.members))} MiB/member | ${f((b.goMib - a.goMib) / (b.members - a.members))} MiB/member |`;
  }),
];
process.stdout.write(`${out.join('\n')}\n`);
process.exit(0);
