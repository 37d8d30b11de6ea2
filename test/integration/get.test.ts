import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';

let fed: Federation;
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: { ...fed.env, ...env }, homedir: fed.homedir });

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2']);
  fed.karmada.store.put(deployment('nginx', { replicas: 2, ready: 0 }));
  fed.members.member1.store.put(deployment('nginx', { replicas: 2, labels: { 'karmada.io/managed': 'true' } }));
  fed.members.member2.store.put(deployment('local', { replicas: 1 }));
  fed.members.member2.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' }, status: { phase: 'Active' } });
  fed.members.member2.store.put(deployment('zeta', { namespace: 'other' }));
});
afterAll(async () => {
  await fed?.close();
});

describe('get', () => {
  it('shows the karmada object and the member copies with CLUSTER and ADOPTION (-s all)', async () => {
    const r = await run(['get', 'deployments', '-s', 'all']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'ADOPTION']);
    const rows = lines.slice(1).map((l) => l.split(/\s+/));
    const ready = (s: typeof fed.karmada, name: string) => {
      const d = s.store.get('apps/v1', 'Deployment', 'default', name)!;
      return `${d.status?.readyReplicas ?? 0}/${d.spec.replicas}`;
    };
    expect(rows.map((c) => [c[0], c[1], c[2], c[6]])).toEqual([
      ['nginx', 'Karmada', ready(fed.karmada, 'nginx'), '-'],
      ['nginx', 'member1', ready(fed.members.member1, 'nginx'), 'Y'],
      ['local', 'member2', ready(fed.members.member2, 'local'), 'N'],
    ]);
  });

  it('reads members through the cluster proxy over one connection pool', async () => {
    const before = fed.proxy.forwarded.length;
    const r = await run(['get', 'deploy', '-s', 'members', '-C', 'member2,member1']);
    expect(r.code).toBe(0);
    const clusters = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[1]);
    expect(clusters).toEqual(['member2', 'member1']);
    const forwarded = fed.proxy.forwarded.slice(before);
    expect(forwarded.some((f) => f.cluster === 'member1' && f.path === '/apis/apps/v1/namespaces/default/deployments')).toBe(true);
  });

  it('caches discovery in kubectl layout, members under their proxy path', async () => {
    await run(['get', 'deploy', '-s', 'all']);
    const host = `127.0.0.1_${fed.karmada.port}`;
    const base = path.join(fed.homedir, '.kube', 'cache', 'discovery', host);
    expect(existsSync(path.join(base, 'servergroups.json'))).toBe(true);
    expect(existsSync(path.join(base, 'apps', 'v1', 'serverresources.json'))).toBe(true);
    expect(existsSync(path.join(base, 'v1', 'serverresources.json'))).toBe(true);
    const member = path.join(base, 'apis', 'cluster.karmada.io', 'v1alpha1', 'clusters', 'member1', 'proxy');
    expect(readdirSync(member)).toContain('servergroups.json');
  });

  it('-A adds NAMESPACE and lists every namespace', async () => {
    const r = await run(['get', 'deploy', '-s', 'members', '-A']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s+/).slice(0, 3)).toEqual(['NAMESPACE', 'NAME', 'CLUSTER']);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual(['default nginx member1', 'default local member2', 'other zeta member2']);
  });

  it('-o json is one List, member objects marked with their cluster', async () => {
    const r = await run(['get', 'deploy', '-s', 'all', '-o', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((i: any) => [i.metadata.name, i.metadata.annotations?.['resource.karmada.io/cached-from-cluster'] ?? null])).toEqual([
      ['nginx', null],
      ['nginx', 'member1'],
      ['local', 'member2'],
    ]);
    expect(list.items.every((i: any) => i.kind === 'Deployment' && i.apiVersion === 'apps/v1')).toBe(true);
  });

  it('unknown type: kubectl text, exit 1, nothing on stdout', async () => {
    const r = await run(['get', 'nosuchthing']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: the server doesn\'t have a resource type "nosuchthing"\n');
  });
});
