import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { PROPAGATION_POLICY_CRD, propagationPolicy, expectRefused } from '../support/mutate';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
const writes = () => fed.karmada.writes();
const dep = (n: string) => fed.karmada.store.get('apps/v1', 'Deployment', 'default', n)!;
const patches = () => fed.karmada.requests.filter((r) => r.method === 'PATCH');

beforeAll(async () => {
  fed = await startFederation(['member1']);
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  fed.karmada.store.put(deployment('nginx', { labels: { tier: 'front' } }));
  fed.karmada.store.put(deployment('web', { labels: { tier: 'front' } }));
  fed.karmada.store.put(propagationPolicy('nginx-pp'));
});

describe('label', () => {
  it('KEY=VAL: kubectl output; sent as a JSON merge patch of the labels only', async () => {
    const r = await run(['label', 'deployment', 'nginx', 'resourcetemplate.karmada.io/deletion-protected=Always']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx labeled\n');
    expect(dep('nginx').metadata.labels).toEqual({ app: 'nginx', tier: 'front', 'resourcetemplate.karmada.io/deletion-protected': 'Always' });
    const p = patches().at(-1)!;
    expect(p.contentType).toMatch(/^application\/merge-patch\+json/);
    expect(p.query.fieldManager).toBe('kubectl-label');
  });

  it('an existing key needs --overwrite (kubectl error, nothing written); KEY- removes', async () => {
    const before = writes().length;
    const r = await run(['label', 'deploy', 'nginx', 'tier=back']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: 'tier' already has a value (front), and --overwrite is false; pass --overwrite to replace the value\n");
    expect(writes().length).toBe(before);
    const o = await run(['label', 'deploy', 'nginx', 'tier=back', '--overwrite']);
    expect(o.stdout).toBe('deployment.apps/nginx labeled\n');
    expect(dep('nginx').metadata.labels.tier).toBe('back');
    const rm = await run(['label', 'deploy', 'nginx', 'tier-']);
    expect(rm.stdout).toBe('deployment.apps/nginx unlabeled\n');
    expect(dep('nginx').metadata.labels.tier).toBeUndefined();
    const same = await run(['label', 'deploy', 'nginx', 'app=nginx']);
    expect(same.stdout).toBe('deployment.apps/nginx not labeled\n');
  });

  it('-l and --all label every match; on a Karmada kind (PropagationPolicy) and Cluster', async () => {
    const r = await run(['label', 'deploy', '-l', 'tier=front', 'x=1']);
    expect(r.stdout.trimEnd().split('\n').sort()).toEqual(['deployment.apps/nginx labeled', 'deployment.apps/web labeled']);
    const pp = await run(['label', 'pp', 'nginx-pp', 'team=a']);
    expect(pp.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp labeled\n');
    expect(fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!.metadata.labels).toEqual({ team: 'a' });
    const c = await run(['label', 'cluster', 'member1', 'region=eu']);
    expect(c.stdout).toBe('cluster.cluster.karmada.io/member1 labeled\n');
    expect(fed.karmada.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member1')!.metadata.labels).toEqual({ region: 'eu' });
  });

  it('--resource-version: a stale version is refused by the server (Conflict), a current one works', async () => {
    const pp = () => fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!;
    const rv = pp().metadata.resourceVersion;
    const stale = await run(['label', 'pp', 'nginx-pp', 'a=b', '--resource-version=1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^error: Error from server \(Conflict\): Operation cannot be fulfilled on propagationpolicies.policy.karmada.io "nginx-pp": the object has been modified/);
    expect(pp().metadata.labels?.a).toBeUndefined();
    const ok = await run(['label', 'pp', 'nginx-pp', 'a=b', `--resource-version=${rv}`]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp labeled\n');
    expect(pp().metadata.labels.a).toBe('b');
  });

  it('--list prints the labels; --dry-run=server / client change nothing', async () => {
    const l = await run(['label', 'deploy', 'nginx', '--list']);
    expect(l.stdout).toBe('app=nginx\ntier=front\n');
    const s = await run(['label', 'deploy', 'nginx', 'z=1', '--dry-run=server']);
    expect(s.stdout).toBe('deployment.apps/nginx labeled (server dry run)\n');
    expect(patches().at(-1)!.query.dryRun).toBe('All');
    const before = writes().length;
    const c = await run(['label', 'deploy', 'nginx', 'z=1', '--dry-run=client']);
    expect(c.stdout).toBe('deployment.apps/nginx labeled (dry run)\n');
    expect(writes().length).toBe(before);
    expect(dep('nginx').metadata.labels.z).toBeUndefined();
  });

  it('-o prints the changed object through the printers; --local -f works without a server write', async () => {
    const r = await run(['label', 'deploy', 'nginx', 'k=v', '-o', 'jsonpath={.metadata.labels.k}']);
    expect(r.stdout).toBe('v');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lbl-'));
    const f = path.join(dir, 'd.yaml');
    await writeFile(f, JSON.stringify(deployment('filed')));
    const before = writes().length;
    const l = await run(['label', '--local', '-f', f, 'x=z', '-o', 'yaml']);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('    x: z\n');
    expect(writes().length).toBe(before);
  });

  it.each([
    [['label', 'deploy', 'nginx'], /^error: at least one label update is required/],
    [['label', 'deploy', 'nginx', 'a=b=c'], 'error: invalid label spec: a=b=c\n'],
    [['label', 'deploy', 'nginx', 'a=bad value'], /^error: invalid label value: "a=bad value": a valid label must be an empty string/],
    [['label', 'deploy', 'nginx', `a=${'x'.repeat(64)}`], /^error: invalid label value: "a=x+": must be no more than 63 characters/],
    [['label', 'deploy', 'nginx', 'bad key!=x'], /^error: invalid label key "bad key!"/],
    [['label', 'deploy', 'nginx', 'a=1', 'a-'], 'error: can not both modify and remove a label in the same command\n'],
    [['label', 'a=1'], 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n'],
    [['label', 'deploy', 'a=1', 'nginx'], 'error: all resources must be specified before label changes: nginx\n'],
    [['label', 'nosuch', 'x', 'a=1'], `error: the server doesn't have a resource type "nosuch"\n`],
    [['label', 'deploy', 'missing', 'a=1'], 'error: Error from server (NotFound): deployments.apps "missing" not found\n'],
    [['label', 'deploy', 'nginx', 'a=1', '--list', '-o', 'json'], 'error: --list and --output may not be specified together\n'],
    [['label', 'deploy', 'nginx', 'web', 'a=1', '--resource-version=5'], 'error: --resource-version may only be used with a single resource\n'],
  ])('bad input %j: one line, exit 1, nothing written', async (args, err) => {
    await expectRefused(() => run(args as string[]), err as string | RegExp, () => writes().length);
  });
});

describe('annotate', () => {
  it('KEY=VAL (value may contain =), --overwrite, KEY-, on a PropagationPolicy', async () => {
    const r = await run(['annotate', 'pp', 'nginx-pp', 'work.karmada.io/conflict-resolution=overwrite', 'note=a=b']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp annotated\n');
    const pp = () => fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!;
    expect(pp().metadata.annotations).toEqual({ 'work.karmada.io/conflict-resolution': 'overwrite', note: 'a=b' });
    const clash = await run(['annotate', 'pp', 'nginx-pp', 'work.karmada.io/conflict-resolution=abort']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe("error: --overwrite is false but found the following declared annotation(s): 'work.karmada.io/conflict-resolution' already has a value (overwrite); pass --overwrite to replace the value\n");
    const ow = await run(['annotate', 'pp', 'nginx-pp', 'work.karmada.io/conflict-resolution=abort', '--overwrite']);
    expect(ow.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp annotated\n');
    const rm = await run(['annotate', 'pp', 'nginx-pp', 'note-']);
    expect(rm.code).toBe(0);
    expect(pp().metadata.annotations).toEqual({ 'work.karmada.io/conflict-resolution': 'abort' });
    const list = await run(['annotate', 'pp', 'nginx-pp', '--list']);
    expect(list.stdout).toBe('work.karmada.io/conflict-resolution=abort\n');
    expect(patches().at(-1)!.query.fieldManager).toBe('kubectl-annotate');
  });

  it('bad input: no pair, a bad pair, over 256 KiB: one line, nothing written', async () => {
    const before = writes().length;
    const a = await run(['annotate', 'deploy', 'nginx']);
    expect(a.stderr).toMatch(/^error: at least one annotation update is required/);
    const b = await run(['annotate', 'deploy', 'nginx', 'a=1', 'a-']);
    expect(b.stderr).toBe('error: can not both modify and remove an annotation in the same command\n');
    const big = await run(['annotate', 'deploy', 'nginx', `big=${'x'.repeat(262_145)}`]);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/^error: metadata.annotations: Too long: must have at most 262144 bytes/);
    expect(writes().length).toBe(before);
  });

  it('help: connection flags, kubectl texts, the program in examples', async () => {
    for (const c of ['label', 'annotate']) {
      const r = await runCli([c, '--help'], { invokedAs: 'kubectl-karmada' });
      expect(r.stdout).toContain('--kubeconfig');
      expect(r.stdout).toContain(`kubectl karmada ${c} `);
      expect(r.stdout).not.toMatch(new RegExp(`\\n\\s+kubectl ${c}`));
    }
  });
});
