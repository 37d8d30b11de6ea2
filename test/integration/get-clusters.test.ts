import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2', 'member3']);
  for (const m of ['member1', 'member2', 'member3']) fed.members[m].store.put(deployment(`app-${m}`));
  fed.karmada.store.put(deployment('app-karmada'));
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  for (const n of ['member1', 'member2', 'member3']) fed.proxy.setFault(n, undefined);
});

const clustersOf = (out: string) => out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[1]);

describe('get: partial results', () => {
  it('a member down: the others answer, one error line naming it and why, exit 1', async () => {
    fed.proxy.setFault('member2', { down: true });
    const r = await run(['get', 'deploy', '-s', 'all']);
    expect(r.code).toBe(1);
    expect(clustersOf(r.stdout)).toEqual(['Karmada', 'member1', 'member3']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: cluster\(member2\): unreachable through the cluster proxy: dial tcp 127\.0\.0\.1:\d+: connect: connection refused; /);
  });

  it('a not-Ready member: the Ready condition is in the error', async () => {
    fed.proxy.setFault('member3', { down: true });
    fed.setNotReady('member3');
    try {
      const r = await run(['get', 'deploy', '-s', 'members']);
      expect(r.code).toBe(1);
      expect(clustersOf(r.stdout)).toEqual(['member1', 'member2']);
      expect(r.stderr).toMatch(/^error: cluster\(member3\): unreachable through the cluster proxy: .*; the Cluster is not Ready \(ClusterNotReachable: cluster is not reachable\)\n$/);
    } finally {
      const c = fed.karmada.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member3')!;
      fed.karmada.store.put({ ...c, status: { ...c.status, conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }] } });
    }
  });

  it('forbidden clusters/proxy: named, with the RBAC to add', async () => {
    fed.proxy.setFault('member1', { forbidden: true });
    const r = await run(['get', 'deploy', '-s', 'members', '-o', 'json']);
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout);
    expect(list.items.map((i: any) => i.metadata.annotations['resource.karmada.io/cached-from-cluster'])).toEqual(['member2', 'member3']);
    expect(r.stderr).toMatch(/^error: cluster\(member1\): forbidden: clusters\.cluster\.karmada\.io "member1" is forbidden: .*clusters\/proxy.*; the karmada user needs the clusters\/proxy permission/);
  });

  it('a slow member hits the per-cluster timeout; the others are not held up', async () => {
    fed.proxy.setFault('member1', { latencyMs: 3000 });
    const t0 = Date.now();
    const r = await run(['get', 'deploy', '-s', 'members', '--cluster-timeout', '400ms']);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(r.code).toBe(1);
    expect(clustersOf(r.stdout)).toEqual(['member2', 'member3']);
    expect(r.stderr).toMatch(/^error: cluster\(member1\): no answer within 400ms; /);
  });

  it('the timeout is to the first answer: a slow list that keeps answering chunk after chunk is not cut off', async () => {
    await run(['get', 'deploy', '-s', 'members', '-C', 'member1']); // discovery cached
    for (const n of ['x1', 'x2']) fed.members.member1.store.put(deployment(n));
    fed.proxy.setFault('member1', { latencyMs: 250 });
    try {
      const r = await run(['get', 'deploy', '-s', 'members', '-C', 'member1', '--cluster-timeout', '400ms', '--chunk-size', '1']);
      expect(r.stderr).toBe('');
      expect(r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['app-member1', 'x1', 'x2']);
    } finally {
      for (const n of ['x1', 'x2']) fed.members.member1.store.delete('apps/v1', 'Deployment', 'default', n);
    }
  });

  it('fans out in parallel over one connection pool: connections do not grow with the members', async () => {
    await run(['get', 'deploy', '-s', 'all']); // discovery cached
    fed.proxy.connections.clear();
    const before = fed.karmada.requests.length;
    const r = await run(['get', 'deploy', '-s', 'all']);
    expect(r.code).toBe(0);
    const reqs = fed.karmada.requests.slice(before);
    // LIST clusters, the karmada list and one list per member, all on the karmada-apiserver
    expect(reqs.filter((q) => q.path.endsWith('/deployments')).length).toBe(4);
    expect(reqs.filter((q) => q.path === '/apis/cluster.karmada.io/v1alpha1/clusters').length).toBe(1);
    // at most one socket per concurrent request, never one per member and request
    expect(fed.proxy.connections.size).toBeLessThanOrEqual(4);
    expect(fed.proxy.connections.size).toBeLessThan(reqs.length);
  });
});

describe('get: input errors print one line and nothing on stdout', () => {
  it.each([
    [['get', 'deploy', '-s', 'members', '-C', 'member1,nope'], /^error: cluster "nope" is not joined to the Karmada control plane; list the joined clusters with `karmadactl get clusters`\n$/],
    [['get', 'deploy', '-l', 'a in (b'], /^error: unable to parse requirement: invalid label selector "a in \(b"; /],
    [['get', 'deploy', '-o', 'jsonpath={.items[0'], /^error: /],
    [['get', 'deploy', '-o', 'yamll'], /^error: unable to match a printer suitable for the output format "yamll"/],
    [['get', 'deploy', '-s', 'nowhere'], /^error: invalid argument "nowhere" for "-s, --operation-scope" flag: not support OperationScope: nowhere/],
    [['get'], /^error: You must provide one or more resources by argument or filename; example resource specifications include '-f rsrc\.yaml', '--filename=rsrc\.json', '<resource> <name>', '<resource>'\n$/],
    [['get', 'deploy', 'x', '-l', 'app=x'], /^error: name cannot be provided when a selector is specified\n$/],
    [['get', 'deploy', 'deploy/x'], /^error: there is no need to specify a resource type as a separate argument/],
    [['get', 'deploy', '-s', 'all', '--sort-by', '.spec.nothere'], /^error: couldn't find any field with path "\{\.spec\.nothere\}" in the list of objects\n$/],
    [['get', 'deploy', '-o', 'go-template={{.items'], /^error: /],
    [['get', 'deploy', 'x', '-A'], /^error: a resource cannot be retrieved by name across all namespaces; /],
    [['get', 'deploy', '--output-watch-events'], /^error: --output-watch-events option can only be used with --watch or --watch-only\n$/],
  ])('%j', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('-C without a members scope warns and names the missing flag', async () => {
    const r = await run(['get', 'deploy', '-C', 'member1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Warning: --clusters is ignored in the karmada operation scope; add --operation-scope=members (or all) to read member1\n');
    expect(clustersOf(r.stdout)).toEqual(['Karmada']);
  });
});
