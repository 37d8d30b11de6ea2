import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { generatePolicyName } from '../../src/operate/apply-policy';

let fed: Federation;
let dir: string;
const run = (args: string[], stdin?: string) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir, stdin });
const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

function policyCrd(kind: string, plural: string, scope: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.policy.karmada.io` },
    spec: { group: 'policy.karmada.io', scope, names: { kind, plural, singular: kind.toLowerCase() }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  };
}

const deployYaml = (o: { replicas?: number; extraLabel?: boolean; name?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${o.name ?? 'nginx'}
  labels:
    app: nginx
${o.extraLabel ? '    tier: web\n' : ''}spec:
  replicas: ${o.replicas ?? 2}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

const getDeploy = (name = 'nginx') => fed.karmada.store.get('apps/v1', 'Deployment', 'default', name);

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2']);
  fed.karmada.store.put(policyCrd('PropagationPolicy', 'propagationpolicies', 'Namespaced'));
  fed.karmada.store.put(policyCrd('ClusterPropagationPolicy', 'clusterpropagationpolicies', 'Cluster'));
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-apply-'));
});
afterAll(async () => {
  await fed?.close();
});

describe('apply (client-side)', () => {
  it('creates with the last-applied annotation, then unchanged, then configured', async () => {
    const f = await file('d1.yaml', deployYaml({ extraLabel: true }));
    let r = await run(['apply', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx created\n');
    expect(r.code).toBe(0);
    const d = getDeploy()!;
    const last = JSON.parse(d.metadata.annotations[LAST]);
    expect(last.metadata).toEqual({ annotations: {}, labels: { app: 'nginx', tier: 'web' }, name: 'nginx', namespace: 'default' });
    expect(d.metadata.annotations[LAST].endsWith('}\n')).toBe(true);

    r = await run(['apply', '-f', f]);
    expect(r.stdout).toBe('deployment.apps/nginx unchanged\n');
    expect(r.code).toBe(0);

    const f2 = await file('d2.yaml', deployYaml({ replicas: 3, extraLabel: true }));
    r = await run(['apply', '-f', f2]);
    expect(r.stdout).toBe('deployment.apps/nginx configured\n');
    expect(getDeploy()!.spec.replicas).toBe(3);
  });

  it('a re-apply with a field removed from the manifest removes it in the server (three-way merge)', async () => {
    expect(getDeploy()!.metadata.labels.tier).toBe('web');
    // A field set by someone else (not in last-applied) must survive.
    const d = getDeploy()!;
    fed.karmada.store.put({ ...d, metadata: { ...d.metadata, labels: { ...d.metadata.labels, other: 'kept' } } });
    const f = await file('d3.yaml', deployYaml({ replicas: 3 }));
    const r = await run(['apply', '-f', f]);
    expect(r.stdout).toBe('deployment.apps/nginx configured\n');
    const after = getDeploy()!;
    expect(after.metadata.labels).toEqual({ app: 'nginx', other: 'kept' });
    expect(after.spec.template.spec.containers).toHaveLength(1);
  });

  it('--dry-run=client and --dry-run=server write nothing and say so', async () => {
    const f = await file('d4.yaml', deployYaml({ name: 'dry' }));
    let r = await run(['apply', '-f', f, '--dry-run=client']);
    expect(r.stdout).toBe('deployment.apps/dry created (dry run)\n');
    r = await run(['apply', '-f', f, '--dry-run=server']);
    expect(r.stdout).toBe('deployment.apps/dry created (server dry run)\n');
    expect(getDeploy('dry')).toBeUndefined();
  });

  it('-o name and -o yaml go through the printers', async () => {
    const f = await file('d5.yaml', deployYaml({ name: 'printed' }));
    let r = await run(['apply', '-f', f, '-o', 'name']);
    expect(r.stdout).toBe('deployment.apps/printed\n');
    r = await run(['apply', '-f', f, '-o', 'yaml']);
    expect(r.stdout).toContain('kind: Deployment\n');
    expect(r.stdout).toContain('name: printed\n');
  });
});

describe('apply: sources and selection', () => {
  it('-R reads sub-directories, -l keeps only the matching objects, -f - reads stdin', async () => {
    const root = await mkdtemp(path.join(dir, 'tree-'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(root, 'sub'));
    await writeFile(path.join(root, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tree-a\n  labels: {pick: "yes"}\n');
    await writeFile(path.join(root, 'sub', 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tree-b\n  labels: {pick: "yes"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tree-c\n');
    let r = await run(['apply', '-f', root]);
    expect(r.stdout).toBe('configmap/tree-a created\n');
    r = await run(['apply', '-f', root, '-R', '-l', 'pick=yes']);
    expect(r.stdout).toBe('configmap/tree-a unchanged\nconfigmap/tree-b created\n');
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'tree-c')).toBeUndefined();
    r = await run(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n');
    expect(r.stdout).toBe('configmap/from-stdin created\n');
  });
});

describe('apply: bad input writes nothing', () => {
  it('a multi-document file with a document of an unknown kind writes nothing', async () => {
    const f = await file('multi.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\ndata:\n  a: "1"\n---\napiVersion: example.com/v1\nkind: Nope\nmetadata:\n  name: x\n`);
    const r = await run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: resource mapping not found for name: "x" .*no matches for kind "Nope" in version "example.com\/v1"; ensure CRDs are installed first\n$/);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'first')).toBeUndefined();
  });

  it('a bad file among several (directory) writes nothing', async () => {
    const sub = await mkdtemp(path.join(dir, 'many-'));
    await writeFile(path.join(sub, '1.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n');
    await writeFile(path.join(sub, '2.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n');
    await writeFile(path.join(sub, '3.yaml'), 'apiVersion: v1\nmetadata:\n  name: three\n');
    const r = await run(['apply', '-f', sub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*apiVersion or kind not set/);
    expect(r.stderr).not.toMatch(/Cannot read|ENOENT|at .*\.ts/);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'one')).toBeUndefined();
  });

  it('a file that is not YAML: one line, exit 1', async () => {
    const f = await file('bad.yaml', 'kind: [unclosed\n  : :\n');
    const r = await run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing .*bad\.yaml: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a document without a name is refused before any write', async () => {
    const f = await file('noname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n');
    const r = await run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: ConfigMap in ".*noname\.yaml" has no metadata\.name/);
  });

  it('a name the server rejects: kubectl\'s server error line, exit 1', async () => {
    const f = await file('badname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const r = await run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    // kubectl's form for an Invalid status (checked against the Go karmadactl in the e2e)
    expect(r.stderr).toMatch(/^The ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'Bad_Name')).toBeUndefined();
  });

  it('flag rules: --force-conflicts without --server-side, --all-clusters with --cluster', async () => {
    let r = await run(['apply', '-f', 'x.yaml', '--force-conflicts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --force-conflicts only works with --server-side/);
    r = await run(['apply', '-f', 'x.yaml', '--all-clusters', '-C', 'member1']);
    expect(r.stderr).toMatch(/^error: --all-clusters and --cluster cannot be used together/);
    r = await run(['apply', '-f', 'x.yaml', '--dry-run=bogus']);
    expect(r.stderr).toMatch(/^error: Invalid dry-run value \(bogus\)/);
  });

  it('-C with a cluster that does not exist writes nothing', async () => {
    const f = await file('cm-c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-c\n');
    const r = await run(['apply', '-f', f, '-C', 'member1,nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cluster nope does not exist/);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'cm-c')).toBeUndefined();
  });
});

describe('apply --all-clusters / --cluster', () => {
  it('a Deployment: the object, then its PropagationPolicy', async () => {
    const f = await file('web.yaml', deployYaml({ name: 'web' }));
    const r = await run(['apply', '-f', f, '--all-clusters']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web created\npropagationpolicy.policy.karmada.io/web-6d7f8d5f5b created\n');
    const pp = fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'web-6d7f8d5f5b')!;
    expect(pp.spec).toEqual({ resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }], placement: { clusterAffinity: {} } });
    expect(pp.metadata.annotations[LAST]).toBeTruthy();
    const again = await run(['apply', '-f', f, '--all-clusters']);
    expect(again.stdout).toBe('deployment.apps/web unchanged\npropagationpolicy.policy.karmada.io/web-6d7f8d5f5b unchanged\n');
  });

  it('switching to --cluster updates clusterNames through the JSON merge patch', async () => {
    const f = await file('web.yaml', deployYaml({ name: 'web' }));
    const r = await run(['apply', '-f', f, '-C', 'member2,member1']);
    expect(r.stdout).toBe('deployment.apps/web unchanged\npropagationpolicy.policy.karmada.io/web-6d7f8d5f5b configured\n');
    const pp = fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'web-6d7f8d5f5b')!;
    expect(pp.spec.placement).toEqual({ clusterAffinity: { clusterNames: ['member2', 'member1'] } });
  });

  it('a ClusterRole: a ClusterPropagationPolicy without namespace', async () => {
    const f = await file('cr.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "system:reader"\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n');
    const r = await run(['apply', '-f', f, '--all-clusters']);
    const name = generatePolicyName('', 'system:reader', 'rbac.authorization.k8s.io/v1, Kind=ClusterRole');
    expect(name.startsWith('system.reader-')).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`clusterrole.rbac.authorization.k8s.io/system:reader created\nclusterpropagationpolicy.policy.karmada.io/${name} created\n`);
    const cpp = fed.karmada.store.get('policy.karmada.io/v1alpha1', 'ClusterPropagationPolicy', undefined, name)!;
    expect(cpp.spec.resourceSelectors).toEqual([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'system:reader' }]);
    expect(cpp.metadata.namespace).toBeUndefined();
  });

  it('--dry-run=client -o yaml prints a List of objects and policies interleaved', async () => {
    const f = await file('two.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: team-a\n');
    const r = await run(['apply', '-f', f, '--all-clusters', '--dry-run=client', '-o', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`)).toEqual(['Namespace/team-a', 'ClusterPropagationPolicy/team-a-646d6c6947', 'ConfigMap/cfg', `PropagationPolicy/${generatePolicyName('team-a', 'cfg', '/v1, Kind=ConfigMap')}`]);
    expect(fed.karmada.store.get('v1', 'Namespace', undefined, 'team-a')).toBeUndefined();
  });
});

describe('apply --server-side', () => {
  it('applies with field manager kubectl, reports a conflict, and --force-conflicts takes it over', async () => {
    const f = await file('ssa.yaml', deployYaml({ name: 'ssa' }));
    let r = await run(['apply', '--server-side', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/ssa serverside-applied\n');
    const d = getDeploy('ssa')!;
    expect(d.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kubectl');
    const f2 = await file('ssa2.yaml', deployYaml({ name: 'ssa', replicas: 5 }));
    r = await run(['apply', '--server-side', '--field-manager', 'other', '-f', f2]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*conflict.*--force-conflicts/i);
    expect(getDeploy('ssa')!.spec.replicas).toBe(2);
    r = await run(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', f2]);
    expect(r.code).toBe(0);
    expect(getDeploy('ssa')!.spec.replicas).toBe(5);
  });
});

describe('create -f', () => {
  it('creates, and a second create is AlreadyExists', async () => {
    const f = await file('c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made\ndata:\n  k: v\n');
    let r = await run(['create', '-f', f]);
    expect(r.stdout).toBe('configmap/made created\n');
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'made')!.metadata.annotations?.[LAST]).toBeUndefined();
    r = await run(['create', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error from server \(AlreadyExists\): error when creating ".*c\.yaml": /);
  });

  it('--save-config adds the annotation; stdin works', async () => {
    const r = await run(['create', '-f', '-', '--save-config'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: saved\n');
    expect(r.stdout).toBe('configmap/saved created\n');
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'saved')!.metadata.annotations[LAST]).toContain('"name":"saved"');
  });
});

describe('create <kind> generators', () => {
  it('namespace, configmap (literal + file), secret generic, deployment', async () => {
    let r = await run(['create', 'namespace', 'gen-ns']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('namespace/gen-ns created\n');
    expect(fed.karmada.store.get('v1', 'Namespace', undefined, 'gen-ns')).toBeDefined();

    const f = await file('app.properties', 'a=1\n');
    r = await run(['create', 'configmap', 'gen-cm', '--from-literal=k=v', `--from-file=${f}`]);
    expect(r.stdout).toBe('configmap/gen-cm created\n');
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'gen-cm')!.data).toEqual({ k: 'v', 'app.properties': 'a=1\n' });

    r = await run(['create', 'secret', 'generic', 'gen-s', '--from-literal=password=s3cr3t']);
    expect(r.stdout).toBe('secret/gen-s created\n');
    expect(r.stdout).not.toContain('s3cr3t');
    const sec = fed.karmada.store.get('v1', 'Secret', 'default', 'gen-s')!;
    expect(Buffer.from(sec.data.password, 'base64').toString()).toBe('s3cr3t');

    r = await run(['create', 'deployment', 'gen-d', '--image=registry.k8s.io/nginx:1.27', '--replicas=2', '--port=80']);
    expect(r.stdout).toBe('deployment.apps/gen-d created\n');
    const d = getDeploy('gen-d')!;
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'gen-d' } });
    expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'nginx', image: 'registry.k8s.io/nginx:1.27', ports: [{ containerPort: 80 }] })]);
  });

  it('--dry-run=client -o yaml prints the object and writes nothing; bad input is one line', async () => {
    let r = await run(['create', 'namespace', 'dry-ns', '--dry-run=client', '-o', 'yaml']);
    // kubectl v1.35's output (checked against the Go karmadactl v1.18.2)
    expect(r.stdout).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dry-ns\nspec: {}\nstatus: {}\n');
    r = await run(['create', 'deployment', 'd', '--image=registry.k8s.io/nginx:1.27', '--port=80', '--dry-run=client', '-o', 'yaml']);
    expect(r.stdout).toBe('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: d\n  name: d\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: d\n  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - image: registry.k8s.io/nginx:1.27\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n');
    expect(fed.karmada.store.get('v1', 'Namespace', undefined, 'dry-ns')).toBeUndefined();
    r = await run(['create', 'configmap', 'bad', '--from-literal=novalue']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: invalid literal source novalue, expected key=value; /);
    r = await run(['create', 'deployment', 'noimg']);
    expect(r.stderr).toMatch(/^error: required flag\(s\) "image" not set/);
    r = await run(['create', 'namespace', 'gen-ns']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error from server \(AlreadyExists\): /);
  });

  it('serviceaccount, secret docker-registry, service clusterip; secret tls refuses a missing file', async () => {
    let r = await run(['create', 'sa', 'gen-sa']);
    expect(r.stdout).toBe('serviceaccount/gen-sa created\n');
    r = await run(['create', 'secret', 'docker-registry', 'gen-reg', '--docker-username=u', '--docker-password=p']);
    expect(r.stdout).toBe('secret/gen-reg created\n');
    const s = fed.karmada.store.get('v1', 'Secret', 'default', 'gen-reg')!;
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString())).toEqual({ auths: { 'https://index.docker.io/v1/': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } } });
    r = await run(['create', 'service', 'clusterip', 'gen-svc', '--tcp=80:8080']);
    expect(r.stdout).toBe('service/gen-svc created\n');
    expect(fed.karmada.store.get('v1', 'Service', 'default', 'gen-svc')!.spec.ports[0]).toMatchObject({ name: '80-8080', port: 80, targetPort: 8080 });
    r = await run(['create', 'secret', 'tls', 'gen-tls', '--cert=/nonexistent.crt', '--key=/nonexistent.key']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot read file \/nonexistent\.crt: no such file or not readable; /);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });
});
