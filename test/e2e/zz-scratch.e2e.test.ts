import { it, afterAll } from 'vitest';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runCli } from '../support/context';
import { goBin } from '../support/go-bin';
import { Processes, startCluster } from './harness';
let procs: Processes;
afterAll(async () => { await procs?.stop(false); });
it('scratch', async () => {
  procs = await Processes.create('scratch');
  const c = await startCluster(procs, 'm', { nodes: [{ name: 'n1' }] });
  const cfg = c.writeKubeconfig(path.join(procs.dir, 'm.config'));
  const cl = await c.client();
  await cl.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } } as never);
  for (let i = 0; i < 60; i++) { const p = await cl.get<any>({ apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'web' }); if (p?.status?.phase === 'Running') break; await new Promise((r) => setTimeout(r, 500)); }
  const go = (args: string[], stdin: string) => new Promise<any>((res) => { const p = spawn(goBin('karmadactl'), args, { env: { HOME: procs.dir, PATH: process.env.PATH } }); let o = '', e = ''; p.stdout.on('data', (x) => (o += x)); p.stderr.on('data', (x) => (e += x)); p.stdin.end(stdin); p.on('close', (code) => res({ code, o, e })); });
  for (const args of [['exec', '-i', 'web', '--kubeconfig', cfg, '--', 'cat'], ['exec', 'web', '--kubeconfig', cfg, '--', 'cat'], ['exec', '-i', 'web', '-v', '7', '--kubeconfig', cfg, '--', 'cat']]) {
    for (let k = 0; k < 2; k++) {
      const r = await runCli(args, { env: { HOME: procs.dir }, homedir: procs.dir, stdin: 'piped\n' });
      console.log('OURS', JSON.stringify(args.slice(0,3)), r.code, r.stderr.slice(-400));
      console.log('GO  ', JSON.stringify(args.slice(0,3)), JSON.stringify(await go(args.filter((a) => a !== '-v' && a !== '7'), 'piped\n')));
    }
  }
  cl.close();
}, 300_000);
