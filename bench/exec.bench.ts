/**
 * `exec` of a command that prints 50 MiB, ours against the Go karmadactl v1.18.2, alternating A B / B A
 * in one run: wall time from start to exit, CPU (user+sys) and peak RSS (GNU time).
 *
 * The pod lives in a member test API server double behind the karmada-side cluster proxy double
 * (test/support/federation.ts); its exec endpoint speaks the v5 WebSocket channel protocol
 * (test/support/apiserver/streams.ts) and its container process writes `y\n` in 64 KiB frames. Both
 * CLIs negotiate v5 there (checked), and one unmeasured run of each checks that exactly 50 MiB reached
 * stdout. Measured runs write stdout to /dev/null, so the number is the client's streaming cost (plus
 * the doubles, the same for both). `npm run bench:exec [-- --runs=N --mib=M]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFederation } from '../test/support/federation';
import { goBin } from '../test/support/go-bin';

const repo = process.cwd();
const NODE = path.join(repo, 'node_modules/.bin/node');
const OURS = [NODE, path.join(repo, 'bin/karmadactl')];
const GO = goBin('karmadactl');
const arg = (name: string, dflt: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const RUNS = arg('runs', 7);
const MIB = arg('mib', 50);
const BYTES = MIB << 20;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One process: wall ms, peak RSS MiB, CPU ms, exit code, stdout bytes (when counted). */
function run(cmd: string[], home: string, count: boolean): Promise<{ ms: number; mib: number; cpu: number; code: number; bytes: number; err: string }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%M %U %S', ...cmd], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', count ? 'pipe' : 'ignore', 'pipe'] });
    let bytes = 0;
    let err = '';
    p.stdout?.on('data', (c: Buffer) => (bytes += c.length));
    p.stderr?.on('data', (c: Buffer) => (err += c));
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = err.trim().split('\n');
      const [kib, user, sys] = (lines.pop() ?? '').split(' ').map(Number);
      resolve({ ms, mib: kib / 1024, cpu: (user + sys) * 1000, code: code ?? -1, bytes, err: lines.join('\n') });
    });
  });
}

const fed = await startFederation(['member1']);
const loadAtStart = os.loadavg();
try {
  fed.members.member1.store.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'big', namespace: 'default' },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
  });
  const homes = { ours: mkdtempSync(path.join(os.tmpdir(), 'kc-bench-ours-')), go: mkdtempSync(path.join(os.tmpdir(), 'kc-bench-go-')) };
  const sessions = fed.members.member1.core.streams.sessions;
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const out: string[] = [`exec through the cluster proxy double (v5 WebSocket), ${RUNS} runs each (alternating), medians; ${os.cpus().length} cores, load average at the start ${loadAtStart.map((x) => x.toFixed(1)).join(' ')}`, ''];
  for (const [title, command, bytes] of [[`printing ${MIB} MiB`, ['yes', String(BYTES)], BYTES], ['of `true` (start-up and one session)', ['true'], 0]] as const) {
    const args = ['exec', 'big', '--kubeconfig', fed.kubeconfig, '-s', 'members', '--cluster', 'member1', '--', ...command];
    for (const who of ['ours', 'go'] as const) {
      const x = await run(who === 'ours' ? [...OURS, ...args] : [GO, ...args], homes[who], true);
      if (x.code !== 0 || x.bytes !== bytes) throw new Error(`${who}: exit ${x.code}, ${x.bytes} bytes of ${bytes}: ${x.err}`);
      if (sessions[sessions.length - 1].protocol !== 'v5.channel.k8s.io') throw new Error(`${who} negotiated ${sessions[sessions.length - 1].protocol}`);
    }
    const r = { ours: { ms: [] as number[], mib: [] as number[], cpu: [] as number[] }, go: { ms: [] as number[], mib: [] as number[], cpu: [] as number[] } };
    for (let i = 0; i < RUNS; i++) {
      for (const who of i % 2 ? (['go', 'ours'] as const) : (['ours', 'go'] as const)) {
        const x = await run(who === 'ours' ? [...OURS, ...args] : [GO, ...args], homes[who], false);
        if (x.code !== 0) throw new Error(`${who} failed: ${x.err}`);
        r[who].ms.push(x.ms);
        r[who].mib.push(x.mib);
        r[who].cpu.push(x.cpu);
      }
    }
    const row = (name: string, k: 'ms' | 'cpu' | 'mib', unit: string) => `| ${name} | ${f(median(r.ours[k]))} ${unit} | ${f(median(r.go[k]))} ${unit} | ${(median(r.ours[k]) / median(r.go[k])).toFixed(2)}× |`;
    out.push(`exec ${title}:`, '', '| | ours | Go karmadactl v1.18.2 | ratio |', '|---|---|---|---|', row('wall time', 'ms', 'ms'), row('CPU (user+sys)', 'cpu', 'ms'), row('peak RSS', 'mib', 'MiB'));
    if (bytes) out.push(`| throughput | ${f(MIB / (median(r.ours.ms) / 1000))} MiB/s | ${f(MIB / (median(r.go.ms) / 1000))} MiB/s | |`);
    out.push('');
  }
  process.stdout.write(out.join('\n'));
} finally {
  await fed.close();
}
process.exit(0);
