// PKI generation and a full `init` against the in-process test API server with added latency.
// Usage: npm run bench:init [-- --runs 3 --latency 20]
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { generatePki, startKeyGeneration, PKI_NAMES } from '../src/install/pki';
import { runCli } from '../test/support/context';
import { nodes } from '../test/support/apiserver';
import { startKarmadaHost } from '../test/support/karmada-host';

const args = process.argv.slice(2);
const arg = (n: string, d: number) => (args.includes(`--${n}`) ? Number(args[args.indexOf(`--${n}`) + 1]) : d);
const runs = arg('runs', 3);
const latency = arg('latency', 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: number) => performance.now() - t0;
const opts = { namespace: 'karmada-system', hostClusterDomain: 'cluster.local', etcdReplicas: 1, externalEtcd: false, externalDNS: [], externalIPs: [], apiserverIPs: ['10.0.0.10'], validityMs: 365 * 86_400_000 };

const pki: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await generatePki(opts, startKeyGeneration());
  pki.push(ms(t0));
}
const seq: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  for (const _ of PKI_NAMES) generateKeyPairSync('rsa', { modulusLength: 3072 });
  seq.push(ms(t0));
}
console.log(`PKI (8 RSA-3072 pairs, certificates signed natively), ${runs} runs: median ${median(pki).toFixed(0)} ms; keys alone generated one after another: median ${median(seq).toFixed(0)} ms`);

const crds = path.resolve(import.meta.dirname ?? '.', '../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const fixture = path.resolve(process.cwd(), '../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
for (const lat of [0, latency]) {
  const first: number[] = [];
  const again: number[] = [];
  let reqs = '';
  let againReqs = '';
  for (let i = 0; i < runs; i++) {
    const env = await startKarmadaHost({ nodes: [nodes.untainted('node1')], latencyMs: lat, karmadaLatencyMs: lat, podReadyDelayMs: 5 });
    const t0 = performance.now();
    const r = await runCli(['init', ...env.flags(['--crds', fixture || crds])]);
    first.push(ms(t0));
    if (r.code !== 0) throw new Error(r.stderr);
    reqs = `${env.host.requests.length} host + ${env.karmada()!.requests.length} karmada-apiserver requests`;
    const [h0, k0] = [env.host.requests.length, env.karmada()!.requests.length];
    const t1 = performance.now();
    await runCli(['init', ...env.flags(['--crds', fixture])]);
    again.push(ms(t1));
    const count = (rs: { method: string }[]) => `${rs.length} (${rs.filter((r) => r.method !== 'GET').length} writes)`;
    againReqs = `${count(env.host.requests.slice(h0))} host + ${count(env.karmada()!.requests.slice(k0))} karmada-apiserver requests`;
    await env.close();
  }
  console.log(`full init, ${lat} ms added per request, ${runs} runs: median ${median(first).toFixed(0)} ms (${reqs}); re-run on the healthy install: median ${median(again).toFixed(0)} ms (${againReqs})`);
}
process.exit(0);
