import type { CliFlag, CommandSpec, Invocation } from './spec';
import { dedent } from './spec';
import { completeClusters, CONNECTION_FLAGS, operationScopeFlag } from '../kubectl/flags';

const CLUSTER_FLAG: CliFlag = {
  name: 'cluster',
  type: 'string',
  default: '',
  usage: "Used to specify a target member cluster and only takes effect when the command's operation scope is members, for example: --operation-scope=members --cluster=member1",
  complete: (ctx, _t, f) => completeClusters(ctx, f),
};

const API_RESOURCES_FLAGS: CliFlag[] = ([
  { name: 'api-group', type: 'string', default: '', usage: 'Limit to resources in the specified API group.' },
  { name: 'cached', type: 'bool', default: false, usage: 'Use the cached list of resources if available.' },
  { name: 'categories', type: 'stringSlice', default: [], usage: 'Limit to resources that belong to the specified categories.' },
  CLUSTER_FLAG,
  ...CONNECTION_FLAGS,
  { name: 'namespaced', type: 'bool', default: true, usage: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
  { name: 'no-headers', type: 'bool', default: false, usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
  operationScopeFlag(['karmada', 'members']),
  { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, kyaml, name, wide).', complete: () => ['json', 'yaml', 'kyaml', 'name', 'wide'] },
  { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
  { name: 'sort-by', type: 'string', default: '', usage: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'." },
  { name: 'verbs', type: 'stringSlice', default: [], usage: 'Limit to resources that support the specified verbs.' },
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

async function prepare(inv: Invocation, cmd: string) {
  const { parseOperationScope, configFlagsFrom } = await import('../kubectl/flags');
  const { validateScope, unexpectedArgs } = await import('../operate/api-resources');
  const { Factory } = await import('../kubectl/factory');
  unexpectedArgs(inv.args, `${inv.ctx.program} ${cmd}`);
  const sel = { scope: parseOperationScope(inv.flags['operation-scope']), cluster: String(inv.flags.cluster ?? '') };
  const warnings = validateScope(sel);
  for (const w of warnings) inv.ctx.stderr.write(`Warning: ${w}\n`);
  return { sel, factory: new Factory(inv.ctx, configFlagsFrom(inv.flags)) };
}

export const apiResourcesCommand: CommandSpec = {
  name: 'api-resources',
  use: '[flags] [options]',
  short: 'Print the supported API resources on the server',
  long: 'Print the supported API resources on the server.',
  example: dedent(`
    # Print the supported API resources in Karmada control plane
    {{program}} api-resources

    # Print the supported API resources with more information in cluster(member1)
    {{program}} api-resources -o wide --operation-scope=members --cluster=member1

    # Print the supported API resources sorted by a column in Karmada control plane
    {{program}} api-resources --sort-by=name

    # Print the supported namespaced resources in Karmada control plane
    {{program}} api-resources --namespaced=true

    # Print the supported non-namespaced resources in Karmada control plane
    {{program}} api-resources --namespaced=false

    # Print the supported API resources with a specific APIGroup in Karmada control plane
    {{program}} api-resources --api-group=rbac.authorization.k8s.io`),
  flags: API_RESOURCES_FLAGS,
  args: [0, -1],
  async run(inv) {
    const { UserError } = await import('../errors');
    const { flags, explicit, ctx } = inv;
    const output = String(flags.output ?? '');
    if (!['', 'wide', 'name', 'json', 'yaml', 'kyaml'].includes(output)) {
      throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,kyaml,name,wide,yaml`);
    }
    const { sel, factory } = await prepare(inv, 'api-resources');
    const sortBy = String(flags['sort-by'] ?? '');
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new UserError('--sort-by accepts only name or kind');
    const { runApiResources } = await import('../operate/api-resources');
    try {
      const r = await runApiResources(factory, {
        ...sel,
        output: output as never,
        noHeaders: Boolean(flags['no-headers']),
        namespaced: explicit.has('namespaced') ? Boolean(flags.namespaced) : undefined,
        apiGroup: explicit.has('api-group') ? String(flags['api-group'] ?? '') : undefined,
        verbs: (flags.verbs as string[] | undefined) ?? [],
        categories: (flags.categories as string[] | undefined) ?? [],
        sortBy: sortBy as never,
        cached: Boolean(flags.cached),
      });
      ctx.stdout.write(r.stdout);
      for (const e of r.errors) ctx.stderr.write(`error: ${e}\n`);
      return r.errors.length ? 1 : 0;
    } finally {
      factory.close();
    }
  },
};

export const apiVersionsCommand: CommandSpec = {
  name: 'api-versions',
  use: '[flags] [options]',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  long: 'Print the supported API versions on the server, in the form of "group/version".',
  example: dedent(`
    # Print the supported API versions
    {{program}} api-versions

    # Print the supported API versions in cluster(member1)
    {{program}} api-versions --operation-scope=members --cluster=member1`),
  flags: ([CLUSTER_FLAG, ...CONNECTION_FLAGS, operationScopeFlag(['karmada', 'members'])] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name)),
  args: [0, -1],
  async run(inv) {
    const { sel, factory } = await prepare(inv, 'api-versions');
    const { runApiVersions } = await import('../operate/api-resources');
    try {
      inv.ctx.stdout.write(await runApiVersions(factory, sel));
      return 0;
    } finally {
      factory.close();
    }
  },
};
