import { afterAll, beforeAll, describe, expect } from 'vitest';
import { parse } from 'yaml';
import { runCli, testContext } from '../support/context';
import { run as runMain } from '../../src/cli';
import type { Processes, Cluster } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * `get` on real components: our init on a real host, two real members joined with our join, and
 * every member read through the real karmada-aggregated-apiserver's cluster proxy (authenticating
 * with the impersonator token join created; the member's real kube-apiserver checking the
 * impersonation). One member is stopped mid-test.
 */

let procs: Processes;
let m1: Cluster;
let m2: Cluster;
let karmada: KubeClient;
let karmadaCfg: string;
let fed: Federation | undefined;
let refusedBeforeRbac: { code: number; stdout: string; stderr: string } | undefined;
const env = () => ({ HOME: procs.dir });
const get = (args: string[]) => runCli(['get', ...args, '--kubeconfig', karmadaCfg], { env: env(), homedir: procs.dir });

const dep = (name: string, replicas: number, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name, ...labels } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
});

beforeAll(async () => {
  fed = await startFederation('get');
  ({ procs, karmada, karmadaCfg } = fed);
  [m1, m2] = fed.members;
  // Before the impersonation RBAC exists, the real member refuses: one line per cluster naming the cause.
  const refused = await runCli(['get', 'deploy', '-s', 'members', '--kubeconfig', karmadaCfg], { env: env(), homedir: procs.dir });
  refusedBeforeRbac = { code: refused.code, stdout: refused.stdout, stderr: refused.stderr };
  // What karmada-controller-manager's unified-auth controller syncs to every member (it is not run by
  // the harness): the impersonator may impersonate the subjects that hold clusters/proxy on the
  // karmada-apiserver — init's cluster-proxy-admin binds user system:admin, whose certificate carries
  // group system:masters.
  for (const c of [m1, m2]) {
    const mc = await c.client();
    await mc.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'karmada-impersonator' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['system:admin'] }, { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['system:masters'] }] } as K8sObject);
    await mc.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'karmada-impersonator' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'karmada-impersonator' }, subjects: [{ kind: 'ServiceAccount', name: 'karmada-impersonator', namespace: 'karmada-cluster' }] } as K8sObject);
    mc.close();
  }
  // before that, the member refuses the impersonation: one clear line per cluster
  await karmada.create(dep('nginx', 2));
  const c1 = await m1.client();
  await c1.create(dep('nginx', 2, { 'karmada.io/managed': 'true' }));
  c1.close();
  const c2 = await m2.client();
  await c2.create(dep('local', 1));
  c2.close();
}, 900_000);
afterAll(async () => {
  await fed?.stop();
});

const step = stepOf(() => fed);

const rows = (out: string) => out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/));

describe('get through the real cluster proxy', () => {
  step('without the member impersonation RBAC: forbidden by the member, one line per cluster, exit 1', async () => {
    expect(refusedBeforeRbac!.code).toBe(1);
    const lines = refusedBeforeRbac!.stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 'error: cluster(member1): forbidden by the member cluster: '.length))).toEqual(['error: cluster(member1): forbidden by the member cluster: ', 'error: cluster(member2): forbidden by the member cluster: ']);
    expect(lines[0]).toContain('cannot impersonate resource "users"');
  });

  step('get deployments -s all: the karmada object and the member copies with CLUSTER and ADOPTION', async () => {
    const r = await get(['deployments', '-s', 'all']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'ADOPTION']);
    expect(rows(r.stdout).map((c) => [c[0], c[1], c[c.length - 1]])).toEqual([
      ['nginx', 'Karmada', '-'],
      ['nginx', 'member1', 'Y'],
      ['local', 'member2', 'N'],
    ]);
  });

  step('every -o format: json and yaml as one List marked by cluster, name, jsonpath, go-template, custom-columns, wide', async () => {
    const j = await get(['deploy', '-s', 'all', '-o', 'json']);
    const list = JSON.parse(j.stdout);
    expect(list.items.map((i: K8sObject) => `${i.metadata.annotations?.['resource.karmada.io/cached-from-cluster'] ?? 'Karmada'}/${i.metadata.name}`)).toEqual(['Karmada/nginx', 'member1/nginx', 'member2/local']);
    const y = parse((await get(['deploy', '-s', 'members', '-o', 'yaml'])).stdout);
    expect(y.items.map((i: K8sObject) => i.metadata.name)).toEqual(['nginx', 'local']);
    expect((await get(['deploy', '-s', 'members', '-o', 'name'])).stdout).toBe('deployment.apps/nginx\ndeployment.apps/local\n');
    expect((await get(['deploy', '-s', 'all', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout).toBe('nginx nginx local');
    expect((await get(['deploy', '-s', 'members', '-o', 'go-template={{range .items}}{{.metadata.name}};{{end}}'])).stdout).toBe('nginx;local;');
    expect(rows((await get(['deploy', '-s', 'members', '-o', 'custom-columns=N:.metadata.name,R:.spec.replicas'])).stdout)).toEqual([['nginx', '2'], ['local', '1']]);
    const w = await get(['deploy', '-s', 'members', '-o', 'wide']);
    expect(w.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR', 'ADOPTION']);
    const pods = await get(['pods', '-s', 'members', '-A']);
    expect(pods.code).toBe(0);
    expect(pods.stdout.split('\n')[0].split(/\s+/)).not.toContain('ADOPTION');
  });

  step('--watch sees an update made in a member', async () => {
    const ac = new AbortController();
    const ctx = { ...testContext({ env: env(), homedir: procs.dir }), signal: ac.signal };
    const done = runMain(['get', 'deploy', '-s', 'members', '-w', '--kubeconfig', karmadaCfg], ctx);
    const until = async (f: () => boolean) => {
      const t0 = Date.now();
      while (!f()) {
        if (Date.now() - t0 > 60_000) throw new Error(`timed out; output so far:\n${ctx.out()}\n${ctx.err()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until(() => ctx.out().includes('local'));
    const c1 = await m1.client();
    await c1.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' }, { spec: { replicas: 3 } }, 'merge');
    c1.close();
    await until(() => ctx.out().split('\n').some((l) => /^nginx\s+member1\s+\d+\/3\s/.test(l)));
    ac.abort();
    expect(await done).toBe(0);
    expect(ctx.err()).toBe('');
  });

  step('one member stopped: the other rows, one error line for it, exit 1', async () => {
    await procs.kill('member2-apiserver');
    const r = await get(['deploy', '-s', 'all', '--cluster-timeout', '20s']);
    expect(r.code).toBe(1);
    expect(rows(r.stdout).map((c) => c[1])).toEqual(['Karmada', 'member1']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: cluster\(member2\): /);
    process.stderr.write(`e2e get: a stopped member through the real proxy: ${lines[0]}\n`);
    const j = await get(['deploy', '-s', 'members', '-o', 'json', '--cluster-timeout', '20s']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).items.map((i: K8sObject) => i.metadata.name)).toEqual(['nginx']);
  });
});
