/**
 * init re-runs against the test API server, which refuses what kube-apiserver refuses (immutable
 * fields, unknown fields under Strict) and applies like it (fields no longer sent are removed): a
 * healthy re-run changes nothing; changed flags converge, or stop before the first write with the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../support/context';
import { nodes } from '../support/apiserver';
import { startKarmadaHost, type KarmadaHost } from '../support/karmada-host';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
let env: KarmadaHost;
const init = (extra: string[] = []) => runCli(['init', ...env.flags(['--crds', CRDS, ...extra])]);

beforeAll(async () => {
  env = await startKarmadaHost({ nodes: [nodes.untainted('node1'), nodes.untainted('node2', '127.0.0.2')] });
  const r = await init();
  expect(r.stderr).not.toContain('error:');
}, 120_000);
afterAll(() => env?.close());

describe('init re-runs', () => {
  it('a healthy re-run applies again and changes nothing; every write asked for Strict validation', async () => {
    const before = [env.host.content(), env.karmada()!.content()];
    const from = env.host.requests.length;
    const r = await init();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing changed');
    expect([env.host.content(), env.karmada()!.content()]).toEqual(before);
    const writes = env.host.requests.slice(from).filter((q) => q.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((q) => q.query.fieldValidation === 'Strict' && q.query.fieldManager === 'karmadactl')).toBe(true);
  });

  it('a changed --etcd-storage-mode stops before the first write, naming the field and the command that clears the way', async () => {
    const before = env.host.content();
    const writes = env.host.writes().length;
    const r = await init(['--etcd-storage-mode', 'PVC', '--storage-classes-name', 'fast']);
    expect(r.code).toBe(1);
    const line = r.stderr.trim().split('\n').pop()!;
    expect(line).toMatch(/^error: immutable: StatefulSet karmada-system\/etcd: volumeClaimTemplates cannot change \(none → etcd-data \(storage \d+Gi, class fast\)\); delete it with `kubectl delete statefulset etcd -n karmada-system --cascade=orphan` and re-run; /);
    expect(env.host.writes().length).toBe(writes);
    expect(env.host.content()).toEqual(before);
  });

  it('a changed --karmada-apiserver-replicas converges; a flag set back removes what it added', async () => {
    const r = await init(['--karmada-apiserver-replicas', '2']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(env.host.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-apiserver')!.spec.replicas).toBe(2);
    // A private registry's image pull secret added on one run, dropped on the next: gone from the pod spec.
    expect((await init(['--image-pull-secrets', 'regcred'])).code).toBe(0);
    expect(env.host.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-apiserver')!.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect((await init()).code).toBe(0);
    const d = env.host.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-apiserver')!;
    expect(d.spec.template.spec.imagePullSecrets).toBeUndefined();
    expect(d.spec.replicas).toBe(1);
  });
});
