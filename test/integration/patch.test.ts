import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { deletionOptions } from '../support/apiserver/deletion';
import { scaleSubresource } from '../support/apiserver/scale';
import { PROPAGATION_POLICY_CRD, propagationPolicy, expectRefused } from '../support/mutate';

let fed: Federation;
let dir: string;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
const writes = () => fed.karmada.writes();
const dep = () => fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')!;
const pp = () => fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!;
const patches = () => fed.karmada.requests.filter((r) => r.method === 'PATCH');

beforeAll(async () => {
  fed = await startFederation(['member1']);
  fed.karmada.core.extensions.push(deletionOptions(), scaleSubresource());
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  dir = await mkdtemp(path.join(os.tmpdir(), 'patch-'));
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  fed.karmada.store.put(deployment('nginx', { replicas: 1 }));
  fed.karmada.store.put(propagationPolicy('nginx-pp'));
});

describe('patch', () => {
  it('strategic (default): the server merges containers by name; kubectl output', async () => {
    const r = await run(['patch', 'deployment', 'nginx', '-p', '{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.28"}]}}}}']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx patched\n');
    expect(dep().spec.replicas).toBe(3);
    expect(dep().spec.template.spec.containers).toEqual([{ name: 'c', image: 'nginx:1.28' }]);
    expect(patches().at(-1)!.contentType).toMatch(/^application\/strategic-merge-patch\+json/);
    expect(patches().at(-1)!.query.fieldManager).toBe('kubectl-patch');
  });

  it('a patch that changes nothing: "patched (no change)"; YAML patches accepted', async () => {
    const r = await run(['patch', 'pp', 'nginx-pp', '--type=merge', '-p', 'spec:\n  conflictResolution: Abort']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched (no change)\n');
    const y = await run(['patch', 'pp', 'nginx-pp', '--type=merge', '-p', 'spec:\n  conflictResolution: Overwrite']);
    expect(y.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched\n');
  });

  it('--type json on a PropagationPolicy (the reference example); --type merge', async () => {
    const r = await run(['patch', 'propagationpolicy', 'nginx-pp', '--type=json', '-p', '[{"op": "replace", "path": "/spec/conflictResolution", "value":"Overwrite"}]']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched\n');
    expect(pp().spec.conflictResolution).toBe('Overwrite');
    const m = await run(['patch', 'pp', 'nginx-pp', '--type', 'merge', '-p', '{"spec":{"placement":{"clusterAffinity":{"clusterNames":["member1"]}}}}']);
    expect(m.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched\n');
    expect(pp().spec.placement.clusterAffinity.clusterNames).toEqual(['member1']);
  });

  it('strategic on a custom resource: the server refuses (415), nothing changes', async () => {
    const r = await run(['patch', 'pp', 'nginx-pp', '-p', '{"spec":{"conflictResolution":"Overwrite"}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: application/strategic-merge-patch+json is not supported by policy.karmada.io/v1alpha1, Kind=PropagationPolicy: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; custom resources take --type merge or --type json\n');
    expect(pp().spec.conflictResolution).toBe('Abort');
  });

  it('a Cluster (aggregated API: strategic merge works), --patch-file, -o', async () => {
    const f = path.join(dir, 'taint.yaml');
    await writeFile(f, 'spec:\n  taints:\n  - key: maintenance\n    effect: NoSchedule\n');
    const r = await run(['patch', 'cluster', 'member1', '--patch-file', f, '-o', 'jsonpath={.spec.taints[0].key}']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('maintenance');
    expect(fed.karmada.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member1')!.spec.taints).toEqual([{ key: 'maintenance', effect: 'NoSchedule' }]);
  });

  it('--dry-run=server and client change nothing; --local -f patches the file content', async () => {
    const s = await run(['patch', 'deploy', 'nginx', '-p', '{"spec":{"replicas":5}}', '--dry-run=server']);
    expect(s.stdout).toBe('deployment.apps/nginx patched\n'); // kubectl patch prints no dry-run suffix
    expect(patches().at(-1)!.query.dryRun).toBe('All');
    expect(dep().spec.replicas).toBe(1);
    const before = writes().length;
    const c = await run(['patch', 'deploy', 'nginx', '--type=merge', '-p', '{"spec":{"replicas":5}}', '--dry-run=client', '-o', 'jsonpath={.spec.replicas}']);
    expect(c.stdout).toBe('5');
    expect(dep().spec.replicas).toBe(1);
    const f = path.join(dir, 'pp.json');
    await writeFile(f, JSON.stringify(propagationPolicy('local-pp')));
    const l = await run(['patch', '--local', '-f', f, '--type=json', '-p', '[{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]', '-o', 'json']);
    expect(l.stderr).toBe('');
    expect(JSON.parse(l.stdout).metadata.labels).toEqual({ a: 'b' });
    const ls = await run(['patch', '--local', '-f', f, '-p', '{"spec":{}}']);
    expect(ls.stderr).toBe('error: strategic merge patch is not supported for policy.karmada.io/v1alpha1, Kind=PropagationPolicy locally, try --type merge\n');
    // A built-in kind: the strategic merge is computed here, containers merged by name (their patch merge key).
    const df = path.join(dir, 'dep.json');
    await writeFile(df, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'local-dep', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } } }));
    const sm = await run(['patch', '--local', '-f', df, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"}]}}}}', '-o', 'json']);
    expect(sm.stderr).toBe('');
    expect(JSON.parse(sm.stdout).spec.template.spec.containers).toEqual([{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }]);
    expect(writes().length).toBe(before);
  });

  it('--subresource=scale with a merge patch: the Scale is patched, replicas reach the Deployment', async () => {
    const r = await run(['patch', 'deploy', 'nginx', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}', '-o', 'jsonpath={.kind} {.spec.replicas}']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Scale 2');
    expect(dep().spec.replicas).toBe(2);
    // let the simulated controller settle the status (it is part of the Scale) before the no-op patch
    for (let i = 0; i < 100 && !(dep().status?.replicas === 2 && dep().status?.observedGeneration === dep().metadata.generation); i++) await new Promise((ok) => setTimeout(ok, 20));
    await new Promise((ok) => setTimeout(ok, 50));
    const again = await run(['patch', 'deploy', 'nginx', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
    expect(again.stdout).toBe('scale.autoscaling/nginx patched (no change)\n');
  });

  it.each([
    [['patch', 'deploy', 'nginx'], 'error: must specify --patch or --patch-file containing the contents of the patch\n'],
    [['patch', 'deploy', 'nginx', '-p', '{}', '--patch-file', 'x'], 'error: cannot specify --patch and --patch-file together\n'],
    [['patch', 'deploy', 'nginx', '-p', '{}', '--type', 'xml'], 'error: --type must be one of [json merge strategic], not "xml"\n'],
    [['patch', 'deploy', 'nginx', '-p', '{"spec": '], /^error: unable to parse "\{"spec": ": /],
    [['patch', 'deploy', 'nginx', '--type', 'json', '-p', '{"op":"add"}'], /^error: invalid JSON patch: a JSON patch is an array of operations, got object/],
    [['patch', 'deploy', 'nginx', '--type', 'json', '-p', '[{"op":"frob","path":"/a"}]'], /^error: invalid JSON patch: operation 0 has op "frob"/],
    [['patch', 'deploy', 'nginx', '-p', '[1]'], /^error: unable to parse "\[1\]": the strategic merge patch must be a JSON object/],
    [['patch', 'deploy', 'nginx', '-p', '{}', '--subresource', 'logs'], 'error: invalid subresource value: "logs". Must be one of [status scale]\n'],
    [['patch', 'deploy', 'nginx', '-p', '{}', '--local'], 'error: cannot specify --local and server resources\n'],
    [['patch', 'nosuch', 'x', '-p', '{}'], `error: the server doesn't have a resource type "nosuch"\n`],
    [['patch', 'deploy', 'missing', '-p', '{}'], 'error: Error from server (NotFound): deployments.apps "missing" not found\n'],
    [['patch', 'deploy', 'nginx', '--patch-file', '/nonexistent/p.json'], /^error: unable to read patch file: /],
    [['patch', '-p', '{}'], /^error: You must provide one or more resources by argument or filename/],
  ])('bad input %j: one line, exit 1, nothing written', async (args, err) => {
    await expectRefused(() => run(args as string[]), err as string | RegExp, () => writes().length);
  });

  it('help: connection flags and the program in examples', async () => {
    const r = await runCli(['patch', '--help']);
    expect(r.stdout).toContain('--kubeconfig');
    expect(r.stdout).toContain("karmadactl patch propagationpolicy nginx-propagation --type='json'");
    expect(r.stdout).not.toMatch(/\n\s+kubectl patch/);
  });
});
