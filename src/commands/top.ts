import type { CliFlag, CommandSpec, Invocation } from './spec';
import { dedent } from './spec';
import { completeClusters, CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';

const SELECTOR_FLAG: CliFlag = { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." };
const NO_HEADERS = (dot: boolean): CliFlag => ({ name: 'no-headers', type: 'bool', default: false, usage: `If present, print output without headers${dot ? '.' : ''}` });
const PROTOBUF: CliFlag = { name: 'use-protocol-buffers', type: 'bool', default: true, usage: 'Enables using protocol-buffers to access Metrics API.' };
const CLUSTER_TIMEOUT: CliFlag = { name: 'cluster-timeout', type: 'duration', default: '30s', usage: 'How long to wait for an answer from each cluster before reporting it as failed and printing the others (0 waits forever).' };
const byName = (a: CliFlag, b: CliFlag) => a.name.localeCompare(b.name);

const POD_FLAGS: CliFlag[] = ([
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  CLUSTER_TIMEOUT,
  { name: 'clusters', shorthand: 'C', type: 'stringSlice', default: [], usage: '-C=member1,member2', complete: (ctx, _t, f) => completeClusters(ctx, f) },
  { name: 'containers', type: 'bool', default: false, usage: 'If present, print usage of containers within a pod.' },
  { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  NAMESPACE_FLAG,
  NO_HEADERS(true),
  SELECTOR_FLAG,
  { name: 'sort-by', type: 'string', default: '', usage: "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.", complete: () => ['cpu', 'memory'] },
  { name: 'sum', type: 'bool', default: false, usage: 'Print the sum of the resource usage' },
  PROTOBUF,
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort(byName);

const NODE_FLAGS: CliFlag[] = ([
  CLUSTER_TIMEOUT,
  // the reference has no -C here (weakness §8.8); offering it as top pod does is a superset
  { name: 'clusters', shorthand: 'C', type: 'stringSlice', default: [], usage: 'Used to specify target member clusters, for example: --clusters=member1,member2', complete: (ctx, _t, f) => completeClusters(ctx, f) },
  NO_HEADERS(false),
  SELECTOR_FLAG,
  { name: 'show-capacity', type: 'bool', default: false, usage: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.' },
  { name: 'sort-by', type: 'string', default: '', usage: "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.", complete: () => ['cpu', 'memory'] },
  PROTOBUF,
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort(byName);

async function common(inv: Invocation) {
  const [{ parseSortBy }, { validateSelector }, { durationFlag }] = await Promise.all([import('../operate/top'), import('../operate/get-command'), import('../util/duration')]);
  const labelSelector = String(inv.flags.selector ?? '');
  const o = {
    clusters: ((inv.flags.clusters as string[] | undefined) ?? []).filter(Boolean),
    labelSelector,
    sortBy: parseSortBy(String(inv.flags['sort-by'] ?? '')),
    noHeaders: Boolean(inv.flags['no-headers']),
    useProtocolBuffers: inv.flags['use-protocol-buffers'] !== false,
    clusterTimeoutMs: durationFlag(inv.flags, 'cluster-timeout', '30s'),
  };
  validateSelector(labelSelector);
  return o;
}

/** Results on stdout, then one line per failed cluster (and the notice) on stderr; 1 when any cluster failed. */
async function runWith(inv: Invocation, fn: (f: import('../kubectl/factory').Factory) => Promise<import('../operate/top').TopResult>): Promise<number> {
  const [{ Factory }, { configFlagsFrom }, { errorLine }] = await Promise.all([import('../kubectl/factory'), import('../kubectl/flags'), import('../operate/get-command')]);
  const f = new Factory(inv.ctx, configFlagsFrom(inv.flags));
  try {
    const r = await fn(f);
    if (r.notice) inv.ctx.stderr.write(`${r.notice}\n`);
    if (r.stdout) inv.ctx.stdout.write(r.stdout);
    for (const e of r.errors) inv.ctx.stderr.write(errorLine(e));
    return r.errors.length ? 1 : 0;
  } finally {
    f.close();
  }
}

export const topPodCommand: CommandSpec = {
  name: 'pod',
  aliases: ['pods', 'po'],
  use: '[NAME | -l label]',
  short: 'Display resource (CPU/memory) usage of pods of member clusters',
  long: dedent(`
    Display resource (CPU/memory) usage of pods.

     The 'top pod' command allows you to see the resource consumption of pods of member clusters.

     Due to the metrics pipeline delay, they may be unavailable for a few minutes since pod creation.`),
  example: dedent(`
    # Show metrics for all pods in the default namespace
    {{program}} top pod

    # Show metrics for all pods in the default namespace in member1 cluster
    {{program}} top pod --clusters=member1

    # Show metrics for all pods in the default namespace in member1 and member2 cluster
    {{program}} top pod --clusters=member1,member2

    # Show metrics for all pods in the given namespace
    {{program}} top pod --namespace=NAMESPACE

    # Show metrics for a given pod and its containers
    {{program}} top pod POD_NAME --containers

    # Show metrics for the pods defined by label name=myLabel
    {{program}} top pod -l name=myLabel`),
  flags: POD_FLAGS,
  args: [0, 1],
  async run(inv) {
    const base = await common(inv);
    const { runTopPod, validateFieldSelector } = await import('../operate/top');
    const { UserError } = await import('../errors');
    const fieldSelector = String(inv.flags['field-selector'] ?? '');
    const name = inv.args[0];
    if (name && (base.labelSelector || fieldSelector)) throw new UserError('only one of NAME or selector can be provided', { hint: 'drop NAME or drop -l/--field-selector' });
    validateFieldSelector(fieldSelector);
    const o = { ...base, name, fieldSelector, allNamespaces: Boolean(inv.flags['all-namespaces']), containers: Boolean(inv.flags.containers), sum: Boolean(inv.flags.sum) };
    return runWith(inv, (f) => runTopPod(f, o));
  },
};

export const topNodeCommand: CommandSpec = {
  name: 'node',
  aliases: ['nodes', 'no'],
  use: '[NAME | -l label]',
  short: 'Display resource (CPU/memory) usage of nodes',
  long: dedent(`
    Display resource (CPU/memory) usage of nodes in member clusters.

     The top-node command allows you to see the resource consumption of nodes.`),
  example: dedent(`
    # Show metrics for all nodes
    {{program}} top node

    # Show metrics for all nodes in member1 cluster
    {{program}} top node --clusters=member1

    # Show metrics for all nodes in member1 and member2 cluster
    {{program}} top node --clusters=member1,member2

    # Show metrics for a given node
    {{program}} top node NODE_NAME

    # Show metrics for the nodes defined by label name=myLabel
    {{program}} top node -l name=myLabel`),
  flags: NODE_FLAGS,
  args: [0, 1],
  async run(inv) {
    const base = await common(inv);
    const { runTopNode } = await import('../operate/top');
    const { UserError } = await import('../errors');
    const name = inv.args[0];
    if (name && base.labelSelector) throw new UserError('only one of NAME or --selector can be provided', { hint: 'drop NAME or drop -l' });
    const o = { ...base, name, showCapacity: Boolean(inv.flags['show-capacity']) };
    return runWith(inv, (f) => runTopNode(f, o));
  },
};

export const topCommand: CommandSpec = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage of member clusters',
  long: dedent(`
    Display Resource (CPU/Memory) usage of member clusters.

     The top command allows you to see the resource consumption for pods and nodes of member clusters.

     The numbers come from each member cluster's metrics.k8s.io API (Metrics Server in the member), read through the Karmada cluster proxy.`),
  children: [topPodCommand, topNodeCommand],
  args: [0, -1],
  // kubectl's DefaultSubCommandRun: the help on stderr and exit 1; a stray word is an unknown command
  async run({ ctx, args }) {
    const { UsageError } = await import('../errors');
    if (args.length) throw new UsageError(`unknown command "${args.join(' ')}"`, { hint: `See '${ctx.program} top -h' for help and examples` });
    const { renderCommandHelp } = await import('../ui/help');
    ctx.stderr.write(renderCommandHelp({ spec: topCommand, path: `${ctx.program} top`, program: ctx.program, isRoot: false }));
    return 1;
  },
};
