import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import type { Context } from '../context';
import { KARMADA_CONTEXT_FLAG, KUBECONFIG_FLAG } from '../kubectl/flags';

/** --kubeconfig / --karmada-context of the commands that talk to the karmada-apiserver (kubectl's loading rules). */
export const KARMADA_KUBECONFIG_FLAGS: CliFlag[] = [KUBECONFIG_FLAG, KARMADA_CONTEXT_FLAG];

async function contexts(ctx: Context, file: unknown): Promise<string[]> {
  const { listContexts } = await import('../kube/config');
  return listContexts(file ? String(file) : undefined, ctx.env, ctx.homedir);
}

const clusterNames = async (ctx: Context, args: string[], _t: string, flags: Record<string, unknown>, max = 1) => {
  if (max > 0 && args.length >= max) return [];
  const { completeClusterNames } = await import('../clusters/common');
  return (await completeClusterNames(ctx, flags)).filter((n) => !args.includes(n));
};

const OUTPUT_FLAG: CliFlag = { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml. Default: a summary line.', complete: () => ['json', 'yaml'] };

export const CLUSTER_NS_FLAG: CliFlag = { name: 'cluster-namespace', type: 'string', default: 'karmada-cluster', usage: 'Namespace in the control plane where member cluster secrets are stored.' };

export const joinCommand: CommandSpec = {
  name: 'join',
  use: 'CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG>',
  short: 'Register a cluster to Karmada control plane with Push mode',
  long: dedent(`
    Register a cluster to Karmada control plane with Push mode.

    Re-running join is safe: a join that failed half-way is finished, a finished one changes nothing.
    When a run fails, what it created is removed again.`),
  example: dedent(`
    # Join cluster into karmada control plane; without '--cluster-context' the current context of the cluster kubeconfig is used
    {{program}} join CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG>

    # Contexts of one kubeconfig file for both sides
    {{program}} join member1 --kubeconfig=<KARMADA_KUBECONFIG> --karmada-context=karmada --cluster-kubeconfig=<MEMBER_KUBECONFIG> --cluster-context=member1

    # Show what would be created, without writing anything
    {{program}} join member1 --cluster-kubeconfig=<KUBECONFIG> --dry-run`),
  flags: [
    CLUSTER_NS_FLAG,
    { name: 'cluster-context', type: 'string', default: '', usage: 'Name of cluster context in kubeconfig. The current context is used by default.', complete: (ctx, _t, f) => contexts(ctx, f['cluster-kubeconfig']) },
    { name: 'cluster-kubeconfig', type: 'string', default: '', usage: 'Path of the cluster\'s kubeconfig.' },
    { name: 'cluster-provider', type: 'string', default: '', usage: 'Provider of the joining cluster. The Karmada scheduler can use this information to spread workloads across providers for higher availability.' },
    { name: 'cluster-region', type: 'string', default: '', usage: 'The region of the joining cluster. The Karmada scheduler can use this information to spread workloads across regions for higher availability.' },
    { name: 'cluster-zones', type: 'stringSlice', default: [], usage: 'The zones of the joining cluster. The Karmada scheduler can use this information to spread workloads across zones for higher availability.' },
    { name: 'karmada-as', type: 'string', default: '', usage: 'Username to impersonate for the operation in Karmada control plane. User could be a regular user or a service account in a namespace.' },
    { name: 'karmada-as-group', type: 'stringArray', default: [], usage: 'Group to impersonate for the operation in Karmada control plane, this flag can be repeated to specify multiple groups.' },
    { name: 'karmada-as-uid', type: 'string', default: '', usage: 'UID to impersonate for the operation in Karmada control plane.' },
    { name: 'dry-run', type: 'bool', default: false, usage: 'Read both clusters and show what would be created; nothing is written.' },
    ...KARMADA_KUBECONFIG_FLAGS,
    OUTPUT_FLAG,
  ],
  args: [0, -1],
  completeArgs: (ctx, args, t, f) => (args.length ? [] : contexts(ctx, f['cluster-kubeconfig'])),
  async run({ ctx, flags, args }) {
    const { joinOptionsFromFlags, runJoin, printJoinResult } = await import('../clusters/join');
    const o = joinOptionsFromFlags(args, flags);
    await printJoinResult(ctx, await runJoin(ctx, o), o.output);
  },
};

export const unjoinCommand: CommandSpec = {
  name: 'unjoin',
  use: 'CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG>',
  short: 'Remove a cluster from Karmada control plane',
  long: dedent(`
    Remove a cluster from Karmada control plane.

    With '--cluster-kubeconfig', the credentials join created in the member cluster are removed too;
    a namespace that join did not create is kept.`),
  example: dedent(`
    # Unjoin cluster from karmada control plane, but not to remove resources created by karmada in the unjoining cluster
    {{program}} unjoin CLUSTER_NAME

    # Unjoin cluster from karmada control plane and attempt to remove resources created by karmada in the unjoining cluster
    {{program}} unjoin CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG>

    # Unjoin cluster from karmada control plane with timeout
    {{program}} unjoin CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG> --wait 2m`),
  flags: [
    CLUSTER_NS_FLAG,
    { name: 'cluster-context', type: 'string', default: '', usage: 'Context name of cluster in kubeconfig. Defaults to a context named after the cluster, else the current context.', complete: (ctx, _t, f) => contexts(ctx, f['cluster-kubeconfig']) },
    { name: 'cluster-kubeconfig', type: 'string', default: '', usage: 'Path of the cluster\'s kubeconfig.' },
    { name: 'force', type: 'bool', default: false, usage: 'When the cluster is not deleted within the wait, remove the finalizers of its Works and of the cluster, and tolerate errors removing the member-side objects.' },
    { name: 'wait', type: 'duration', default: '1m0s', usage: 'wait for the unjoin command execution process(default 60s), if there is no success after this time, timeout will be returned.' },
    { name: 'dry-run', type: 'bool', default: false, usage: 'Read the clusters and show what would be deleted; nothing is deleted or changed.' },
    ...KARMADA_KUBECONFIG_FLAGS,
    OUTPUT_FLAG,
  ],
  args: [0, -1],
  completeArgs: (ctx, args, t, f) => clusterNames(ctx, args, t, f),
  async run({ ctx, flags, args }) {
    const { unjoinOptionsFromFlags, runUnjoin, printUnjoinResult } = await import('../clusters/unjoin');
    const o = unjoinOptionsFromFlags(args, flags);
    await printUnjoinResult(ctx, await runUnjoin(ctx, o), o.output);
  },
};

const DRY_RUN_FLAG: CliFlag = { name: 'dry-run', type: 'bool', default: false, usage: 'Read the Cluster objects from the Karmada control plane and show the change; nothing is written.' };

function cordonSpec(cordon: boolean): CommandSpec {
  const word = cordon ? 'unschedulable' : 'schedulable';
  return {
    name: cordon ? 'cordon' : 'uncordon',
    use: 'CLUSTER',
    short: `Mark cluster as ${word}`,
    long: `Mark cluster as ${word}.`,
    example: dedent(`
      # Mark cluster "foo" as ${word}.
      {{program}} ${cordon ? 'cordon' : 'uncordon'} foo`),
    flags: [...KARMADA_KUBECONFIG_FLAGS, DRY_RUN_FLAG],
    args: [0, -1],
    completeArgs: (ctx, args, t, f) => clusterNames(ctx, args, t, f, 0),
    async run({ ctx, flags, args }) {
      const { UsageError } = await import('../errors');
      if (!args.length) throw new UsageError('cluster name is required', { hint: `e.g. ${ctx.program} ${cordon ? 'cordon' : 'uncordon'} member1` });
      const { runCordon } = await import('../clusters/taint');
      const { karmadaTarget } = await import('../clusters/common');
      return runCordon(ctx, karmadaTarget(flags), args, cordon, Boolean(flags['dry-run']));
    },
  };
}

export const cordonCommand = cordonSpec(true);
export const uncordonCommand = cordonSpec(false);

export const taintCommand: CommandSpec = {
  name: 'taint',
  use: 'CLUSTER NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
  short: 'Update the taints on one or more clusters',
  long: dedent(`
    Update the taints on one or more clusters.

     * A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.
     * The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.
     * Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
     * The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.
     * The effect must be NoSchedule, PreferNoSchedule or NoExecute.
     * Currently taint can only apply to cluster.

    Changes are made with optimistic concurrency: taints another client adds meanwhile are kept.`),
  example: dedent(`
    # Update cluster 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'
    # If a taint with that key and effect already exists, its value is replaced as specified
    {{program}} taint clusters foo dedicated=special-user:NoSchedule

    # Remove from cluster 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists
    {{program}} taint clusters foo dedicated:NoSchedule-

    # Remove from cluster 'foo' all the taints with key 'dedicated'
    {{program}} taint clusters foo dedicated-

    # Add to cluster 'foo' a taint with key 'bar' and no value
    {{program}} taint clusters foo bar:NoSchedule`),
  flags: [
    ...KARMADA_KUBECONFIG_FLAGS,
    { name: 'overwrite', type: 'bool', default: false, usage: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    DRY_RUN_FLAG,
  ],
  args: [0, -1],
  completeArgs: (ctx, args, t, f) => (args.length === 0 ? ['clusters'] : clusterNames(ctx, args.slice(1), t, f, 0)),
  async run({ ctx, flags, args }) {
    const { runTaint } = await import('../clusters/taint');
    const { karmadaTarget } = await import('../clusters/common');
    return runTaint(ctx, karmadaTarget(flags), args, Boolean(flags.overwrite), Boolean(flags['dry-run']));
  },
};
