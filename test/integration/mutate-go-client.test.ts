import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { deletionOptions } from '../support/apiserver/deletion';
import { scaleSubresource } from '../support/apiserver/scale';
import { PROPAGATION_POLICY_CRD, propagationPolicy } from '../support/mutate';
import { goBin } from '../support/go-bin';

/**
 * Parity with the Go karmadactl v1.18.2 on the same test API server: for each invocation the state is
 * reset, the Go binary runs, its stdout, stderr's first line, exit code and the resulting object are
 * recorded; the state is reset again and ours runs; both must agree.
 */
const GO = goBin('karmadactl');
let fed: Federation;

function goRun(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    execFile(GO, [...argv, '--kubeconfig', fed.kubeconfig], { env: { HOME: fed.dir + '/go', PATH: process.env.PATH }, timeout: 60_000 }, (e, stdout, stderr) => ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

function reset() {
  fed.karmada.store.delete('apps/v1', 'Deployment', 'default', 'nginx');
  fed.karmada.store.delete('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp');
  fed.karmada.store.put({ ...deployment('nginx', { labels: { tier: 'front' } }), status: undefined });
  fed.karmada.store.put({ ...propagationPolicy('nginx-pp'), metadata: { name: 'nginx-pp', namespace: 'default', labels: { team: 'a' }, annotations: { note: 'x' } } });
}

/** The objects as a user sees them (no server-managed metadata). */
function state(): unknown {
  const strip = (o: Record<string, any> | undefined) => {
    if (!o) return undefined;
    const { resourceVersion, uid, creationTimestamp, generation, managedFields, ...meta } = o.metadata;
    void resourceVersion, uid, creationTimestamp, generation, managedFields;
    return { ...o, metadata: meta, status: undefined };
  };
  return [strip(fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')), strip(fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp'))];
}

beforeAll(async () => {
  if (!existsSync(GO)) return;
  fed = await startFederation(['member1']);
  fed.karmada.core.extensions.push(deletionOptions({ foregroundDelayMs: 200 }), scaleSubresource());
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
}, 60_000);
afterAll(async () => {
  await fed?.close();
});

describe.skipIf(!existsSync(GO))('delete/label/annotate/patch: the Go karmadactl and ours agree', () => {
  it.each([
    [['delete', 'deployment', 'nginx']],
    [['delete', 'pp', 'nginx-pp', '--dry-run=server']],
    [['delete', 'deploy/nginx', 'pp/nginx-pp', '-o', 'name']],
    [['delete', 'deploy', 'nginx', '--cascade=orphan']],
    [['delete', 'deploy', 'nginx', '--dry-run=client']],
    [['delete', 'deploy', '-l', 'tier=front']],
    [['delete', 'cluster', 'nosuch']],
    [['label', 'deploy', 'nginx', 'resourcetemplate.karmada.io/deletion-protected=Always']],
    [['label', 'deploy', 'nginx', 'tier=back']],
    [['label', 'deploy', 'nginx', 'tier=back', '--overwrite']],
    [['label', 'deploy', 'nginx', 'tier-']],
    [['label', 'pp', 'nginx-pp', 'team=a']],
    [['label', 'pp', 'nginx-pp', '--list']],
    [['label', 'pp', 'nginx-pp', 'x=y', '--dry-run=client']],
    [['label', 'pp', 'nginx-pp', 'x=y', '--resource-version=1']],
    [['annotate', 'pp', 'nginx-pp', 'work.karmada.io/conflict-resolution=overwrite']],
    [['annotate', 'pp', 'nginx-pp', 'note=y']],
    [['annotate', 'pp', 'nginx-pp', 'note-', '-o', 'jsonpath={.metadata.annotations}']],
    [['patch', 'pp', 'nginx-pp', '--type=json', '-p', '[{"op": "replace", "path": "/spec/conflictResolution", "value":"Overwrite"}]']],
    [['patch', 'pp', 'nginx-pp', '--type=merge', '-p', '{"spec":{"conflictResolution":"Abort"}}']],
    [['patch', 'pp', 'nginx-pp', '-p', '{"spec":{"conflictResolution":"Overwrite"}}']],
    [['patch', 'deploy', 'nginx', '-p', '{"spec":{"replicas":3}}']],
    [['patch', 'deploy', 'nginx', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}']],
    [['patch', 'deploy', 'nginx', '-p', '{"spec":{"replicas":4}}', '--dry-run=server']],
    [['patch', 'pp', 'nginx-pp', '--type=merge', '-p', '{"spec":{"conflictResolution":"Overwrite"}}', '--dry-run=client']],
    [['patch', 'pp', 'nginx-pp', '--type=merge', '-p', '{"spec":{"conflictResolution":"Abort"}}']],
    [['label', 'pp', 'nginx-pp', 'x=y', '--dry-run=server']],
    [['annotate', 'pp', 'nginx-pp', 'y=z', '--dry-run=server']],
    [['label', 'deploy', '--all', 'x=y', '-o', 'name']],
  ])('%j', async (argv) => {
    reset();
    const go = await goRun(argv);
    const goState = state();
    await new Promise((r) => setTimeout(r, argv.includes('--cascade=foreground') ? 300 : 0));
    reset();
    const ours = await runCli([...argv, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
    expect({ code: ours.code, stdout: ours.stdout }).toEqual({ code: go.code, stdout: go.stdout });
    expect(state()).toEqual(goState);
    // stderr: same problem; ours adds `error: ` (project-wide) and a hint after `; `
    const goErr = go.stderr.trim().split('\n').filter((l) => !/^[IW]\d{4} /.test(l))[0] ?? '';
    const ourErr = ours.stderr.trim().split('\n')[0] ?? '';
    if (goErr) expect(ourErr.replace(/^error: /, '').startsWith(goErr.replace(/^error: /, '').replace(/\s+$/, ''))).toBe(true);
    else expect(ourErr).toBe('');
  }, 90_000);
});
