import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { load } from 'js-yaml';
import { runCli } from '../support/context';
import { mergeKubeconfigs } from './kubeconfigs';
import { Processes, binaries, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster } from './harness';
import type { KubeClient } from '../../src/kube/client';
import allowed from './operate-parity-allowed.json';

/**
 * Parity of the read-only operate commands with the Go karmadactl v1.18.2 on ONE real harness: a host
 * with the control plane installed by init (real karmada-apiserver and karmada-aggregated-apiserver)
 * and two joined members (real kube-apiserver, controller-manager, scheduler, kwok nodes), reached by
 * both binaries through the real cluster proxy. Each invocation of the matrix runs with both, one
 * after the other, on the same state:
 *   - exact: stdout, stderr and exit code byte for byte (explain, api-resources, api-versions);
 *   - table: the same, after the AGE cells (only those) are replaced, and both tables aligned;
 *   - json/yaml: the decoded objects (every field) as multisets, and the document structure.
 * Every difference is an "aspect" of a case; the aspects observed must be exactly those listed for the
 * case in operate-parity-allowed.json with their reason — an unlisted difference fails, and so does a
 * listed one that did not happen (the list cannot go stale or hide anything).
 */
const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const CLUSTER_ANNOTATION = 'resource.karmada.io/cached-from-cluster';

type Mode = 'exact' | 'table' | 'json' | 'yaml';
interface Case {
  args: string[];
  mode: Mode;
  /** The AGE column's index where there is no header (--no-headers). */
  ageColumn?: number;
}
const T = (...args: string[]): Case => ({ args, mode: 'table' });
const X = (...args: string[]): Case => ({ args, mode: 'exact' });
const J = (...args: string[]): Case => ({ args, mode: 'json' });
const Y = (...args: string[]): Case => ({ args, mode: 'yaml' });

const MATRIX: Case[] = [
  T('get', 'deployments'),
  T('get', 'deployments', '-s', 'all'),
  T('get', 'deploy', '-s', 'members', '-C', 'member1'),
  T('get', 'pods', '-s', 'members'),
  T('get', 'pods', '-s', 'all', '-o', 'wide'),
  T('get', 'deploy', '-s', 'all', '-A'),
  T('get', 'clusters'),
  T('get', 'deploy', 'nginx', '-s', 'all'),
  T('get', 'deploy,pods', '-s', 'members', '-C', 'member2'),
  T('get', 'deploy', '-s', 'all', '--show-labels'),
  T('get', 'deploy', '-s', 'all', '-L', 'app'),
  { args: ['get', 'deploy', '-s', 'all', '--no-headers'], mode: 'table', ageColumn: 5 },
  T('get', 'deploy', '-s', 'all', '-o', 'name'),
  T('get', 'deploy', '-s', 'all', '--sort-by', '{.metadata.name}'),
  T('get', 'pods', '-C', 'member1'),
  T('get', 'propagationpolicies', '-s', 'all'),
  T('get', 'deploy', '-s', 'members', '-C', 'nosuch'),
  J('get', 'deploy', '-s', 'all', '-o', 'json'),
  J('get', 'deploy', 'nginx', '-o', 'json'),
  Y('get', 'deploy', '-s', 'members', '-C', 'member1', '-o', 'yaml'),
  X('api-resources'),
  X('api-resources', '-s', 'members', '--cluster', 'member1'),
  X('api-resources', '-o', 'wide', '--api-group', 'cluster.karmada.io'),
  X('api-resources', '--namespaced=false', '-o', 'name'),
  X('api-versions'),
  X('api-versions', '-s', 'members', '--cluster', 'member2'),
  X('explain', 'propagationpolicies'),
  X('explain', 'pods.spec.containers', '-s', 'members', '--cluster', 'member1'),
  X('explain', 'resourcebindings', '--api-version=work.karmada.io/v1alpha1'),
  X('explain', 'clusterpropagationpolicies', '--output=plaintext-openapiv2'),
  X('explain', 'pods', '--recursive', '-s', 'members', '--cluster', 'member1'),
  X('explain', 'clusters.spec'),
  X('explain', 'works.spec', '--recursive'),
  X('explain', 'deployments.spec.nope'),
];

let procs: Processes;
let host: Cluster;
let m1: Cluster;
let m2: Cluster;
let karmadaCfg: string;
let failed = false;
const file = (n: string) => path.join(procs.dir, n);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 300_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

const deployment = (name: string, labels: Record<string, string>, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name, ...labels } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
});

beforeAll(async () => {
  procs = await Processes.create('operate-parity');
  [host, m1, m2] = await Promise.all([
    startCluster(procs, 'host', { nodes: [{ name: 'node1' }] }),
    startCluster(procs, 'member1', { nodes: [{ name: 'm1-node' }] }),
    startCluster(procs, 'member2', { nodes: [{ name: 'm2-node' }] }),
  ]);
  const port = await freeNodePort();
  const bridge = bridgeKarmada(procs, host, { nodePort: port });
  const init = await runCli(['init', '--kubeconfig', host.writeKubeconfig(file('host.config')), '--port', String(port), '-d', file('data'), '--karmada-pki', file('pki'), '--crds', CRDS, '--karmada-apiserver-advertise-address', '127.0.0.1', '--wait-component-ready-timeout', '240']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  await bridge.ready;
  karmadaCfg = file('data/karmada-apiserver.config');
  for (const [name, m] of [['member1', m1], ['member2', m2]] as const) {
    const all = mergeKubeconfigs(file(`${name}-all.config`), [readFileSync(karmadaCfg, 'utf8'), m.kubeconfig({ context: name, cluster: name })], 'karmada-apiserver');
    const j = await runCli(['join', name, '--kubeconfig', all, '--karmada-context', 'karmada-apiserver', '--cluster-kubeconfig', all, '--cluster-context', name]);
    if (j.code !== 0) throw new Error(`join ${name} failed: ${j.stderr}`);
  }
  // What karmada-controller-manager's unified-auth controller would sync to every member (it is not
  // run in this harness): karmada's impersonator may impersonate the users and groups of the
  // control plane's `clusters/proxy` subjects — init's system:admin, in group system:masters.
  for (const m of [m1, m2]) {
    const c = await m.client();
    try {
      await c.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'karmada-impersonator' }, rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }] } as never);
      await c.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'karmada-impersonator' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'karmada-impersonator' }, subjects: [{ kind: 'ServiceAccount', name: 'karmada-impersonator', namespace: 'karmada-cluster' }] } as never);
    } finally {
      c.close();
    }
  }
  const karmada = await clientFor(readFileSync(karmadaCfg, 'utf8'));
  try {
    // the real cluster proxy answers for both members
    for (const n of ['member1', 'member2']) await until(`the cluster proxy to ${n}`, () => karmada.request('GET', `/apis/cluster.karmada.io/v1alpha1/clusters/${n}/proxy/api`).then(() => true));
    await karmada.create(deployment('nginx', {}, 2));
  } finally {
    karmada.close();
  }
  const members: [Cluster, object[]][] = [
    [m1, [deployment('nginx', { 'karmada.io/managed': 'true' }, 2)]],
    [m2, [deployment('local', {}, 1)]],
  ];
  for (const [m, objs] of members) {
    const c: KubeClient = await m.client();
    try {
      for (const o of objs) await c.create(o as never);
      await until('member deployments ready', async () => (await c.list('apps/v1', 'Deployment', { namespace: 'default' })).items.every((d) => (d as { status?: { readyReplicas?: number } }).status?.readyReplicas === (d as { spec?: { replicas?: number } }).spec?.replicas));
      await until('member pods running', async () => {
        const pods = (await c.list('v1', 'Pod', { namespace: 'default' })).items;
        return pods.length > 0 && pods.every((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running');
      });
    } finally {
      c.close();
    }
  }
}, 900_000);

afterAll(async () => {
  await procs?.stop(failed);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runGo(args: string[]): Promise<Run> {
  const home = file('home-go');
  mkdirSync(home, { recursive: true });
  const r = await execa(path.join(binaries(), 'karmadactl'), [...args, '--kubeconfig', karmadaCfg], { env: { HOME: home, PATH: process.env.PATH }, extendEnv: false, reject: false, timeout: 120_000 });
  return { code: r.exitCode ?? -1, stdout: r.stdout + (r.stdout ? '\n' : ''), stderr: r.stderr + (r.stderr ? '\n' : '') };
}

async function runOurs(args: string[]): Promise<Run> {
  const home = file('home-ours');
  mkdirSync(home, { recursive: true });
  return runCli([...args, '--kubeconfig', karmadaCfg], { env: { HOME: home }, homedir: home });
}

/** Cells of a kubectl table line (columns are separated by at least two spaces). */
const cells = (line: string) => line.trim().split(/ {2,}/);

/** Where the columns of a header line start (cells are separated by at least two spaces). */
const columnStarts = (l: string) => [...l.matchAll(/(?:^| {2,})(\S)/g)].map((m) => (m.index ?? 0) + m[0].length - 1);

/**
 * The cells of each line, with the AGE cells (and only those) replaced, per table block. Rows are cut
 * at the header's column starts, so an empty cell (a Cluster without VERSION) stays a cell; a block
 * without a header (--no-headers) is split on runs of spaces and its AGE column given by the case.
 */
function normaliseAge(out: string, ageColumn = -1): string[] {
  const lines: string[] = [];
  let age = ageColumn;
  let starts: number[] | undefined;
  for (const line of out.replace(/\n$/, '').split('\n')) {
    if (line === '') {
      age = ageColumn;
      starts = undefined;
      lines.push('');
      continue;
    }
    if (!starts && /^[A-Z]/.test(line) && cells(line).includes('AGE')) {
      starts = columnStarts(line);
      age = cells(line).indexOf('AGE');
      lines.push(cells(line).join(' | '));
      continue;
    }
    const st = starts;
    const c = st ? st.map((p, i) => line.slice(p, i + 1 < st.length ? st[i + 1] : undefined).trim()) : cells(line);
    if (age >= 0 && age < c.length && /^(\d+[smhdy])+$|^<unknown>$|^<invalid>$/.test(c[age])) c[age] = '<age>';
    lines.push(c.join(' | '));
  }
  return lines;
}

/** Every row of a table block starts its cells where the header starts its columns. */
function aligned(out: string): boolean {
  for (const block of out.replace(/\n$/, '').split('\n\n')) {
    const rows = block.split('\n').filter(Boolean);
    if (rows.length < 2 || !/^[A-Z]/.test(rows[0])) continue;
    const head = columnStarts(rows[0]);
    for (const r of rows.slice(1)) {
      const s = columnStarts(r);
      if (s.length === head.length && s.some((x, i) => x !== head[i])) return false;
    }
  }
  return true;
}

/** The rows without one column (by header name), per table block. */
function dropColumn(lines: string[], name: string): string[] {
  let idx = -1;
  return lines.map((l) => {
    if (l === '') {
      idx = -1;
      return l;
    }
    const c = l.split(' | ');
    if (c.includes(name) && idx < 0 && /^[A-Z]/.test(c[0])) idx = c.indexOf(name);
    return idx >= 0 ? c.filter((_, i) => i !== idx).join(' | ') : l;
  });
}

/**
 * Ours promises a deterministic order: per table, Karmada first, then the members (by name here: no
 * -C list has more than one cluster in the matrix), then namespace, then name.
 */
function sortedAsSpecified(lines: string[]): boolean {
  for (const block of lines.join('\n').split('\n\n')) {
    const rows = block.split('\n').filter(Boolean).map((l) => l.split(' | '));
    if (rows.length < 2 || !rows[0].includes('CLUSTER')) continue;
    const [ci, ni, nsi] = [rows[0].indexOf('CLUSTER'), rows[0].indexOf('NAME'), rows[0].indexOf('NAMESPACE')];
    const key = (r: string[]) => [r[ci] === 'Karmada' ? '' : r[ci], nsi >= 0 ? r[nsi] : '', r[ni]];
    const keys = rows.slice(1).map(key);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1], keys[i]];
      const cmp = a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
      if (cmp > 0) return false;
    }
  }
  return true;
}

/** A stream of JSON documents (the reference concatenates them). */
function jsonDocs(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}

/** YAML documents, whether separated by `---` or (the reference) simply concatenated. */
function yamlDocs(text: string): unknown[] {
  const parts = text.split(/^---\n|(?=^apiVersion: )/m).filter((p) => p.trim());
  return parts.map((p) => load(p));
}

type K = { kind?: string; items?: K[]; metadata?: { annotations?: Record<string, string> } };
const itemsOf = (docs: unknown[]) => (docs as K[]).flatMap((d) => (d.kind === 'List' ? (d.items ?? []) : [d]));
const stripCluster = (o: K): { o: K; had: boolean } => {
  const x = structuredClone(o);
  const had = Boolean(x.metadata?.annotations && CLUSTER_ANNOTATION in x.metadata.annotations);
  if (had) {
    delete x.metadata!.annotations![CLUSTER_ANNOTATION];
    if (!Object.keys(x.metadata!.annotations!).length) delete x.metadata!.annotations;
  }
  return { o: x, had };
};
const multiset = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

/** The aspects in which ours differs from the reference for one case. */
function compare(c: Case, go: Run, ours: Run): { aspects: string[]; detail: Record<string, unknown> } {
  const aspects = new Set<string>();
  const detail: Record<string, unknown> = {};
  if (go.code !== ours.code) {
    aspects.add('exit');
    detail.exit = { go: go.code, ours: ours.code };
  }
  if (go.stderr !== ours.stderr) {
    aspects.add('stderr');
    detail.stderr = { go: go.stderr, ours: ours.stderr };
  }
  if (c.mode === 'exact') {
    if (go.stdout !== ours.stdout) aspects.add('stdout');
  } else if (c.mode === 'table') {
    if (!aligned(go.stdout) || !aligned(ours.stdout)) aspects.add('misaligned');
    const [g, o] = [normaliseAge(go.stdout, c.ageColumn), normaliseAge(ours.stdout, c.ageColumn)];
    if (!c.args.includes('--sort-by') && !sortedAsSpecified(o)) aspects.add('ours-unsorted');
    const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
    const sortedRows = (ls: string[]) => [...ls].sort();
    const blocks = (ls: string[]) => ls.join('\n').split('\n\n').map((b) => b.split('\n'));
    const blockSet = (ls: string[]) => blocks(ls).map((b) => JSON.stringify([b[0], ...sortedRows(b.slice(1))])).sort();
    if (!same(g, o)) {
      if (same(sortedRows(g), sortedRows(o))) aspects.add('row-order');
      else if (same(blockSet(g), blockSet(o))) aspects.add('table-order');
      else {
        const [gd, od] = [dropColumn(g, 'ADOPTION'), dropColumn(o, 'ADOPTION')];
        if (same(blockSet(gd), blockSet(od))) {
          aspects.add('adoption-column');
          if (!same(gd, od)) aspects.add('table-order');
        } else aspects.add('stdout');
      }
    }
  } else {
    const parse = c.mode === 'json' ? jsonDocs : yamlDocs;
    const [gd, od] = [parse(go.stdout), parse(ours.stdout)];
    const structure = (docs: unknown[]) => (docs as K[]).map((d) => (d.kind === 'List' ? { kind: 'List', rest: { ...d, items: undefined } } : { kind: d.kind }));
    if (JSON.stringify(structure(gd)) !== JSON.stringify(structure(od))) {
      aspects.add('documents');
      detail.documents = { go: structure(gd), ours: structure(od) };
    }
    const gi = itemsOf(gd).map((x) => stripCluster(x).o);
    const stripped = itemsOf(od).map(stripCluster);
    if (stripped.some((s) => s.had)) aspects.add('cluster-annotation');
    if (JSON.stringify(multiset(gi)) !== JSON.stringify(multiset(stripped.map((s) => s.o)))) aspects.add('objects');
  }
  if (aspects.has('stdout')) detail.stdout = { go: go.stdout, ours: ours.stdout };
  return { aspects: [...aspects].sort(), detail };
}

interface Allowed {
  case: string;
  /** Differences that must occur. */
  aspects: string[];
  /** Differences that may occur (the reference's row order across clusters is nondeterministic). */
  mayAlso?: string[];
  reason: string;
}

describe('operate commands: parity with karmadactl v1.18.2 on one real harness', () => {
  it('every invocation of the matrix matches, or differs only as operate-parity-allowed.json says', async () => {
    const list = allowed as Allowed[];
    const report: Record<string, unknown>[] = [];
    const problems: string[] = [];
    for (const c of MATRIX) {
      const key = c.args.join(' ');
      const go = await runGo(c.args);
      const ours = await runOurs(c.args);
      const { aspects, detail } = compare(c, go, ours);
      const entry = list.find((a) => a.case === key);
      const want = [...(entry?.aspects ?? [])].sort();
      const may = entry?.mayAlso ?? [];
      const ok = want.every((a) => aspects.includes(a)) && aspects.every((a) => want.includes(a) || may.includes(a));
      report.push({ case: key, aspects, want, may, go: { code: go.code, lines: go.stdout.split('\n').length }, ours: { code: ours.code, lines: ours.stdout.split('\n').length }, ...(ok ? {} : { detail }) });
      if (!ok) problems.push(`${key}: differs in [${aspects.join(', ')}], allowed [${want.join(', ')}] (may also: [${may.join(', ')}])\n${JSON.stringify(detail, null, 1).slice(0, 3000)}`);
    }
    for (const a of list) if (!MATRIX.some((c) => c.args.join(' ') === a.case)) problems.push(`allowed entry for a case not in the matrix: ${a.case}`);
    writeFileSync(file('operate-parity-report.json'), JSON.stringify(report, null, 2));
    process.stderr.write(`operate parity: ${MATRIX.length} invocations, ${report.filter((r) => (r.aspects as string[]).length === 0).length} identical; report in ${file('operate-parity-report.json')}\n`);
    if (problems.length) failed = true;
    expect(problems).toEqual([]);
  }, 900_000);
});
