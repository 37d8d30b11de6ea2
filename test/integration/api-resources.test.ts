import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });

beforeAll(async () => {
  fed = await startFederation(['member1']);
  fed.members.member1.store.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.io' },
    spec: { group: 'example.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: ['wg'], categories: ['all', 'toys'] }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
  });
  await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await fed?.close();
});

const rows = (out: string) => out.trimEnd().split('\n').map((l) => l.split(/\s+/));

describe('api-resources', () => {
  it('lists the karmada-apiserver resources, core first then groups alphabetically', async () => {
    const r = await run(['api-resources']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = rows(r.stdout);
    expect(t[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const pods = r.stdout.split('\n').find((l) => l.startsWith('pods '))!;
    expect(pods.split(/\s+/)).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(r.stdout).toMatch(/\nclusters\s+cluster\.karmada\.io\/v1alpha1\s+false\s+Cluster\n/);
    const groups = t.slice(1).map((c) => c[c.length - 3]).map((gv) => (gv.includes('/') ? gv.split('/')[0] : ''));
    expect(groups).toEqual([...groups].sort());
    expect(r.stdout).not.toContain('pods/status');
  });

  it('--namespaced=false, --api-group, --verbs, -o name, --sort-by', async () => {
    const cs = await run(['api-resources', '--namespaced=false', '-o', 'name']);
    const names = cs.stdout.trim().split('\n');
    expect(names).toContain('namespaces');
    expect(names).toContain('clusters.cluster.karmada.io');
    expect(names).not.toContain('pods');
    const apps = await run(['api-resources', '--api-group=apps', '-o', 'name', '--sort-by=name']);
    expect(apps.stdout).toBe('daemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n');
    const verbs = await run(['api-resources', '--verbs=list,get', '--api-group=metrics.k8s.io', '-o', 'name']);
    expect(verbs.code).toBe(0);
    const bad = await run(['api-resources', '--sort-by=age']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --sort-by accepts only name or kind\n');
  });

  it('-o wide shows VERBS and CATEGORIES; --categories filters', async () => {
    const r = await run(['api-resources', '-o', 'wide', '--categories=all', '--api-group=apps']);
    const t = rows(r.stdout);
    expect(t[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    expect(t.find((c) => c[0] === 'deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
  });

  it('reaches a member with -s members --cluster (its CRDs included) and -o json is one APIResourceList', async () => {
    const r = await run(['api-resources', '-s', 'members', '--cluster', 'member1', '--api-group=example.io', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('APIResourceList');
    expect(doc.resources).toEqual([expect.objectContaining({ name: 'widgets', group: 'example.io', version: 'v1', kind: 'Widget', shortNames: ['wg'], categories: ['all', 'toys'] })]);
    expect(fed.proxy.forwarded.some((f) => f.cluster === 'member1' && (f.path === '/api' || f.path === '/apis'))).toBe(true);
  });

  it('scope errors: all, members without --cluster, not joined, arguments', async () => {
    const all = await run(['api-resources', '-s', 'all']);
    expect([all.code, all.stdout]).toEqual([1, '']);
    expect(all.stderr).toMatch(/^error: not support operation scope: all/);
    const noCluster = await run(['api-resources', '-s', 'members']);
    expect(noCluster.stderr).toMatch(/^error: must specify a member cluster/);
    const missing = await run(['api-resources', '-s', 'members', '--cluster', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: cluster "nope" is not joined to the Karmada control plane; list the joined clusters with `karmadactl get clusters`\n');
    const args = await run(['api-resources', 'pods']);
    expect(args.stderr).toMatch(/^error: unexpected arguments: \[pods\]/);
    const bad = await run(['api-resources', '-s', 'sky']);
    expect(bad.stderr).toMatch(/^error: invalid argument "sky" for "-s, --operation-scope" flag: not support OperationScope: sky/);
  });
});

describe('api-resources: the discovery cache', () => {
  it('refreshes it unless --cached (then no discovery request at all)', async () => {
    await run(['api-resources']);
    let before = fed.karmada.requests.length;
    await run(['api-resources', '--cached']);
    expect(fed.karmada.requests.slice(before).filter((q) => q.path === '/api' || q.path === '/apis')).toEqual([]);
    before = fed.karmada.requests.length;
    await run(['api-resources']);
    expect(fed.karmada.requests.slice(before).filter((q) => q.path === '/api' || q.path === '/apis').length).toBe(2);
  });
});

describe('api-resources: partial discovery', () => {
  it('prints what it has and exits 1 with the group version that failed', async () => {
    const ext = fed.karmada.core.extensions.find((x) => 'enabled' in x) as { enabled: boolean };
    ext.enabled = false;
    fed.karmada.faults.add({ path: /^\/apis\/apps\/v1$/, status: 503, times: 20 });
    try {
      const r = await run(['api-resources', '-o', 'name']);
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')).toContain('pods');
      expect(r.stdout).not.toContain('deployments.apps');
      expect(r.stderr).toMatch(/^error: unable to retrieve the complete list of server APIs: apps\/v1: /);
    } finally {
      fed.karmada.faults.clear();
      ext.enabled = true;
    }
  });
});

describe('api-versions', () => {
  it('prints every group/version sorted, for karmada and for a member', async () => {
    const r = await run(['api-versions']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('v1');
    expect(lines).toContain('apps/v1');
    expect(lines).toContain('cluster.karmada.io/v1alpha1');
    expect(lines).toEqual([...lines].sort());
    const m = await run(['api-versions', '--operation-scope=members', '--cluster=member1']);
    expect(m.stdout.trim().split('\n')).toContain('example.io/v1');
    expect(m.stdout).not.toContain('cluster.karmada.io');
  });
});
