/**
 * Differential test of the table printer against the reference: the Go karmadactl v1.18.2 (built by
 * the e2e script) runs `get` against a minimal in-process HTTP API server that serves legacy
 * discovery and a fixed meta.k8s.io/v1 Table; our TablePrinter, set up the way `get` uses it
 * (CLUSTER after NAME, ADOPTION last, priority 1 for pods), must print the same bytes.
 * Skipped when the binary is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrinter, parsePrintFlags, printTables, TablePrinter, type KubeObject, type Table, type TableRow } from '../../src/kubectl/printers';
import { goBin } from '../support/go-bin';

const BIN = goBin('karmadactl');
const have = existsSync(BIN);
const run = promisify(execFile);

const meta = (name: string, namespace: string, labels?: Record<string, string>) => ({
  kind: 'PartialObjectMetadata',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
});
const col = (name: string, priority = 0, format = '', type = 'string') => ({ name, type, format, description: '', priority });

const tables: Record<string, Table> = {
  pods: {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: [col('Name', 0, 'name'), col('Ready'), col('Status'), col('Restarts', 0, '', 'integer'), col('IP', 1), col('Node', 1), col('Age')],
    rows: [
      { cells: ['nginx-7c5ddbdf54-abcde', '1/1', 'Running', 0, '10.244.0.12', 'member1-control-plane', '5m'], object: meta('nginx-7c5ddbdf54-abcde', 'default', { app: 'nginx', 'karmada.io/managed': 'true' }) },
      { cells: ['x', '0/1', 'CrashLoopBackOff', 12, null, null, '3d'], object: meta('x', 'kube-system') },
      { cells: ['évian-ü', '1/1', 'line1\nline2', 3, '10.0.0.1', 'n', '10s'], object: meta('évian-ü', 'default', { tier: 'back end', app: 'évian' }) },
      { cells: ['esc', '1/1', 'a\x1b[31mred', 1.5, true, 'n', '2y'], object: meta('esc', 'default', {}) },
    ],
  },
  configmaps: {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '2' },
    columnDefinitions: [col('Name', 0, 'name'), col('Data', 0, '', 'integer'), col('Age')],
    rows: [
      { cells: ['kube-root-ca.crt', 1, '20d'], object: meta('kube-root-ca.crt', 'default') },
      { cells: ['cfg', 3, '1h'], object: meta('cfg', 'default', { 'karmada.io/managed': 'true' }) },
    ],
  },
};

/** The same pods as full objects, for the structured formats (plain JSON requests). */
const podList = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1' },
  items: [
    { metadata: { name: 'nginx-7c5ddbdf54-abcde', namespace: 'default', labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] }, status: { phase: 'Running', podIP: '10.244.0.12' } },
    { metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'evil\x1b[31m' }] }, status: { phase: 'Pending' } },
  ],
};

let server: http.Server;
let kubeconfig = '';
const dir = mkdtempSync(join(tmpdir(), 'printers-table-ref-'));

beforeAll(async () => {
  if (!have) return;
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (o: unknown, code = 200) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    if (u.pathname === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (u.pathname === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (u.pathname === '/api/v1') {
      return send({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'] },
          { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list', 'watch'], shortNames: ['cm'] },
        ],
      });
    }
    const m = /\/(pods|configmaps)$/.exec(u.pathname);
    if (m && m[1] === 'pods' && !String(req.headers.accept ?? '').includes('as=Table')) return send(podList);
    if (m) return send(tables[m[1]]);
    return send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }, 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "http://127.0.0.1:${port}"}\n  name: c\ncontexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n`,
  );
});
afterAll(() => server?.close());

async function reference(args: string[]): Promise<string> {
  const { stdout } = await run(BIN, ['get', ...args, '--kubeconfig', kubeconfig], { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir }, timeout: 30_000 });
  return stdout;
}

type Row = TableRow;
function ours(resource: 'pods' | 'configmaps', o: { wide?: boolean; noHeaders?: boolean; showLabels?: boolean; labelColumns?: string[]; allNamespaces?: boolean; showKind?: boolean }): string {
  const printer = new TablePrinter<Row>({
    wide: o.wide,
    noHeaders: o.noHeaders,
    showLabels: o.showLabels,
    labelColumns: o.labelColumns,
    withNamespace: o.allNamespaces,
    kind: o.showKind ? { kind: resource === 'pods' ? 'Pod' : 'ConfigMap' } : undefined,
    extraColumns: [
      { name: 'CLUSTER', position: 'afterName', cell: () => 'Karmada' },
      { name: 'ADOPTION', position: 'end', priority: resource === 'pods' ? 1 : 0, cell: () => '-' },
    ],
  });
  return printer.print(structuredClone(tables[resource]));
}

describe.skipIf(!have)('table printer against the Go karmadactl v1.18.2 get', () => {
  const matrix: [string[], Parameters<typeof ours>[1]][] = [
    [[], {}],
    [['-o', 'wide'], { wide: true }],
    [['--show-labels'], { showLabels: true }],
    [['-L', 'app,tier'], { labelColumns: ['app', 'tier'] }],
    [['-L', 'karmada.io/managed', '--show-labels', '-o', 'wide'], { labelColumns: ['karmada.io/managed'], showLabels: true, wide: true }],
    [['--no-headers'], { noHeaders: true }],
    [['--no-headers', '-o', 'wide', '--show-labels'], { noHeaders: true, wide: true, showLabels: true }],
    [['-A'], { allNamespaces: true }],
    [['-A', '-o', 'wide', '--show-kind'], { allNamespaces: true, wide: true, showKind: true }],
    [['--show-kind'], { showKind: true }],
  ];
  it('get pods,configmaps: one table per type (the reference orders them by group/version/resource), kind prefixes, one blank line', async () => {
    const ref = await reference(['pods,configmaps', '-o', 'wide']);
    const extra = (pods: boolean) => [
      { name: 'CLUSTER', position: 'afterName' as const, cell: () => 'Karmada' },
      // the reference hides ADOPTION for every table after a pods table was built (spec §2.5 step 4); with -o wide it shows
      { name: 'ADOPTION', position: 'end' as const, priority: pods ? 1 : 0, cell: () => '-' },
    ];
    const cm = printTables([{ table: structuredClone(tables.configmaps), kind: { kind: 'ConfigMap' } }], { wide: true, extraColumns: extra(false) });
    const po = printTables([{ table: structuredClone(tables.pods), kind: { kind: 'Pod' } }], { wide: true, extraColumns: extra(true) });
    expect(ref).toBe(`${cm}\n${po}`);
  });

  // Structured output of a LIST: karmadactl wraps the items in a List of its own (with selfLink, see
  // spec §2.7), so json/yaml differ by design; these formats see the same items.
  for (const out of [
    'name',
    'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
    'jsonpath={.items[*].spec.containers[*].image}',
    'go-template={{range .items}}{{.metadata.name}}:{{len .spec.containers}}{{"\\n"}}{{end}}',
    'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,IP:.status.podIP,LABELS:.metadata.labels',
  ]) {
    it(`get pods -o ${out}`, async () => {
      const ref = await reference(['pods', '-o', out]);
      expect(ref).toContain('x');
      const items = podList.items.map((i) => ({ apiVersion: 'v1', kind: 'Pod', ...i }) as KubeObject);
      const p = await createPrinter(parsePrintFlags({ output: out }));
      expect(p.printList(items)).toBe(ref);
    });
  }

  for (const resource of ['pods', 'configmaps'] as const) {
    for (const [args, o] of matrix) {
      it(`get ${resource} ${args.join(' ')}`, async () => {
        const ref = await reference([resource, ...args]);
        expect(ref).toContain(resource === 'pods' ? 'CrashLoopBackOff' : 'kube-root-ca.crt');
        expect(ours(resource, o)).toBe(ref);
      });
    }
  }
});
