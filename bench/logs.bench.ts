/**
 * `logs POD -C member1` of a 5 MiB and a 50 MiB log, ours against the Go karmadactl v1.18.2,
 * alternating A B / B A in one run. The member is a test API server double behind the karmada-side
 * double's cluster proxy (test/support/federation.ts) serving pods/log (test/support/apiserver/podlog.ts,
 * 64 KiB chunks); both CLIs start with a warm discovery cache. Both must print the same number of
 * bytes. Prints start-to-exit medians and peak RSS (GNU time): memory should not grow with the log.
 * `npm run bench:logs` (or `node bench/run-ts.mjs bench/logs.bench.ts [--runs=N]` after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFederation } from '../test/support/federation';
import { podLogs } from '../test/support/apiserver';

const repo = process.cwd();
const NODE = path.join(repo, 'node_modules/.bin/node');
const OURS = [NODE, path.join(repo, 'bin/karmadactl')];
const GO = path.join(process.env.KARMADACTL_E2E_CACHE ?? path.join(os.homedir(), '.cache/karmadactl-e2e'), 'bin/karmadactl');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice(7)) : 5;
const SIZES_MIB = [5, 50];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time (ms), peak RSS (MiB) and stdout byte count of one process. */
function run(cmd: string[], home: string): Promise<{ ms: number; mib: number; code: number; bytes: number; err: string }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%M', ...cmd], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let err = '';
    p.stdout.on('data', (c: Buffer) => (bytes += c.length));
    p.stderr.on('data', (c: Buffer) => (err += c));
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = err.trim().split('\n');
      const kib = Number(lines.pop());
      resolve({ ms, mib: kib / 1024, code: code ?? -1, bytes, err: lines.join('\n') });
    });
  });
}

async function main() {
  const fed = await startFederation(['member1']);
  const logs = podLogs({ chunkBytes: 64 * 1024 });
  const m = fed.members.member1;
  m.core.extensions.unshift(logs);
  const line = `${'x'.repeat(119)}`;
  const rows: string[] = ['| log | ours ms | Go ms | ours/Go | ours peak RSS MiB | Go peak RSS MiB |', '|---|---|---|---|---|---|'];
  try {
    for (const mib of SIZES_MIB) {
      const name = `big-${mib}`;
      m.store.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }] }, status: { phase: 'Running' } });
      const n = Math.ceil((mib * 1024 * 1024) / (line.length + 1));
      logs.set('default', name, 'app', Array.from({ length: n }, () => line));
      const args = ['logs', name, '-C', 'member1', '--kubeconfig', fed.kubeconfig];
      const homes = { ours: mkdtempSync(path.join(os.tmpdir(), 'bench-logs-ours-')), go: mkdtempSync(path.join(os.tmpdir(), 'bench-logs-go-')) };
      const warm = [await run([...OURS, ...args], homes.ours), await run([GO, ...args], homes.go)];
      if (warm.some((w) => w.code !== 0) || warm[0].bytes !== warm[1].bytes) throw new Error(`outputs differ: ours ${warm[0].code}/${warm[0].bytes} B ${warm[0].err}, Go ${warm[1].code}/${warm[1].bytes} B ${warm[1].err}`);
      const ours: { ms: number; mib: number }[] = [];
      const go: { ms: number; mib: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const order = i % 2 ? ['go', 'ours'] : ['ours', 'go'];
        for (const who of order) {
          const r = who === 'ours' ? await run([...OURS, ...args], homes.ours) : await run([GO, ...args], homes.go);
          (who === 'ours' ? ours : go).push(r);
        }
      }
      const [om, gm] = [median(ours.map((r) => r.ms)), median(go.map((r) => r.ms))];
      rows.push(`| ${mib} MiB | ${om.toFixed(0)} | ${gm.toFixed(0)} | ${(om / gm).toFixed(2)} | ${Math.max(...ours.map((r) => r.mib)).toFixed(0)} | ${Math.max(...go.map((r) => r.mib)).toFixed(0)} |`);
      logs.set('default', name, 'app', []);
    }
    console.log(`logs of one container, ${RUNS} alternating runs each (medians; peak RSS = max)\n`);
    console.log(rows.join('\n'));
  } finally {
    await fed.close();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
