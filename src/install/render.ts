import { parseAllDocuments } from 'yaml';
import etcdTpl from '../../templates/host/etcd.yaml?raw';
import apiserverTpl from '../../templates/host/karmada-apiserver.yaml?raw';
import aggregatedTpl from '../../templates/host/karmada-aggregated-apiserver.yaml?raw';
import kcmTpl from '../../templates/host/kube-controller-manager.yaml?raw';
import schedulerTpl from '../../templates/host/karmada-scheduler.yaml?raw';
import cmTpl from '../../templates/host/karmada-controller-manager.yaml?raw';
import webhookTpl from '../../templates/host/karmada-webhook.yaml?raw';
import webhookConfigTpl from '../../templates/karmada/webhook-configuration.yaml?raw';
import apiServiceTpl from '../../templates/karmada/aggregated-apiserver.yaml?raw';
import rbacTpl from '../../templates/karmada/rbac.yaml?raw';
import type { K8sObject } from '../kube/types';
import type { InitOptions, ComponentName } from './options';
import type { ResolvedImages } from './images';
import type { PkiBundle } from './pki';
import { CONTROL_PLANE_TOLERATIONS, ETCD_NODE_LABEL } from './nodes';

type Values = Record<string, string | number>;

/**
 * Fills `{{name}}` placeholders. A placeholder that is a whole YAML scalar gets a JSON-quoted value (a
 * flag value can never inject YAML); one inside a longer scalar accepts only DNS-safe characters.
 */
export function fillTemplate(tpl: string, values: Values): string {
  return tpl.replace(/(:\s*|-\s+)?\{\{(\w+)\}\}(\S*)/g, (all, lead: string | undefined, key: string, tail: string) => {
    if (!(key in values)) throw new Error(`template value ${key} is missing`);
    const v = values[key];
    if (lead !== undefined && tail === '') return `${lead}${typeof v === 'number' ? v : JSON.stringify(v)}`;
    if (!/^[A-Za-z0-9._-]*$/.test(String(v))) throw new Error(`template value ${key}="${v}" cannot be embedded in a longer string`);
    return `${lead ?? ''}${v}${tail}`;
  });
}

export function renderTemplate(tpl: string, values: Values): K8sObject[] {
  return parseAllDocuments(fillTemplate(tpl, values))
    .map((d) => {
      if (d.errors.length) throw new Error(`template: ${d.errors[0].message}`);
      return d.toJS() as K8sObject;
    })
    .filter(Boolean);
}

/** Default command plus extra args: overridden defaults dropped, extras sorted (init.md §2.7). */
export function composeCommand(defaults: string[], extra: string[]): string[] {
  const key = (a: string) => a.split('=')[0];
  const extraKeys = new Set(extra.map(key));
  const byKey = new Map(extra.map((a) => [key(a), a])); // last wins
  return [defaults[0], ...defaults.slice(1).filter((a) => !extraKeys.has(key(a))), ...[...byKey.values()].sort()];
}

const ETCD_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
].join(',');

export function etcdServers(o: InitOptions): string {
  if (o.etcd.external.servers) return o.etcd.external.servers;
  return Array.from({ length: o.etcd.replicas }, (_, i) => `https://etcd-${i}.etcd.${o.namespace}.svc.${o.hostClusterDomain}:2379`).join(',');
}

function commands(o: InitOptions): Record<ComponentName, string[]> {
  const ns = o.namespace;
  const d = o.hostClusterDomain;
  const prefix = o.etcd.external.keyPrefix ? [`--etcd-prefix=${o.etcd.external.keyPrefix}`] : [];
  const initialCluster = Array.from({ length: o.etcd.replicas }, (_, i) => `etcd-${i}=http://etcd-${i}.etcd.${ns}.svc.${d}:2380`).join(',');
  const c = o.components;
  return {
    etcd: composeCommand(
      ['/usr/local/bin/etcd', '--name=$(POD_NAME)', '--listen-peer-urls=http://$(POD_IP):2380', '--listen-client-urls=https://$(POD_IP):2379,http://127.0.0.1:2379', '--listen-metrics-urls=http://$(POD_IP):2381', `--advertise-client-urls=https://$(POD_NAME).etcd.${ns}.svc.${d}:2379`, `--initial-cluster=${initialCluster}`, '--initial-cluster-state=new', '--client-cert-auth=true', '--cert-file=/etc/karmada/pki/etcd-server.crt', '--key-file=/etc/karmada/pki/etcd-server.key', '--trusted-ca-file=/etc/karmada/pki/etcd-ca.crt', '--data-dir=/var/lib/karmada-etcd', `--cipher-suites=${ETCD_CIPHERS}`, '--initial-cluster-token=etcd-cluster', '--initial-advertise-peer-urls=http://$(POD_IP):2380', '--peer-client-cert-auth=false', '--peer-trusted-ca-file=/etc/karmada/pki/etcd-ca.crt', '--peer-key-file=/etc/karmada/pki/etcd-server.key', '--peer-cert-file=/etc/karmada/pki/etcd-server.crt'],
      o.etcd.extraArgs,
    ),
    'karmada-apiserver': composeCommand(
      ['kube-apiserver', '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/karmada/pki/ca.crt', '--enable-bootstrap-token-auth=true', '--etcd-cafile=/etc/karmada/pki/etcd-ca.crt', '--etcd-certfile=/etc/karmada/pki/etcd-client.crt', '--etcd-keyfile=/etc/karmada/pki/etcd-client.key', `--etcd-servers=${etcdServers(o)}`, '--bind-address=0.0.0.0', '--disable-admission-plugins=StorageObjectInUseProtection,ServiceAccount', '--runtime-config=', `--apiserver-count=${c['karmada-apiserver'].replicas}`, '--secure-port=5443', `--service-account-issuer=https://kubernetes.default.svc.${d}`, '--service-account-key-file=/etc/karmada/pki/karmada.key', '--service-account-signing-key-file=/etc/karmada/pki/karmada.key', '--service-cluster-ip-range=10.96.0.0/12', '--proxy-client-cert-file=/etc/karmada/pki/front-proxy-client.crt', '--proxy-client-key-file=/etc/karmada/pki/front-proxy-client.key', '--requestheader-allowed-names=front-proxy-client', '--requestheader-client-ca-file=/etc/karmada/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--tls-cert-file=/etc/karmada/pki/apiserver.crt', '--tls-private-key-file=/etc/karmada/pki/apiserver.key', '--tls-min-version=VersionTLS13', '--v=2', ...prefix],
      c['karmada-apiserver'].extraArgs,
    ),
    'karmada-aggregated-apiserver': composeCommand(
      ['/bin/karmada-aggregated-apiserver', '--kubeconfig=/etc/karmada/config/karmada.config', '--authentication-kubeconfig=/etc/karmada/config/karmada.config', '--authorization-kubeconfig=/etc/karmada/config/karmada.config', `--etcd-servers=${etcdServers(o)}`, '--etcd-cafile=/etc/karmada/pki/etcd-ca.crt', '--etcd-certfile=/etc/karmada/pki/etcd-client.crt', '--etcd-keyfile=/etc/karmada/pki/etcd-client.key', '--tls-cert-file=/etc/karmada/pki/karmada.crt', '--tls-private-key-file=/etc/karmada/pki/karmada.key', '--tls-min-version=VersionTLS13', '--audit-log-path=-', '--audit-log-maxage=0', '--audit-log-maxbackup=0', '--bind-address=$(POD_IP)', '--v=2', ...prefix],
      c['karmada-aggregated-apiserver'].extraArgs,
    ),
    'kube-controller-manager': composeCommand(
      ['kube-controller-manager', '--allocate-node-cidrs=true', '--kubeconfig=/etc/karmada/config/karmada.config', '--authentication-kubeconfig=/etc/karmada/config/karmada.config', '--authorization-kubeconfig=/etc/karmada/config/karmada.config', '--bind-address=0.0.0.0', '--client-ca-file=/etc/karmada/pki/ca.crt', '--cluster-cidr=10.244.0.0/16', '--cluster-name=karmada-apiserver', '--cluster-signing-cert-file=/etc/karmada/pki/ca.crt', '--cluster-signing-key-file=/etc/karmada/pki/ca.key', '--controllers=namespace,garbagecollector,serviceaccount-token,ttl-after-finished,bootstrapsigner,tokencleaner,csrcleaner,csrsigning,clusterrole-aggregation', '--leader-elect=true', `--leader-elect-resource-namespace=${ns}`, '--node-cidr-mask-size=24', '--root-ca-file=/etc/karmada/pki/ca.crt', '--service-account-private-key-file=/etc/karmada/pki/karmada.key', '--service-cluster-ip-range=10.96.0.0/12', '--use-service-account-credentials=true', '--v=2'],
      c['kube-controller-manager'].extraArgs,
    ),
    'karmada-scheduler': composeCommand(
      ['/bin/karmada-scheduler', '--kubeconfig=/etc/karmada/config/karmada.config', '--metrics-bind-address=$(POD_IP):8080', '--health-probe-bind-address=$(POD_IP):10351', '--enable-scheduler-estimator=true', '--leader-elect=true', '--scheduler-estimator-ca-file=/etc/karmada/pki/ca.crt', '--scheduler-estimator-cert-file=/etc/karmada/pki/karmada.crt', '--scheduler-estimator-key-file=/etc/karmada/pki/karmada.key', `--leader-elect-resource-namespace=${ns}`, '--v=2'],
      c['karmada-scheduler'].extraArgs,
    ),
    'karmada-controller-manager': composeCommand(
      ['/bin/karmada-controller-manager', '--kubeconfig=/etc/karmada/config/karmada.config', '--metrics-bind-address=$(POD_IP):8080', '--health-probe-bind-address=$(POD_IP):10357', '--cluster-status-update-frequency=10s', `--leader-elect-resource-namespace=${ns}`, '--v=2'],
      c['karmada-controller-manager'].extraArgs,
    ),
    'karmada-webhook': composeCommand(
      ['/bin/karmada-webhook', '--kubeconfig=/etc/karmada/config/karmada.config', '--bind-address=$(POD_IP)', '--metrics-bind-address=$(POD_IP):8080', '--health-probe-bind-address=$(POD_IP):8000', '--secure-port=8443', '--cert-dir=/var/serving-cert', '--v=2'],
      c['karmada-webhook'].extraArgs,
    ),
  };
}

export interface RenderInput {
  options: InitOptions;
  images: ResolvedImages;
  pki: PkiBundle;
  /** External etcd: the user's CA, client cert and key (init.md §4.3 step 2). */
  externalEtcd?: { caPem: string; certPem: string; keyPem: string };
  inClusterKubeconfig: string;
  clusterInfoKubeconfig: string;
}

export interface RenderedPlan {
  hostNamespace: K8sObject[];
  secrets: K8sObject[];
  etcd: K8sObject[];
  apiserver: K8sObject[];
  karmadaNamespace: K8sObject[];
  webhookConfigs: K8sObject[];
  aggregatedApiService: K8sObject[];
  rbac: K8sObject[];
  components: K8sObject[];
}

const SECRET_LABELS = { 'karmada.io/bootstrapping': 'secret-defaults' };
const CONFIG_SECRETS = ['karmada-aggregated-apiserver-config', 'karmada-controller-manager-config', 'kube-controller-manager-config', 'karmada-scheduler-config', 'karmada-descheduler-config', 'karmada-metrics-adapter-config', 'karmada-search-config', 'karmada-webhook-config'];

/** Pod-spec parts every workload shares (init-manifests.md §B.2–B.3), applied on objects. */
function decorate(w: K8sObject, app: string, o: InitOptions, priorityClass: string, command: string[]): K8sObject {
  const spec = (w.spec as any).template.spec;
  if (o.images.pullSecrets.length) spec.imagePullSecrets = o.images.pullSecrets.map((name) => ({ name }));
  spec.priorityClassName = priorityClass;
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app] }] } };
  if (w.kind === 'StatefulSet') spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
  else {
    spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    spec.tolerations = [{ operator: 'Exists', effect: 'NoExecute' }];
  }
  if (o.tolerateControlPlaneTaints) spec.tolerations = [...(spec.tolerations ?? []), ...CONTROL_PLANE_TOLERATIONS];
  spec.containers[0].command = command;
  // The reference names the pod template after the workload (parity; the API ignores it for pods).
  const tm = (w.spec as any).template.metadata;
  (w.spec as any).template.metadata = { name: w.metadata.name, namespace: w.metadata.namespace, ...tm };
  return w;
}

export function render(i: RenderInput): RenderedPlan {
  const o = i.options;
  const ns = o.namespace;
  const caBundle = Buffer.from(i.pki.ca!.cert).toString('base64');
  const cmd = commands(o);
  const c = o.components;
  const img = i.images;
  const nsObj = (): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'karmada.io/system': 'true' } } });

  const pem = (n: keyof PkiBundle) => i.pki[n] ?? { cert: '', key: '' };
  const ext = i.externalEtcd;
  const etcdCa = ext ? { cert: ext.caPem, key: '' } : pem('etcd-ca');
  const etcdServer = ext ? { cert: '', key: '' } : pem('etcd-server');
  const etcdClient = ext ? { cert: ext.certPem, key: ext.keyPem } : pem('etcd-client');
  const certData: Record<string, string> = {};
  for (const [n, p] of [['ca', pem('ca')], ['etcd-ca', etcdCa], ['etcd-server', etcdServer], ['etcd-client', etcdClient], ['karmada', pem('karmada')], ['apiserver', pem('apiserver')], ['front-proxy-ca', pem('front-proxy-ca')], ['front-proxy-client', pem('front-proxy-client')]] as const) {
    certData[`${n}.crt`] = p.cert;
    certData[`${n}.key`] = p.key;
  }
  const secret = (name: string, stringData: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels: SECRET_LABELS }, type: 'Opaque', stringData });
  const secrets = [
    ...CONFIG_SECRETS.map((n) => secret(n, { 'karmada.config': i.inClusterKubeconfig })),
    secret('etcd-cert', { 'etcd-ca.crt': etcdCa.cert, 'etcd-ca.key': etcdCa.key, 'etcd-server.crt': etcdServer.cert, 'etcd-server.key': etcdServer.key }),
    secret('karmada-cert', certData),
    secret('karmada-webhook-cert', { 'tls.crt': pem('karmada').cert, 'tls.key': pem('karmada').key }),
  ];

  const etcd: K8sObject[] = [];
  if (!o.etcd.external.servers) {
    const [svc, sts] = renderTemplate(etcdTpl, { namespace: ns, replicas: o.etcd.replicas, image: img.etcd });
    decorate(sts, 'etcd', o, o.etcd.priorityClass, cmd.etcd);
    const spec = (sts.spec as any).template.spec;
    if (o.etcd.storageMode === 'hostPath') {
      spec.volumes.push({ name: 'etcd-data', hostPath: { path: o.etcd.dataPath, type: 'DirectoryOrCreate' } });
      spec.nodeSelector = Object.keys(o.etcd.nodeSelectorLabels).length ? { ...o.etcd.nodeSelectorLabels } : { [ETCD_NODE_LABEL]: '' };
    } else if (o.etcd.storageMode === 'PVC') {
      (sts.spec as any).volumeClaimTemplates = [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'etcd-data', namespace: ns, labels: { 'karmada.io/bootstrapping': 'pvc-defaults' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: o.etcd.storageClass, volumeMode: 'Filesystem', resources: { requests: { storage: o.etcd.pvcSize } } } },
      ];
    } else {
      spec.volumes.push({ name: 'etcd-data', emptyDir: {} });
    }
    if (o.etcd.replicas > 1) {
      // Members must find each other before any is Ready (the reference's OrderedReady + unpublished
      // not-ready addresses cannot form a quorum).
      (sts.spec as any).podManagementPolicy = 'Parallel';
      (svc.spec as any).publishNotReadyAddresses = true;
    }
    etcd.push(svc, sts);
  }

  const apiserver = renderTemplate(apiserverTpl, { namespace: ns, nodePort: o.port, replicas: c['karmada-apiserver'].replicas, image: img.apiserver });
  decorate(apiserver[1], 'karmada-apiserver', o, c['karmada-apiserver'].priorityClass, cmd['karmada-apiserver']);

  const component = (tpl: string, name: Exclude<ComponentName, 'etcd'>, image: string) => {
    const objs = renderTemplate(tpl, { namespace: ns, replicas: c[name].replicas, image, pullPolicy: o.images.pullPolicy });
    const w = objs.find((x) => x.kind === 'Deployment')!;
    decorate(w, name, o, c[name].priorityClass, cmd[name]);
    return objs;
  };
  const components = [
    ...component(aggregatedTpl, 'karmada-aggregated-apiserver', img.aggregatedApiserver),
    ...component(kcmTpl, 'kube-controller-manager', img.kubeControllerManager),
    ...component(schedulerTpl, 'karmada-scheduler', img.scheduler),
    ...component(cmTpl, 'karmada-controller-manager', img.controllerManager),
    ...component(webhookTpl, 'karmada-webhook', img.webhook),
  ];

  return {
    hostNamespace: [nsObj()],
    secrets,
    etcd,
    apiserver,
    karmadaNamespace: [nsObj()],
    webhookConfigs: renderTemplate(webhookConfigTpl, { namespace: ns, caBundle }),
    aggregatedApiService: renderTemplate(apiServiceTpl, { namespace: ns, caBundle, externalName: `karmada-aggregated-apiserver.${ns}.svc` }),
    rbac: renderTemplate(rbacTpl, { clusterInfoKubeconfig: i.clusterInfoKubeconfig }),
    components,
  };
}
