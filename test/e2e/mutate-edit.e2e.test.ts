import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { runCli } from '../support/context';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { goBin } from '../support/go-bin';
import { scriptedEditor, type EditorStep, type ScriptedEditor } from '../support/editor';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * `edit` and the `create` subcommands on real components: our init on a real host (karmada-apiserver
 * with Karmada's CRDs and the real karmada-webhook, which defaults and validates policies), one real
 * member joined with our join; the Go karmadactl v1.18.2 runs the same invocations on the same
 * control plane, with the same scripted editor, and both results are compared (generated names,
 * UIDs, resource versions and timestamps normalised).
 */
const GO = goBin('karmadactl');

let fed: Federation | undefined;
let karmada: KubeClient;
let karmadaCfg: string;
let dir: string;
let ed: ScriptedEditor;
const ka = (args: string[], env: Record<string, string> = {}) => runCli(withCfg(args), { env: { HOME: dir, ...env }, homedir: dir });
const go = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((ok) =>
    execFile(GO, withCfg(args), { env: { HOME: path.join(dir, 'go'), PATH: process.env.PATH, ...env }, timeout: 120_000 }, (e, stdout, stderr) => ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
/** --kubeconfig goes before a `--` (after it every word belongs to the job's command). */
function withCfg(args: string[]): string[] {
  const i = args.indexOf('--');
  return i < 0 ? [...args, '--kubeconfig', karmadaCfg] : [...args.slice(0, i), '--kubeconfig', karmadaCfg, ...args.slice(i)];
}

const policy = (name: string): K8sObject => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name, namespace: 'default' },
  spec: { conflictResolution: 'Abort', resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } },
} as K8sObject);

/** What a user compares: no server-set metadata, the name replaced. */
function normal(o: K8sObject | undefined, name: string): unknown {
  if (!o) return undefined;
  const { uid, resourceVersion, creationTimestamp, generation, managedFields, name: n, ...meta } = o.metadata as Record<string, unknown>;
  void uid, resourceVersion, creationTimestamp, generation, managedFields;
  // karmada-webhook's generated permanent id differs per object
  const text = JSON.stringify({ ...o, metadata: { ...meta, name: n === name ? 'X' : n } }).replace(/("[a-z.]*karmada\.io\/permanent-id":)"[^"]*"/g, '$1"…"');
  return JSON.parse(text.replaceAll(name, 'X'));
}
const normText = (s: string, name: string) =>
  s.replaceAll(name, 'X').replace(/(resourceVersion|uid|creationTimestamp|generation|[a-z.]*karmada\.io\/permanent-id)(["']?: ).*/g, '$1$2…').replace(/"\/[^"]*karmadactl-edit-\d+\.(yaml|json)"/g, '"FILE"');

beforeAll(async () => {
  fed = await startFederation('edit', { members: ['member1'] });
  ({ karmada, karmadaCfg } = fed);
  dir = fed.procs.dir;
  ed = await scriptedEditor();
}, 900_000);
afterAll(async () => {
  await fed?.stop();
});

const step = stepOf(() => fed);
const ppPath = (n: string) => `/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/${n}`;

describe('edit on the real control plane', () => {
  step('a PropagationPolicy (CRD, defaulted by the real karmada-webhook): JSON merge patch, edited, then no change', async () => {
    await karmada.create(policy('ours-pp'));
    const steps: EditorStep[] = [{ replace: ['conflictResolution: Abort', 'conflictResolution: Overwrite'] }];
    const r = await ka(['edit', 'pp/ours-pp', '--output-patch'], ed.env(steps));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Patch: {"spec":{"conflictResolution":"Overwrite"}}\npropagationpolicy.policy.karmada.io/ours-pp edited\n');
    const seen = await ed.seen();
    expect(seen[0]).toMatch(/^# Please edit the object below\./);
    expect(seen[0]).not.toContain('managedFields');
    const got = await karmada.request<K8sObject>('GET', ppPath('ours-pp'));
    expect((got as unknown as { spec: { conflictResolution: string } }).spec.conflictResolution).toBe('Overwrite');
    const none = await ka(['edit', 'propagationpolicy', 'ours-pp'], ed.env([{ keep: true }]));
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('Edit cancelled, no changes made.\n');
  });

  step('an Invalid answer (the CRD schema\'s enum) re-opens the file with the server\'s causes; fixing it saves', async () => {
    const bad: EditorStep = { replace: ['conflictResolution: Overwrite', 'conflictResolution: Bogus'] };
    const fix: EditorStep = { replace: ['conflictResolution: Bogus', 'conflictResolution: Abort'] };
    const r = await ka(['edit', 'pp/ours-pp'], ed.env([bad, fix]));
    const seen = await ed.seen();
    expect(seen.length, r.stderr).toBe(2);
    expect(r.stderr).toBe('error: propagationpolicies.policy.karmada.io "ours-pp" is invalid\n');
    // the re-opened file: kubectl's header, the server's causes, then the user's text
    expect(seen[1]).toMatch(/^# Please edit the object below\.[\s\S]*\n# propagationpolicies\.policy\.karmada\.io "ours-pp" was not valid:\n# \* spec\.conflictResolution: Unsupported value: "Bogus": /);
    expect(seen[1]).toContain('\n  conflictResolution: Bogus\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('propagationpolicy.policy.karmada.io/ours-pp edited\n');
    const got = (await karmada.request<K8sObject>('GET', ppPath('ours-pp'))) as unknown as { spec: { conflictResolution: string } };
    expect(got.spec.conflictResolution).toBe('Abort');
  });

  step('a change karmada-webhook denies is not re-opened (kubectl: not an Invalid answer): the file is kept and named, exit 1', async () => {
    const bad: EditorStep = { replace: ['placement:\\n', 'placement:\n    spreadConstraints:\n    - spreadByField: cluster\n      minGroups: 3\n      maxGroups: 1\n'] };
    const r = await ka(['edit', 'pp/ours-pp'], ed.env([bad]));
    expect((await ed.seen()).length).toBe(1);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: propagationpolicies\.policy\.karmada\.io "ours-pp" could not be patched: admission webhook "[^"]+" denied the request: .*maxGroups lower than minGroups is not allowed$/);
    expect(lines[1]).toMatch(/^A copy of your changes has been stored to "(.*)"$/);
    expect(existsSync(JSON.parse(lines[1].slice('A copy of your changes has been stored to '.length)))).toBe(true);
    const got = (await karmada.request<K8sObject>('GET', ppPath('ours-pp'))) as unknown as { spec: { placement: Record<string, unknown> } };
    expect(got.spec.placement.spreadConstraints).toBeUndefined();
    if (existsSync(GO)) {
      const g = await go(['edit', 'pp/ours-pp'], ed.env([bad]));
      expect(g.code).toBe(1);
      expect(g.stderr.split('\n')[0]).toBe(lines[0]);
    }
  });

  (existsSync(GO) ? step : it.skip)('the Go karmadactl and ours: same output, same file, same result for the same edits', async () => {
    const sessions: [string[], EditorStep[]][] = [
      [['edit', 'pp/NAME'], [{ replace: ['- member1', '- member1\n        - member2'] }]],
      [['edit', 'propagationpolicy', 'NAME', '-o', 'json'], [{ replace: ['"Abort"', '"Overwrite"'] }]],
      [['edit', 'pp/NAME'], [{ keep: true }]],
      [['edit', 'pp/NAME'], [{ replace: ['conflictResolution: Abort', 'conflictResolution: [Abort'] }, { replace: ['\\[Abort', 'Overwrite'] }]],
      [['edit', 'pp/NAME'], [{ replace: ['name: NAME', 'name: renamed'] }]],
      [['edit', 'pp/NAME', '--output-patch'], [{ replace: ['kind: Deployment', 'kind: StatefulSet'] }]],
    ];
    for (const [i, [argv, steps]] of sessions.entries()) {
      const res: Record<string, { r: { code: number; stdout: string; stderr: string }; obj: unknown; seen: string[] }> = {};
      for (const who of ['go', 'ours'] as const) {
        const name = `${who}-s${i}`;
        await karmada.create(policy(name));
        const s = steps.map((x) => JSON.parse(JSON.stringify(x).replaceAll('NAME', name)) as EditorStep);
        const a = argv.map((x) => x.replace('NAME', name));
        const r = who === 'go' ? await go(a, ed.env(s)) : await ka(a, ed.env(s));
        res[who] = { r, obj: normal(await karmada.request<K8sObject>('GET', ppPath(name)), name), seen: (await ed.seen()).map((t) => normText(t, name)) };
      }
      const { go: g, ours: o } = res;
      const n = (t: string, who: string) => normText(t, `${who}-s${i}`);
      expect([i, n(o.r.stdout, 'ours'), o.r.code]).toEqual([i, n(g.r.stdout, 'go'), g.r.code]);
      expect(o.obj).toEqual(g.obj);
      expect(o.seen[0]).toBe(g.seen[0]);
      // kubectl's own lines are the same; ours may add "; <what to do>"
      expect(n(o.r.stderr, 'ours').split('\n').map((l) => l.split('; ')[0])).toEqual(n(g.r.stderr, 'go').split('\n'));
    }
  });
});

describe('create subcommands on the real control plane', () => {
  step('each creates kubectl\'s object and prints kubectl\'s line', async () => {
    await karmada.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ours-sa', namespace: 'default' } } as K8sObject);
    const cases: [string[], string][] = [
      [['create', 'role', 'ours-role', '--verb=get,list', '--resource=pods,deployments.apps,pods/log'], 'role.rbac.authorization.k8s.io/ours-role created\n'],
      [['create', 'ingress', 'ours-ing', '--rule=foo.com/bar*=svc1:8080,tls=my-cert', '--class=nginx'], 'ingress.networking.k8s.io/ours-ing created\n'],
      [['create', 'priorityclass', 'ours-pc', '--value=1000', '--description=high'], 'priorityclass.scheduling.k8s.io/ours-pc created\n'],
      [['create', 'pdb', 'ours-pdb', '--selector=app=web', '--min-available=50%'], 'poddisruptionbudget.policy/ours-pdb created\n'],
      [['create', 'quota', 'ours-q', '--hard=pods=10,cpu=1500m'], 'resourcequota/ours-q created\n'],
      [['create', 'cronjob', 'ours-cj', '--image=busybox', '--schedule=0 1 * * *'], 'cronjob.batch/ours-cj created\n'],
      [['create', 'job', 'ours-job', '--from=cronjob/ours-cj'], 'job.batch/ours-job created\n'],
      [['create', 'service', 'externalname', 'ours-ext', '--external-name=bar.com'], 'service/ours-ext created\n'],
    ];
    for (const [argv, line] of cases) {
      const r = await ka(argv);
      expect([argv.join(' '), r.stderr, r.stdout]).toEqual([argv.join(' '), '', line]);
    }
    const job = await karmada.request<K8sObject>('GET', '/apis/batch/v1/namespaces/default/jobs/ours-job');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'ours-cj', controller: true });
    expect(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    const tok = await ka(['create', 'token', 'ours-sa', '--duration=10m']);
    expect(tok.stderr).toBe('');
    expect(tok.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // the token authenticates as the service account on the real server
    const review = await karmada.request<{ status: { authenticated?: boolean; user?: { username?: string } } }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: tok.stdout } } });
    expect(review.status.user?.username).toBe('system:serviceaccount:default:ours-sa');
  });

  (existsSync(GO) ? step : it.skip)('the Go karmadactl and ours create the same objects and print the same', async () => {
    await karmada.create({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'shared-cj', namespace: 'default' }, spec: { schedule: '0 2 * * *', jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } } } as unknown as K8sObject);
    const cases: [string[], string][] = [
      [['create', 'role', 'NAME', '--verb=get,list,watch', '--resource=rs.apps,pods,pods/status,deployments', '--resource-name=a'], '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/NAME'],
      [['create', 'clusterrole', 'NAME', '--verb=get', '--resource=clusters.cluster.karmada.io,propagationpolicies', '--non-resource-url=/logs/*'], '/apis/rbac.authorization.k8s.io/v1/clusterroles/NAME'],
      [['create', 'clusterrole', 'NAME', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true'], '/apis/rbac.authorization.k8s.io/v1/clusterroles/NAME'],
      [['create', 'rolebinding', 'NAME', '--clusterrole=admin', '--user=user1', '--group=group1', '--serviceaccount=monitoring:sa-dev'], '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/NAME'],
      [['create', 'clusterrolebinding', 'NAME', '--clusterrole=cluster-admin', '--user=u'], '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/NAME'],
      [['create', 'service', 'nodeport', 'NAME', '--tcp=5678:8080'], '/api/v1/namespaces/default/services/NAME'],
      [['create', 'service', 'loadbalancer', 'NAME', '--tcp=80:http,443'], '/api/v1/namespaces/default/services/NAME'],
      [['create', 'job', 'NAME', '--image=busybox', '--', 'date'], '/apis/batch/v1/namespaces/default/jobs/NAME'],
      [['create', 'job', 'NAME', '--from=cronjob/shared-cj'], '/apis/batch/v1/namespaces/default/jobs/NAME'],
      [['create', 'cronjob', 'NAME', '--image=busybox', '--schedule=*/5 * * * *', '--restart=Never'], '/apis/batch/v1/namespaces/default/cronjobs/NAME'],
      [['create', 'quota', 'NAME', '--hard=cpu=1,memory=1G,pods=2,requests.cpu=1.5', '--scopes=BestEffort'], '/api/v1/namespaces/default/resourcequotas/NAME'],
      [['create', 'priorityclass', 'NAME', '--value=10', '--save-config'], '/apis/scheduling.k8s.io/v1/priorityclasses/NAME'],
      [['create', 'pdb', 'NAME', '--selector=app=rails,tier notin (db)', '--max-unavailable=1'], '/apis/policy/v1/namespaces/default/poddisruptionbudgets/NAME'],
      [['create', 'ingress', 'NAME', '--default-backend=service2:8080', '--rule=foo.com/=foo-svc:8080,tls=', '--rule=bar.com/prefix*=bar-svc:8080,tls=bar-secret', '--annotation=a.io/x=1'], '/apis/networking.k8s.io/v1/namespaces/default/ingresses/NAME'],
      [['create', 'deployment', 'NAME', '--image=nginx', '--replicas=2', '--save-config'], '/apis/apps/v1/namespaces/default/deployments/NAME'],
    ];
    for (const [i, [argv, url]] of cases.entries()) {
      const out: Record<string, { r: { code: number; stdout: string; stderr: string }; obj: unknown }> = {};
      for (const who of ['go', 'ours'] as const) {
        const name = `${who}-c${i}`;
        const a = argv.map((x) => x.replace('NAME', name));
        const r = who === 'go' ? await go(a) : await ka(a);
        const obj = await karmada.request<K8sObject>('GET', url.replace('NAME', name)).catch(() => undefined);
        const clean = (x: unknown) => JSON.parse(JSON.stringify(x ?? null).replace(/"(clusterIP|clusterIPs|nodePort|uid|controller-uid|batch.kubernetes.io\/controller-uid|ip)":("[^"]*"|\d+|\["[^"]*"\])/g, '"$1":"…"'));
        out[who] = { r: { ...r, stdout: r.stdout.replaceAll(name, 'X') }, obj: clean(normal(obj, name)) };
      }
      expect([i, out.ours.r.code, out.ours.r.stdout]).toEqual([i, out.go.r.code, out.go.r.stdout]);
      expect([i, out.ours.obj]).toEqual([i, out.go.obj]);
    }
    // the dry-run objects, byte for byte
    for (const argv of [
      ['create', 'ingress', 'same', '--class=nginx', '--rule=foo.com/path*=svc:8080', '--rule=bar.com/admin*=svc2:http', '-o', 'yaml', '--dry-run=client'],
      ['create', 'clusterrolebinding', 'same', '--clusterrole=view', '--serviceaccount=a:b', '-o', 'json', '--dry-run=server', '--save-config'],
      ['create', 'token', 'ours-sa', '--bound-object-kind=Secret', '--bound-object-name=nope'],
    ]) {
      const g = await go(argv);
      const o = await ka(argv);
      expect({ code: o.code, stdout: normText(o.stdout, '\u0000') }).toEqual({ code: g.code, stdout: normText(g.stdout, '\u0000') });
      if (g.code) expect(o.stderr.split('\n')[0].split('; ')[0]).toBe(g.stderr.split('\n')[0]);
    }
  });
});
