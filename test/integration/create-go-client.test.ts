import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { goBin } from '../support/go-bin';
import { scriptedEditor, type EditorStep, type ScriptedEditor } from '../support/editor';
import { PROPAGATION_POLICY_CRD, propagationPolicy } from '../support/mutate';

/**
 * Parity with the Go karmadactl v1.18.2 on the same test API server for the `create` subcommands
 * (stdout of `--dry-run=client -o yaml` byte for byte, stderr and exit code of refusals) and for
 * `edit` with the same scripted editor (stdout, stderr, exit code and the edited object).
 */
const GO = goBin('karmadactl');
let fed: Federation;
let ed: ScriptedEditor;

function goRun(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const i = argv.indexOf('--');
    const full = i >= 0 ? [...argv.slice(0, i), '--kubeconfig', fed.kubeconfig, ...argv.slice(i)] : [...argv, '--kubeconfig', fed.kubeconfig];
    execFile(GO, full, { env: { HOME: fed.dir + '/go', PATH: process.env.PATH, ...env }, timeout: 60_000 }, (e, stdout, stderr) => ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}
const ours = (argv: string[], env: Record<string, string> = {}) => runCli(argv.includes('--') ? [...argv.slice(0, argv.indexOf('--')), '--kubeconfig', fed.kubeconfig, ...argv.slice(argv.indexOf('--'))] : [...argv, '--kubeconfig', fed.kubeconfig], { env: { ...fed.env, ...env }, homedir: fed.homedir });

beforeAll(async () => {
  if (!existsSync(GO)) return;
  fed = await startFederation(['member1']);
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  fed.karmada.store.put({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'default' }, spec: { schedule: '0 1 * * *', jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } } });
  ed = await scriptedEditor();
}, 60_000);
afterAll(async () => {
  await fed?.close();
});

const DRY = ['--dry-run=client', '-o', 'yaml'];
/** The uid of the cron job differs per server start, not per client: the same for both. */
describe.skipIf(!existsSync(GO))('create subcommands: the Go karmadactl and ours print the same objects', () => {
  it.each([
    [['create', 'service', 'nodeport', 'np', '--tcp=5678:8080', '--node-port=30080', ...DRY]],
    [['create', 'service', 'loadbalancer', 'lb', '--tcp=80:http,443', ...DRY]],
    [['create', 'service', 'externalname', 'ext', '--external-name', 'bar.com', ...DRY]],
    [['create', 'service', 'clusterip', 'cs', '--tcp=5678:8080', ...DRY]],
    [['create', 'role', 'foo', '--verb=get,list,watch', '--resource=rs.apps,pods,pods/status,deployments', '--resource-name=a', ...DRY]],
    [['create', 'role', 'all', '--verb=get', '--verb=*', '--resource=*', '-n', 'default', ...DRY]],
    [['create', 'clusterrole', 'foo', '--verb=get', '--resource=pods', '--non-resource-url=/logs/*', ...DRY]],
    [['create', 'clusterrole', 'monitoring', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true', ...DRY]],
    [['create', 'rolebinding', 'admin', '--clusterrole=admin', '--user=user1', '--group=group1', '--serviceaccount=monitoring:sa-dev', ...DRY]],
    [['create', 'clusterrolebinding', 'crb', '--clusterrole=cluster-admin', '--user=u', '--serviceaccount=a:b', ...DRY]],
    [['create', 'job', 'my-job', '--image=busybox', ...DRY, '--', 'date', '-u']],
    [['create', 'job', 'manual', '--from=cronjob/nightly', ...DRY]],
    [['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--restart=Never', ...DRY]],
    [['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2,limits.memory=1024Mi,requests.cpu=1.5', '--scopes=BestEffort', ...DRY]],
    [['create', 'priorityclass', 'high', '--value=1000', '--description=high priority', '--global-default', ...DRY]],
    [['create', 'pdb', 'p', '--selector=app=rails', '--min-available=50%', ...DRY]],
    [['create', 'pdb', 'p2', '--selector=app=rails', '--max-unavailable=1', ...DRY]],
    [['create', 'ingress', 'ing', '--class=nginx', '--default-backend=service2:8080', '--rule=foo.com/=foo-svc:8080,tls=', '--rule=bar.com/prefix*=bar-svc:8080,tls=bar-secret', '--rule=foobar1.com/*=foobar1-svc:https,tls=bar-secret', '--annotation=a.io/x=1', ...DRY]],
    [['create', 'ingress', 'c', '--rule=/=catchall:8080,tls=', ...DRY]],
    [['create', 'priorityclass', 'saved', '--value=5', '--save-config', ...DRY]],
    [['create', 'priorityclass', 'saved', '--value=5', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'ingress', 'annotated', '--rule=foo.com/bar=svc:port', '--annotation=a.io/x=1', '--save-config', '--dry-run=client', '-o', 'json']],
    // (not `create service … --save-config`: kubectl's service generators never read that flag; ours honour it)
    [['create', 'service', 'nodeport', 'np', '--tcp=5678:8080', '--dry-run=client', '-o', 'json']],
    [['create', 'job', 'manual', '--from=cronjob/nightly', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'namespace', 'ns1', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'configmap', 'cm', '--from-literal=b=2', '--from-literal=a=1', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'serviceaccount', 'sa', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'secret', 'generic', 's', '--from-literal=a=1', '--type=x', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'rolebinding', 'rb', '--role=r', '--serviceaccount=a:b', '-n', 'default', '--save-config', '--dry-run=client', '-o', 'json']],
    [['create', 'pdb', 'p', '--selector=app=rails', '--min-available=1', '--dry-run=client', '-o', 'json']],
    [['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--dry-run=client', '-o', 'json']],
    [['create', 'role', 'r', '--verb=use', '--resource=pods']],
    [['create', 'clusterrole', 'm', '--verb=get', '--non-resource-url=logs']],
    [['create', 'rolebinding', 'x', '--role=a', '--clusterrole=b']],
    [['create', 'pdb', 'p', '--selector=a=b', '--min-available=1.5']],
    [['create', 'ingress', 'i', '--rule=foo.com=svc:8080']],
    [['create', 'quota', 'q', '--hard=cpu']],
    [['create', 'token', 'x', '--bound-object-kind', 'ConfigMap', '--bound-object-name', 'y']],
  ])('%j', async (argv) => {
    const g = await goRun(argv);
    const o = await ours(argv);
    expect({ code: o.code, stdout: o.stdout }).toEqual({ code: g.code, stdout: g.stdout });
    // Refusals: the same kubectl text (ours adds "; <what to do>").
    if (g.code) expect(o.stderr.split('\n')[0].split('; ')[0]).toBe(g.stderr.split('\n')[0]);
  });
});

describe.skipIf(!existsSync(GO))('edit: the Go karmadactl and ours agree', () => {
  const run = async (who: 'go' | 'ours', argv: string[], steps: EditorStep[]) => {
    fed.karmada.store.delete('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp');
    fed.karmada.store.put(propagationPolicy('nginx-pp'));
    const env = ed.env(steps);
    const r = who === 'go' ? await goRun(argv, env) : await ours(argv, env);
    const p = fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!;
    return { r, spec: p.spec, seen: await ed.seen() };
  };
  it.each([
    [['edit', 'pp/nginx-pp'], [{ replace: ['conflictResolution: Abort', 'conflictResolution: Overwrite'] }]],
    [['edit', 'propagationpolicy', 'nginx-pp', '--output-patch'], [{ replace: ['- member2', '- member3'] }]],
    [['edit', 'pp/nginx-pp', '-o', 'json'], [{ replace: ['"Abort"', '"Overwrite"'] }]],
    [['edit', 'pp/nginx-pp'], [{ keep: true }]],
    [['edit', 'pp/nginx-pp', '-o', 'yaml', '--save-config'], [{ replace: ['- member2', '- member3'] }]],
    [['edit', 'pp/nginx-pp', '-o', 'name'], [{ keep: true }]],
    [['edit', 'pp/nginx-pp', '--validate=ignore'], [{ replace: ['conflictResolution: Abort', 'conflictResolution: [Abort'] }, { replace: ['\\[Abort', 'Overwrite'] }]],
    [['edit', 'pp/nginx-pp', '--windows-line-endings'], [{ replace: ['Abort', 'Overwrite'] }]],
    [['edit', 'pp/nginx-pp'], [{ replace: ['conflictResolution: Abort', 'conflictResolution: [Abort'] }, { replace: ['\\[Abort', 'Overwrite'] }]],
    [['edit', 'pp/nginx-pp'], [{ replace: ['name: nginx-pp', 'name: other'] }]],
  ] as [string[], EditorStep[]][])('%j %j', async (argv, steps) => {
    const g = await run('go', argv, steps);
    const o = await run('ours', argv, steps);
    const norm = (s: string) => s.replace(/(resourceVersion|uid|creationTimestamp|generation)(["']?: ).*/g, '$1$2X').replace(/\\?"(resourceVersion|uid|creationTimestamp)\\?":\\?"[^"\\]*\\?"/g, '"$1":"X"');
    expect(norm(o.r.stdout)).toBe(norm(g.r.stdout));
    expect(o.r.code).toBe(g.r.code);
    expect(o.spec).toEqual(g.spec);
    // The file the editor was first given: the same header and object, apart from the server-set metadata.
    expect(o.seen.length).toBe(g.seen.length);
    if (g.seen.length) expect(norm(o.seen[0])).toBe(norm(g.seen[0]));
    const line = (s: string) => s.replace(/"\/[^"]*karmadactl-edit-\d+\.(yaml|json)"/g, '"FILE"').split('\n')[0];
    if (g.r.stderr) expect(line(o.r.stderr).split('; ')[0]).toBe(line(g.r.stderr));
  });
});
