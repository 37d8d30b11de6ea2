import type { CommandSpec } from './spec';
import { UsageError } from '../errors';
import { completeClusters, KARMADA_CONTEXT_FLAG, KUBECONFIG_FLAG, NAMESPACE_FLAG, operationScopeFlag, parseOperationScope } from '../kubectl/flags';

/** karmada v1.18.2: pkg/karmadactl/explain/explain.go on kubectl v0.35.3's explain. */
export const explainCommand: CommandSpec = {
  name: 'explain',
  // The reference's own text after kubectl's markdown normaliser (templates.LongDesc/Examples).
  use: 'TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2]  [options]',
  short: 'Get documentation for a resource',
  long: [
    'Describe fields and structure of various resources in Karmada control plane or a member cluster.',
    '',
    ' This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:',
    '',
    '        `<type>.<fieldName>[.<fieldName>]`',
    '        ',
    ' Information about each field is retrieved from the server in OpenAPI format.',
  ].join('\n'),
  example: [
    '  # Get the documentation of the resource and its fields in Karmada control plane',
    '  {{program}} explain propagationpolicies',
    '  ',
    '  # Get all the fields in the resource in member cluster member1',
    '  {{program}} explain pods --recursive --operation-scope=members --cluster=member1',
    '  ',
    '  # Get the explanation for resourcebindings in supported api versions in Karmada control plane',
    '  {{program}} explain resourcebindings --api-version=work.karmada.io/v1alpha1',
    '  ',
    '  # Get the documentation of a specific field of a resource in member cluster member1',
    '  {{program}} explain pods.spec.containers --operation-scope=members --cluster=member1',
    '  ',
    '  # Get the documentation of resources in different format in Karmada control plane',
    '  {{program}} explain clusterpropagationpolicies --output=plaintext-openapiv2',
  ].join('\n'),
  flags: [
    { name: 'api-version', type: 'string', default: '', usage: 'Get different explanations for particular API version (API group/version)' },
    {
      name: 'cluster',
      type: 'string',
      default: '',
      usage: "Used to specify a target member cluster and only takes effect when the command's operation scope is member clusters, for example: --operation-scope=members --cluster=member1",
      complete: (ctx, _t, f) => completeClusters(ctx, f),
    },
    KARMADA_CONTEXT_FLAG,
    KUBECONFIG_FLAG,
    NAMESPACE_FLAG,
    operationScopeFlag(['karmada', 'members']),
    { name: 'output', shorthand: 'o', type: 'string', default: 'plaintext', usage: 'Format in which to render the schema (plaintext, plaintext-openapiv2)', complete: () => ['plaintext', 'plaintext-openapiv2'] },
    { name: 'recursive', type: 'bool', default: false, usage: 'Print the fields of fields (Currently only 1 level deep)' },
  ],
  args: [0, -1],
  async run({ ctx, flags, args }) {
    // Everything is validated before the first request (the reference GETs the Cluster first).
    const scope = parseOperationScope(flags['operation-scope']);
    if (scope === 'all') throw new UsageError('not support operation scope: all', { hint: 'use --operation-scope=karmada or --operation-scope=members' });
    const cluster = String(flags.cluster ?? '');
    if (scope === 'members' && !cluster) throw new UsageError('must specify a member cluster', { hint: 'add --cluster=<name>' });
    if (args.length === 0) {
      throw new UsageError(`You must specify the type of resource to explain. Use "${ctx.program} api-resources" for a complete list of supported resources.`);
    }
    if (args.length > 1) throw new UsageError('We accept only this format: explain RESOURCE');
    if (scope === 'karmada' && cluster) {
      ctx.stderr.write(`Warning: --cluster=${cluster} has no effect without --operation-scope=members; explaining the Karmada control plane's ${args[0]}\n`);
    }
    const [{ Factory }, { configFlagsFrom }, { explain }] = await Promise.all([import('../kubectl/factory'), import('../kubectl/flags'), import('../operate/explain')]);
    const f = new Factory(ctx, configFlagsFrom(flags));
    try {
      const target = scope === 'members' ? await f.forCluster(cluster) : await f.karmada();
      const text = await explain(target, {
        resource: args[0],
        recursive: Boolean(flags.recursive),
        apiVersion: String(flags['api-version'] ?? ''),
        output: String(flags.output ?? 'plaintext'),
      });
      ctx.stdout.write(text);
    } finally {
      f.close();
    }
  },
};
