import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2']);
  fed.karmada.store.put(deployment('web', { replicas: 3 }));
  fed.members.member1.store.put(deployment('web', { replicas: 2, labels: { 'karmada.io/managed': 'true' } }));
  fed.members.member2.store.put(deployment('web', { replicas: 1, labels: { 'karmada.io/managed': 'true' } }));
  fed.members.member2.store.put(deployment('api', { replicas: 5 }));
  fed.karmada.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } });
});
afterAll(async () => {
  await fed?.close();
});

const body = (out: string) => out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/));

describe('get -o formats across clusters', () => {
  it('yaml: one List document with the cluster annotation', async () => {
    const r = await run(['get', 'deploy', '-s', 'all', '-o', 'yaml']);
    expect(r.code).toBe(0);
    const { parse } = await import('yaml');
    const doc = parse(r.stdout);
    expect(doc.kind).toBe('List');
    expect(doc.items.map((i: any) => `${i.metadata.annotations?.['resource.karmada.io/cached-from-cluster'] ?? 'Karmada'}/${i.metadata.name}`)).toEqual(['Karmada/web', 'member1/web', 'member2/api', 'member2/web']);
  });

  it('name, jsonpath, go-template, custom-columns see every cluster', async () => {
    const name = await run(['get', 'deploy', '-s', 'members', '-o', 'name']);
    expect(name.stdout).toBe('deployment.apps/web\ndeployment.apps/api\ndeployment.apps/web\n');
    const jp = await run(['get', 'deploy', '-s', 'all', '-o', `jsonpath={range .items[*]}{.metadata.annotations.resource\\.karmada\\.io/cached-from-cluster}:{.metadata.name}{"\\n"}{end}`]);
    expect(jp.code).toBe(0);
    expect(jp.stdout).toBe(':web\nmember1:web\nmember2:api\nmember2:web\n');
    const cc = await run(['get', 'deploy', '-s', 'members', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']);
    expect(body(cc.stdout)).toEqual([['web', '2'], ['api', '5'], ['web', '1']]);
    expect(cc.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'REPLICAS']);
  });

  it('--sort-by works across clusters (table and structured)', async () => {
    const t = await run(['get', 'deploy', '-s', 'all', '--sort-by', '.spec.replicas']);
    expect(t.code).toBe(0);
    expect(body(t.stdout).map((c) => `${c[1]}/${c[0]}`)).toEqual(['member2/web', 'member1/web', 'Karmada/web', 'member2/api']);
    const j = await run(['get', 'deploy', '-s', 'all', '--sort-by', '{.spec.replicas}', '-o', 'json']);
    expect(JSON.parse(j.stdout).items.map((i: any) => i.spec.replicas)).toEqual([1, 2, 3, 5]);
  });

  it('-o wide, --show-labels, -L, --no-headers', async () => {
    const w = await run(['get', 'deploy', '-s', 'members', '-o', 'wide', '-L', 'app', '--show-labels']);
    const head = w.stdout.split('\n')[0].split(/\s+/);
    expect(head).toEqual(['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR', 'ADOPTION', 'APP', 'LABELS']);
    const nh = await run(['get', 'deploy', '-s', 'members', '--no-headers']);
    expect(nh.stdout.split('\n')[0].split(/\s+/).slice(0, 2)).toEqual(['web', 'member1']);
  });

  it('names and TYPE/NAME forms; several types get kind prefixes and a blank line between tables', async () => {
    const one = await run(['get', 'deploy', 'web', '-o', 'json']);
    expect(JSON.parse(one.stdout).kind).toBe('Deployment');
    const pairs = await run(['get', 'deploy/web', 'cm/cfg']);
    expect(pairs.code).toBe(0);
    const [a, b] = pairs.stdout.split('\n\n');
    expect(a.split('\n')[1].split(/\s+/)[0]).toBe('deployment.apps/web');
    expect(b.split('\n')[1].split(/\s+/).slice(0, 2)).toEqual(['configmap/cfg', 'Karmada']);
    const missing = await run(['get', 'deploy', 'api', '-s', 'all']);
    expect(missing.code).toBe(1);
    expect(body(missing.stdout).map((c) => c[1])).toEqual(['member2']);
    expect(missing.stderr).toMatch(/^error: cluster\(Karmada\): Error from server \(NotFound\): deployments\.apps "api" not found\nerror: cluster\(member1\): Error from server \(NotFound\): deployments\.apps "api" not found\n$/);
    const ignored = await run(['get', 'deploy', 'api', '-s', 'all', '--ignore-not-found']);
    expect([ignored.code, ignored.stderr]).toEqual([0, '']);
  });

  it('-l, --field-selector and --chunk-size go to every cluster', async () => {
    const l = await run(['get', 'deploy', '-s', 'all', '-l', 'app=api']);
    expect(body(l.stdout).map((c) => `${c[1]}/${c[0]}`)).toEqual(['member2/api']);
    const f = await run(['get', 'deploy', '-s', 'all', '--field-selector', 'metadata.name=web']);
    expect(body(f.stdout).map((c) => `${c[1]}/${c[0]}`)).toEqual(['Karmada/web', 'member1/web', 'member2/web']);
    const before = fed.members.member1.requests.length;
    await run(['get', 'deploy', '-s', 'members', '-C', 'member1', '--chunk-size', '7']);
    await run(['get', 'deploy', '-s', 'members', '-C', 'member1', '--chunk-size', '0']);
    const lists = fed.members.member1.requests.slice(before).filter((q) => q.path.endsWith('/deployments'));
    expect(lists.map((q) => q.query.limit)).toEqual(['7', undefined]);
  });

  it('--chunk-size follows continue tokens (table and -o json) and loses no row', async () => {
    for (let i = 0; i < 5; i++) fed.members.member1.store.put(deployment(`chunk${i}`));
    try {
      const before = fed.members.member1.requests.length;
      const t = await run(['get', 'deploy', '-s', 'members', '-C', 'member1', '--chunk-size', '2']);
      expect(body(t.stdout).map((c) => c[0])).toEqual(['chunk0', 'chunk1', 'chunk2', 'chunk3', 'chunk4', 'web']);
      const j = await run(['get', 'deploy', '-s', 'members', '-C', 'member1', '--chunk-size', '4', '-o', 'json']);
      expect(JSON.parse(j.stdout).items).toHaveLength(6);
      const lists = fed.members.member1.requests.slice(before).filter((q) => q.path.endsWith('/deployments'));
      expect(lists.length).toBe(3 + 2);
      expect(lists.filter((q) => q.query.continue).length).toBe(2 + 1);
    } finally {
      for (let i = 0; i < 5; i++) fed.members.member1.store.delete('apps/v1', 'Deployment', 'default', `chunk${i}`);
    }
  });

  it('get clusters: the karmada printer columns', async () => {
    const r = await run(['get', 'clusters']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'CLUSTER', 'VERSION', 'MODE', 'READY', 'AGE', 'ADOPTION']);
    expect(body(r.stdout).map((c) => [c[0], c[1], c[2], c[3], c[4]])).toEqual([
      ['member1', 'Karmada', 'v1.34.0', 'Push', 'True'],
      ['member2', 'Karmada', 'v1.34.0', 'Push', 'True'],
    ]);
  });

  it('a type only the control plane serves is skipped on members, not failed', async () => {
    const r = await run(['get', 'clusters', '-s', 'all']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(body(r.stdout).map((c) => c[1])).toEqual(['Karmada', 'Karmada']);
  });

  it('nothing found: kubectl message on stderr, exit 0', async () => {
    const r = await run(['get', 'secrets', '-s', 'members', '-n', 'kube-public']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', 'No resources found in kube-public namespace.\n']);
  });

  it('uses the disk cache: a second run makes no discovery requests', async () => {
    await run(['get', 'deploy', '-s', 'all']);
    const before = fed.karmada.requests.length;
    await run(['get', 'deploy', '-s', 'all']);
    const paths = fed.karmada.requests.slice(before).map((q) => q.path);
    expect(paths.filter((p) => /\/(api|apis)$/.test(p) || /\/apis\/[^/]+\/[^/]+$/.test(p))).toEqual([]);
  });

  it('legacy discovery (no aggregated discovery) gives the same answers', async () => {
    const ext = fed.members.member1.core.extensions.find((x) => 'enabled' in x) as { enabled: boolean };
    ext.enabled = false;
    try {
      const r = await runCli(['get', 'deploy', '-s', 'members', '-C', 'member1', '--kubeconfig', fed.kubeconfig], { env: { HOME: fed.dir + '/legacy' }, homedir: fed.dir + '/legacy' });
      expect(r.code).toBe(0);
      expect(body(r.stdout).map((c) => c[0])).toEqual(['web']);
      expect(fed.members.member1.requests.some((q) => q.path === '/apis/apps/v1')).toBe(true);
    } finally {
      ext.enabled = true;
    }
  });
});
