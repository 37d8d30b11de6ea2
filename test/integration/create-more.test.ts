/**
 * The `create` subcommands (service nodeport|loadbalancer|externalname, role, clusterrole,
 * rolebinding, clusterrolebinding, job, cronjob, quota, priorityclass, poddisruptionbudget,
 * ingress, token) against the HTTPS test API server. Expected objects are kubectl's (its own
 * create_*_test.go cases where it has them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';

let fed: Federation;
/** Flags go before a `--` (after it every word is the job's command). */
const withFlags = (args: string[], flags: string[]) => (args.includes('--') ? [...args.slice(0, args.indexOf('--')), ...flags, ...args.slice(args.indexOf('--'))] : [...args, ...flags]);
const run = (args: string[]) => runCli(withFlags(args, ['--kubeconfig', fed.kubeconfig]), { env: fed.env, homedir: fed.homedir });
const writes = () => fed.karmada.requests.filter((r) => r.method !== 'GET').length;
/** The object kubectl would send (`--dry-run=client -o json`). */
async function dry(args: string[]) {
  const r = await run(withFlags(args, ['--dry-run=client', '-o', 'json']));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}
async function refused(args: string[], err: string | RegExp) {
  const before = writes();
  const r = await run(args);
  expect(r.code).toBe(1);
  if (typeof err === 'string') expect(r.stderr.trimEnd()).toBe(err);
  else expect(r.stderr.trimEnd()).toMatch(err);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(writes()).toBe(before);
}

beforeAll(async () => {
  fed = await startFederation(['member1']);
});
afterAll(async () => {
  await fed?.close();
});

describe('create service nodeport|loadbalancer|externalname', () => {
  it('nodeport: kubectl port names and --node-port; created on the server', async () => {
    expect(await dry(['create', 'service', 'nodeport', 'my-ns', '--tcp=5678:8080', '--node-port=30080'])).toEqual({
      apiVersion: 'v1', kind: 'Service', metadata: { labels: { app: 'my-ns' }, name: 'my-ns' },
      spec: { ports: [{ name: '5678-8080', nodePort: 30080, port: 5678, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'my-ns' }, type: 'NodePort' },
      status: { loadBalancer: {} },
    });
    const r = await run(['create', 'service', 'nodeport', 'my-ns', '--tcp=5678:8080']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('service/my-ns created\n');
    expect(fed.karmada.store.get('v1', 'Service', 'default', 'my-ns')!.spec.type).toBe('NodePort');
  });

  it('loadbalancer: a named target port; several --tcp', async () => {
    const o = await dry(['create', 'service', 'loadbalancer', 'lb', '--tcp=80:http,443']);
    expect(o.spec).toEqual({ ports: [{ name: '80-http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: '443', port: 443, protocol: 'TCP', targetPort: 443 }], selector: { app: 'lb' }, type: 'LoadBalancer' });
  });

  it('externalname: no ports needed; the name must be a DNS subdomain; the flag is required', async () => {
    expect((await dry(['create', 'service', 'externalname', 'ext', '--external-name', 'bar.com'])).spec).toEqual({ externalName: 'bar.com', selector: { app: 'ext' }, type: 'ExternalName' });
    await refused(['create', 'service', 'externalname', 'ext', '--external-name', 'Bar_com'], /^error: invalid service external name Bar_com; /);
    await refused(['create', 'service', 'externalname', 'ext'], /^error: required flag\(s\) "external-name" not set; /);
  });

  it('bad ports and a missing --tcp are refused before any request', async () => {
    await refused(['create', 'service', 'nodeport', 'x'], /^error: at least one tcp port specifier must be provided; /);
    await refused(['create', 'service', 'nodeport', 'x', '--tcp=abc'], /^error: invalid port "abc" in --tcp=abc: /);
    await refused(['create', 'service', 'loadbalancer', 'x', '--tcp=80:0'], /^error: invalid target port "0" in --tcp=80:0: must be between 1 and 65535, inclusive; /);
    await refused(['create', 'service', 'loadbalancer', 'x', '--tcp=80:Bad_Name'], /^error: invalid target port name "Bad_Name" in --tcp=80:Bad_Name: must contain only alpha-numeric characters/);
  });

  it('a server error is wrapped as kubectl does ("failed to create NodePort service: …")', async () => {
    const r = await run(['create', 'service', 'nodeport', 'my-ns', '--tcp=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: failed to create NodePort service: services "my-ns" already exists\n');
  });
});

describe('create role / clusterrole', () => {
  it('one rule per API group (sorted), resources resolved by the server, subresources and names kept (kubectl test cases)', async () => {
    const o = await dry(['create', 'role', 'foo', '--verb=get,list,watch', '--resource=rs.apps,pods,pods/status,deployments', '--resource-name=a', '--resource-name=b', '--resource-name=a']);
    expect(o).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'foo' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/status'], resourceNames: ['a', 'b'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets', 'deployments'], resourceNames: ['a', 'b'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    expect((await dry(['create', 'role', 'all', '--verb=get', '--verb=*', '--resource=*'])).rules).toEqual([{ apiGroups: [''], resources: ['*'], verbs: ['*'] }]);
  });

  it('role: kubectl validation texts; a non-standard verb is a warning', async () => {
    await refused(['create', 'role', 'r', '--resource=pods'], /^error: at least one verb must be specified; /);
    await refused(['create', 'role', 'r', '--verb=get'], /^error: at least one resource must be specified; /);
    await refused(['create', 'role', 'r', '--verb=use', '--resource=pods'], "error: can not perform 'use' on 'pods' in group ''");
    await refused(['create', 'role', 'r', '--verb=get', '--resource=.apps'], 'error: resource must be specified if apiGroup/subresource specified');
    await refused(['create', 'role', 'r', '--verb=get', '--resource=nosuchthings'], /^error: the server doesn't have a resource type "nosuchthings"/);
    const r = await run(['create', 'role', 'r', '--verb=frob', '--resource=pods']);
    expect(r.stderr).toBe("Warning: 'frob' is not a standard resource verb\n");
    expect(r.stdout).toBe('role.rbac.authorization.k8s.io/r created\n');
    expect((await dry(['create', 'role', 'b', '--verb=bind', '--resource=roles.rbac.authorization.k8s.io'])).rules[0].apiGroups).toEqual(['rbac.authorization.k8s.io']);
  });

  it('clusterrole: --non-resource-url rule last; --aggregation-rule alone', async () => {
    const o = await dry(['create', 'clusterrole', 'foo', '--verb=get', '--resource=pods', '--non-resource-url=/logs/*', '--non-resource-url=/healthz']);
    expect(o.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { nonResourceURLs: ['/logs/*', '/healthz'], verbs: ['get'] }]);
    expect(o.metadata).toEqual({ name: 'foo' });
    const a = await dry(['create', 'clusterrole', 'monitoring', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true']);
    expect(a).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'monitoring' }, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } });
    await refused(['create', 'clusterrole', 'm', '--aggregation-rule=a=b', '--verb=get'], 'error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    await refused(['create', 'clusterrole', 'm', '--verb=get'], /^error: one of resource or nonResourceURL must be specified; /);
    await refused(['create', 'clusterrole', 'm', '--verb=list', '--non-resource-url=/x'], /^error: invalid verb: 'list' for nonResourceURL; /);
    await refused(['create', 'clusterrole', 'm', '--verb=get', '--non-resource-url=logs'], 'error: nonResourceURL should start with /');
    await refused(['create', 'clusterrole', 'm', '--verb=get', '--non-resource-url=/a*/b'], "error: nonResourceURL only supports wildcard matches when '*' is at the end");
    const r = await run(['create', 'clusterrole', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', 'ignored']);
    expect(r.stdout).toBe('clusterrole.rbac.authorization.k8s.io/pod-reader created\n');
    expect(fed.karmada.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'pod-reader')!.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
  });
});

describe('create rolebinding / clusterrolebinding', () => {
  it('subjects in kubectl order (users, groups, service accounts); roleRef', async () => {
    const o = await dry(['create', 'rolebinding', 'admin', '--clusterrole=admin', '--user=user1', '--user=user2', '--group=group1', '--serviceaccount=monitoring:sa-dev']);
    expect(o).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'user1' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'user2' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'group1' },
        { kind: 'ServiceAccount', name: 'sa-dev', namespace: 'monitoring' },
      ],
    });
    expect((await dry(['create', 'rolebinding', 'rb', '--role=r', '-n', 'default'])).metadata).toEqual({ name: 'rb', namespace: 'default' });
    await refused(['create', 'rolebinding', 'x', '--role=a', '--clusterrole=b'], /^error: exactly one of clusterrole or role must be specified; /);
    await refused(['create', 'rolebinding', 'x', '--role=a', '--serviceaccount=nocolon'], /^error: serviceaccount must be <namespace>:<name>; /);
    const r = await run(['create', 'rolebinding', 'rb', '--role=r', '--user=u']);
    expect(r.stdout).toBe('rolebinding.rbac.authorization.k8s.io/rb created\n');
  });

  it('clusterrolebinding: --clusterrole is required; created', async () => {
    await refused(['create', 'clusterrolebinding', 'x', '--user=u'], /^error: required flag\(s\) "clusterrole" not set; /);
    const r = await run(['create', 'clusterrolebinding', 'crb', '--clusterrole=cluster-admin', '--group=g']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('clusterrolebinding.rbac.authorization.k8s.io/crb created\n');
    expect(fed.karmada.store.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, 'crb')!.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'g' }]);
    const again = await run(['create', 'clusterrolebinding', 'crb', '--clusterrole=cluster-admin']);
    expect(again.stderr).toBe('error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "crb" already exists\n');
  });
});

describe('create job / cronjob', () => {
  it('job: the container named after the job, restartPolicy Never, a command after --', async () => {
    expect(await dry(['create', 'job', 'my-job', '--image=busybox', '--', 'date', '-u'])).toEqual({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'my-job' },
      spec: { template: { metadata: {}, spec: { containers: [{ command: ['date', '-u'], image: 'busybox', name: 'my-job', resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    });
    await refused(['create', 'job', 'j'], /^error: either --image or --from must be specified; /);
    await refused(['create', 'job', 'j', '--image=x', '--from=cronjob/c'], /^error: either --image or --from must be specified; /);
    await refused(['create', 'job', 'j', '--from=cronjob/c', '--', 'date'], /^error: cannot specify --from and command; /);
  });

  it('cronjob: restart OnFailure by default; --image and --schedule required; then a job --from=cronjob/NAME', async () => {
    const o = await dry(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--', 'date']);
    expect(o).toEqual({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' },
      spec: { jobTemplate: { metadata: { name: 'cj' }, spec: { template: { metadata: {}, spec: { containers: [{ command: ['date'], image: 'busybox', name: 'cj', resources: {} }], restartPolicy: 'OnFailure' } } } }, schedule: '*/1 * * * *' },
      status: {},
    });
    await refused(['create', 'cronjob', 'cj', '--image=busybox'], /^error: required flag\(s\) "schedule" not set; /);
    const c = await run(['create', 'cj', 'nightly', '--image=busybox', '--schedule=0 1 * * *', '--restart=Never']);
    expect(c.stderr).toBe('');
    expect(c.stdout).toBe('cronjob.batch/nightly created\n');
    const cj = fed.karmada.store.get('batch/v1', 'CronJob', 'default', 'nightly')!;
    cj.spec.jobTemplate.metadata = { labels: { team: 'a' }, annotations: { note: 'x' } };
    fed.karmada.store.put(cj);
    const j = await dry(['create', 'job', 'manual-1', '--from=cronjob/nightly']);
    expect(j.metadata).toEqual({
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', note: 'x' },
      labels: { team: 'a' },
      name: 'manual-1',
      ownerReferences: [{ apiVersion: 'batch/v1', controller: true, kind: 'CronJob', name: 'nightly', uid: cj.metadata.uid }],
    });
    expect(j.spec.template.spec.restartPolicy).toBe('Never');
    const r = await run(['create', 'job', 'manual-1', '--from=cronjob/nightly']);
    expect(r.stdout).toBe('job.batch/manual-1 created\n');
    await refused(['create', 'job', 'x', '--from=cronjob/missing'], 'error: Error from server (NotFound): cronjobs.batch "missing" not found');
    await refused(['create', 'job', 'x', '--from=configmap/kube-root-ca.crt'], /^error: (unknown object type \*v1\.ConfigMap|Error from server \(NotFound\))/);
  });
});

describe('create quota / priorityclass / poddisruptionbudget', () => {
  it('quota: quantities in canonical form, scopes', async () => {
    expect(await dry(['create', 'quota', 'my-quota', '--hard=cpu=1,memory=1G,pods=2,limits.memory=1024Mi,requests.cpu=1.5', '--scopes=BestEffort,NotTerminating'])).toEqual({
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'my-quota' },
      spec: { hard: { cpu: '1', 'limits.memory': '1Gi', memory: '1G', pods: '2', 'requests.cpu': '1500m' }, scopes: ['BestEffort', 'NotTerminating'] },
      status: {},
    });
    await refused(['create', 'quota', 'q', '--hard=cpu'], /^error: Invalid argument syntax cpu, expected <resource>=<value>; /);
    await refused(['create', 'quota', 'q', '--scopes=BestEffort,'], /^error: invalid resource quota scope ""; /);
    await refused(['create', 'quota', 'q', '--hard=cpu=abc'], /^error: quantities must match the regular expression/);
    const r = await run(['create', 'quota', 'best-effort', '--hard=pods=100', '--scopes=BestEffort']);
    expect(r.stdout).toBe('resourcequota/best-effort created\n');
  });

  it('priorityclass: value always present, globalDefault only when true, preemptionPolicy default', async () => {
    expect(await dry(['create', 'priorityclass', 'high', '--value=1000', '--description=high priority'])).toEqual({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, description: 'high priority', preemptionPolicy: 'PreemptLowerPriority', value: 1000 });
    expect(await dry(['create', 'pc', 'zero', '--global-default', '--preemption-policy=Never'])).toEqual({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'zero' }, globalDefault: true, preemptionPolicy: 'Never', value: 0 });
    const r = await run(['create', 'priorityclass', 'high', '--value=1000']);
    expect(r.stdout).toBe('priorityclass.scheduling.k8s.io/high created\n');
  });

  it('poddisruptionbudget: intstr values, selector parsing, kubectl texts', async () => {
    expect(await dry(['create', 'pdb', 'my-pdb', '--selector=app=nginx', '--min-available=50%'])).toEqual({
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'my-pdb' },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'nginx' } } },
      status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
    });
    expect((await dry(['create', 'pdb', 'p', '--selector=app=rails,tier notin (db),canary', '--max-unavailable=1'])).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { app: 'rails' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'canary', operator: 'Exists' }] },
    });
    await refused(['create', 'pdb', 'p', '--min-available=1'], /^error: a selector must be specified; /);
    await refused(['create', 'pdb', 'p', '--selector=a=b'], /^error: one of min-available or max-unavailable must be specified; /);
    await refused(['create', 'pdb', 'p', '--selector=a=b', '--min-available=1', '--max-unavailable=1'], /^error: min-available and max-unavailable cannot be both specified; /);
    await refused(['create', 'pdb', 'p', '--selector=a=b', '--min-available=1.5'], /^error: invalid format specified for min-available; /);
    const r = await run(['create', 'poddisruptionbudget', 'my-pdb', '--selector=app=rails', '--min-available=1']);
    expect(r.stdout).toBe('poddisruptionbudget.policy/my-pdb created\n');
  });
});

describe('create ingress', () => {
  // kubectl's TestCreateIngressValidation cases
  it.each([
    [[], '', [], 'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)'],
    [[], 'xpto,4444', [], 'default-backend should be in format servicename:serviceport'],
    [[], 'xpto', [], 'default-backend should be in format servicename:serviceport'],
    [[], 'xpto:4444', ['key1=value1', 'key2'], 'annotation key2 is invalid and should be in format key=[value]'],
    [['foo.com=svc:redis,tls', 'foo.com/path/subpath*=othersvc:8080', 'foo.com/*=svc:8080,tls=secret1'], '', [], 'rule foo.com=svc:redis,tls is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]'],
    [['foo.com/=svc,tls'], '', [], 'rule foo.com/=svc,tls is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]'],
    [['*.foo.com/path,svc:8080'], '', [], 'rule *.foo.com/path,svc:8080 is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]'],
    [['foo.com/path/subpath*=svc:redis,tls=blo', 'foo.com=othersvc:8080', 'foo.com/admin=svc,tls=secret1'], '', [], 'rule foo.com=othersvc:8080 is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]'],
  ] as [string[], string, string[], string][])('refused: %j %s %j', async (rules, backend, annotations, err) => {
    const args = ['create', 'ingress', 'ing', ...rules.map((r) => `--rule=${r}`), ...annotations.map((a) => `--annotation=${a}`)];
    if (backend) args.push(`--default-backend=${backend}`);
    await refused(args, new RegExp(`^error: ${err.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it.each([
    [['foo.com/path*=svc:8080', 'bar.com/admin*=svc2:http'], '', ['key1=value1', 'key2=']],
    [['foo.com/=svc:http,tls='], '', []],
    [['*.foo.com/admin*=svc:8080'], '', []],
    [['/path/subpath*=svc:redis,tls=blo'], '', []],
    [[], 'xpto:4444', []],
  ] as [string[], string, string[]][])('accepted: %j %s %j', async (rules, backend, annotations) => {
    const args = ['create', 'ingress', 'ing', ...rules.map((r) => `--rule=${r}`), ...annotations.map((a) => `--annotation=${a}`)];
    if (backend) args.push(`--default-backend=${backend}`);
    const o = await dry(args);
    expect(o.kind).toBe('Ingress');
  });

  it('kubectl\'s "mixed hosts with mixed TLS configuration and a default backend" case', async () => {
    const o = await dry(['create', 'ingress', 'test-ingress', '--class=nginx', '--default-backend=service2:8080',
      '--rule=foo.com/=foo-svc:8080,tls=', '--rule=foo.com/admin=foo-admin-svc:http,tls=', '--rule=bar.com/prefix*=bar-svc:8080,tls=bar-secret',
      '--rule=bar.com/noprefix=barnp-svc:8443,tls', '--rule=foobar.com/*=foobar-svc:https', '--rule=foobar1.com/*=foobar1-svc:https,tls=bar-secret']);
    const be = (name: string, port: string | number) => ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });
    expect(o).toEqual({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'test-ingress' },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: be('service2', 8080),
        tls: [{ hosts: ['foo.com'] }, { hosts: ['bar.com', 'foobar1.com'], secretName: 'bar-secret' }],
        rules: [
          { host: 'foo.com', http: { paths: [{ backend: be('foo-svc', 8080), path: '/', pathType: 'Exact' }, { backend: be('foo-admin-svc', 'http'), path: '/admin', pathType: 'Exact' }] } },
          { host: 'bar.com', http: { paths: [{ backend: be('bar-svc', 8080), path: '/prefix', pathType: 'Prefix' }, { backend: be('barnp-svc', 8443), path: '/noprefix', pathType: 'Exact' }] } },
          { host: 'foobar.com', http: { paths: [{ backend: be('foobar-svc', 'https'), path: '/', pathType: 'Prefix' }] } },
          { host: 'foobar1.com', http: { paths: [{ backend: be('foobar1-svc', 'https'), path: '/', pathType: 'Prefix' }] } },
        ],
      },
      status: { loadBalancer: {} },
    });
  });

  it('a catch-all rule with an empty tls= gives no TLS entry; annotations; created', async () => {
    const o = await dry(['create', 'ingress', 'c', '--rule=/=catchall:8080,tls=', '--default-backend=service1:https', '--annotation=a.io/x=1']);
    expect(o.spec).toEqual({ defaultBackend: { service: { name: 'service1', port: { name: 'https' } } }, rules: [{ http: { paths: [{ backend: { service: { name: 'catchall', port: { number: 8080 } } }, path: '/', pathType: 'Exact' }] } }] });
    expect(o.metadata).toEqual({ annotations: { 'a.io/x': '1' }, name: 'c' });
    const r = await run(['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert']);
    expect(r.stdout).toBe('ingress.networking.k8s.io/simple created\n');
  });
});

describe('create token', () => {
  it('prints the token (no newline when stdout is not a terminal), the TokenRequest carries the flags', async () => {
    await run(['create', 'serviceaccount', 'myapp']);
    const r = await run(['create', 'token', 'myapp', '--duration=10m', '--audience=https://example.com']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^satoken-default-myapp-[a-z0-9]+$/);
    const post = fed.karmada.requests.filter((q) => q.method === 'POST').at(-1)!;
    expect(post.path).toBe('/api/v1/namespaces/default/serviceaccounts/myapp/token');
    const o = JSON.parse((await run(['create', 'token', 'myapp', '--duration=1h', '--audience=a', '--audience=b', '-o', 'json'])).stdout);
    expect(o.kind).toBe('TokenRequest');
    expect(o.spec).toEqual({ audiences: ['a', 'b'], expirationSeconds: 3600 });
  });

  it('a token bound to a Secret gets its UID; kubectl validation texts', async () => {
    await run(['create', 'secret', 'generic', 'mysecret', '--from-literal=a=b']);
    const uid = fed.karmada.store.get('v1', 'Secret', 'default', 'mysecret')!.metadata.uid;
    const o = JSON.parse((await run(['create', 'token', 'myapp', '--bound-object-kind', 'Secret', '--bound-object-name', 'mysecret', '-o', 'json'])).stdout);
    expect(o.spec.boundObjectRef).toEqual({ apiVersion: 'v1', kind: 'Secret', name: 'mysecret', uid });
    await refused(['create', 'token', 'myapp', '--bound-object-kind', 'ConfigMap', '--bound-object-name', 'x'], 'error: supported --bound-object-kind values are Node, Pod, Secret');
    await refused(['create', 'token', 'myapp', '--bound-object-name', 'x'], 'error: --bound-object-name can only be set if --bound-object-kind is provided');
    await refused(['create', 'token', 'myapp', '--bound-object-kind', 'Pod'], 'error: --bound-object-name is required if --bound-object-kind is provided');
    await refused(['create', 'token', 'myapp', '--duration=1500ms'], 'error: --duration cannot be expressed in units less than seconds');
    await refused(['create', 'token', 'myapp', '--audience='], 'error: --audience must not be an empty string');
    const missing = await run(['create', 'token', 'nosuch']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: failed to create token: serviceaccounts "nosuch" not found; create the service account first \(karmadactl create serviceaccount nosuch\)\n$/);
  });
});

describe('create subcommands: shared flags', () => {
  it('--dry-run=server writes nothing; --save-config; --field-manager; examples name the program', async () => {
    const s = await run(['create', 'quota', 'dry', '--hard=pods=1', '--dry-run=server']);
    expect(s.stdout).toBe('resourcequota/dry created (server dry run)\n');
    expect(fed.karmada.store.get('v1', 'ResourceQuota', 'default', 'dry')).toBeUndefined();
    const c = await run(['create', 'priorityclass', 'saved', '--value=5', '--save-config', '--field-manager=me']);
    expect(c.stdout).toBe('priorityclass.scheduling.k8s.io/saved created\n');
    const pc = fed.karmada.store.get('scheduling.k8s.io/v1', 'PriorityClass', undefined, 'saved')!;
    expect(JSON.parse(pc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).value).toBe(5);
    expect(fed.karmada.requests.filter((q) => q.method === 'POST').at(-1)!.query.fieldManager).toBe('me');
    for (const sub of [['role'], ['clusterrole'], ['rolebinding'], ['clusterrolebinding'], ['job'], ['cronjob'], ['quota'], ['priorityclass'], ['poddisruptionbudget'], ['ingress'], ['token'], ['service', 'nodeport'], ['service', 'loadbalancer'], ['service', 'externalname']]) {
      const h = await runCli(['create', ...sub, '--help'], { invokedAs: 'kubectl-karmada' });
      expect(h.stdout).toContain('kubectl karmada create ');
      expect(h.stdout).not.toMatch(/^\s+kubectl create /m);
    }
  });
});
