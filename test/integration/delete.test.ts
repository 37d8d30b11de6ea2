import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { deletionOptions } from '../support/apiserver/deletion';
import { PROPAGATION_POLICY_CRD, propagationPolicy, expectRefused } from '../support/mutate';

let fed: Federation;
let ext: ReturnType<typeof deletionOptions>;
const run = (args: string[], o: { stdin?: string; stdinIsTTY?: boolean; cwd?: string } = {}) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir, ...o });
const writes = () => fed.karmada.writes().filter((w) => !w.path.includes('/discovery'));

beforeAll(async () => {
  fed = await startFederation(['member1']);
  ext = deletionOptions({ foregroundDelayMs: 300 });
  fed.karmada.core.extensions.push(ext);
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  for (const n of ['nginx', 'web', 'api']) fed.karmada.store.delete('apps/v1', 'Deployment', 'default', n);
  fed.karmada.store.put(deployment('nginx'));
  fed.karmada.store.put(deployment('web', { labels: { tier: 'front' } }));
  fed.karmada.store.put(deployment('api', { labels: { tier: 'back' } }));
});

const exists = (n: string) => !!fed.karmada.store.get('apps/v1', 'Deployment', 'default', n);

describe('delete', () => {
  it('TYPE NAME: kubectl output, the object is gone, Background cascade sent', async () => {
    const r = await run(['delete', 'deployment', 'nginx']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps "nginx" deleted from default namespace\n');
    expect(r.code).toBe(0);
    expect(exists('nginx')).toBe(false);
    expect(ext.requests.at(-1)).toMatchObject({ path: '/apis/apps/v1/namespaces/default/deployments/nginx', propagationPolicy: 'Background' });
  });

  it('TYPE/NAME, -o name, and a cluster-scoped Karmada kind (Cluster)', async () => {
    const r = await run(['delete', 'deploy/web', 'deploy/api', '-o', 'name']);
    expect(r.stdout).toBe('deployment.apps/web\ndeployment.apps/api\n');
    fed.karmada.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'spare' }, spec: {} });
    const c = await run(['delete', 'cluster', 'spare']);
    expect(c.stdout).toBe('cluster.cluster.karmada.io "spare" deleted\n');
    expect(fed.karmada.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'spare')).toBeUndefined();
  });

  it('-l deletes the matching objects only; --all everything of the type', async () => {
    const r = await run(['delete', 'deploy', '-l', 'tier=front']);
    expect(r.stdout).toBe('deployment.apps "web" deleted from default namespace\n');
    expect([exists('nginx'), exists('web'), exists('api')]).toEqual([true, false, true]);
    const all = await run(['delete', 'deploy', '--all']);
    expect(all.stdout.trimEnd().split('\n').sort()).toEqual(['deployment.apps "api" deleted from default namespace', 'deployment.apps "nginx" deleted from default namespace']);
    const none = await run(['delete', 'deploy', '--all']);
    expect(none.stdout).toBe('No resources found\n');
    expect(none.code).toBe(0);
  });

  it('-f deletes the objects of a file (PropagationPolicy)', async () => {
    fed.karmada.store.put(propagationPolicy('nginx-pp'));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'del-'));
    await writeFile(path.join(dir, 'pp.yaml'), JSON.stringify(propagationPolicy('nginx-pp')));
    const r = await run(['delete', '-f', path.join(dir, 'pp.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('propagationpolicy.policy.karmada.io "nginx-pp" deleted from default namespace\n');
    expect(fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')).toBeUndefined();
  });

  it('-f DIR -R walks sub-directories; without -R only the top level', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'delr-'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'a.yaml'), JSON.stringify(deployment('web')));
    await writeFile(path.join(dir, 'sub', 'b.yaml'), JSON.stringify(deployment('api')));
    const top = await run(['delete', '-f', dir]);
    expect(top.stdout).toBe('deployment.apps "web" deleted from default namespace\n');
    expect(exists('api')).toBe(true);
    fed.karmada.store.put(deployment('web'));
    const r = await run(['delete', '-f', dir, '-R']);
    expect(r.stdout).toBe('deployment.apps "web" deleted from default namespace\ndeployment.apps "api" deleted from default namespace\n');
    expect([exists('web'), exists('api')]).toEqual([false, false]);
  });

  it('--dry-run=server and client change nothing, with kubectl suffixes', async () => {
    const s = await run(['delete', 'deploy', 'nginx', '--dry-run=server']);
    expect(s.stdout).toBe('deployment.apps "nginx" deleted from default namespace (server dry run)\n');
    expect(ext.requests.at(-1)?.dryRun).toEqual(['All']);
    const before = writes().length;
    const c = await run(['delete', 'deploy', 'nginx', '--dry-run=client']);
    expect(c.stdout).toBe('deployment.apps "nginx" deleted from default namespace (dry run)\n');
    expect(writes().length).toBe(before);
    expect(exists('nginx')).toBe(true);
  });

  it('--force prints kubectl warning and "force deleted" with grace period 0', async () => {
    const r = await run(['delete', 'deploy', 'nginx', '--force']);
    expect(r.stderr).toBe('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    expect(r.stdout).toBe('deployment.apps "nginx" force deleted from default namespace\n');
    expect(ext.requests.at(-1)?.gracePeriodSeconds).toBe(0);
  });

  it('--cascade=foreground --wait waits until the dependents and the object are gone', async () => {
    const owner = fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')!;
    fed.karmada.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: owner.metadata.uid, blockOwnerDeletion: true }] }, data: {} });
    const t0 = Date.now();
    const r = await run(['delete', 'deploy', 'nginx', '--cascade=foreground']);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(ext.requests.at(-1)?.propagationPolicy).toBe('Foreground');
    expect(exists('nginx')).toBe(false);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'dep')).toBeUndefined();
  });

  it('--wait=false returns while a foreground deletion is still running; --timeout bounds the wait', async () => {
    const r = await run(['delete', 'deploy', 'web', '--cascade=foreground', '--wait=false']);
    expect(r.code).toBe(0);
    expect(fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'web')?.metadata.deletionTimestamp).toBeTruthy();
    const t = await run(['delete', 'deploy', 'api', '--cascade=foreground', '--timeout=50ms']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/^error: timed out waiting for the condition on deployments.apps\/api;/);
  });

  it('--cascade=orphan keeps the dependents (ownerReference removed)', async () => {
    const owner = fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')!;
    fed.karmada.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: owner.metadata.uid }] }, data: {} });
    const r = await run(['delete', 'deploy', 'nginx', '--cascade=false']);
    expect(r.stderr).toBe('Warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
    expect(exists('nginx')).toBe(false);
    const kept = fed.karmada.store.get('v1', 'ConfigMap', 'default', 'kept');
    expect(kept?.metadata.ownerReferences).toBeUndefined();
  });

  it('not found: the server error, exit 1; --ignore-not-found: exit 0', async () => {
    const r = await run(['delete', 'deploy', 'missing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Error from server (NotFound): deployments.apps "missing" not found\n');
    const i = await run(['delete', 'deploy', 'missing', '--ignore-not-found']);
    expect(i.code).toBe(0);
    expect(i.stderr).toBe('');
  });

  it('-i asks on the terminal; "n" cancels; without a terminal it refuses', async () => {
    const no = await run(['delete', 'deploy', 'nginx', '-i'], { stdin: 'n\n', stdinIsTTY: true });
    expect(no.stdout).toBe('You are about to delete the following 1 resource(s):\ndeployment.apps/nginx\nDo you want to continue? (y/N): deletion is cancelled\n');
    expect(exists('nginx')).toBe(true);
    const yes = await run(['delete', 'deploy', 'nginx', '-i'], { stdin: 'y\n', stdinIsTTY: true });
    expect(yes.stdout).toMatch(/Do you want to continue\? \(y\/N\): deployment.apps "nginx" deleted from default namespace\n$/);
    const refuse = await run(['delete', 'deploy', 'web', '-i']);
    expect(refuse.code).toBe(1);
    expect(refuse.stderr).toMatch(/^error: refusing to ask for confirmation: stdin is not a terminal/);
    expect(exists('web')).toBe(true);
  });

  it.each([
    [['delete', 'nosuchtype', 'x'], `error: the server doesn't have a resource type "nosuchtype"\n`],
    [['delete'], /^error: You must provide one or more resources by argument or filename/],
    [['delete', 'deploy', 'nginx', '--now', '--grace-period=5'], 'error: --now and --grace-period cannot be specified together\n'],
    [['delete', 'deploy', 'nginx', '--force', '--grace-period=5'], 'error: --force and --grace-period greater than 0 cannot be specified together\n'],
    [['delete', 'deploy', '--all', '-l', 'a=b'], 'error: cannot set --all and --selector at the same time\n'],
    [['delete', 'deploy', 'nginx', '--cascade=maybe'], 'error: invalid cascade value (maybe). Must be "background", "foreground", or "orphan".\n'],
    [['delete', 'deploy', 'nginx', '-o', 'json'], "error: unexpected -o output mode: json. We only support '-o name'\n"],
    [['delete', 'deploy', 'nginx', '--dry-run=maybe'], 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n'],
    [['delete', 'deploy', 'nginx', '-i', '--dry-run=server'], 'error: --interactive can not be used with --dry-run\n'],
    [['delete', 'deploy'], /^error: resource\(s\) were provided, but no name was specified/],
  ])('bad input %j: one line, exit 1, nothing deleted', async (args, err) => {
    await expectRefused(() => run(args as string[]), err as string | RegExp, () => writes().length);
    expect(exists('nginx')).toBe(true);
  });

  it('--raw DELETEs the path and prints the answer; its flag conflicts are refused', async () => {
    const r = await run(['delete', '--raw', '/apis/apps/v1/namespaces/default/deployments/nginx']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(exists('nginx')).toBe(false);
    const bad = await run(['delete', '--raw', '/x', '-o', 'name']);
    expect(bad.stderr).toBe('error: --raw and --output are mutually exclusive\n');
    const rel = await run(['delete', '--raw', 'x/y']);
    expect(rel.code).toBe(1);
    expect(rel.stderr).toMatch(/^error: --raw must be a valid URL path/);
  });

  it('help shows the connection flags and the program name in examples', async () => {
    const r = await runCli(['delete', '--help']);
    expect(r.stdout).toContain('--kubeconfig');
    expect(r.stdout).toContain('--karmada-context');
    expect(r.stdout).toContain('karmadactl delete -f ./propagationpolicy.json');
    expect(r.stdout).not.toMatch(/\bkubectl delete/);
  });
});
