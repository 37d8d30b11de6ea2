/**
 * The `create` subcommands added after namespace/configmap/secret/deployment/serviceaccount/service
 * clusterip: kubectl v1.35's flags, texts and examples (the examples name the invoking program).
 * Objects are built in src/operate/create-more.ts and written through create's generator path
 * (--dry-run, -o, --save-config, --field-manager, --validate).
 */
import type { CliFlag, CommandSpec, Invocation } from './spec';
import { dedent } from './spec';
import { UsageError } from '../errors';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';
import { DRY_RUN_FLAG, OBJECT_FORMATS, VALIDATE_FLAG } from './apply';
import type { Factory } from '../kubectl/factory';
import type { K8sObject } from '../kube/types';

const GENERATOR_FLAGS: CliFlag[] = [
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-create', usage: 'Name of the manager used to track field ownership.' },
  { name: 'save-config', type: 'bool', default: false, usage: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
  VALIDATE_FLAG,
  NAMESPACE_FLAG,
  ...CONNECTION_FLAGS,
  ...(printFlagDefs({ formats: OBJECT_FORMATS, only: ['output', 'show-managed-fields', 'template', 'allow-missing-template-keys'] }) as CliFlag[]),
];

const withFlags = (extra: CliFlag[]) => [...extra, ...GENERATOR_FLAGS].sort((a, b) => a.name.localeCompare(b.name));
const list = (v: unknown) => ((v as string[] | undefined) ?? []).filter((x) => x !== '');
const str = (v: unknown) => String(v ?? '');

async function generate(inv: Invocation, build: (name: string, f: Factory) => Promise<K8sObject> | K8sObject, errorPrefix?: string, args?: string[]) {
  const { runCreateGenerator } = await import('../operate/apply-command');
  return runCreateGenerator(args ? { ...inv, args } : inv, async (name, f) => build(name, f), { errorPrefix });
}

/** NameFromCommandArgs with a command after `--`: the name is the first word, the rest the command. */
function nameAndCommand(inv: Invocation): { args: string[]; command: string[] } {
  const [name, ...command] = inv.args;
  return { args: name === undefined ? [] : [name], command };
}

// ------------------------------------------------------------------------------ services

function serviceCommand(type: 'NodePort' | 'LoadBalancer' | 'ExternalName', spec: Omit<CommandSpec, 'run'>): CommandSpec {
  return {
    ...spec,
    args: [0, -1],
    async run(inv) {
      const { serviceObject } = await import('../operate/create-more');
      const o = { tcp: list(inv.flags.tcp), nodePort: Number(inv.flags['node-port'] ?? 0), externalName: str(inv.flags['external-name']) };
      if (type === 'ExternalName' && !inv.explicit.has('external-name')) throw new UsageError('required flag(s) "external-name" not set', { hint: 'give --external-name=DNS-NAME' });
      return generate(inv, (name) => serviceObject(name, type, o), `failed to create ${type} service`);
    },
  };
}

const TCP: CliFlag = { name: 'tcp', type: 'stringSlice', default: [], usage: "Port pairs can be specified as '<port>:<targetPort>'." };

export const serviceNodePortCreate = serviceCommand('NodePort', {
  name: 'nodeport',
  use: 'NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
  short: 'Create a NodePort service',
  long: 'Create a NodePort service with the specified name.',
  example: dedent(`
    # Create a new NodePort service named my-ns
    {{program}} create service nodeport my-ns --tcp=5678:8080`),
  flags: withFlags([{ name: 'node-port', type: 'int', default: 0, usage: 'Port used to expose the service on each node in a cluster.' }, TCP]),
});

export const serviceLoadBalancerCreate = serviceCommand('LoadBalancer', {
  name: 'loadbalancer',
  use: 'NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
  short: 'Create a LoadBalancer service',
  long: 'Create a LoadBalancer service with the specified name.',
  example: dedent(`
    # Create a new LoadBalancer service named my-lbs
    {{program}} create service loadbalancer my-lbs --tcp=5678:8080`),
  flags: withFlags([TCP]),
});

export const serviceExternalNameCreate = serviceCommand('ExternalName', {
  name: 'externalname',
  use: 'NAME --external-name external.name [--dry-run=server|client|none]',
  short: 'Create an ExternalName service',
  long: dedent(`
    Create an ExternalName service with the specified name.

     ExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.`),
  example: dedent(`
    # Create a new ExternalName service named my-ns
    {{program}} create service externalname my-ns --external-name bar.com`),
  flags: withFlags([{ name: 'external-name', type: 'string', default: '', usage: 'External name of service' }, TCP]),
});

// ------------------------------------------------------------------------------ RBAC

async function resolverFor(f: Factory) {
  const mapper = await (await f.karmada()).mapper();
  return (resource: string, group: string) => {
    try {
      const m = mapper.mappingFor(group ? `${resource}.${group}` : resource);
      return { group: m.group, resource: m.resource };
    } catch {
      return undefined;
    }
  };
}

const VERB: CliFlag = { name: 'verb', type: 'stringSlice', default: [], usage: 'Verb that applies to the resources contained in the rule' };
const RESOURCE: CliFlag = { name: 'resource', type: 'stringSlice', default: [], usage: 'Resource that the rule applies to' };
const RESOURCE_NAME: CliFlag = { name: 'resource-name', type: 'stringArray', default: [], usage: 'Resource in the white list that the rule applies to, repeat this flag for multiple items' };

function ruleOptions(m: typeof import('../operate/create-more'), inv: Invocation) {
  const { normalizeVerbs, parseResourceOptions } = m;
  return {
    verbs: normalizeVerbs(list(inv.flags.verb)),
    resources: parseResourceOptions(list(inv.flags.resource)),
    resourceNames: [...new Set(list(inv.flags['resource-name']))],
    nonResourceURLs: [...new Set(list(inv.flags['non-resource-url']))],
  };
}

const loadCreateMore = () => import('../operate/create-more');

export const roleCreate: CommandSpec = {
  name: 'role',
  use: 'NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]',
  short: 'Create a role with single rule',
  long: 'Create a role with single rule.',
  example: dedent(`
    # Create a role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods
    {{program}} create role pod-reader --verb=get --verb=list --verb=watch --resource=pods

    # Create a role named "pod-reader" with ResourceName specified
    {{program}} create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod

    # Create a role named "foo" with API Group specified
    {{program}} create role foo --verb=get,list,watch --resource=rs.apps

    # Create a role named "foo" with SubResource specified
    {{program}} create role foo --verb=get,list,watch --resource=pods,pods/status`),
  flags: withFlags([RESOURCE, RESOURCE_NAME, VERB]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = ruleOptions(m, inv);
    return generate(inv, async (name, f) => {
      const r = m.roleObject(name, o, await resolverFor(f));
      for (const w of r.warnings) inv.ctx.stderr.write(`Warning: ${w}\n`);
      return r.object;
    });
  },
};

export const clusterRoleCreate: CommandSpec = {
  name: 'clusterrole',
  use: 'NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]',
  short: 'Create a cluster role',
  long: 'Create a cluster role.',
  example: dedent(`
    # Create a cluster role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods
    {{program}} create clusterrole pod-reader --verb=get,list,watch --resource=pods

    # Create a cluster role named "pod-reader" with ResourceName specified
    {{program}} create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod

    # Create a cluster role named "foo" with API Group specified
    {{program}} create clusterrole foo --verb=get,list,watch --resource=rs.apps

    # Create a cluster role named "foo" with SubResource specified
    {{program}} create clusterrole foo --verb=get,list,watch --resource=pods,pods/status

    # Create a cluster role name "foo" with NonResourceURL specified
    {{program}} create clusterrole "foo" --verb=get --non-resource-url=/logs/*

    # Create a cluster role name "monitoring" with AggregationRule specified
    {{program}} create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"`),
  flags: withFlags([
    { name: 'aggregation-rule', type: 'stringMap', default: {}, usage: 'An aggregation label selector for combining ClusterRoles.' },
    { name: 'non-resource-url', type: 'stringSlice', default: [], usage: 'A partial url that user should have access to.' },
    RESOURCE,
    RESOURCE_NAME,
    VERB,
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = { ...ruleOptions(m, inv), aggregationRule: (inv.flags['aggregation-rule'] as Record<string, string> | undefined) ?? {} };
    return generate(inv, async (name, f) => {
      const r = m.clusterRoleObject(name, o, await resolverFor(f));
      for (const w of r.warnings) inv.ctx.stderr.write(`Warning: ${w}\n`);
      return r.object;
    });
  },
};

const bindingSubjects = (what: string): CliFlag[] => [
  { name: 'group', type: 'stringArray', default: [], usage: `Groups to bind to the ${what}. The flag can be repeated to add multiple groups.` },
  { name: 'serviceaccount', type: 'stringArray', default: [], usage: `Service accounts to bind to the ${what}, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.` },
  { name: 'user', type: 'stringArray', default: [], usage: `Usernames to bind to the ${what}. The flag can be repeated to add multiple users.` },
];

const bindingOptions = (inv: Invocation) => ({ role: str(inv.flags.role), clusterRole: str(inv.flags.clusterrole), users: list(inv.flags.user), groups: list(inv.flags.group), serviceAccounts: list(inv.flags.serviceaccount) });

export const roleBindingCreate: CommandSpec = {
  name: 'rolebinding',
  use: 'NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  short: 'Create a role binding for a particular role or cluster role',
  long: 'Create a role binding for a particular role or cluster role.',
  example: dedent(`
    # Create a role binding for user1, user2, and group1 using the admin cluster role
    {{program}} create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1

    # Create a role binding for service account monitoring:sa-dev using the admin role
    {{program}} create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev`),
  flags: withFlags([
    { name: 'clusterrole', type: 'string', default: '', usage: 'ClusterRole this RoleBinding should reference' },
    { name: 'role', type: 'string', default: '', usage: 'Role this RoleBinding should reference' },
    ...bindingSubjects('role'),
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = bindingOptions(inv);
    return generate(inv, (name) => m.roleBindingObject(name, o), 'failed to create rolebinding');
  },
};

export const clusterRoleBindingCreate: CommandSpec = {
  name: 'clusterrolebinding',
  use: 'NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  short: 'Create a cluster role binding for a particular cluster role',
  long: 'Create a cluster role binding for a particular cluster role.',
  example: dedent(`
    # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role
    {{program}} create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1`),
  flags: withFlags([{ name: 'clusterrole', type: 'string', default: '', usage: 'ClusterRole this ClusterRoleBinding should reference' }, ...bindingSubjects('clusterrole')]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    if (!inv.explicit.has('clusterrole')) throw new UsageError('required flag(s) "clusterrole" not set', { hint: 'give --clusterrole=NAME' });
    const o = bindingOptions(inv);
    return generate(inv, (name) => m.clusterRoleBindingObject(name, o), 'failed to create clusterrolebinding');
  },
};

// ------------------------------------------------------------------------------ batch

export const jobCreate: CommandSpec = {
  name: 'job',
  use: 'NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]',
  short: 'Create a job with the specified name',
  long: 'Create a job with the specified name.',
  example: dedent(`
    # Create a job
    {{program}} create job my-job --image=busybox

    # Create a job with a command
    {{program}} create job my-job --image=busybox -- date

    # Create a job from a cron job named "a-cronjob"
    {{program}} create job test-job --from=cronjob/a-cronjob`),
  flags: withFlags([
    { name: 'from', type: 'string', default: '', usage: 'The name of the resource to create a Job from (only CronJob is supported).' },
    { name: 'image', type: 'string', default: '', usage: 'Image name to run.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const { args, command } = nameAndCommand(inv);
    const image = str(inv.flags.image);
    const from = str(inv.flags.from);
    if (args.length === 1) m.jobOptionsCheck({ image, from, command });
    return generate(
      inv,
      async (name, f) => {
        if (image) return m.jobObject(name, image, command);
        const { collectInfos } = await import('../kubectl/infos');
        if (!from.includes('/')) throw new UsageError(`from must be an existing cronjob`, { hint: 'write --from=cronjob/NAME' });
        const infos = await collectInfos(f, { args: [from], filenames: [], recursive: false, labelSelector: '', fieldSelector: '', all: false, allNamespaces: false });
        if (infos.length !== 1) throw new UsageError('from must be an existing cronjob', { hint: 'write --from=cronjob/NAME' });
        const i = infos[0];
        if (i.mapping.kind !== 'CronJob' || i.mapping.group !== 'batch') throw new UsageError(`unknown object type *${i.mapping.version}.${i.mapping.kind}`, { hint: 'only a CronJob can be given with --from (--from=cronjob/NAME)' });
        return m.jobFromCronJob(name, i.object!);
      },
      'failed to create job',
      args,
    );
  },
};

export const cronJobCreate: CommandSpec = {
  name: 'cronjob',
  aliases: ['cj'],
  use: "NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...]",
  short: 'Create a cron job with the specified name',
  long: 'Create a cron job with the specified name.',
  example: dedent(`
    # Create a cron job
    {{program}} create cronjob my-job --image=busybox --schedule="*/1 * * * *"

    # Create a cron job with a command
    {{program}} create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date`),
  flags: withFlags([
    { name: 'image', type: 'string', default: '', usage: 'Image name to run.' },
    { name: 'restart', type: 'string', default: '', usage: "job's restart policy. supported values: OnFailure, Never" },
    { name: 'schedule', type: 'string', default: '', usage: 'A schedule in the Cron format the job should be run with.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const { args, command } = nameAndCommand(inv);
    for (const req of ['image', 'schedule']) if (!inv.explicit.has(req)) throw new UsageError(`required flag(s) "${req}" not set`, { hint: req === 'image' ? 'give --image=IMAGE' : `give --schedule='*/5 * * * *'` });
    const o = { image: str(inv.flags.image), schedule: str(inv.flags.schedule), restart: str(inv.flags.restart), command };
    return generate(inv, (name) => m.cronJobObject(name, o), 'failed to create cronjob', args);
  },
};

// ------------------------------------------------------------------------------ quota, priorityclass, pdb, ingress

export const quotaCreate: CommandSpec = {
  name: 'quota',
  aliases: ['resourcequota'],
  use: 'NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none]',
  short: 'Create a quota with the specified name',
  long: 'Create a resource quota with the specified name, hard limits, and optional scopes.',
  example: dedent(`
    # Create a new resource quota named my-quota
    {{program}} create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10

    # Create a new resource quota named best-effort
    {{program}} create quota best-effort --hard=pods=100 --scopes=BestEffort`),
  flags: withFlags([
    { name: 'hard', type: 'string', default: '', usage: 'A comma-delimited set of resource=quantity pairs that define a hard limit.' },
    { name: 'scopes', type: 'string', default: '', usage: 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = { hard: str(inv.flags.hard), scopes: str(inv.flags.scopes) };
    return generate(inv, (name) => m.quotaObject(name, o), 'failed to create quota');
  },
};

export const priorityClassCreate: CommandSpec = {
  name: 'priorityclass',
  aliases: ['pc'],
  use: 'NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]',
  short: 'Create a priority class with the specified name',
  long: 'Create a priority class with the specified name, value, globalDefault and description.',
  example: dedent(`
    # Create a priority class named high-priority
    {{program}} create priorityclass high-priority --value=1000 --description="high priority"

    # Create a priority class named default-priority that is considered as the global default priority
    {{program}} create priorityclass default-priority --value=1000 --global-default=true --description="default priority"

    # Create a priority class named high-priority that cannot preempt pods with lower priority
    {{program}} create priorityclass high-priority --value=1000 --description="high priority" --preemption-policy="Never"`),
  flags: withFlags([
    { name: 'description', type: 'string', default: '', usage: 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.' },
    { name: 'global-default', type: 'bool', default: false, usage: 'global-default specifies whether this PriorityClass should be considered as the default priority.' },
    { name: 'preemption-policy', type: 'string', default: 'PreemptLowerPriority', usage: 'preemption-policy is the policy for preempting pods with lower priority.' },
    { name: 'value', type: 'int', default: 0, usage: 'the value of this priority class.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const value = Number(inv.flags.value ?? 0);
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new UsageError(`invalid argument "${String(inv.flags.value)}" for "--value" flag: value out of range`, { hint: 'give a 32-bit integer' });
    const o = { value, globalDefault: Boolean(inv.flags['global-default']), description: str(inv.flags.description), preemptionPolicy: str(inv.flags['preemption-policy'] ?? 'PreemptLowerPriority') };
    return generate(inv, (name) => m.priorityClassObject(name, o), 'failed to create priorityclass');
  },
};

export const pdbCreate: CommandSpec = {
  name: 'poddisruptionbudget',
  aliases: ['pdb'],
  use: 'NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]',
  short: 'Create a pod disruption budget with the specified name',
  long: 'Create a pod disruption budget with the specified name, selector, and desired minimum available pods.',
  example: dedent(`
    # Create a pod disruption budget named my-pdb that will select all pods with the app=rails label
    # and require at least one of them being available at any point in time
    {{program}} create poddisruptionbudget my-pdb --selector=app=rails --min-available=1

    # Create a pod disruption budget named my-pdb that will select all pods with the app=nginx label
    # and require at least half of the pods selected to be available at any point in time
    {{program}} create pdb my-pdb --selector=app=nginx --min-available=50%`),
  flags: withFlags([
    { name: 'max-unavailable', type: 'string', default: '', usage: 'The maximum number or percentage of unavailable pods this budget requires.' },
    { name: 'min-available', type: 'string', default: '', usage: 'The minimum number or percentage of available pods this budget requires.' },
    { name: 'selector', type: 'string', default: '', usage: 'A label selector to use for this budget. Only equality-based selector requirements are supported.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = { selector: str(inv.flags.selector), minAvailable: str(inv.flags['min-available']), maxUnavailable: str(inv.flags['max-unavailable']) };
    return generate(inv, (name) => m.pdbObject(name, o), 'failed to create poddisruptionbudgets');
  },
};

export const ingressCreate: CommandSpec = {
  name: 'ingress',
  aliases: ['ing'],
  use: 'NAME --rule=host/path=service:port[,tls[=secret]] ',
  short: 'Create an ingress with the specified name',
  long: 'Create an ingress with the specified name.',
  example: dedent(`
    # Create a single ingress called 'simple' that directs requests to foo.com/bar to svc
    # svc1:8080 with a TLS secret "my-cert"
    {{program}} create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert"

    # Create a catch all ingress of "/path" pointing to service svc:port and Ingress Class as "otheringress"
    {{program}} create ingress catch-all --class=otheringress --rule="/path=svc:port"

    # Create an ingress with two annotations: ingress.annotation1 and ingress.annotations2
    {{program}} create ingress annotated --class=default --rule="foo.com/bar=svc:port" \\
    --annotation ingress.annotation1=foo \\
    --annotation ingress.annotation2=bla

    # Create an ingress with the same host and multiple paths
    {{program}} create ingress multipath --class=default \\
    --rule="foo.com/=svc:port" \\
    --rule="foo.com/admin/=svcadmin:portadmin"

    # Create an ingress with multiple hosts and the pathType as Prefix
    {{program}} create ingress ingress1 --class=default \\
    --rule="foo.com/path*=svc:8080" \\
    --rule="bar.com/admin*=svc2:http"

    # Create an ingress with TLS enabled using the default ingress certificate and different path types
    {{program}} create ingress ingtls --class=default \\
    --rule="foo.com/=svc:https,tls" \\
    --rule="foo.com/path/subpath*=othersvc:8080"

    # Create an ingress with TLS enabled using a specific secret and pathType as Prefix
    {{program}} create ingress ingsecret --class=default \\
    --rule="foo.com/*=svc:8080,tls=secret1"

    # Create an ingress with a default backend
    {{program}} create ingress ingdefault --class=default \\
    --default-backend=defaultsvc:http \\
    --rule="foo.com/*=svc:8080,tls=secret1"`),
  flags: withFlags([
    { name: 'annotation', type: 'stringArray', default: [], usage: 'Annotation to insert in the ingress object, in the format annotation=value' },
    { name: 'class', type: 'string', default: '', usage: 'Ingress Class to be used' },
    { name: 'default-backend', type: 'string', default: '', usage: 'Default service for backend, in format of svcname:port' },
    { name: 'rule', type: 'stringArray', default: [], usage: "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional." },
  ]),
  args: [0, -1],
  async run(inv) {
    const m = await loadCreateMore();
    const o = { className: str(inv.flags.class), rules: list(inv.flags.rule), defaultBackend: str(inv.flags['default-backend']), annotations: list(inv.flags.annotation) };
    if (inv.args.length === 1) m.validateIngress(o);
    return generate(inv, (name) => m.ingressObject(name, o), 'failed to create ingress');
  },
};

// ------------------------------------------------------------------------------ token

export const tokenCreate: CommandSpec = {
  name: 'token',
  use: 'SERVICE_ACCOUNT_NAME',
  short: 'Request a service account token',
  long: 'Request a service account token.',
  example: dedent(`
    # Request a token to authenticate to the kube-apiserver as the service account "myapp" in the current namespace
    {{program}} create token myapp

    # Request a token for a service account in a custom namespace
    {{program}} create token myapp --namespace myns

    # Request a token with a custom expiration
    {{program}} create token myapp --duration 10m

    # Request a token with a custom audience
    {{program}} create token myapp --audience https://example.com

    # Request a token bound to an instance of a Secret object
    {{program}} create token myapp --bound-object-kind Secret --bound-object-name mysecret

    # Request a token bound to an instance of a Secret object with a specific UID
    {{program}} create token myapp --bound-object-kind Secret --bound-object-name mysecret --bound-object-uid 0d4691ed-659b-4935-a832-355f77ee47cc`),
  flags: ([
    { name: 'audience', type: 'stringArray', default: [], usage: 'Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.' },
    { name: 'bound-object-kind', type: 'string', default: '', usage: 'Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided.' },
    { name: 'bound-object-name', type: 'string', default: '', usage: 'Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.' },
    { name: 'bound-object-uid', type: 'string', default: '', usage: 'UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.' },
    { name: 'duration', type: 'duration', default: '0s', usage: 'Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.' },
    NAMESPACE_FLAG,
    ...CONNECTION_FLAGS,
    ...(printFlagDefs({ formats: OBJECT_FORMATS, only: ['output', 'show-managed-fields', 'template', 'allow-missing-template-keys'] }) as CliFlag[]),
  ] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name)),
  args: [0, -1],
  async run(inv) {
    const { runCreateToken } = await import('../operate/create-token');
    return runCreateToken(inv);
  },
};

export const MORE_CREATE_CHILDREN = [clusterRoleCreate, clusterRoleBindingCreate, cronJobCreate, ingressCreate, jobCreate, pdbCreate, priorityClassCreate, quotaCreate, roleCreate, roleBindingCreate, tokenCreate];
export const MORE_SERVICE_CHILDREN = [serviceExternalNameCreate, serviceLoadBalancerCreate, serviceNodePortCreate];
