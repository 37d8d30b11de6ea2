/**
 * Ours against the Go karmadactl v1.18.2, measured in the same run on the same machine, A B A B:
 *   1. start-up (version, --help, init --help) with peak memory, and the floor `node -e 0`;
 *   2. PKI generation for init (8 RSA-3072 pairs);
 *   3. a full init against the real-component harness, with 0 and 20 ms added per API request;
 *   4. join and register end to end;  4b. one-request commands (token list, cordon), in the harness and
 *   against the in-process test API server on an otherwise quiet machine;  5. peak memory of each.
 * Prints medians, the ratio ours/Go, and the target; `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Processes, binaries, bridgeKarmada, freeNodePort, latencyProxy, startCluster } from '../test/e2e/harness';
import { generatePki, startKeyGeneration } from '../src/install/pki';

const repo = process.cwd();
const CRDS = path.resolve(repo, '../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const NODE = path.join(repo, 'node_modules/.bin/node');
const bin = binaries();
const GO = path.join(bin, 'karmadactl');
const OURS = [NODE, path.join(repo, 'bin/karmadactl')];
const quick = process.argv.includes('--quick');
/** `--only=startup,pki,clusters,quiet`: a subset of the sections (default: all). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (section: string) => !only || only.includes(section);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time (ms) and peak RSS (MiB, from /usr/bin/time) of one process run. */
function run(cmd: string[], env: NodeJS.ProcessEnv = {}): { ms: number; mib: number; code: number; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const lines = r.stderr.trim().split('\n');
  return { ms, mib: Number(lines[lines.length - 1]) / 1024, code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** The same, without blocking the event loop (the harness bridge runs in this process). */
async function runAsync(cmd: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; mib: number; code: number; out: string }> {
  const { execa } = await import('execa');
  const t0 = process.hrtime.bigint();
  const r = await execa('/usr/bin/time', ['-f', '%M', ...cmd], { env: { ...process.env, ...env }, reject: false, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const lines = String(r.stderr).trim().split('\n');
  return { ms, mib: Number(lines[lines.length - 1]) / 1024, code: r.exitCode ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

interface Row {
  figure: string;
  ours: number;
  go: number;
  unit: string;
  target: number;
  note?: string;
}
const rows: Row[] = [];
const add = (figure: string, ours: number[], go: number[], unit: string, target: number, note?: string) => rows.push({ figure, ours: median(ours), go: median(go), unit, target, note });

// ---------------------------------------------------------------------------------- 1. start-up
const N = quick ? 5 : 15;
const floor: number[] = [];
let oneRequestFloor = 0;
if (want('startup')) for (const args of [['version'], ['--help'], ['init', '--help']]) {
  const o: number[] = [], g: number[] = [], om: number[] = [], gm: number[] = [];
  for (let i = 0; i < N; i++) {
    const a = run([...OURS, ...args]);
    const b = run([GO, ...args]);
    o.push(a.ms), om.push(a.mib), g.push(b.ms), gm.push(b.mib);
  }
  add(`start-up: ${args.join(' ')}`, o, g, 'ms', 1.0);
  add(`peak memory: ${args.join(' ')}`, om, gm, 'MiB', 1.0);
}
if (want('startup')) {
  floor.push(...Array.from({ length: N }, () => run([NODE, '-e', '0']).ms));
  process.stderr.write('start-up measured\n');
}

// ---------------------------------------------------------------------------------------- 2. PKI
if (want('pki')) {
  const o: number[] = [], g: number[] = [];
  for (let i = 0; i < (quick ? 3 : 15); i++) {
    const t0 = performance.now();
    await generatePki({ namespace: 'karmada-system', hostClusterDomain: 'cluster.local', etcdReplicas: 1, externalEtcd: false, externalDNS: [], externalIPs: [], apiserverIPs: ['10.0.0.10'], validityMs: 365 * 86_400_000 }, startKeyGeneration());
    o.push(performance.now() - t0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pkigen-'));
    g.push(Number(execFileSync(path.join(bin, 'karmada-pkigen'), [dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()));
    rmSync(dir, { recursive: true, force: true });
  }
  add('PKI generation (8 pairs, RSA-3072)', o, g, 'ms', 0.5);
  process.stderr.write('PKI measured\n');
}

// ------------------------------------------------------------------ 3, 4, 4b: against real clusters
async function initOnce(which: 'ours' | 'go', latencyMs: number): Promise<{ init: number; initMib: number; join: number; joinMib: number; register: number; registerMib: number; tokenList: number; tokenMib: number; cordon: number; podStartup: number }> {
  const procs = await Processes.create(`bench-${which}`);
  try {
    const [host, member, member2] = await Promise.all([startCluster(procs, 'host', { nodes: [{ name: 'node1' }] }), startCluster(procs, 'member1', {}), startCluster(procs, 'member2', { nodes: [{ name: 'm2-node' }] })]);
    const port = await freeNodePort();
    let server = host.url;
    let proxy: { close(): void } | undefined;
    if (latencyMs) {
      const p = await latencyProxy(0, Number(new URL(host.url).port), latencyMs);
      proxy = p;
      server = `https://127.0.0.1:${p.port}`;
    }
    const hostCfg = path.join(procs.dir, 'host.config');
    host.writeKubeconfig(hostCfg);
    // point the kubeconfig at the proxy (the serving certificate has 127.0.0.1, so TLS still verifies)
    writeFileSync(hostCfg, readFileSync(hostCfg, 'utf8').replace(host.url, server));
    const bridge = bridgeKarmada(procs, host, { nodePort: port, latencyMs });
    const cmd = which === 'ours' ? OURS : [GO];
    const flags = ['init', '--kubeconfig', hostCfg, '--port', String(port), '-d', path.join(procs.dir, 'data'), '--karmada-pki', path.join(procs.dir, 'pki'), '--crds', CRDS, '--karmada-apiserver-advertise-address', '127.0.0.1'];
    const i = await runAsync([...cmd, ...flags], { HOME: procs.dir });
    if (i.code !== 0) throw new Error(`${which} init failed:\n${i.out.slice(-3000)}`);
    const { apiserverStartupMs } = await bridge.ready;
    const kc = path.join(procs.dir, 'data', 'karmada-apiserver.config');
    const memberCfg = member.writeKubeconfig(path.join(procs.dir, 'member1.config'));
    const j = await runAsync([...cmd, 'join', 'member1', '--kubeconfig', kc, '--cluster-kubeconfig', memberCfg], { HOME: procs.dir });
    if (j.code !== 0) throw new Error(`${which} join failed:\n${j.out.slice(-3000)}`);
    const t = await runAsync([...cmd, 'token', 'list', '--kubeconfig', kc], { HOME: procs.dir });
    if (t.code !== 0) throw new Error(`${which} token list failed:\n${t.out.slice(-2000)}`);
    const co = await runAsync([...cmd, 'cordon', 'member1', '--kubeconfig', kc], { HOME: procs.dir });
    if (co.code !== 0) throw new Error(`${which} cordon failed:\n${co.out.slice(-2000)}`);
    await runAsync([...cmd, 'uncordon', 'member1', '--kubeconfig', kc], { HOME: procs.dir });
    // register: the command `token create --print-register-command` prints (the same tool's), for member2
    const tc = await runAsync([...cmd, 'token', 'create', '--print-register-command', '--kubeconfig', kc], { HOME: procs.dir });
    const printed = tc.out.split('\n').find((l) => /\bregister\b.*--token/.test(l));
    if (tc.code !== 0 || !printed) throw new Error(`${which} token create failed:\n${tc.out.slice(-2000)}`);
    const regArgs = printed.trim().split(/\s+/).slice(printed.trim().split(/\s+/).indexOf('register'));
    const m2cfg = member2.writeKubeconfig(path.join(procs.dir, 'member2.config'));
    const r = await runAsync([...cmd, ...regArgs, '--kubeconfig', m2cfg, '--cluster-name', 'member2'], { HOME: procs.dir });
    if (r.code !== 0 || /^error/im.test(r.out)) throw new Error(`${which} register failed:\n${r.out.slice(-3000)}`);
    bridge.stop();
    proxy?.close();
    return { init: i.ms, initMib: i.mib, join: j.ms, joinMib: j.mib, register: r.ms, registerMib: r.mib, tokenList: t.ms, tokenMib: t.mib, cordon: co.ms, podStartup: apiserverStartupMs };
  } finally {
    await procs.stop(false);
  }
}

const results: Record<string, Awaited<ReturnType<typeof initOnce>>[]> = {};
const R = quick ? 1 : 2;
for (const latency of want('clusters') ? [0, 20] : []) {
  for (let k = 0; k < R; k++) {
    for (const which of ['ours', 'go'] as const) {
      (results[`${which}-${latency}`] ??= []).push(await initOnce(which, latency));
      process.stderr.write(`init ${which} latency ${latency} ms: ${Math.round(results[`${which}-${latency}`].at(-1)!.init)} ms\n`);
    }
  }
}
const pick = (k: string, f: keyof Awaited<ReturnType<typeof initOnce>>) => results[k].map((r) => r[f] as number);
if (want('clusters')) {
add('init, real host (0 ms added)', pick('ours-0', 'init'), pick('go-0', 'init'), 'ms', 0.5);
add('init, real host (20 ms per request)', pick('ours-20', 'init'), pick('go-20', 'init'), 'ms', 0.5);
add('peak memory: init', pick('ours-0', 'initMib'), pick('go-0', 'initMib'), 'MiB', 1.0);
add('join end to end (0 ms added)', pick('ours-0', 'join'), pick('go-0', 'join'), 'ms', 0.7);
add('join end to end (20 ms per request)', pick('ours-20', 'join'), pick('go-20', 'join'), 'ms', 0.7);
add('peak memory: join', pick('ours-0', 'joinMib'), pick('go-0', 'joinMib'), 'MiB', 1.0);
add('register end to end (0 ms added)', pick('ours-0', 'register'), pick('go-0', 'register'), 'ms', 0.7);
add('register end to end (20 ms per request)', pick('ours-20', 'register'), pick('go-20', 'register'), 'ms', 0.7);
add('peak memory: register', pick('ours-0', 'registerMib'), pick('go-0', 'registerMib'), 'MiB', 1.0);
add('token list (one request), start to exit', [...pick('ours-0', 'tokenList'), ...pick('ours-20', 'tokenList')], [...pick('go-0', 'tokenList'), ...pick('go-20', 'tokenList')], 'ms', 1.5);
add('cordon (read + update), start to exit', [...pick('ours-0', 'cordon'), ...pick('ours-20', 'cordon')], [...pick('go-0', 'cordon'), ...pick('go-20', 'cordon')], 'ms', 1.5);
add('peak memory: token list', pick('ours-0', 'tokenMib'), pick('go-0', 'tokenMib'), 'MiB', 1.0);

}

// ------------------------------------------- 4b again, on a quiet machine: the in-process test API server
if (want('quiet')) {
  const { startControlPlane } = await import('../test/support/clusters');
  const cp = await startControlPlane();
  cp.sim.clusterController = false;
  cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'member1' }, spec: { id: 'member1', syncMode: 'Push', apiEndpoint: 'https://10.0.0.1:6443' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-quiet-'));
  const kc = path.join(dir, 'karmada.config');
  await cp.writeKubeconfig(kc, { cluster: 'karmada' });
  for (const args of [['token', 'list'], ['cordon', 'member1']]) {
    const o: number[] = [], g: number[] = [], om: number[] = [], gm: number[] = [];
    for (let i = 0; i < N; i++) {
      for (const [cmd, ms, mib] of [[OURS, o, om], [[GO], g, gm]] as const) {
        const r = await runAsync([...cmd, ...args, '--kubeconfig', kc], { HOME: dir });
        if (r.code !== 0) throw new Error(`${args.join(' ')} failed against the test API server:\n${r.out.slice(-2000)}`);
        ms.push(r.ms), mib.push(r.mib);
        if (args[0] === 'cordon') await runAsync([...cmd, 'uncordon', 'member1', '--kubeconfig', kc], { HOME: dir });
      }
    }
    add(`${args.join(' ')}, test API server (quiet), start to exit`, o, g, 'ms', 1.5);
    if (args[0] === 'token') {
      // The floor of any Node.js CLI here: a CommonJS script doing the same single HTTPS GET with node:https.
      const f: number[] = [];
      for (let i = 0; i < N; i++) f.push((await runAsync([NODE, path.join(repo, 'bench/one-request-floor.cjs'), kc])).ms);
      oneRequestFloor = median(f);
    }
    add(`peak memory: ${args.join(' ')} (quiet)`, om, gm, 'MiB', 1.0);
  }
  await cp.close();
  rmSync(dir, { recursive: true, force: true });
}

// ------------------------------------------------------------------------------------------ print
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const lines = [`| figure | ours | Go karmadactl v1.18.2 | ratio | target | met |`, `|---|---|---|---|---|---|`];
for (const r of rows) {
  const ratio = r.ours / r.go;
  lines.push(`| ${r.figure} | ${fmt(r.ours)} ${r.unit} | ${fmt(r.go)} ${r.unit} | ${ratio.toFixed(2)}× | ≤ ${r.target}× | ${ratio <= r.target ? 'yes' : 'no'} |`);
}
lines.push('');
if (floor.length) lines.push(`Start-up floor: \`node -e 0\` ${fmt(median(floor))} ms.`);
if (oneRequestFloor) lines.push(`One-request floor (quiet): bench/one-request-floor.cjs, the same GET with node:https and nothing else, ${fmt(oneRequestFloor)} ms.`);
if (want('clusters')) {
  const pods = median([...pick('ours-0', 'podStartup'), ...pick('go-0', 'podStartup')]);
  lines.push(
    `init floor: the karmada-apiserver pod's start-up in the harness (Deployment created → the real apiserver answers /readyz) took ${fmt(pods)} ms (median of all runs); ` +
      `no init can finish before it plus its dependent API calls after it. With 20 ms per request our init took ${fmt(median(pick('ours-20', 'init')) - median(pick('ours-0', 'init')))} ms more than with 0 ms ` +
      `(~${Math.round((median(pick('ours-20', 'init')) - median(pick('ours-0', 'init'))) / 20)} dependent requests; noisy, the pod start-up varies by more than that).`,
  );
}
lines.push(`Runs: start-up ${N}× each, PKI ${quick ? 3 : 15}×, init/join/token list ${R}× per latency, alternating ours/Go. Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}.`);
process.stdout.write(`${lines.join('\n')}\n`);
