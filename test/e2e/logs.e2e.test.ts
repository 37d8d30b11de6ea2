import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { runCli, testContext } from '../support/context';
import { run as runMain } from '../../src/cli';
import { goBin } from '../support/go-bin';
import type { Cluster } from './harness';
import { E2E_TIMEOUT_MS } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * `logs` on real components: pods in two joined members, their logs served by kwok's kubelet server
 * (files the test appends to), read through the real karmada-aggregated-apiserver's cluster proxy;
 * the same invocations compared with the Go karmadactl's.
 */

let fed: Federation | undefined;
let m1: Cluster;
let m2: Cluster;
const step = stepOf(() => fed);
const env = () => ({ HOME: fed!.procs.dir });
const logs = (args: string[]) => runCli(['logs', ...args, '--kubeconfig', fed!.karmadaCfg], { env: env(), homedir: fed!.procs.dir });
const goLogs = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(goBin('karmadactl'), ['logs', ...args, '--kubeconfig', fed!.karmadaCfg], { env: { PATH: process.env.PATH, HOME: fed!.procs.dir }, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

async function runningPods(c: KubeClient, n: number, selector: string) {
  for (let i = 0; i < 240; i++) {
    const l = await c.list<K8sObject & { status?: { phase?: string } }>('v1', 'Pod', { namespace: 'default', labelSelector: selector });
    if (l.items.length >= n && l.items.every((p) => p.status?.phase === 'Running')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`pods ${selector} not running`);
}

const pod = (name: string, labels: Record<string, string>, containers: string[], node: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: node, containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
});

beforeAll(async () => {
  fed = await startFederation('logs', { logContainers: ['app', 'side'] });
  [m1, m2] = fed.members;
  const c1 = await m1.client();
  const c2 = await m2.client();
  await c1.create(pod('web-1', { app: 'web' }, ['app', 'side'], 'm1-node'));
  await c1.create(pod('web-2', { app: 'web' }, ['app'], 'm1-node'));
  await c1.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } } });
  await c2.create(pod('solo', { app: 'solo' }, ['app'], 'm2-node'));
  await Promise.all([runningPods(c1, 2, 'app=web'), runningPods(c1, 2, 'app=nginx'), runningPods(c2, 1, 'app=solo')]);
  const t0 = new Date('2026-01-02T03:04:05Z');
  m1.podLog('app').append('a1\na2\na3', { time: t0 });
  m1.podLog('side').append('s1\ns2', { time: t0, stream: 'stderr' });
  m2.podLog('app').append('m2-line', { time: t0 });
  c1.close();
  c2.close();
  // karmada-controller-manager syncs the impersonator's RBAC to the members; until then the proxy is refused
  for (const m of ['member1', 'member2']) {
    for (let i = 0; i < 240; i++) {
      const r = await fed.karmada.request('GET', `/apis/cluster.karmada.io/v1alpha1/clusters/${m}/proxy/api/v1/namespaces/default/pods`).then(() => true, () => false);
      if (r) break;
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await fed?.stop();
});

describe('logs on real members', () => {
  step('a pod container, --tail, --timestamps, --prefix, the default container notice', async () => {
    expect(await logs(['web-1', '-c', 'app', '-C', 'member1'])).toMatchObject({ code: 0, stdout: 'a1\na2\na3\n' });
    expect((await logs(['web-1', 'side', '-C', 'member1'])).stdout).toBe('s1\ns2\n');
    expect((await logs(['web-1', '-c', 'app', '--tail=1', '-C', 'member1'])).stdout).toBe('a3\n');
    expect((await logs(['web-1', '-c', 'app', '--tail=1', '--timestamps', '-C', 'member1'])).stdout).toBe('2026-01-02T03:04:05.000000000Z a3\n');
    expect((await logs(['web-1', '-c', 'app', '--prefix', '--tail=2', '-C', 'member1'])).stdout).toBe('[pod/web-1/app] a2\n[pod/web-1/app] a3\n');
    const d = await logs(['web-1', '-C', 'member1']);
    expect(d.stderr).toBe('Defaulted container "app" out of: app, side\n');
    expect((await logs(['solo', '-C', 'member2'])).stdout).toBe('m2-line\n');
  });

  step('-l over several pods with --prefix; TYPE/NAME resolves a deployment to a pod', async () => {
    const r = await logs(['-l', 'app=web', '-c', 'app', '--prefix', '-C', 'member1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['[pod/web-1/app] a1', '[pod/web-1/app] a2', '[pod/web-1/app] a3', '[pod/web-2/app] a1', '[pod/web-2/app] a2', '[pod/web-2/app] a3']);
    const all = await logs(['-l', 'app=web', '--all-containers', '--prefix', '-C', 'member1']);
    expect(all.stdout.split('\n').filter(Boolean).filter((l) => l.startsWith('[pod/web-1/side] '))).toEqual(['[pod/web-1/side] s1', '[pod/web-1/side] s2']);
    const dep = await logs(['deployment/nginx', '-C', 'member1']);
    expect(dep).toMatchObject({ code: 0, stdout: 'a1\na2\na3\n' });
    expect(dep.stderr).toMatch(/^Found 2 pods, using pod\/nginx-/);
    const none = await logs(['-l', 'app=none', '-C', 'member1']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  step('an absent pod, a bad container and bad flags are kubectl errors', async () => {
    expect(await logs(['nosuch', '-C', 'member1'])).toMatchObject({ code: 1, stderr: 'error: error from server (NotFound): pods "nosuch" not found in namespace "default"\n' });
    expect(await logs(['web-1', '-c', 'nope', '-C', 'member1'])).toMatchObject({ code: 1, stderr: 'error: container nope is not valid for pod web-1\n' });
    expect((await logs(['web-1'])).stderr).toBe('error: must specify a cluster\n');
    expect((await logs(['web-1', '--since=1h', '--since-time=2026-01-01T00:00:00Z', '-C', 'member1'])).stderr).toBe('error: at most one of `sinceTime` or `sinceSeconds` may be specified\n');
  });

  step('-f follows a growing log until stopped', async () => {
    const ctx = testContext({ env: env(), homedir: fed!.procs.dir });
    const ac = new AbortController();
    ctx.signal = ac.signal;
    const done = runMain(['logs', '-f', 'solo', '-C', 'member2', '--kubeconfig', fed!.karmadaCfg], ctx);
    const until = async (text: string) => {
      for (let i = 0; i < 100 && !ctx.out().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      return ctx.out();
    };
    expect(await until('m2-line\n')).toBe('m2-line\n');
    m2.podLog('app').append('later-1');
    expect(await until('later-1\n')).toBe('m2-line\nlater-1\n');
    m2.podLog('app').append('later-2\nlater-3');
    expect(await until('later-3\n')).toBe('m2-line\nlater-1\nlater-2\nlater-3\n');
    ac.abort();
    await done.catch(() => undefined);
  });

  step('parity with the Go karmadactl', async () => {
    const matrix: string[][] = [
      ['web-1', '-c', 'app', '-C', 'member1'],
      ['web-1', 'side', '-C', 'member1'],
      ['web-1', '-c', 'app', '--tail=2', '-C', 'member1'],
      ['web-1', '-c', 'app', '--timestamps', '-C', 'member1'],
      ['web-1', '-c', 'app', '--prefix', '-C', 'member1'],
      ['web-1', '-c', 'app', '--limit-bytes=4', '-C', 'member1'],
      ['web-1', '-c', 'app', '--since=1h', '-C', 'member1'],
      ['web-1', '-c', 'app', '--since-time=2026-01-01T00:00:00Z', '-C', 'member1'],
      ['web-1', '-C', 'member1'],
      ['solo', '-C', 'member2'],
      ['nosuch', '-C', 'member1'],
      ['web-1', '-c', 'nope', '-C', 'member1'],
      ['web-1', '--tail=-2', '-C', 'member1'],
      ['web-1'],
      ['-l', 'app=none', '-C', 'member1'],
    ];
    for (const args of matrix) {
      const [ours, go] = await Promise.all([logs(args), goLogs(args)]);
      expect({ args, code: ours.code, stdout: ours.stdout }).toEqual({ args, code: go.code, stdout: go.stdout });
    }
    const sorted = (s: string) => s.split('\n').filter(Boolean).sort();
    const sel = ['-l', 'app=web', '-c', 'app', '--prefix', '-C', 'member1'];
    const [ours, go] = await Promise.all([logs(sel), goLogs(sel)]);
    expect({ code: ours.code, lines: sorted(ours.stdout) }).toEqual({ code: go.code, lines: sorted(go.stdout) });
  });
});
