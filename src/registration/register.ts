import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject, ObjectRef } from '../kube/types';
import { refOf } from '../kube/types';
import { waitUntil, workloadReadiness } from '../kube/wait';
import { durationFlag } from '../util/duration';
import { createReporter, phaseRunner } from '../ui/progress';
import { parseOutputFormat, printData } from '../ui/output';
import { KARMADA_VERSION } from '../version';
import { CLUSTER_API, DEFAULT_CLUSTER_NAMESPACE, SYSTEM_LABEL, connectMember, validateClusterName, type Cluster } from '../clusters/common';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../install/key-algorithm';

export const AGENT_GROUP = 'system:karmada:agents';
export const RBAC_GENERATOR = 'system:karmada:agent:rbac-generator';

export interface RegisterOptions {
  endpoint: string;
  kubeconfig: string;
  context: string;
  namespace: string;
  clusterName: string;
  clusterNamespace: string;
  provider: string;
  region: string;
  zones: string[];
  enableCertRotation: boolean;
  token: string;
  caCertHashes: string[];
  unsafeSkipCaVerification: boolean;
  discoveryTimeoutMs: number;
  approvalTimeoutMs: number;
  rolloutTimeoutMs: number;
  agentImage: string;
  agentReplicas: number;
  certExpirationSeconds: number;
  dryRun: boolean;
  proxyServerAddress: string;
  keyAlgorithm: KeyAlgorithm;
  output: '' | 'json' | 'yaml';
}


export function registerOptionsFromFlags(args: string[], f: Record<string, unknown>, explicit: Set<string>): RegisterOptions {
  if (args.length !== 1) throw new UsageError(`accepts 1 arg(s), received ${args.length}`, { hint: 'pass the karmada-apiserver endpoint HOST:PORT, e.g. 172.16.255.183:32443' });
  const discoveryTimeoutMs = durationFlag(f, 'discovery-timeout', '5m0s');
  const registry = String(f['private-image-registry'] ?? '');
  let agentImage = String(f['karmada-agent-image'] || `docker.io/karmada/karmada-agent:${KARMADA_VERSION}`);
  if (registry && !explicit.has('karmada-agent-image')) agentImage = `${registry.replace(/\/+$/, '')}/karmada-agent:${KARMADA_VERSION}`;
  const o: RegisterOptions = {
    endpoint: args[0],
    kubeconfig: String(f.kubeconfig ?? ''),
    context: String(f.context ?? ''),
    namespace: String(f.namespace || 'karmada-system'),
    clusterName: String(f['cluster-name'] ?? ''),
    clusterNamespace: String(f['cluster-namespace'] || DEFAULT_CLUSTER_NAMESPACE),
    provider: String(f['cluster-provider'] ?? ''),
    region: String(f['cluster-region'] ?? ''),
    zones: ((f['cluster-zones'] as string[] | undefined) ?? []).filter(Boolean),
    enableCertRotation: Boolean(f['enable-cert-rotation']),
    token: String(f.token ?? ''),
    caCertHashes: ((f['discovery-token-ca-cert-hash'] as string[] | undefined) ?? []).filter(Boolean),
    unsafeSkipCaVerification: Boolean(f['discovery-token-unsafe-skip-ca-verification']),
    discoveryTimeoutMs,
    approvalTimeoutMs: explicit.has('approval-timeout') ? durationFlag(f, 'approval-timeout', '5m0s') : discoveryTimeoutMs,
    rolloutTimeoutMs: explicit.has('rollout-timeout') ? durationFlag(f, 'rollout-timeout', '5m0s') : discoveryTimeoutMs,
    agentImage,
    agentReplicas: Number(f['karmada-agent-replicas'] ?? 1),
    certExpirationSeconds: Number(f['cert-expiration-seconds'] ?? 31536000),
    dryRun: Boolean(f['dry-run']),
    proxyServerAddress: String(f['proxy-server-address'] ?? ''),
    keyAlgorithm: String(f['key-algorithm'] || 'rsa-3072') as KeyAlgorithm,
    output: parseOutputFormat(f.output) as RegisterOptions['output'],
  };
  if (!o.token) throw new UsageError('token is required', { hint: "pass --token as printed by 'token create --print-register-command' on the control plane" });
  if (!o.caCertHashes.length && !o.unsafeSkipCaVerification) throw new UsageError('need to verify CACertHashes, or set --discovery-token-unsafe-skip-ca-verification=true', { hint: 'pass --discovery-token-ca-cert-hash sha256:<hex> of the control plane CA' });
  if (o.discoveryTimeoutMs <= 0 || o.approvalTimeoutMs <= 0 || o.rolloutTimeoutMs <= 0) throw new UsageError('timeouts must be positive durations', { hint: 'e.g. --discovery-timeout 5m' });
  if (o.certExpirationSeconds < 600) throw new UsageError(`--cert-expiration-seconds ${o.certExpirationSeconds} is below the API minimum of 600`, { hint: 'use at least 600 (the default is 31536000, one year)' });
  if (!(o.agentReplicas >= 0)) throw new UsageError('--karmada-agent-replicas must not be negative');
  if (!(KEY_ALGORITHMS as readonly string[]).includes(o.keyAlgorithm)) throw new UsageError(`unknown --key-algorithm "${o.keyAlgorithm}"`, { hint: `use one of ${KEY_ALGORITHMS.join(', ')}` });
  if (o.clusterName) validateClusterName(o.clusterName);
  return o;
}

export interface RegisterResult {
  cluster: string;
  endpoint: string;
  dryRun: boolean;
  /** Objects written, per side. */
  changes: { side: 'karmada' | 'member'; action: string; kind: string; name: string; namespace?: string }[];
}

const suffix = () => Array.from(randomBytes(5), (b) => 'bcdfghjklmnpqrstvwxz2456789'[b % 27]).join('');

/** Agent RBAC on the control plane (registration.md §5.6 A.3). */
export function agentRbac(name: string, cns: string): K8sObject[] {
  const role = `system:karmada:${name}:agent`;
  const subject = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `system:karmada:agent:${name}` }];
  const es = `karmada-es-${name}`;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: role },
      rules: [
        { apiGroups: ['cluster.karmada.io'], resources: ['clusters'], resourceNames: [name], verbs: ['get', 'delete'] },
        { apiGroups: ['cluster.karmada.io'], resources: ['clusters'], verbs: ['create', 'list', 'watch'] },
        { apiGroups: ['cluster.karmada.io'], resources: ['clusters/status'], resourceNames: [name], verbs: ['update'] },
        { apiGroups: ['config.karmada.io'], resources: ['resourceinterpreterwebhookconfigurations', 'resourceinterpretercustomizations'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'create'] },
        { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['patch', 'create', 'update'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: role }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: subject },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: cns, labels: { ...SYSTEM_LABEL } } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${role}-secret`, namespace: cns }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [name, `${name}-impersonator`], verbs: ['get', 'patch'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['create'] }] },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: es, labels: { ...SYSTEM_LABEL } } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${role}-work`, namespace: es }, rules: [{ apiGroups: ['work.karmada.io'], resources: ['works'], verbs: ['get', 'create', 'list', 'watch', 'update', 'delete'] }, { apiGroups: ['work.karmada.io'], resources: ['works/status'], verbs: ['patch', 'update'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${role}-secret`, namespace: cns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${role}-secret` }, subjects: subject },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${role}-work`, namespace: es }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${role}-work` }, subjects: subject },
  ];
}

/** The member side (registration.md §5.6 C). */
export function agentObjects(o: RegisterOptions, name: string, memberServer: string, agentKubeconfig: string): K8sObject[] {
  const ns = o.namespace;
  const labels = { ...SYSTEM_LABEL };
  return [
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'karmada-kubeconfig', namespace: ns, labels }, data: { 'karmada-kubeconfig': Buffer.from(agentKubeconfig).toString('base64') } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'karmada-agent', labels }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['get'] }] },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'karmada-agent-sa', namespace: ns, labels } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'karmada-agent', labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'karmada-agent' }, subjects: [{ kind: 'ServiceAccount', name: 'karmada-agent-sa', namespace: ns }] },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'karmada-agent', namespace: ns, labels: { app: 'karmada-agent' } },
      spec: {
        replicas: o.agentReplicas,
        selector: { matchLabels: { app: 'karmada-agent' } },
        template: {
          metadata: { labels: { app: 'karmada-agent' } },
          spec: {
            serviceAccountName: 'karmada-agent-sa',
            tolerations: [
              { key: 'node-role.kubernetes.io/master', operator: 'Exists' },
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
            ],
            containers: [
              {
                name: 'karmada-agent',
                image: o.agentImage,
                command: [
                  '/bin/karmada-agent',
                  '--karmada-kubeconfig=/etc/kubeconfig/karmada-kubeconfig',
                  `--cluster-name=${name}`,
                  `--cluster-api-endpoint=${memberServer}`,
                  `--cluster-provider=${o.provider}`,
                  `--cluster-region=${o.region}`,
                  `--cluster-zones=${o.zones.join(',')}`,
                  `--controllers=${o.enableCertRotation ? '*,certRotation' : '*'}`,
                  `--proxy-server-address=${o.proxyServerAddress}`,
                  `--leader-elect-resource-namespace=${ns}`,
                  `--cluster-namespace=${o.clusterNamespace}`,
                  '--cluster-status-update-frequency=10s',
                  '--metrics-bind-address=:8080',
                  '--health-probe-bind-address=0.0.0.0:10357',
                  '--v=2',
                ],
                ports: [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }],
                volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubeconfig' }],
              },
            ],
            volumes: [{ name: 'kubeconfig', secret: { secretName: 'karmada-kubeconfig' } }],
          },
        },
      },
    },
  ];
}

/** Default cluster name: the cluster entry of the context in use (honouring --context). */
function defaultClusterName(kc: import('../kube/kubeconfig').Kubeconfig, context: string, program: string): string {
  const entry = kc.getContextObject(context)?.cluster ?? '';
  const fix = `pass --cluster-name NAME (e.g. --cluster-name member2); to change it later you would have to ${program} unregister it`;
  if (!entry) throw new UsageError(`cannot derive a cluster name: context "${context}" names no cluster`, { hint: fix });
  if (entry === 'kubernetes') throw new UsageError(`the cluster name would be "kubernetes" (the kubeconfig's cluster entry), which says nothing about this cluster`, { hint: fix });
  try {
    validateClusterName(entry);
  } catch (e) {
    throw new UsageError(`the kubeconfig's cluster entry "${entry}" is not a valid cluster name: ${(e as Error).message.replace(/^invalid cluster name\([^)]*\): /, '')}`, { hint: fix });
  }
  return entry;
}

/**
 * Pull-mode registration (registration.md §5) done right: discovery that fails closed, CSRs whose
 * denial or failure is seen at once and whose certificates are checked against the key, separate
 * timeouts, a re-run that converges, and on failure removal of only what this run created.
 */
export async function runRegister(ctx: Context, o: RegisterOptions): Promise<RegisterResult> {
  const reporter = await createReporter(ctx);
  const { discover, normalizeEndpoint } = await import('./discovery');
  const { startKeyGeneration } = await import('../install/pki');
  const server = normalizeEndpoint(o.endpoint);
  // Both keys are generated while the cluster round-trips run.
  const keys = startKeyGeneration(['rbac-generator', 'agent'], o.keyAlgorithm);
  const member = await connectMember(ctx, o.kubeconfig, o.context);
  const mc = member.client;
  const name = o.clusterName || defaultClusterName(member.config.kc, member.config.context, ctx.program);
  if (!o.clusterName) reporter.info(`cluster name: ${name} (the cluster entry of kubeconfig context "${member.config.context}"; --cluster-name sets another)`);
  const changes: RegisterResult['changes'] = [];
  const created: { side: 'karmada' | 'member'; ref: ObjectRef }[] = [];
  let rbac: KubeApi | undefined;
  let boot: (KubeApi & { close(): void }) | undefined;
  const phase = phaseRunner(reporter);
  const ensure = async (side: 'karmada' | 'member', c: KubeApi, obj: K8sObject) => {
    const r = await c.ensure(obj);
    changes.push({ side, action: r.action, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
    if (r.action === 'created') created.push({ side, ref: refOf(obj) });
    return r.object;
  };
  try {
    const memberId = await phase('preflight', 'Running pre-flight checks on the member cluster', async (s) => {
      const ks = await mc.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
      const dep = await mc.get<K8sObject & { spec?: { template?: { spec?: { containers?: { command?: string[]; args?: string[] }[] } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: o.namespace, name: 'karmada-agent' });
      if (dep) {
        const c = dep.spec?.template?.spec?.containers?.[0];
        const arg = [...(c?.command ?? []), ...(c?.args ?? [])].find((a) => a.startsWith('--cluster-name='));
        const other = arg?.slice('--cluster-name='.length);
        if (other && other !== name) throw new UserError(`${o.namespace}/karmada-agent already runs on this member cluster for cluster "${other}"`, { hint: `unregister it first: ${ctx.program} unregister ${other} --cluster-kubeconfig <this kubeconfig>` });
        s.detail(`karmada-agent for ${name} exists: converging`);
      } else s.detail('all pre-flight checks passed');
      return ks?.metadata.uid ?? '';
    });
    if (o.dryRun) return { cluster: name, endpoint: server, dryRun: true, changes };

    const found = await phase('discovery', `Validating the identity of the Karmada control plane at ${server}`, async (s) => {
      const d = await discover({ server, token: o.token, pins: o.caCertHashes, unsafeSkipCaVerification: o.unsafeSkipCaVerification, timeoutMs: o.discoveryTimeoutMs, program: ctx.program });
      s.detail(o.caCertHashes.length ? 'CA pinned, JWS verified' : 'JWS verified (CA not pinned: --discovery-token-unsafe-skip-ca-verification)');
      return d;
    });
    const { karmadaKubeconfig, clientFor } = await import('./kubeconfig');
    boot = await clientFor(ctx, karmadaKubeconfig(server, found.caPem, 'tls-bootstrap-token-user', { token: o.token }), 'bootstrap token');

    const requestCert = async (csrName: string, cn: string, keyPem: string, expirationSeconds: number): Promise<string> => {
      const { createCsr } = await import('../pki/x509');
      const request = createCsr(keyPem, { cn, orgs: [AGENT_GROUP] });
      await boot!.create({
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name: csrName, labels: { ...SYSTEM_LABEL } },
        spec: { request: Buffer.from(request).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds, usages: ['digital signature', 'key encipherment', 'client auth'] },
      });
      type Csr = K8sObject & { status?: { certificate?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
      const [csr] = await waitUntil<Csr>(
        boot!,
        { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', name: csrName },
        (objs) => {
          const c = objs[0];
          const bad = c?.status?.conditions?.find((x) => (x.type === 'Denied' || x.type === 'Failed') && x.status === 'True');
          if (bad) throw new UserError(`certificate signing request ${csrName} was ${bad.type.toLowerCase()}${bad.reason ? ` (${bad.reason})` : ''}${bad.message ? `: ${bad.message}` : ''}`, { hint: 'check the agentcsrapproving controller of karmada-controller-manager and the signer of kube-controller-manager on the control plane' });
          return { ready: Boolean(c?.status?.certificate), pending: [`csr ${csrName}: ${c?.status?.conditions?.some((x) => x.type === 'Approved') ? 'approved, waiting for the signer' : 'waiting for approval'}`] };
        },
        { timeoutMs: o.approvalTimeoutMs, what: `certificate signing request ${csrName}`, hint: `approve it on the control plane (kubectl certificate approve ${csrName}) or enable karmada-controller-manager's agentcsrapproving controller; --approval-timeout waits longer` },
      );
      const certPem = Buffer.from(csr.status!.certificate!, 'base64').toString('utf8');
      const x = new X509Certificate(certPem);
      if (!x.checkPrivateKey(createPrivateKey(keyPem))) throw new UserError(`the certificate issued for ${csrName} does not match the key of the request`, { hint: 'the control plane signer misbehaves; nothing was written to the member cluster' });
      if (!x.subject.split('\n').includes(`CN=${cn}`)) throw new UserError(`the certificate issued for ${csrName} has subject ${x.subject.replace(/\n/g, ', ')}, not CN=${cn}`);
      return certPem;
    };

    await phase('karmada', 'Assigning the agent its RBAC permissions on the control plane', async (s) => {
      // Short-lived: this identity has full rights on the control plane (registration.md §7.4).
      const keyPem = await keys.get('rbac-generator');
      const csrName = `agent-rbac-generator-${name}${suffix()}`;
      const certPem = await requestCert(csrName, RBAC_GENERATOR, keyPem, 600);
      rbac = await clientFor(ctx, karmadaKubeconfig(server, found.caPem, RBAC_GENERATOR, { certPem, keyPem }), 'rbac-generator');
      try {
        const existing = await rbac.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name });
        if (existing && !(existing.spec?.syncMode === 'Pull' && existing.spec?.id === memberId)) {
          throw new UserError(`failed to register as cluster with name ${name} already exists${existing.spec?.syncMode === 'Push' ? ' (joined in Push mode)' : ' (another member cluster)'}`, { hint: `choose another --cluster-name, or remove that cluster first (${ctx.program} ${existing.spec?.syncMode === 'Push' ? 'unjoin' : 'unregister'} ${name})` });
        }
        for (const obj of agentRbac(name, o.clusterNamespace)) {
          if (obj.kind === 'Namespace') {
            if (!(await rbac.get(refOf(obj)))) {
              await rbac.create(obj);
              created.push({ side: 'karmada', ref: refOf(obj) });
              changes.push({ side: 'karmada', action: 'created', kind: 'Namespace', name: obj.metadata.name });
            }
          } else await ensure('karmada', rbac, obj);
        }
      } finally {
        await rbac.delete({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', name: csrName }).catch(() => undefined);
      }
      s.detail(existing(changes, 'karmada'));
    });

    const agentKubeconfig = await phase('certificate', 'Obtaining the karmada-agent certificate', async () => {
      const keyPem = await keys.get('agent');
      const certPem = await requestCert(`${name}-${suffix()}`, `system:karmada:agent:${name}`, keyPem, o.certExpirationSeconds);
      return karmadaKubeconfig(server, found.caPem, name, { certPem, keyPem });
    });

    await phase('member', 'Deploying karmada-agent to the member cluster', async (s) => {
      const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: o.namespace };
      if (!(await mc.get(nsRef))) {
        await mc.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { ...SYSTEM_LABEL } } });
        created.push({ side: 'member', ref: nsRef });
        changes.push({ side: 'member', action: 'created', kind: 'Namespace', name: o.namespace });
      }
      for (const obj of agentObjects(o, name, member.config.server, agentKubeconfig)) await ensure('member', mc, obj);
      s.detail(existing(changes, 'member'));
    });

    await phase('wait', 'Waiting for karmada-agent to be ready', async (s) => {
      await waitUntil<K8sObject>(mc, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: o.namespace, name: 'karmada-agent' }, (objs) => {
        const r = objs[0] ? workloadReadiness(objs[0] as never) : { ready: false, detail: 'deployment karmada-agent: not found' };
        return { ready: r.ready, pending: [r.detail] };
      }, { timeoutMs: o.rolloutTimeoutMs, what: `Deployment(${o.namespace}/karmada-agent) rollout`, hint: `check the pods: kubectl -n ${o.namespace} describe pods -l app=karmada-agent (image pull? use --karmada-agent-image or --private-image-registry); --rollout-timeout waits longer` });
      s.detail(`${o.agentReplicas} ready`);
    });
  } catch (e) {
    if (created.length) {
      const removed = await rollback(created, rbac, mc);
      if (removed.length) reporter.info(`register failed; removed what this run created: ${removed.join(', ')}`);
    }
    throw e;
  } finally {
    mc.close();
    boot?.close();
    (rbac as { close?: () => void } | undefined)?.close?.();
  }
  return { cluster: name, endpoint: server, dryRun: false, changes };
}

function existing(changes: RegisterResult['changes'], side: 'karmada' | 'member'): string {
  const mine = changes.filter((c) => c.side === side);
  const n = (a: string) => mine.filter((c) => c.action === a).length;
  return [['created', n('created')], ['updated', n('updated')], ['unchanged', n('unchanged')]].filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ');
}

async function rollback(created: { side: 'karmada' | 'member'; ref: ObjectRef }[], rbac: KubeApi | undefined, mc: KubeApi): Promise<string[]> {
  const done: string[] = [];
  for (const c of [...created].reverse()) {
    const client = c.side === 'member' ? mc : rbac;
    if (!client) continue;
    if (c.ref.namespace && created.some((x) => x.side === c.side && x.ref.kind === 'Namespace' && x.ref.name === c.ref.namespace)) continue;
    try {
      if (await client.delete(c.ref)) done.push(`${c.side}: ${c.ref.kind} ${c.ref.namespace ? `${c.ref.namespace}/` : ''}${c.ref.name}`);
    } catch {
      /* best effort */
    }
  }
  return done;
}

export async function printRegisterResult(ctx: Context, r: RegisterResult, output: RegisterOptions['output']): Promise<void> {
  if (output) return printData(ctx, r, output);
  if (r.dryRun) {
    ctx.stdout.write(`[preflight] All pre-flight checks were passed; dry run: cluster(${r.cluster}) was not registered\n`);
    return;
  }
  ctx.stdout.write(r.changes.every((c) => c.action === 'unchanged') ? `cluster(${r.cluster}) is already registered; nothing changed\n` : `cluster(${r.cluster}) is joined successfully\n`);
}
