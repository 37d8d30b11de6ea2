/**
 * kubectl v1.35's remaining `create <kind>` generators: service clusterip|nodeport|loadbalancer|
 * externalname, role, clusterrole, rolebinding, clusterrolebinding, job (also --from=cronjob/NAME),
 * cronjob, quota, priorityclass, poddisruptionbudget, ingress, and the TokenRequest of `create token`.
 * Each builds the typed Go object's shape (what `--dry-run=client -o yaml` shows: omitempty fields
 * left out, empty structs such as `status: {}` kept) and checks kubectl's rules with kubectl's texts.
 * Pure logic: no request, no output.
 */
import { UsageError } from '../errors';
import type { K8sObject } from '../kube/types';
import { Quantity } from '../kubectl/format/quantity';
import { splitSelector } from '../kubectl/selector';

type Obj = Record<string, unknown>;
const obj = (o: Obj) => o as unknown as K8sObject;

// ------------------------------------------------------------------------------ validation helpers

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDNS1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** validation.IsValidPortName's messages. */
function portNameErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length < 1 || s.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(s)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(s)) errs.push('must contain at least one letter (a-z)');
  if (s.includes('--')) errs.push('must not contain consecutive hyphens');
  if (s.length > 0 && (s.startsWith('-') || s.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// ------------------------------------------------------------------------------ services

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** kubectl's parsePorts: `port[:targetPort]`, port 0-65535 (utilsnet.ParsePort with allowZero), targetPort a number 1-65535 or a port name. */
export function parseServicePort(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const p = parts[0];
  if (!/^\d+$/.test(p) || Number(p) > 65535) throw new UsageError(`invalid port "${p}" in --tcp=${spec}: strconv.ParseUint: parsing "${p}": ${/^\d+$/.test(p) ? 'value out of range' : 'invalid syntax'}`, { hint: 'write --tcp=PORT or --tcp=PORT:TARGETPORT (PORT 0-65535)' });
  const port = Number(p);
  if (parts.length === 1) return { port, targetPort: port };
  const t = parts[1];
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 65535) throw new UsageError(`invalid target port "${t}" in --tcp=${spec}: must be between 1 and 65535, inclusive`, { hint: 'write --tcp=PORT:TARGETPORT with TARGETPORT 1-65535 or a port name' });
    return { port, targetPort: n };
  }
  const errs = portNameErrors(t);
  if (errs.length) throw new UsageError(`invalid target port name "${t}" in --tcp=${spec}: ${errs.join(',')}`, { hint: 'a port name is up to 15 lower-case letters, digits and hyphens' });
  return { port, targetPort: t };
}

export function serviceObject(name: string, type: ServiceType, o: { tcp: string[]; clusterIP?: string; nodePort?: number; externalName?: string }): K8sObject {
  const clusterIP = o.clusterIP ?? '';
  if (clusterIP === 'None' && type !== 'ClusterIP') throw new UsageError('ClusterIP=None can only be used with ClusterIP service type');
  if (clusterIP !== 'None' && !o.tcp.length && type !== 'ExternalName') throw new UsageError('at least one tcp port specifier must be provided', { hint: 'give --tcp=PORT[:TARGETPORT]' });
  if (type === 'ExternalName' && !isDNS1123Subdomain(o.externalName ?? '')) throw new UsageError(`invalid service external name ${o.externalName ?? ''}`, { hint: 'give --external-name a DNS name such as bar.com (lower case)' });
  const ports = o.tcp.map((t) => {
    const { port, targetPort } = parseServicePort(t);
    const sp: Obj = { name: t.replaceAll(':', '-'), port, protocol: 'TCP', targetPort };
    if (o.nodePort) sp.nodePort = o.nodePort;
    return sp;
  });
  const spec: Obj = { selector: { app: name }, type };
  if (ports.length) spec.ports = ports;
  if (clusterIP) spec.clusterIP = clusterIP;
  if (type === 'ExternalName' && o.externalName) spec.externalName = o.externalName;
  return obj({ apiVersion: 'v1', kind: 'Service', metadata: { labels: { app: name }, name }, spec, status: { loadBalancer: {} } });
}

// ------------------------------------------------------------------------------ RBAC

export const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
export const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [['policy', 'podsecuritypolicies'], ['extensions', 'podsecuritypolicies']],
  bind: [['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'clusterroles']],
  escalate: [['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'clusterroles']],
  impersonate: [['', 'users'], ['', 'serviceaccounts'], ['', 'groups'], ['authentication.k8s.io', 'userextras']],
};

export interface ResourceOption {
  group: string;
  resource: string;
  subResource: string;
}

/** The resource's group and plural as the server's REST mapper resolves them (undefined: keep as given). */
export type ResourceResolver = (resource: string, group: string) => { group: string; resource: string } | undefined;

const uniq = (xs: string[]) => [...new Set(xs)];

/** `--verb` as kubectl completes it: deduplicated, `*` alone wins. */
export function normalizeVerbs(verbs: string[]): string[] {
  return verbs.includes('*') ? ['*'] : uniq(verbs);
}

/** `--resource=resource.group/subresource`; a bare `*` stands for every resource. */
export function parseResourceOptions(resources: string[]): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of resources) {
    const slash = r.indexOf('/');
    const [main, subResource] = slash >= 0 ? [r.slice(0, slash), r.slice(slash + 1)] : [r, ''];
    const dot = main.indexOf('.');
    const [resource, group] = dot >= 0 ? [main.slice(0, dot), main.slice(dot + 1)] : [main, ''];
    const opt = { group, resource, subResource };
    if (resource === '*' && dot < 0 && slash < 0) return [opt];
    out.push(opt);
  }
  return out;
}

export interface RoleRuleOptions {
  verbs: string[];
  resources: ResourceOption[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** kubectl's validateResource (the special verbs' resources); returns the warnings for non-standard verbs. */
export function validateResources(o: RoleRuleOptions, resolve: ResourceResolver): string[] {
  const warnings = o.verbs.filter((v) => !VALID_RESOURCE_VERBS.includes(v)).map((v) => `'${v}' is not a standard resource verb`);
  for (const r of o.resources) {
    if (!r.resource) throw new UsageError('resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return warnings;
    const resolved = resolve(r.resource, r.group);
    const res = resolved ?? { group: r.group, resource: r.resource };
    for (const v of o.verbs) {
      const special = SPECIAL_VERBS[v];
      if (special && !special.some(([g, x]) => g === res.group && x === res.resource)) throw new UsageError(`can not perform '${v}' on '${res.resource}' in group '${res.group}'`);
    }
    if (!resolved && !o.verbs.some((v) => SPECIAL_VERBS[v])) {
      throw new UsageError(`the server doesn't have a resource type "${r.group ? `${r.resource}.${r.group}` : r.resource}"`, { hint: `list the types with \`api-resources\`` });
    }
  }
  return warnings;
}

/** generateResourcePolicyRules: one rule per API group (sorted), then one for the non-resource URLs. */
export function policyRules(o: RoleRuleOptions, resolve: ResourceResolver): Obj[] {
  const byGroup = new Map<string, string[]>();
  for (const r of o.resources) {
    const res = resolve(r.resource, r.group) ?? { group: r.group, resource: r.resource };
    const name = r.subResource ? `${res.resource}/${r.subResource}` : res.resource;
    const list = byGroup.get(res.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(res.group, list);
  }
  const rules: Obj[] = [...byGroup.keys()].sort().map((g) => {
    const rule: Obj = { apiGroups: [g], resources: byGroup.get(g), verbs: o.verbs };
    if (o.resourceNames.length) rule.resourceNames = o.resourceNames;
    return rule;
  });
  if (o.nonResourceURLs.length) rules.push({ nonResourceURLs: o.nonResourceURLs, verbs: o.verbs });
  return rules;
}

export function roleObject(name: string, o: RoleRuleOptions, resolve: ResourceResolver): { object: K8sObject; warnings: string[] } {
  if (!o.verbs.length) throw new UsageError('at least one verb must be specified', { hint: 'give --verb=get,list,…' });
  if (!o.resources.length) throw new UsageError('at least one resource must be specified', { hint: 'give --resource=pods (or resource.group, resource/subresource)' });
  const warnings = validateResources(o, resolve);
  return { object: obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules: policyRules(o, resolve) }), warnings };
}

export function clusterRoleObject(name: string, o: RoleRuleOptions & { aggregationRule: Record<string, string> }, resolve: ResourceResolver): { object: K8sObject; warnings: string[] } {
  const base = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name } };
  if (Object.keys(o.aggregationRule).length) {
    if (o.nonResourceURLs.length || o.verbs.length || o.resources.length || o.resourceNames.length) throw new UsageError('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    // ClusterRole.rules has no omitempty: the Go object prints `rules: null`.
    return { object: obj({ ...base, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: o.aggregationRule }] } }), warnings: [] };
  }
  if (!o.verbs.length) throw new UsageError('at least one verb must be specified', { hint: 'give --verb=get,list,…' });
  if (!o.resources.length && !o.nonResourceURLs.length) throw new UsageError('one of resource or nonResourceURL must be specified', { hint: 'give --resource=… or --non-resource-url=/path' });
  let warnings: string[] = [];
  if (o.resources.length) warnings = validateResources(o, resolve);
  if (o.nonResourceURLs.length) {
    for (const v of o.verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new UsageError(`invalid verb: '${v}' for nonResourceURL`, { hint: `use one of ${VALID_NON_RESOURCE_VERBS.join(', ')}` });
    for (const u of o.nonResourceURLs) {
      if (u === '*') continue;
      if (!u.startsWith('/')) throw new UsageError('nonResourceURL should start with /');
      if (u.slice(0, -1).includes('*')) throw new UsageError("nonResourceURL only supports wildcard matches when '*' is at the end");
    }
  }
  return { object: obj({ ...base, rules: policyRules(o, resolve) }), warnings };
}

export interface BindingOptions {
  role?: string;
  clusterRole?: string;
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

function subjects(o: BindingOptions): Obj[] {
  const out: Obj[] = [];
  for (const u of o.users) out.push({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: u });
  for (const g of o.groups) out.push({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g });
  for (const sa of o.serviceAccounts) {
    const t = sa.split(':');
    if (t.length !== 2 || !t[0] || !t[1]) throw new UsageError('serviceaccount must be <namespace>:<name>', { hint: `write --serviceaccount=NAMESPACE:NAME, not "${sa}"` });
    out.push({ kind: 'ServiceAccount', name: t[1], namespace: t[0] });
  }
  return out;
}

export function roleBindingObject(name: string, o: BindingOptions): K8sObject {
  if (!o.clusterRole === !o.role) throw new UsageError('exactly one of clusterrole or role must be specified', { hint: 'give --role=NAME or --clusterrole=NAME' });
  const roleRef = o.role ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: o.role } : { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: o.clusterRole };
  const s = subjects(o);
  return obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef, ...(s.length ? { subjects: s } : {}) });
}

export function clusterRoleBindingObject(name: string, o: BindingOptions): K8sObject {
  if (!o.clusterRole) throw new UsageError('required flag(s) "clusterrole" not set', { hint: 'give --clusterrole=NAME' });
  const s = subjects(o);
  return obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: o.clusterRole }, ...(s.length ? { subjects: s } : {}) });
}

// ------------------------------------------------------------------------------ batch

function container(name: string, image: string, command: string[]): Obj {
  const c: Obj = { image, name, resources: {} };
  if (command.length) c.command = command;
  return c;
}

export function jobOptionsCheck(o: { image: string; from: string; command: string[] }): void {
  if (!o.image === !o.from) throw new UsageError('either --image or --from must be specified', { hint: 'give --image=IMAGE, or --from=cronjob/NAME' });
  if (o.command.length && o.from) throw new UsageError('cannot specify --from and command', { hint: 'the job runs the cron job\'s command; drop the words after --' });
}

export function jobObject(name: string, image: string, command: string[]): K8sObject {
  return obj({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: { metadata: {}, spec: { containers: [container(name, image, command)], restartPolicy: 'Never' } } }, status: {} });
}

/** createJobFromCronJob: the job template's spec, labels and annotations (+ instantiate=manual), owned by the cron job. */
export function jobFromCronJob(name: string, cronJob: K8sObject): K8sObject {
  const cj = cronJob as unknown as { metadata: { name: string; uid?: string }; spec?: { jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Obj } } };
  const tpl = cj.spec?.jobTemplate ?? {};
  const metadata: Obj = {
    annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tpl.metadata?.annotations ?? {}) },
    name,
    ownerReferences: [{ apiVersion: 'batch/v1', controller: true, kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid ?? '' }],
  };
  if (tpl.metadata?.labels && Object.keys(tpl.metadata.labels).length) metadata.labels = tpl.metadata.labels;
  return obj({ apiVersion: 'batch/v1', kind: 'Job', metadata, spec: typedJobSpec(structuredClone(tpl.spec ?? {})), status: {} });
}

/** A job spec after a round trip through the Go types: the struct fields that are always written appear. */
function typedJobSpec(spec: Obj): Obj {
  const t = (spec.template ??= {}) as Obj;
  t.metadata ??= {};
  const ps = (t.spec ??= {}) as Obj;
  ps.containers ??= null;
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of (Array.isArray(ps[key]) ? ps[key] : []) as Obj[]) c.resources ??= {};
  }
  return spec;
}

export function cronJobObject(name: string, o: { image: string; schedule: string; restart: string; command: string[] }): K8sObject {
  if (!o.image) throw new UsageError('required flag(s) "image" not set', { hint: 'give --image=IMAGE' });
  if (!o.schedule) throw new UsageError('required flag(s) "schedule" not set', { hint: `give --schedule='*/5 * * * *'` });
  return obj({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { jobTemplate: { metadata: { name }, spec: { template: { metadata: {}, spec: { containers: [container(name, o.image, o.command)], restartPolicy: o.restart || 'OnFailure' } } } }, schedule: o.schedule },
    status: {},
  });
}

// ------------------------------------------------------------------------------ quota, priority class, PDB

export function quotaObject(name: string, o: { hard: string; scopes: string }): K8sObject {
  const spec: Obj = {};
  if (o.hard) {
    const hard: Record<string, string> = {};
    for (const st of o.hard.split(',')) {
      const parts = st.split('=');
      if (parts.length !== 2) throw new UsageError(`Invalid argument syntax ${st}, expected <resource>=<value>`, { hint: 'write --hard=cpu=1,memory=1G,pods=2' });
      let q: Quantity;
      try {
        q = Quantity.parse(parts[1]);
      } catch (e) {
        throw new UsageError(`${(e as Error).message} (--hard ${st})`, { hint: 'give quantities such as 1, 500m, 1G, 2Gi' });
      }
      hard[parts[0]] = q.toString();
    }
    spec.hard = hard;
  }
  if (o.scopes) {
    const scopes = o.scopes.split(',');
    if (scopes.some((s) => !s)) throw new UsageError('invalid resource quota scope ""', { hint: 'write --scopes=BestEffort,NotTerminating (no empty entries)' });
    spec.scopes = scopes;
  }
  return obj({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec, status: {} });
}

export function priorityClassObject(name: string, o: { value: number; globalDefault: boolean; description: string; preemptionPolicy: string }): K8sObject {
  const pc: Obj = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, preemptionPolicy: o.preemptionPolicy, value: o.value };
  if (o.description) pc.description = o.description;
  if (o.globalDefault) pc.globalDefault = true;
  return obj(pc);
}

/** metav1.ParseToLabelSelector: equality requirements → matchLabels, the rest → matchExpressions. */
export function parseToLabelSelector(sel: string): Obj {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Obj[] = [];
  const parts = splitSelector(sel);
  const bad = () => new UsageError(`unable to parse requirement: invalid label selector "${sel}"`, { hint: 'write --selector=key=value[,key2=value2]' });
  const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
  const VAL = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) throw bad();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^(\S+)\s+(in|notin)\s+\(([^()]*)\)$/))) {
      if (!KEY.test(m[1])) throw bad();
      const values = m[3].split(',').map((x) => x.trim());
      if (values.some((v) => !VAL.test(v))) throw bad();
      matchExpressions.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values: [...new Set(values)].sort() });
    } else if ((m = p.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      if (!KEY.test(m[1]) || !VAL.test(m[3])) throw bad();
      if (m[2] === '!=') matchExpressions.push({ key: m[1], operator: 'NotIn', values: [m[3]] });
      else matchLabels[m[1]] = m[3];
    } else if ((m = p.match(/^!(\S+)$/)) && KEY.test(m[1])) {
      matchExpressions.push({ key: m[1], operator: 'DoesNotExist' });
    } else if (KEY.test(p)) {
      matchExpressions.push({ key: p, operator: 'Exists' });
    } else throw bad();
  }
  const out: Obj = {};
  if (Object.keys(matchLabels).length) out.matchLabels = matchLabels;
  if (matchExpressions.length) out.matchExpressions = matchExpressions;
  return out;
}

/** intstr.Parse: a number when it parses as one, else the string. */
const intOrString = (s: string) => (/^[+-]?\d+$/.test(s) && Math.abs(Number(s)) < 2 ** 31 ? Number(s) : s);

export function pdbObject(name: string, o: { selector: string; minAvailable: string; maxUnavailable: string }): K8sObject {
  if (!o.selector) throw new UsageError('a selector must be specified', { hint: 'give --selector=app=NAME' });
  if (!o.maxUnavailable && !o.minAvailable) throw new UsageError('one of min-available or max-unavailable must be specified', { hint: 'give --min-available=N|N% or --max-unavailable=N|N%' });
  if (o.maxUnavailable && o.minAvailable) throw new UsageError('min-available and max-unavailable cannot be both specified', { hint: 'give one of them' });
  const re = /^[0-9]+%?$/;
  if (o.minAvailable && !re.test(o.minAvailable)) throw new UsageError('invalid format specified for min-available', { hint: 'give a number or a percentage, e.g. 1 or 50%' });
  if (o.maxUnavailable && !re.test(o.maxUnavailable)) throw new UsageError('invalid format specified for max-unavailable', { hint: 'give a number or a percentage, e.g. 1 or 50%' });
  const spec: Obj = { selector: parseToLabelSelector(o.selector) };
  if (o.minAvailable) spec.minAvailable = intOrString(o.minAvailable);
  else spec.maxUnavailable = intOrString(o.maxUnavailable);
  return obj({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec, status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 } });
}

// ------------------------------------------------------------------------------ ingress

/** kubectl's rule regex (Go's MatchString: anchored at the start only). */
const RULE_RE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/;

export interface IngressOptions {
  className: string;
  rules: string[];
  defaultBackend: string;
  annotations: string[];
}

export function validateIngress(o: IngressOptions): void {
  if (!o.defaultBackend && !o.rules.length) throw new UsageError('not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)', { hint: 'give --rule=host/path=service:port or --default-backend=service:port' });
  for (const r of o.rules) if (!RULE_RE.test(r)) throw new UsageError(`rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  for (const a of o.annotations) if (!a.includes('=')) throw new UsageError(`annotation ${a} is invalid and should be in format key=[value]`);
  if (o.defaultBackend && o.defaultBackend.split(':').length !== 2) throw new UsageError('default-backend should be in format servicename:serviceport');
}

function backend(service: string): Obj {
  const [name, port] = service.split(':');
  const n = intOrString(port ?? '');
  return { service: { name, port: typeof n === 'number' ? (n ? { number: n } : {}) : n ? { name: n } : {} } };
}

function httpPath(pathsvc: string): Obj {
  const [p, service] = pathsvc.split('=');
  let path = `/${p}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { backend: backend(service ?? ''), path, pathType };
}

export function ingressObject(name: string, o: IngressOptions): K8sObject {
  validateIngress(o);
  const annotations: Record<string, string> = {};
  for (const a of o.annotations) {
    const i = a.indexOf('=');
    annotations[a.slice(0, i)] = a.slice(i + 1);
  }
  const spec: Obj = {};
  if (o.className) spec.ingressClassName = o.className;
  if (o.defaultBackend) spec.defaultBackend = backend(o.defaultBackend);
  // TLS: one entry per secret, hosts appended once each.
  const tls: { hosts?: string[]; secretName?: string }[] = [];
  const seen = new Set<string>();
  for (const rule of o.rules) {
    const parts = rule.split(',');
    if (parts.length !== 2) continue;
    const host = rule.split('/')[0];
    const sn = parts[1].split('=');
    const secret = sn.length > 1 ? sn[1] : '';
    const idx = tls.findIndex((t) => (t.secretName ?? '') === secret);
    if (seen.has(host)) continue;
    if (idx > -1) {
      (tls[idx].hosts ??= []).push(host);
      seen.add(host);
      continue;
    }
    const t: { hosts?: string[]; secretName?: string } = {};
    if (host) t.hosts = [host];
    if (secret) t.secretName = secret;
    if (t.secretName || t.hosts) tls.push(t);
    seen.add(host);
  }
  const rules: { host?: string; http: { paths: Obj[] } }[] = [];
  for (const rule of o.rules) {
    const noTls = rule.split(',')[0];
    const i = noTls.indexOf('/');
    const host = noTls.slice(0, i);
    const p = httpPath(noTls.slice(i + 1));
    const existing = rules.find((r) => (r.host ?? '') === host);
    if (existing) {
      existing.http.paths.push(p);
      continue;
    }
    rules.push({ ...(host ? { host } : {}), http: { paths: [p] } });
  }
  if (rules.length) spec.rules = rules;
  if (tls.length) spec.tls = tls;
  const metadata: Obj = { name };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return obj({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec, status: { loadBalancer: {} } });
}

// ------------------------------------------------------------------------------ token

export const BOUND_OBJECT_KINDS: Record<string, string> = { Node: 'v1', Pod: 'v1', Secret: 'v1' };

export interface TokenOptions {
  audiences: string[];
  /** Seconds; 0 = the server's default. */
  durationSeconds: number;
  boundObjectKind: string;
  boundObjectName: string;
  boundObjectUID: string;
}

/** kubectl's TokenOptions.Validate (duration checked by the caller, which has the text) and the TokenRequest body. */
export function tokenRequest(o: TokenOptions): Obj {
  for (const a of o.audiences) if (!a) throw new UsageError('--audience must not be an empty string');
  if (!o.boundObjectKind) {
    if (o.boundObjectName) throw new UsageError('--bound-object-name can only be set if --bound-object-kind is provided');
    if (o.boundObjectUID) throw new UsageError('--bound-object-uid can only be set if --bound-object-kind is provided');
  } else {
    if (!(o.boundObjectKind in BOUND_OBJECT_KINDS)) throw new UsageError(`supported --bound-object-kind values are ${Object.keys(BOUND_OBJECT_KINDS).sort().join(', ')}`);
    if (!o.boundObjectName) throw new UsageError('--bound-object-name is required if --bound-object-kind is provided');
  }
  const spec: Obj = {};
  if (o.audiences.length) spec.audiences = o.audiences;
  if (o.durationSeconds > 0) spec.expirationSeconds = o.durationSeconds;
  if (o.boundObjectKind) {
    const ref: Obj = { apiVersion: BOUND_OBJECT_KINDS[o.boundObjectKind], kind: o.boundObjectKind, name: o.boundObjectName };
    if (o.boundObjectUID) ref.uid = o.boundObjectUID;
    spec.boundObjectRef = ref;
  }
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec, status: { expirationTimestamp: null, token: '' } };
}
