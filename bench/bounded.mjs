// Time and peak memory of the CLI on inputs that must be bounded (issue 13 §5): /dev/zero and a 20 GiB
// sparse file as --kubeconfig, /dev/zero as --config and --ca-cert-file, a CRD tarball whose member
// header says 4 GiB (and holds 4 GiB of zeros), a "billion laughs" CRD file, and servers that accept
// the connection and never answer.
//
//   npm run build && node bench/bounded.mjs [--root DIR] [--timeout 40] [--cap-mib 4096] [--only NAME]
//
// --root is the checkout whose bin/karmadactl (and dist/) runs: pass a copy of an older build to get
// "before" numbers. Each case is killed after --timeout seconds or once its RSS passes --cap-mib (the
// machine is shared): such a run is reported as "killed" with the time and memory at that moment.
// Peak RSS is the process's VmHWM, polled from /proc every 20 ms.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: { root: { type: 'string', default: process.cwd() }, timeout: { type: 'string', default: '40' }, 'cap-mib': { type: 'string', default: '4096' }, only: { type: 'string' }, 'hang-timeout': { type: 'string' }, 'crds-only': { type: 'boolean', default: false } } });
const root = path.resolve(opt.root);
const timeoutS = Number(opt.timeout);
const capKiB = Number(opt['cap-mib']) * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-bounded-'));
const FIX = path.resolve(import.meta.dirname, '../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');

// ---- inputs
const sparse = path.join(dir, 'sparse.config');
writeFileSync(sparse, '');
truncateSync(sparse, 20 * 2 ** 30);

function header(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}
// gzip members concatenate: 4096 × (1 MiB of zeros) after the header, ~4 MiB on disk.
const zeroMiB = gzipSync(Buffer.alloc(1 << 20));
const huge = path.join(dir, 'huge-member.tgz');
writeFileSync(huge, Buffer.concat([gzipSync(header('crds/bases/huge.yaml', 4 * 2 ** 30)), ...Array(4096).fill(zeroMiB), gzipSync(Buffer.alloc(1024))]));

const lolText = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: lols.example.com}', 'spec:', '  group: example.com', '  names: {kind: Lol, plural: lols}', '  scope: Namespaced', '  versions: []', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`)].join('\n') + '\n';
const lolBody = Buffer.alloc(Math.ceil(lolText.length / 512) * 512);
lolBody.write(lolText);
// The release's CRDs plus the one file of laughs.
const lol = path.join(dir, 'billion-laughs.tgz');
writeFileSync(lol, gzipSync(Buffer.concat([header('crds/bases/lol.yaml', Buffer.byteLength(lolText)), lolBody, Buffer.alloc(1024)])));

// ---- servers
// A throw-away self-signed serving certificate (the client skips verification).
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
const sockets = new Set();
const keep = (s) => (sockets.add(s), s.on('error', () => undefined));
const tcp = net.createServer(keep);
const silentTls = tls.createServer({ cert, key }, keep);
await Promise.all([tcp, silentTls].map((s) => new Promise((r) => s.listen(0, '127.0.0.1', r))));
const kubeconfig = (name, server) => {
  const p = path.join(dir, name);
  writeFileSync(p, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: abcdef.0123456789abcdef}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`);
  return p;
};
const hangTcp = kubeconfig('hang-tcp.config', `https://127.0.0.1:${tcp.address().port}`);
const hangTls = kubeconfig('hang-tls.config', `https://127.0.0.1:${silentTls.address().port}`);

const data = () => path.join(dir, `data-${Math.random().toString(36).slice(2)}`);
const initFlags = () => { const d = data(); return ['init', '--dry-run', '--karmada-data', d, '--karmada-pki', path.join(d, 'pki')]; };
const cases = [
  ['baseline: init --dry-run until --crds (file missing)', [...initFlags(), '--crds', path.join(dir, 'missing.tgz')]],
  ['--kubeconfig /dev/zero', ['token', 'list', '--kubeconfig', '/dev/zero']],
  ['--kubeconfig 20 GiB sparse file', ['token', 'list', '--kubeconfig', sparse]],
  ['--config /dev/zero', [...initFlags(), '--crds', FIX, '--config', '/dev/zero']],
  ['--ca-cert-file /dev/zero', [...initFlags(), '--crds', FIX, '--ca-cert-file', '/dev/zero', '--ca-key-file', '/dev/zero']],
  ['--crds member header 4 GiB', [...initFlags(), '--crds', huge]],
  ['--crds billion laughs', [...initFlags(), '--crds', lol]],
  ['--crds billion laughs, printed (-o json)', [...initFlags(), '--crds', lol, '-o', 'json']],
  ['server accepts TCP, never answers', ['addons', 'list', '--kubeconfig', hangTcp, '--karmada-kubeconfig', hangTcp], true],
  ['server completes TLS, never answers', ['addons', 'list', '--kubeconfig', hangTls, '--karmada-kubeconfig', hangTls], true],
];

function run(argv, limitS, direct = false) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = direct
      ? spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [path.join(root, 'bin', 'karmadactl'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir, KUBECONFIG: '' } });
    let out = '';
    if (direct) child.stdout.on('data', (c) => (out += c));
    let err = '';
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    if (!direct) child.stdout.resume();
    let peak = 0;
    let killed = '';
    const poll = setInterval(() => {
      try {
        const st = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(st)?.[1] ?? 0));
        const rss = Number(/VmRSS:\s+(\d+)/.exec(st)?.[1] ?? 0);
        if (rss > capKiB && !killed) {
          killed = `killed at ${Math.round(rss / 1024)} MiB RSS`;
          child.kill('SIGKILL');
        }
      } catch {
        /* exited */
      }
    }, 20);
    const timer = setTimeout(() => {
      killed ||= `killed after ${limitS} s`;
      child.kill('SIGKILL');
    }, limitS * 1000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let line = err.split('\n').filter((l) => l.startsWith('error:')).pop() ?? err.trim().split('\n').pop() ?? '';
      if (direct && out.trim()) line = out.trim();
      resolve({ seconds: ms / 1000, peakMiB: peak / 1024, code, outcome: killed || line.slice(0, 160) });
    });
  });
}

// --crds-only: the tarballs through loadCrds alone (bench/bounded-crds.ts, bundled from root's src/).
const crdsBench = path.join(root, 'bench', 'bounded-crds.ts');
const runTs = path.join(root, 'bench', 'run-ts.mjs');
const crdCases = [
  ['loadCrds: the v1.18.2 release tarball', [runTs, crdsBench, FIX]],
  ['loadCrds: member header 4 GiB', [runTs, crdsBench, huge]],
  ['loadCrds: billion laughs', [runTs, crdsBench, lol]],
  ['loadCrds: billion laughs, serialized', [runTs, crdsBench, lol, '-o']],
];
const rows = [];
for (const [name, argv, hang] of opt['crds-only'] ? crdCases.map(([n, a]) => [n, a, false, true]) : cases) {
  if (opt.only && !name.includes(opt.only)) continue;
  const r = await run(argv, hang && opt['hang-timeout'] ? Number(opt['hang-timeout']) : timeoutS, opt['crds-only']);
  rows.push({ name, ...r });
  console.log(JSON.stringify({ case: name, seconds: Number(r.seconds.toFixed(2)), peakMiB: Math.round(r.peakMiB), exit: r.code, outcome: r.outcome }));
}
for (const s of sockets) s.destroy();
tcp.close();
silentTls.close();
console.log(`\n| case | time | peak RSS | outcome |\n|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.name} | ${r.seconds.toFixed(2)} s | ${Math.round(r.peakMiB)} MiB | ${r.outcome.replaceAll('|', '\\|')} |`);
