/**
 * The field order of the Go types kubectl's `create <kind>` generators build (and decode the server's
 * answer into): a typed object is written by encoding/json in struct order, so `-o json` and the
 * `--save-config` annotation list `kind` before `apiVersion`, `metadata.name` before `labels`, and so
 * on. Map keys (labels, data, hard, …) are sorted, as encoding/json writes them; fields not listed keep their place after the
 * listed ones. Pure logic.
 */
type Obj = Record<string, unknown>;
type Fields = [string, string?][];

const f = (spec: string): Fields => spec.split(' ').map((x) => x.split(':') as [string, string?]);
const TOP = 'kind apiVersion metadata:ObjectMeta';

const TYPES: Record<string, Fields> = {
  ObjectMeta: f('name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels:map annotations:map ownerReferences:OwnerReference finalizers managedFields'),
  OwnerReference: f('apiVersion kind name uid controller blockOwnerDeletion'),
  LabelSelector: f('matchLabels:map matchExpressions:LabelSelectorRequirement'),
  LabelSelectorRequirement: f('key operator values'),
  Namespace: f(`${TOP} spec status`),
  ConfigMap: f(`${TOP} immutable data:map binaryData:map`),
  Secret: f(`${TOP} immutable data:map stringData:map type`),
  ServiceAccount: f(`${TOP} secrets imagePullSecrets automountServiceAccountToken`),
  Service: f(`${TOP} spec:ServiceSpec status:ServiceStatus`),
  ServiceSpec: f('ports:ServicePort selector:map clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution'),
  ServicePort: f('name protocol appProtocol port targetPort nodePort'),
  ServiceStatus: f('loadBalancer conditions'),
  Deployment: f(`${TOP} spec:DeploymentSpec status`),
  DeploymentSpec: f('replicas selector:LabelSelector template:PodTemplateSpec strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds'),
  PodTemplateSpec: f('metadata:ObjectMeta spec:PodSpec'),
  PodSpec: f('volumes initContainers:Container containers:Container ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector:map serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources'),
  Container: f('name image command args workingDir ports:ContainerPort envFrom env resources resizePolicy restartPolicy restartPolicyRules volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty'),
  ContainerPort: f('name hostPort containerPort protocol hostIP'),
  Role: f(`${TOP} rules:PolicyRule`),
  PolicyRule: f('verbs apiGroups resources resourceNames nonResourceURLs'),
  ClusterRole: f(`${TOP} rules:PolicyRule aggregationRule:AggregationRule`),
  AggregationRule: f('clusterRoleSelectors:LabelSelector'),
  RoleBinding: f(`${TOP} subjects:Subject roleRef:RoleRef`),
  ClusterRoleBinding: f(`${TOP} subjects:Subject roleRef:RoleRef`),
  Subject: f('kind apiGroup name namespace'),
  RoleRef: f('apiGroup kind name'),
  Job: f(`${TOP} spec:JobSpec status`),
  JobSpec: f('parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes selector:LabelSelector manualSelector template:PodTemplateSpec ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy'),
  CronJob: f(`${TOP} spec:CronJobSpec status`),
  CronJobSpec: f('schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend jobTemplate:JobTemplateSpec successfulJobsHistoryLimit failedJobsHistoryLimit'),
  JobTemplateSpec: f('metadata:ObjectMeta spec:JobSpec'),
  ResourceQuota: f(`${TOP} spec:ResourceQuotaSpec status`),
  ResourceQuotaSpec: f('hard:map scopes scopeSelector'),
  PriorityClass: f(`${TOP} value globalDefault description preemptionPolicy`),
  PodDisruptionBudget: f(`${TOP} spec:PodDisruptionBudgetSpec status:PodDisruptionBudgetStatus`),
  PodDisruptionBudgetSpec: f('minAvailable selector:LabelSelector maxUnavailable unhealthyPodEvictionPolicy'),
  PodDisruptionBudgetStatus: f('observedGeneration disruptedPods:map disruptionsAllowed currentHealthy desiredHealthy expectedPods conditions'),
  Ingress: f(`${TOP} spec:IngressSpec status`),
  IngressSpec: f('ingressClassName defaultBackend:IngressBackend tls:IngressTLS rules:IngressRule'),
  IngressBackend: f('service:IngressServiceBackend resource'),
  IngressServiceBackend: f('name port:ServiceBackendPort'),
  ServiceBackendPort: f('name number'),
  IngressTLS: f('hosts secretName'),
  IngressRule: f('host http:HTTPIngressRuleValue'),
  HTTPIngressRuleValue: f('paths:HTTPIngressPath'),
  HTTPIngressPath: f('path pathType backend:IngressBackend'),
  TokenRequest: f(`${TOP} spec:TokenRequestSpec status:TokenRequestStatus`),
  TokenRequestSpec: f('audiences expirationSeconds boundObjectRef:BoundObjectReference'),
  BoundObjectReference: f('kind apiVersion name uid'),
  TokenRequestStatus: f('token expirationTimestamp'),
};

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function order(v: unknown, type: string | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => order(x, type));
  if (!isObj(v)) return v;
  // encoding/json writes map keys sorted
  if (type === 'map') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
  const fields = type ? TYPES[type] : undefined;
  if (!fields) return v;
  const out: Obj = {};
  for (const [name, t] of fields) if (name in v) out[name] = order(v[name], t);
  for (const [k, x] of Object.entries(v)) if (!(k in out)) out[k] = x;
  return out;
}

/** The object with its keys in the Go type's struct order (unknown kinds are returned as they are). */
export function goTypedOrder<T>(obj: T): T {
  const kind = isObj(obj) ? String(obj.kind ?? '') : '';
  return (TYPES[kind] ? order(obj, kind) : obj) as T;
}
