import { afterAll, beforeAll, describe, expect } from 'vitest';
import path from 'node:path';
import { readdirSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { runCli } from '../support/context';
import { binaries, type Processes } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * `apply` on real components: a host with the control plane installed by our init (real
 * karmada-apiserver with Karmada's v1.18.2 CRDs, real karmada-aggregated-apiserver serving Cluster
 * objects). The seed's nginx Deployment and static-weight PropagationPolicy go in with apply; a
 * field removed from the manifest is removed by the real API server's strategic merge; `apply
 * --all-clusters` / `-C` of a Deployment and a ClusterRole are compared with what the Go karmadactl
 * v1.18.2 creates on the same control plane (same objects after normalising the object name).
 * The members are Cluster objects only: no karmada-controller-manager runs in this harness, so
 * propagation itself is not observed.
 */
const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

let procs: Processes;
let karmada: KubeClient;
let karmadaCfg: string;
let fed: Federation | undefined;
const file = (n: string) => path.join(procs.dir, n);
const ours = (args: string[]) => runCli([...args, '--kubeconfig', karmadaCfg], { env: { HOME: procs.dir }, homedir: procs.dir });
const go = async (args: string[]) => {
  const r = await execa(path.join(binaries(), 'karmadactl'), [...args, '--kubeconfig', karmadaCfg], { reject: false, env: { HOME: path.join(procs.dir, 'go-home') } });
  return { code: r.exitCode ?? 1, stdout: r.stdout + (r.stdout ? '\n' : ''), stderr: r.stderr };
};
const write = (n: string, text: string) => {
  writeFileSync(file(n), text);
  return file(n);
};

const NGINX = (o: { replicas?: number; label?: boolean; name?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${o.name ?? 'nginx'}
  labels:
    app: nginx
${o.label ? '    tier: frontend\n' : ''}spec:
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
      - image: nginx
        name: nginx
`;

const SEED_POLICY = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: nginx-propagation
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  placement:
    clusterAffinity:
      clusterNames:
        - member2
        - member3
    replicaScheduling:
      replicaDivisionPreference: Weighted
      replicaSchedulingType: Divided
      weightPreference:
        staticWeightList:
          - targetCluster:
              clusterNames:
                - member2
            weight: 1
          - targetCluster:
              clusterNames:
                - member3
            weight: 1
`;

const CLUSTER_ROLE = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
`;

beforeAll(async () => {
  fed = await startFederation('apply', { members: [], hostNodes: [{ name: 'node1' }], initFlags: ['--karmada-apiserver-advertise-address', '127.0.0.1'] });
  ({ procs, karmada, karmadaCfg } = fed);
  // karmada-webhook runs for real (from init's Deployment): every policy written below goes through it.
  for (const n of ['member2', 'member3']) {
    await karmada.create({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: n }, spec: { syncMode: 'Push', apiEndpoint: 'https://127.0.0.1:1' } } as K8sObject);
  }
}, 900_000);
afterAll(async () => {
  await fed?.stop();
});

const step = stepOf(() => fed);

/** A certificate and its key from init's PKI (any matching .crt/.key pair). */
const pair = (): [string, string] => {
  const dir = file('pki');
  const names = readdirSync(dir);
  const crt = names.find((n) => n.endsWith('.crt') && names.includes(n.replace(/\.crt$/, '.key')) && !n.includes('ca'))!;
  return [path.join(dir, crt), path.join(dir, crt.replace(/\.crt$/, '.key'))];
};

const getObj = (p: string) => karmada.request<K8sObject & { spec: Record<string, unknown> }>('GET', p);

describe('apply on a real karmada-apiserver', () => {
  step('the seed: deployment.yaml and propagationpolicy.yaml go in with apply; re-apply is unchanged', async () => {
    const d = write('deployment.yaml', NGINX({ label: true }));
    const p = write('propagationpolicy.yaml', SEED_POLICY);
    let r = await ours(['apply', '-f', d, '-f', p]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx created\npropagationpolicy.policy.karmada.io/nginx-propagation created\n');
    const pp = await getObj('/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/nginx-propagation');
    expect((pp.spec.placement as { clusterAffinity: unknown }).clusterAffinity).toEqual({ clusterNames: ['member2', 'member3'] });
    r = await ours(['apply', '-f', d, '-f', p]);
    expect(r.stderr).toBe('');
    const [depLine, ppLine] = r.stdout.trimEnd().split('\n');
    expect(depLine).toBe('deployment.apps/nginx unchanged');
    // The real karmada-webhook defaults the policy it admits, so what a re-apply reports for it is the
    // three-way merge against those defaults: the Go karmadactl, given the same manifest under another
    // name, must report the same.
    const pGo = write('propagationpolicy-go.yaml', SEED_POLICY.replace('name: nginx-propagation', 'name: nginx-propagation-go'));
    expect((await go(['apply', '-f', pGo])).code).toBe(0);
    const g = await go(['apply', '-f', pGo]);
    expect(ppLine.replace('/nginx-propagation ', '/X ')).toBe(g.stdout.trimEnd().replace('/nginx-propagation-go ', '/X '));
  });

  step('a re-apply with one field removed removes it in the server (three-way strategic merge)', async () => {
    const r = await ours(['apply', '-f', write('deployment.yaml', NGINX({ replicas: 3 }))]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx configured\n');
    const dep = await getObj('/apis/apps/v1/namespaces/default/deployments/nginx');
    // tier is gone; Karmada's own controllers add their labels (e.g. propagationpolicy.karmada.io/permanent-id).
    expect(dep.metadata.labels?.app).toBe('nginx');
    expect(dep.metadata.labels).not.toHaveProperty('tier');
    expect(dep.spec.replicas).toBe(3);
    // The Go karmadactl sees no difference afterwards.
    const g = await go(['apply', '-f', file('deployment.yaml')]);
    expect(g.stdout).toBe('deployment.apps/nginx unchanged\n');
  });

  step('apply --all-clusters / -C on a Deployment and a ClusterRole: the same policies as the Go karmadactl', async () => {
    const cases: { ours: string; theirs: string; args: string[]; make: (n: string) => string; policyPath: (n: string) => string }[] = [
      { ours: 'web', theirs: 'web-go', args: ['--all-clusters'], make: (n) => NGINX({ name: n }), policyPath: (n) => `/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/${n}` },
      { ours: 'reader', theirs: 'reader-go', args: ['-C', 'member2,member3'], make: CLUSTER_ROLE, policyPath: (n) => `/apis/policy.karmada.io/v1alpha1/clusterpropagationpolicies/${n}` },
    ];
    for (const c of cases) {
      const a = await ours(['apply', '-f', write(`${c.ours}.yaml`, c.make(c.ours)), ...c.args]);
      const b = await go(['apply', '-f', write(`${c.theirs}.yaml`, c.make(c.theirs)), ...c.args]);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(a.stdout.replaceAll(c.ours, 'X')).toBe(b.stdout.replaceAll(c.theirs, 'X'));
      const policyName = (out: string) => out.trimEnd().split('\n')[1].split(' ')[0].split('/')[1];
      const [pa, pb] = [policyName(a.stdout), policyName(b.stdout)];
      const norm = (o: K8sObject & { spec: unknown }, name: string) => {
        const last = JSON.parse(o.metadata.annotations![LAST]);
        return JSON.parse(JSON.stringify({ kind: o.kind, namespace: o.metadata.namespace, spec: o.spec, last }).replaceAll(name, 'X'));
      };
      const [oa, ob] = [await getObj(c.policyPath(pa)), await getObj(c.policyPath(pb))];
      expect(norm(oa, c.ours)).toEqual(norm(ob, c.theirs));
      // The annotation byte for byte (field order and all), after the name.
      expect(oa.metadata.annotations![LAST].replaceAll(c.ours, 'X')).toBe(ob.metadata.annotations![LAST].replaceAll(c.theirs, 'X'));
      // The object's own annotation too (kubectl's unstructured encoding: sorted keys, `annotations: {}`).
      const objPath = (n: string) => (c.ours === 'web' ? `/apis/apps/v1/namespaces/default/deployments/${n}` : `/apis/rbac.authorization.k8s.io/v1/clusterroles/${n}`);
      const [da, db] = [await getObj(objPath(c.ours)), await getObj(objPath(c.theirs))];
      expect(da.metadata.annotations![LAST].replaceAll(c.ours, 'X')).toBe(db.metadata.annotations![LAST].replaceAll(c.theirs, 'X'));
      // Re-applying with either binary: unchanged for both objects.
      expect((await ours(['apply', '-f', file(`${c.theirs}.yaml`), ...c.args])).stdout).toMatch(/unchanged\n.*unchanged\n$/s);
    }
  });

  step('a manifest error in the third of three files writes nothing', async () => {
    const f1 = write('a1.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-a1\n');
    const f2 = write('a2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-a2\n');
    const f3 = write('a3.yaml', 'apiVersion: v1\nkind: Nope\nmetadata:\n  name: e2e-a3\n');
    const r = await ours(['apply', '-f', f1, '-f', f2, '-f', f3, '--all-clusters']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: resource mapping not found .*no matches for kind "Nope" in version "v1"/);
    await expect(getObj('/api/v1/namespaces/default/configmaps/e2e-a1')).rejects.toThrow(/NotFound|not found/);
  });

  step('--server-side: serverside-applied (the server takes over the client-side fields), a conflict with another manager, --force-conflicts', async () => {
    let r = await ours(['apply', '--server-side', '-f', write('ssa.yaml', NGINX({ replicas: 4 }))]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx serverside-applied\n');
    r = await ours(['apply', '--server-side', '--field-manager', 'other', '-f', write('ssa5.yaml', NGINX({ replicas: 5 }))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Apply failed with \d+ conflicts?: .*--force-conflicts/);
    const g = await go(['apply', '--server-side', '--field-manager', 'other', '-f', file('ssa5.yaml')]);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/Apply failed with \d+ conflicts?/);
    r = await ours(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', file('ssa5.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx serverside-applied\n');
    expect((await getObj('/apis/apps/v1/namespaces/default/deployments/nginx')).spec.replicas).toBe(5);
  });

  step('byte-for-byte with the Go karmadactl: create generators and apply dry runs', async () => {
    const cases = [
      ['create', 'namespace', 'parity-ns', '--dry-run=client', '-o', 'yaml'],
      ['create', 'configmap', 'parity-cm', '--from-literal=k=v', '--from-literal=a=b', '--dry-run=client', '-o', 'yaml'],
      ['create', 'secret', 'generic', 'parity-s', '--from-literal=password=x', '--dry-run=client', '-o', 'yaml'],
      ['create', 'deployment', 'parity-d', '--image=registry.k8s.io/nginx:1.27', '--replicas=2', '--port=80', '--dry-run=client', '-o', 'yaml'],
      ['create', 'namespace', 'parity-ns', '--dry-run=server'],
      ['create', 'serviceaccount', 'parity-sa', '--dry-run=client', '-o', 'yaml'],
      ['create', 'secret', 'docker-registry', 'parity-r', '--docker-server=reg.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=e@x', '--dry-run=client', '-o', 'yaml'],
      ['create', 'secret', 'docker-registry', 'parity-r2', '--docker-username=u', '--docker-password=p', '--dry-run=client', '-o', 'yaml'],
      ['create', 'secret', 'tls', 'parity-t', `--cert=${pair()[0]}`, `--key=${pair()[1]}`, '--dry-run=client', '-o', 'yaml'],
      ['create', 'service', 'clusterip', 'parity-svc', '--tcp=80:8080', '--tcp=443', '--dry-run=client', '-o', 'yaml'],
      ['create', 'service', 'clusterip', 'parity-h', '--clusterip=None', '--dry-run=client', '-o', 'yaml'],
      ['apply', '-f', file('deployment.yaml'), '--dry-run=server'],
      ['apply', '-f', file('deployment.yaml'), '--dry-run=client'],
      ['apply', '-f', file('propagationpolicy.yaml'), '-o', 'name'],
    ];
    for (const args of cases) {
      const [a, b] = [await ours(args), await go(args)];
      expect({ args, stdout: a.stdout, code: a.code }).toEqual({ args, stdout: b.stdout, code: b.code });
    }
  });

  step('server rejections: the same stderr as the Go karmadactl', async () => {
    const bad = write('badname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const cases = [
      ['apply', '-f', bad],
      ['create', '-f', bad],
      ['create', 'namespace', 'Bad_Name'],
      ['create', 'namespace', 'default'],
      ['create', '-f', file('propagationpolicy.yaml')],
    ];
    for (const args of cases) {
      const [a, b] = [await ours(args), await go(args)];
      expect({ args, stderr: a.stderr.trimEnd(), code: a.code }).toEqual({ args, stderr: b.stderr.trimEnd(), code: b.code });
    }
  });
});
