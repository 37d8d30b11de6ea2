import { isIP } from 'node:net';
import type { CliFlag } from '../commands/spec';
import { UsageError } from '../errors';
import { KARMADA_VERSION } from '../version';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './key-algorithm';
import * as V from '../util/validate';

export const DEFAULT_KUBE_IMAGE_TAG = 'v1.35.2';
export const DEFAULT_CRDS_URL = `https://github.com/karmada-io/karmada/releases/download/${KARMADA_VERSION}/crds.tar.gz`;

/** The six Deployments and their flag prefixes. */
export const COMPONENTS = [
  { flag: 'karmada-apiserver', name: 'karmada-apiserver' },
  { flag: 'karmada-aggregated-apiserver', name: 'karmada-aggregated-apiserver' },
  { flag: 'karmada-kube-controller-manager', name: 'kube-controller-manager' },
  { flag: 'karmada-scheduler', name: 'karmada-scheduler' },
  { flag: 'karmada-controller-manager', name: 'karmada-controller-manager' },
  { flag: 'karmada-webhook', name: 'karmada-webhook' },
] as const;
export type ComponentName = (typeof COMPONENTS)[number]['name'] | 'etcd';

const s = (name: string, def: string, usage: string, shorthand?: string): CliFlag => ({ name, type: 'string', default: def, usage, shorthand });

/** Every flag of karmadactl v1.18.2 `init`, same names, shorthands and defaults, plus ours (marked). */
export const INIT_FLAGS: CliFlag[] = [
  // images and registries
  s('private-image-registry', '', 'Private image registry where pull images from. If set, all required images will be downloaded from it, it would be useful in offline installation scenarios.  In addition, you still can use --kube-image-registry to specify the registry for Kubernetes\'s images.'),
  s('image-pull-policy', 'IfNotPresent', 'The image pull policy for all Karmada components container. One of Always, Never, IfNotPresent. Defaults to IfNotPresent.'),
  { name: 'image-pull-secrets', type: 'stringSlice', default: [], usage: 'Image pull secrets are used to pull images from the private registry, could be secret list separated by comma (e.g \'--image-pull-secrets PullSecret1,PullSecret2\', the secrets should be pre-settled in the namespace declared by \'--namespace\')' },
  s('kube-image-mirror-country', '', 'Country code of the kube image registry to be used. For Chinese mainland users, set it to cn'),
  s('kube-image-registry', '', 'Kube image registry. For Chinese mainland users, you may use local gcr.io mirrors such as registry.cn-hangzhou.aliyuncs.com/google_containers to override default kube image registry'),
  s('kube-image-tag', DEFAULT_KUBE_IMAGE_TAG, 'Choose a specific Kubernetes version for the control plane.'),
  s('etcd-image', '', 'etcd image'),
  s('karmada-apiserver-image', '', 'Kubernetes apiserver image'),
  s('karmada-kube-controller-manager-image', '', 'Kubernetes controller manager image'),
  s('karmada-scheduler-image', `docker.io/karmada/karmada-scheduler:${KARMADA_VERSION}`, 'Karmada scheduler image'),
  s('karmada-controller-manager-image', `docker.io/karmada/karmada-controller-manager:${KARMADA_VERSION}`, 'Karmada controller manager image'),
  s('karmada-webhook-image', `docker.io/karmada/karmada-webhook:${KARMADA_VERSION}`, 'Karmada webhook image'),
  s('karmada-aggregated-apiserver-image', `docker.io/karmada/karmada-aggregated-apiserver:${KARMADA_VERSION}`, 'Karmada aggregated apiserver image'),
  // certificates
  s('cert-external-ip', '', 'the external IP of Karmada certificate (e.g 192.168.1.2,172.16.1.2)'),
  s('cert-external-dns', '', 'the external DNS of Karmada certificate (e.g localhost,localhost.com)'),
  { name: 'cert-validity-period', type: 'duration', default: '8760h0m0s', usage: 'the validity period of Karmada certificate (e.g 8760h0m0s, that is 365 days)' },
  s('ca-cert-file', '', 'The root CA certificate file which will be used to issue new certificates for Karmada components. If not set, a new self-signed root CA certificate will be generated. This must be used together with --ca-key-file.'),
  s('key-algorithm', 'rsa-3072', 'Private key algorithm of the generated certificates: rsa-3072 or ecdsa-p256 (smaller, faster).'),
  s('ca-key-file', '', 'The root CA private key file which will be used to issue new certificates for Karmada components. If not set, a new self-signed root CA key will be generated. This must be used together with --ca-cert-file.'),
  // host cluster
  s('namespace', 'karmada-system', 'Kubernetes namespace', 'n'),
  s('kubeconfig', '', 'absolute path to the kubeconfig file'),
  s('context', '', 'The name of the kubeconfig context to use'),
  s('host-cluster-domain', 'cluster.local', 'The cluster domain of karmada host cluster. (e.g. --host-cluster-domain=host.karmada)'),
  s('storage-classes-name', '', 'Kubernetes StorageClasses Name'),
  // etcd
  s('etcd-storage-mode', 'hostPath', "etcd data storage mode(emptyDir,hostPath,PVC). value is PVC, specify --storage-classes-name"),
  { name: 'etcd-replicas', type: 'int', default: 1, usage: 'etcd replica set, cluster 3,5...singular' },
  s('etcd-data', '/var/lib/karmada-etcd', 'etcd data path,valid in hostPath mode.'),
  s('etcd-node-selector-labels', '', 'the labels used for etcd pod to select nodes, valid in hostPath mode, and with each label separated by a comma. ( e.g. --etcd-node-selector-labels karmada.io/etcd=true,kubernetes.io/os=linux)'),
  s('etcd-pvc-size', '5Gi', 'etcd data path,valid in pvc mode.'),
  s('etcd-priority-class', 'system-node-critical', 'The priority class name for the component etcd.'),
  { name: 'etcd-extra-args', type: 'stringSlice', default: [], usage: 'Additional command line arguments to pass to the etcd component. Can be specified multiple times or as a comma-separated list. (e.g. --etcd-extra-args="--snapshot-count=5000,--heartbeat-interval=100")' },
  s('external-etcd-servers', '', 'The server urls of external etcd cluster, to be used by kube-apiserver through --etcd-servers.'),
  s('external-etcd-ca-cert-path', '', 'The path of CA certificate of the external etcd cluster in pem format.'),
  s('external-etcd-client-cert-path', '', 'The path of client side certificate to the external etcd cluster in pem format.'),
  s('external-etcd-client-key-path', '', 'The path of client side private key to the external etcd cluster in pem format.'),
  s('external-etcd-key-prefix', '', 'The key prefix to be configured to kube-apiserver through --etcd-prefix.'),
  // karmada
  s('crds', DEFAULT_CRDS_URL, 'Karmada crds resource.(local file e.g. --crds /root/crds.tar.gz)'),
  s('config', '', 'Karmada init --config'),
  s('karmada-apiserver-advertise-address', '', 'The IP address the Karmada API Server will advertise it\'s listening on. If not set, the address on the master node will be used.'),
  { name: 'port', shorthand: 'p', type: 'int', default: 32443, usage: 'Kube-apiserver service node port' },
  s('karmada-data', '/etc/karmada', 'Karmada data path. kubeconfig cert and crds files (existing files are kept: init never deletes this directory)', 'd'),
  s('karmada-pki', '/etc/karmada/pki', 'Karmada pki path. Karmada cert files'),
  { name: 'wait-component-ready-timeout', type: 'int', default: 120, usage: 'Wait for karmada component ready timeout. 0 means wait forever' },
  ...COMPONENTS.flatMap(({ flag }): CliFlag[] => [
    { name: `${flag}-replicas`, type: 'int', default: 1, usage: `${flag} replica set` },
    s(`${flag}-priority-class`, 'system-node-critical', `The priority class name for the component ${flag}.`),
    { name: `${flag}-extra-args`, type: 'stringSlice', default: [], usage: `Additional command line arguments to pass to the ${flag} component. Can be specified multiple times or as a comma-separated list.` },
  ]),
  // ours
  { name: 'rotate-ca', type: 'bool', default: false, usage: 'Replace the CAs (ca, front-proxy-ca, etcd-ca; ca from --ca-cert-file when given) with new ones and issue every certificate and kubeconfig again. Without it, a re-run keeps every valid CA and re-issues only the certificates that need it, and stops when a CA is damaged.' },
  { name: 'tolerate-control-plane-taints', type: 'bool', default: false, usage: 'Let etcd and every control-plane pod run on control-plane/master nodes: adds tolerations for the node-role.kubernetes.io/control-plane and node-role.kubernetes.io/master NoSchedule taints, and lets the etcd node be such a node (single-node clusters).' },
  { name: 'dry-run', type: 'bool', default: false, usage: 'Render every object and print it (YAML, or -o json) without writing to any cluster. The host cluster is read when reachable (nodes, services, the karmada-cert secret) and the PKI under --karmada-pki when present; PKI and kubeconfig are written only under --dry-run-dir. Works with no cluster at all.' },
  { name: 'print-images', type: 'bool', default: false, usage: "Print every image init and the addons would use with the given registry flags (--kube-image-registry, --kube-image-mirror-country, --private-image-registry, the --*-image flags, --kube-image-tag, --config), one a line (or -o json|yaml with each image's component), and exit without touching any cluster or file. e.g. init --print-images --private-image-registry reg.local | xargs -n1 <mirror command>" },
  s('dry-run-dir', '', 'Directory for the PKI and kubeconfig of a dry run (default: a new temporary directory).'),
  s('output', '', "Output format: 'json' or 'yaml' (a dry run's objects, or the install summary).", 'o'),
];

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ComponentOptions {
  replicas: number;
  priorityClass: string;
  extraArgs: string[];
}

export interface InitOptions {
  namespace: string;
  kubeconfig: string;
  context: string;
  hostClusterDomain: string;
  port: number;
  dataDir: string;
  pkiDir: string;
  crds: string;
  advertiseAddress: string;
  waitTimeoutSeconds: number;
  images: {
    privateRegistry: string;
    pullPolicy: ImagePullPolicy;
    pullSecrets: string[];
    kubeMirrorCountry: string;
    kubeRegistry: string;
    kubeTag: string;
    etcd: string;
    apiserver: string;
    kubeControllerManager: string;
    scheduler: string;
    controllerManager: string;
    webhook: string;
    aggregatedApiserver: string;
  };
  certs: { externalIPs: string[]; externalDNS: string[]; validityMs: number; caCertFile: string; caKeyFile: string; keyAlgorithm: KeyAlgorithm; rotateCa: boolean };
  etcd: {
    storageMode: 'hostPath' | 'emptyDir' | 'PVC';
    replicas: number;
    dataPath: string;
    nodeSelectorLabels: Record<string, string>;
    pvcSize: string;
    storageClass: string;
    priorityClass: string;
    extraArgs: string[];
    external: { servers: string; caFile: string; certFile: string; keyFile: string; keyPrefix: string };
  };
  components: Record<Exclude<ComponentName, 'etcd'>, ComponentOptions>;
  tolerateControlPlaneTaints: boolean;
  dryRun: boolean;
  dryRunDir: string;
  output: '' | 'json' | 'yaml';
  configFile: string;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((x) => x.trim()).filter(Boolean);
/** Extra args keep their spaces, so that the reference's whitespace check can see them. */
const rawList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).filter((x) => x !== '');

/**
 * pflag splits slice flags on commas; the reference glues items that do not start with `--` back onto
 * the previous one (`--k=v1,v2` survives) and rejects malformed ones (init.md §2.7).
 */
export function normalizeExtraArgs(flag: string, items: string[]): string[] {
  const out: string[] = [];
  for (const raw of items) {
    if (raw !== raw.trim()) throw V.invalidValue(flag, raw, `contains leading/trailing whitespace; give each argument as --key=value, e.g. --${flag}=--v=4`);
    if (!raw.startsWith('--')) {
      if (!out.length) throw V.invalidValue(flag, raw, `no preceding --key found; give each argument as --key=value, e.g. --${flag}=--v=4`);
      out[out.length - 1] += `,${raw}`;
      continue;
    }
    out.push(raw);
  }
  for (const a of out) {
    // eslint-disable-next-line no-control-regex
    if (!/^--[A-Za-z][A-Za-z0-9_-]*(=.*)?$/s.test(a) || /[\x00-\x1f\x7f]/.test(a)) throw V.invalidValue(flag, a, 'each argument must look like --name or --name=value, without control characters');
  }
  return out;
}

export function parseNodeSelectorLabels(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of list(v)) {
    const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?:==?|\s+in\s+\()\s*([-A-Za-z0-9_.]*)\)?$/.exec(term);
    if (!m || term.length > 317) throw V.invalidValue('etcd-node-selector-labels', term, 'the etcdNodeSelector format is incorrect: use comma-separated key=value labels, e.g. karmada.io/etcd=true');
    out[m[1]] = m[2];
  }
  return out;
}

/** Typed options from flag values (`--config` is merged by the caller before this, see config.ts). */
export function initOptionsFromFlags(f: Record<string, unknown>): InitOptions {
  const str = (k: string) => String(f[k] ?? '');
  const int = (k: string) => Number(f[k]);
  const validityMs = V.durationValue('cert-validity-period', str('cert-validity-period'));
  const component = (flag: string): ComponentOptions => ({
    replicas: int(`${flag}-replicas`),
    priorityClass: str(`${flag}-priority-class`),
    extraArgs: normalizeExtraArgs(`${flag}-extra-args`, rawList(f[`${flag}-extra-args`])),
  });
  const output = str('output');
  if (output) V.oneOf('output', output, ['json', 'yaml']);
  return {
    namespace: str('namespace'),
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    hostClusterDomain: str('host-cluster-domain'),
    port: int('port'),
    dataDir: str('karmada-data'),
    pkiDir: str('karmada-pki'),
    crds: str('crds'),
    advertiseAddress: str('karmada-apiserver-advertise-address'),
    waitTimeoutSeconds: int('wait-component-ready-timeout'),
    images: {
      privateRegistry: str('private-image-registry'),
      pullPolicy: str('image-pull-policy') as ImagePullPolicy,
      pullSecrets: list(f['image-pull-secrets']),
      kubeMirrorCountry: str('kube-image-mirror-country'),
      kubeRegistry: str('kube-image-registry'),
      kubeTag: str('kube-image-tag'),
      etcd: str('etcd-image'),
      apiserver: str('karmada-apiserver-image'),
      kubeControllerManager: str('karmada-kube-controller-manager-image'),
      scheduler: str('karmada-scheduler-image'),
      controllerManager: str('karmada-controller-manager-image'),
      webhook: str('karmada-webhook-image'),
      aggregatedApiserver: str('karmada-aggregated-apiserver-image'),
    },
    certs: { externalIPs: list(f['cert-external-ip']), externalDNS: list(f['cert-external-dns']), validityMs, caCertFile: str('ca-cert-file'), caKeyFile: str('ca-key-file'), keyAlgorithm: str('key-algorithm') as KeyAlgorithm, rotateCa: Boolean(f['rotate-ca']) },
    etcd: {
      storageMode: str('etcd-storage-mode') as InitOptions['etcd']['storageMode'],
      replicas: int('etcd-replicas'),
      dataPath: str('etcd-data'),
      nodeSelectorLabels: parseNodeSelectorLabels(str('etcd-node-selector-labels')),
      pvcSize: str('etcd-pvc-size'),
      storageClass: str('storage-classes-name'),
      priorityClass: str('etcd-priority-class'),
      extraArgs: normalizeExtraArgs('etcd-extra-args', rawList(f['etcd-extra-args'])),
      external: { servers: str('external-etcd-servers'), caFile: str('external-etcd-ca-cert-path'), certFile: str('external-etcd-client-cert-path'), keyFile: str('external-etcd-client-key-path'), keyPrefix: str('external-etcd-key-prefix') },
    },
    components: {
      'karmada-apiserver': component('karmada-apiserver'),
      'karmada-aggregated-apiserver': component('karmada-aggregated-apiserver'),
      'kube-controller-manager': component('karmada-kube-controller-manager'),
      'karmada-scheduler': component('karmada-scheduler'),
      'karmada-controller-manager': component('karmada-controller-manager'),
      'karmada-webhook': component('karmada-webhook'),
    },
    tolerateControlPlaneTaints: Boolean(f['tolerate-control-plane-taints']),
    dryRun: Boolean(f['dry-run']),
    dryRunDir: str('dry-run-dir'),
    output: output as InitOptions['output'],
    configFile: str('config'),
  };
}

/** Seconds a wait may last: timers hold at most 2^31-1 ms. */
export const MAX_WAIT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const TAG = /^[\w][\w.-]{0,127}$/;

/** Every check that needs no cluster, before anything is touched (init.md §4.1, plus what the reference misses). */
export function validateInitOptions(o: InitOptions, program: string): void {
  const see = `see '${program} init --help'`;
  for (const [flag, v] of [['crds', o.crds], ['kubeconfig', o.kubeconfig], ['context', o.context], ['karmada-data', o.dataDir], ['karmada-pki', o.pkiDir], ['ca-cert-file', o.certs.caCertFile], ['ca-key-file', o.certs.caKeyFile], ['external-etcd-ca-cert-path', o.etcd.external.caFile], ['external-etcd-client-cert-path', o.etcd.external.certFile], ['external-etcd-client-key-path', o.etcd.external.keyFile], ['external-etcd-key-prefix', o.etcd.external.keyPrefix], ['dry-run-dir', o.dryRunDir]] as const) {
    V.pathValue(flag, v);
  }
  V.dns1123Label('namespace', o.namespace);
  V.dns1123Subdomain('host-cluster-domain', o.hostClusterDomain);
  if (o.advertiseAddress) V.ipAddress('karmada-apiserver-advertise-address', o.advertiseAddress, { unspecified: false });
  for (const ip of o.certs.externalIPs) V.ipAddress('cert-external-ip', ip, { unspecified: false });
  for (const d of o.certs.externalDNS) {
    const bare = d.startsWith('*.') ? d.slice(2) : d;
    try {
      V.dns1123Subdomain('cert-external-dns', bare.toLowerCase());
    } catch {
      throw V.invalidValue('cert-external-dns', d, "each name must be a DNS name (optionally *.domain), e.g. karmada.example.com");
    }
  }
  if (Boolean(o.certs.caCertFile) !== Boolean(o.certs.caKeyFile)) throw new UsageError('ca-cert-file and ca-key-file must be used together', { hint: 'pass both --ca-cert-file and --ca-key-file, or neither' });
  V.oneOf('key-algorithm', o.certs.keyAlgorithm, KEY_ALGORITHMS);
  V.oneOf('image-pull-policy', o.images.pullPolicy, ['Always', 'IfNotPresent', 'Never']);
  for (const sec of o.images.pullSecrets) V.dns1123Subdomain('image-pull-secrets', sec);
  if (o.images.kubeMirrorCountry && !['cn', 'global'].includes(o.images.kubeMirrorCountry.toLowerCase())) {
    throw V.invalidValue('kube-image-mirror-country', o.images.kubeMirrorCountry, 'must be cn (registry.cn-hangzhou.aliyuncs.com/google_containers) or global; or pass --kube-image-registry');
  }
  if (o.images.kubeRegistry) V.imageRegistry('kube-image-registry', o.images.kubeRegistry);
  if (o.images.privateRegistry) V.imageRegistry('private-image-registry', o.images.privateRegistry);
  if (!TAG.test(o.images.kubeTag)) throw V.invalidValue('kube-image-tag', o.images.kubeTag, 'must be an image tag: up to 128 letters, digits, _, . and -, e.g. v1.35.2');
  for (const [flag, v] of [['etcd-image', o.images.etcd], ['karmada-apiserver-image', o.images.apiserver], ['karmada-kube-controller-manager-image', o.images.kubeControllerManager], ['karmada-scheduler-image', o.images.scheduler], ['karmada-controller-manager-image', o.images.controllerManager], ['karmada-webhook-image', o.images.webhook], ['karmada-aggregated-apiserver-image', o.images.aggregatedApiserver]] as const) {
    if (v) V.imageReference(flag, v);
  }
  V.intInRange('port', o.port, 30000, 32767);
  if (!o.dataDir) throw V.invalidValue('karmada-data', o.dataDir, 'must be a directory path');
  if (!o.pkiDir) throw V.invalidValue('karmada-pki', o.pkiDir, 'must be a directory path');
  V.intInRange('wait-component-ready-timeout', o.waitTimeoutSeconds, 0, MAX_WAIT_SECONDS);
  for (const [name, c] of Object.entries(o.components)) {
    const flag = name === 'kube-controller-manager' ? 'karmada-kube-controller-manager' : name;
    V.intInRange(`${flag}-replicas`, c.replicas, 1, V.INT32_MAX);
    V.dns1123Subdomain(`${flag}-priority-class`, c.priorityClass);
  }
  if (o.dryRunDir && !o.dryRun) throw new UsageError('--dry-run-dir is only used with --dry-run', { hint: 'add --dry-run to render without installing, or drop --dry-run-dir to install' });
  if (o.etcd.external.servers) {
    const ex = o.etcd.external;
    if (Boolean(ex.certFile) !== Boolean(ex.keyFile)) throw new UsageError('etcd client cert and key should be specified both or none', { hint: 'pass --external-etcd-client-cert-path and --external-etcd-client-key-path together' });
    for (const url of ex.servers.split(',')) {
      // eslint-disable-next-line no-control-regex
      if (!/^https?:\/\/[^\s/]+[^\s]*$/.test(url.trim()) || /[\x00-\x1f\x7f]/.test(url)) throw V.invalidValue('external-etcd-servers', url, 'must be comma-separated http(s) URLs, e.g. https://10.0.0.5:2379,https://10.0.0.6:2379');
    }
    if (!ex.caFile) throw new UsageError('--external-etcd-ca-cert-path is required with --external-etcd-servers', { hint: 'pass the PEM CA of the external etcd cluster' });
    return;
  }
  const mode = o.etcd.storageMode as string;
  if (!['hostPath', 'emptyDir', 'PVC'].includes(mode)) throw V.invalidValue('etcd-storage-mode', mode, `unsupported etcd-storage-mode: use emptyDir, hostPath or PVC; ${see}`);
  V.intInRange('etcd-replicas', o.etcd.replicas, 1, V.INT32_MAX);
  V.dns1123Subdomain('etcd-priority-class', o.etcd.priorityClass);
  if (mode === 'hostPath' && !o.etcd.dataPath) throw new UsageError('when etcd storage mode is hostPath, dataPath is not empty', { hint: 'pass --etcd-data /var/lib/karmada-etcd' });
  if (mode === 'hostPath') V.absolutePath('etcd-data', o.etcd.dataPath);
  if (mode === 'hostPath' && o.etcd.replicas !== 1) {
    throw new UsageError('for data security, when etcd storage mode is hostPath, etcd-replicas can only be 1', { hint: 'for HA etcd use --etcd-storage-mode PVC --storage-classes-name NAME (or emptyDir)' });
  }
  if (mode === 'PVC' && !o.etcd.storageClass) throw new UsageError('when etcd storage mode is PVC, storageClassesName is not empty', { hint: 'pass --storage-classes-name NAME' });
  if (o.etcd.storageClass) V.dns1123Subdomain('storage-classes-name', o.etcd.storageClass);
  V.storageQuantity('etcd-pvc-size', o.etcd.pvcSize);
}
