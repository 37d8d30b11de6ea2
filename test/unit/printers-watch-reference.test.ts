/**
 * Watch tables against the reference: the Go karmadactl v1.18.2 `get -w` against an in-process
 * HTTP API server that answers the list with a Table and the watch with three Table events, then
 * keeps the stream open (the reference never exits; it is stopped after the events). Our
 * TablePrinter, driven the way `get --watch` should drive it (initial list, resetWidths(), one
 * print per event), must print the same bytes. Skipped when the binary is absent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TablePrinter, type Table, type TableRow } from '../../src/kubectl/printers';
import { goBin } from '../support/go-bin';

const BIN = goBin('karmadactl');
const have = existsSync(BIN);

const defs = [
  { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
  { name: 'Ready', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
];
const row = (n: string, ns: string, ready: string, age: string, rv: string): TableRow => ({
  cells: [n, ready, age],
  object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: n, namespace: ns, resourceVersion: rv } },
});
const list: Table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '10' }, columnDefinitions: defs, rows: [row('a-very-long-pod-name', 'default', '0/1', '5m', '10'), row('c', 'default', '1/1', '2d', '9')] };
const events: [string, Table][] = [
  ['MODIFIED', { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '11' }, columnDefinitions: defs, rows: [row('a-very-long-pod-name', 'default', '1/1', '1s', '11')] }],
  ['ADDED', { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '12' }, columnDefinitions: defs, rows: [row('b', 'kube-system', '0/1', '1s', '12')] }],
  ['DELETED', { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '13' }, columnDefinitions: defs, rows: [row('b', 'kube-system', '0/1', '1s', '13')] }],
];

let server: http.Server;
const open = new Set<http.ServerResponse>();
const dir = mkdtempSync(join(tmpdir(), 'printers-watch-ref-'));
let kubeconfig = '';

beforeAll(async () => {
  if (!have) return;
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (o: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    if (u.pathname === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (u.pathname === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (u.pathname === '/api/v1') return send({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'] }] });
    if (u.pathname.endsWith('/pods')) {
      if (u.searchParams.get('watch') !== 'true') return send(list);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      open.add(res);
      events.forEach(([type, object], i) => setTimeout(() => res.write(JSON.stringify({ type, object }) + '\n'), 100 * (i + 1)));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "http://127.0.0.1:${port}"}\n  name: c\ncontexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n`,
  );
});
afterAll(() => {
  for (const r of open) r.destroy();
  server?.close();
});

/** Runs the reference until its output has `lines` lines (it never exits on its own), then stops it. */
function reference(args: string[], lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['get', 'pods', ...args, '--kubeconfig', kubeconfig], { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir } });
    let out = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`reference printed only: ${JSON.stringify(out)}`));
    }, 30_000);
    p.stdout.on('data', (d) => {
      out += String(d);
      if (out.split('\n').length - 1 >= lines) {
        clearTimeout(timer);
        p.kill('SIGKILL');
        resolve(out);
      }
    });
    p.on('error', reject);
  });
}

function ours(o: { allNamespaces?: boolean; events?: boolean; watchOnly?: boolean }): string {
  const printer = new TablePrinter({
    withNamespace: o.allNamespaces,
    extraColumns: [
      { name: 'CLUSTER', position: 'afterName', cell: () => 'Karmada' },
      { name: 'ADOPTION', position: 'end', priority: 1, cell: () => 'N' },
    ],
  });
  let out = '';
  if (!o.watchOnly) {
    out += printer.print(structuredClone(list), o.events ? { eventType: 'ADDED' } : {});
    printer.resetWidths();
  }
  for (const [type, t] of events) out += printer.print(structuredClone(t), o.events ? { eventType: type } : {});
  return out;
}

describe.skipIf(!have)('watch tables against the Go karmadactl v1.18.2 get -w', () => {
  const matrix: [string[], Parameters<typeof ours>[0], number][] = [
    [['-w'], {}, 6],
    [['-w', '--output-watch-events'], { events: true }, 6],
    [['-w', '-A', '--output-watch-events'], { allNamespaces: true, events: true }, 6],
    [['--watch-only', '--output-watch-events', '-A'], { allNamespaces: true, events: true, watchOnly: true }, 4],
    [['--watch-only'], { watchOnly: true }, 4],
  ];
  for (const [args, o, lines] of matrix) {
    it(`get pods ${args.join(' ')}`, async () => {
      const ref = await reference(args, lines);
      expect(ref.split('\n').filter(Boolean)).toHaveLength(lines);
      expect(ours(o)).toBe(ref);
    });
  }
});
