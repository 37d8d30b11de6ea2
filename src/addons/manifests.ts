import type { K8sObject } from '../kube/types';

/** Objects of the addons (addons-deinit-clusterops.md §2.6), built directly (no text templates, no escaping games). */

export const ADDON_LABEL = 'karmada.io/addon';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'karmadactl' };
export const ESTIMATOR = 'karmada-scheduler-estimator';
export const SEARCH = 'karmada-search';
export const METRICS_ADAPTER = 'karmada-metrics-adapter';
export const DESCHEDULER = 'karmada-descheduler';
export const METRICS_APISERVICES = ['v1beta1.metrics.k8s.io', 'v1beta1.custom.metrics.k8s.io', 'v1beta2.custom.metrics.k8s.io'];
export const SEARCH_APISERVICE = 'v1alpha1.search.karmada.io';

export interface AddonSettings {
  namespace: string;
  hostClusterDomain: string;
  image: string;
  replicas: number;
  priorityClass: string;
  /** Tolerations of the control plane (e.g. init --tolerate-control-plane-taints): addons go where it goes. */
  tolerations?: object[];
}

const marks = (addon: string) => ({ ...MANAGED_BY, [ADDON_LABEL]: addon });
const podIpEnv = [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
const certVolume = { name: 'k8s-certs', secret: { secretName: 'karmada-cert' } };
const certMount = { name: 'k8s-certs', mountPath: '/etc/karmada/pki', readOnly: true };
const configVolume = (addon: string) => ({ name: 'karmada-config', secret: { secretName: `${addon}-config` } });
const configMount = { name: 'karmada-config', mountPath: '/etc/karmada/config' };
const probe = (path: string, port: number, scheme: 'HTTP' | 'HTTPS', o: { initialDelaySeconds: number; periodSeconds: number; timeoutSeconds: number; failureThreshold: number }) => ({ httpGet: { path, port, scheme }, ...o });

function mergeTolerations(own: object[] | undefined, inherited: object[] | undefined): { tolerations?: object[] } {
  const all = [...(own ?? [])];
  for (const t of inherited ?? []) if (!all.some((x) => JSON.stringify(x) === JSON.stringify(t))) all.push(t);
  return all.length ? { tolerations: all } : {};
}

function deployment(name: string, s: AddonSettings, addon: string, labels: Record<string, string>, podLabels: Record<string, string>, selector: Record<string, string>, pod: Record<string, unknown>, container: Record<string, unknown>, annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: s.namespace, labels: { ...labels, ...marks(addon) } },
    spec: {
      replicas: s.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels, ...(annotations ? { annotations } : {}) },
        spec: { automountServiceAccountToken: false, priorityClassName: s.priorityClass, ...pod, ...mergeTolerations(pod.tolerations as object[] | undefined, s.tolerations), containers: [{ name: container.name ?? name, image: s.image, imagePullPolicy: 'IfNotPresent', env: podIpEnv, ...container }] },
      },
    },
  };
}

const hostService = (name: string, ns: string, addon: string, labels: Record<string, string>, selector: Record<string, string>, port: number): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, labels: { ...labels, ...marks(addon) } },
  spec: { selector, ports: [{ port, protocol: 'TCP', targetPort: port }] },
});

const externalName = (name: string, s: Pick<AddonSettings, 'namespace' | 'hostClusterDomain'>, addon: string, ports?: object[]): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: s.namespace, labels: marks(addon) },
  spec: { type: 'ExternalName', externalName: `${name}.${s.namespace}.svc.${s.hostClusterDomain}`, ...(ports ? { ports } : {}) },
});

const apiService = (name: string, ns: string, service: string, caBundle: string, priority: { groupPriorityMinimum: number; versionPriority: number }, labels: Record<string, string>, addon: string): K8sObject => {
  const [version, ...group] = name.split('.');
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name, labels: { ...labels, ...marks(addon) } },
    spec: { group: group.join('.'), version, ...priority, caBundle, service: { name: service, namespace: ns } },
  };
};

export function searchObjects(s: AddonSettings, etcd: { servers: string; prefix: string }, caBundle: string): { host: K8sObject[]; karmada: K8sObject[] } {
  const labels = { app: SEARCH, apiserver: 'true' };
  const command = [
    '/bin/karmada-search',
    '--kubeconfig=/etc/karmada/config/karmada.config',
    '--authentication-kubeconfig=/etc/karmada/config/karmada.config',
    '--authorization-kubeconfig=/etc/karmada/config/karmada.config',
    `--etcd-servers=${etcd.servers}`,
    '--etcd-cafile=/etc/karmada/pki/etcd-ca.crt',
    '--etcd-certfile=/etc/karmada/pki/etcd-client.crt',
    '--etcd-keyfile=/etc/karmada/pki/etcd-client.key',
    '--tls-cert-file=/etc/karmada/pki/karmada.crt',
    '--tls-private-key-file=/etc/karmada/pki/karmada.key',
    '--tls-min-version=VersionTLS13',
    '--audit-log-path=-',
    '--audit-log-maxage=0',
    '--audit-log-maxbackup=0',
    ...(etcd.prefix ? [`--etcd-prefix=${etcd.prefix}`] : []),
    '--bind-address=$(POD_IP)',
  ];
  return {
    host: [
      hostService(SEARCH, s.namespace, SEARCH, labels, { app: SEARCH }, 443),
      deployment(SEARCH, s, SEARCH, labels, labels, labels, { volumes: [configVolume(SEARCH), certVolume] }, {
        name: SEARCH,
        command,
        livenessProbe: probe('/livez', 443, 'HTTPS', { failureThreshold: 3, initialDelaySeconds: 15, periodSeconds: 15, timeoutSeconds: 5 }),
        resources: { requests: { cpu: '100m' } },
        volumeMounts: [configMount, certMount],
      }),
    ],
    karmada: [externalName(SEARCH, s, SEARCH), apiService(SEARCH_APISERVICE, s.namespace, SEARCH, caBundle, { groupPriorityMinimum: 2000, versionPriority: 10 }, labels, SEARCH)],
  };
}

export function metricsAdapterObjects(s: AddonSettings, caBundle: string): { host: K8sObject[]; karmada: K8sObject[] } {
  const labels = { app: METRICS_ADAPTER, apiserver: 'true' };
  const command = [
    '/bin/karmada-metrics-adapter',
    '--metrics-bind-address=$(POD_IP):8080',
    '--kubeconfig=/etc/karmada/config/karmada.config',
    '--authentication-kubeconfig=/etc/karmada/config/karmada.config',
    '--authorization-kubeconfig=/etc/karmada/config/karmada.config',
    '--client-ca-file=/etc/karmada/pki/ca.crt',
    '--tls-cert-file=/etc/karmada/pki/karmada.crt',
    '--tls-private-key-file=/etc/karmada/pki/karmada.key',
    '--audit-log-path=-',
    '--audit-log-maxage=0',
    '--audit-log-maxbackup=0',
    '--tls-min-version=VersionTLS13',
    '--bind-address=$(POD_IP)',
  ];
  return {
    host: [
      hostService(METRICS_ADAPTER, s.namespace, METRICS_ADAPTER, labels, { app: METRICS_ADAPTER }, 443),
      deployment(METRICS_ADAPTER, s, METRICS_ADAPTER, labels, labels, labels, { volumes: [configVolume(METRICS_ADAPTER), certVolume] }, {
        name: METRICS_ADAPTER,
        command,
        readinessProbe: probe('/readyz', 443, 'HTTPS', { initialDelaySeconds: 1, failureThreshold: 3, periodSeconds: 3, timeoutSeconds: 15 }),
        livenessProbe: probe('/healthz', 443, 'HTTPS', { initialDelaySeconds: 10, failureThreshold: 3, periodSeconds: 10, timeoutSeconds: 15 }),
        resources: { requests: { cpu: '100m' } },
        volumeMounts: [configMount, certMount],
      }),
    ],
    karmada: [externalName(METRICS_ADAPTER, s, METRICS_ADAPTER), ...METRICS_APISERVICES.map((n) => apiService(n, s.namespace, METRICS_ADAPTER, caBundle, { groupPriorityMinimum: 100, versionPriority: 200 }, {}, METRICS_ADAPTER))],
  };
}

export function deschedulerObjects(s: AddonSettings): { host: K8sObject[]; karmada: K8sObject[] } {
  const labels = { app: DESCHEDULER };
  const command = [
    '/bin/karmada-descheduler',
    '--kubeconfig=/etc/karmada/config/karmada.config',
    '--metrics-bind-address=$(POD_IP):8080',
    '--health-probe-bind-address=$(POD_IP):10358',
    `--leader-elect-resource-namespace=${s.namespace}`,
    '--scheduler-estimator-ca-file=/etc/karmada/pki/ca.crt',
    '--scheduler-estimator-cert-file=/etc/karmada/pki/karmada.crt',
    '--scheduler-estimator-key-file=/etc/karmada/pki/karmada.key',
    // The reference leaves this at its default (karmada-system): estimators in another namespace are never found.
    ...(s.namespace !== 'karmada-system' ? [`--scheduler-estimator-service-namespace=${s.namespace}`] : []),
    '--v=2',
  ];
  return {
    host: [
      deployment(DESCHEDULER, s, DESCHEDULER, labels, labels, labels, { tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }], volumes: [configVolume(DESCHEDULER), certVolume] }, {
        name: DESCHEDULER,
        command,
        livenessProbe: probe('/healthz', 10358, 'HTTP', { failureThreshold: 3, initialDelaySeconds: 15, periodSeconds: 15, timeoutSeconds: 5 }),
        ports: [{ containerPort: 8080, name: 'metrics', protocol: 'TCP' }],
        volumeMounts: [configMount, certMount],
      }),
    ],
    karmada: [],
  };
}

/** One estimator per member cluster, on the host, plus an ExternalName Service in karmada-apiserver for discovery. */
export function estimatorObjects(s: AddonSettings, cluster: string, memberKubeconfig: string, checksum: string): { host: K8sObject[]; karmada: K8sObject[] } {
  const name = `${ESTIMATOR}-${cluster}`;
  const secretName = `${cluster}-kubeconfig`;
  const command = [
    '/bin/karmada-scheduler-estimator',
    `--kubeconfig=/etc/${cluster}-kubeconfig`,
    `--cluster-name=${cluster}`,
    '--grpc-auth-cert-file=/etc/karmada/pki/karmada.crt',
    '--grpc-auth-key-file=/etc/karmada/pki/karmada.key',
    '--grpc-client-ca-file=/etc/karmada/pki/ca.crt',
    '--metrics-bind-address=$(POD_IP):8080',
    '--health-probe-bind-address=$(POD_IP):10351',
  ];
  return {
    host: [
      { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: secretName, namespace: s.namespace, labels: { cluster, ...marks(ESTIMATOR) } }, data: { [secretName]: Buffer.from(memberKubeconfig).toString('base64') } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: s.namespace, labels: { cluster, ...marks(ESTIMATOR) } }, spec: { selector: { app: name }, ports: [{ protocol: 'TCP', port: 10352, targetPort: 10352 }] } },
      deployment(
        name,
        s,
        ESTIMATOR,
        { cluster },
        { app: name, cluster },
        { app: name },
        { tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }], volumes: [certVolume, { name: 'member-kubeconfig', secret: { secretName } }] },
        {
          name: ESTIMATOR,
          command,
          livenessProbe: probe('/healthz', 10351, 'HTTP', { failureThreshold: 3, initialDelaySeconds: 15, periodSeconds: 15, timeoutSeconds: 5 }),
          ports: [{ containerPort: 8080, name: 'metrics', protocol: 'TCP' }],
          volumeMounts: [certMount, { name: 'member-kubeconfig', subPath: secretName, mountPath: `/etc/${cluster}-kubeconfig` }],
        },
        // A subPath mount never sees Secret updates: a changed kubeconfig rolls the pods instead.
        { 'karmada.io/member-kubeconfig-checksum': checksum },
      ),
    ],
    karmada: [externalName(name, s, ESTIMATOR, [{ name: 'grpc', protocol: 'TCP', port: 10352, targetPort: 10352 }])],
  };
}
