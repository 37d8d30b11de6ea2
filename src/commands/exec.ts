import type { CliFlag, CommandSpec } from './spec';
import type { Context } from '../context';
import { dedent } from './spec';
import { completeClusters, completeWith, CONNECTION_FLAGS, NAMESPACE_FLAG, operationScopeFlag } from '../kubectl/flags';

/** `--cluster` of exec and attach: no short form, honoured with `-s members` (as karmadactl v1.18.2). */
export const STREAM_CLUSTER_FLAG: CliFlag = {
  name: 'cluster',
  type: 'string',
  default: '',
  usage: "Used to specify a target member cluster and only takes effect when the command's operation scope is members, for example: --operation-scope=members --cluster=member1",
  complete: (ctx, _t, f) => completeClusters(ctx, f),
};

/** Flags exec and attach share. */
export const STREAM_FLAGS: CliFlag[] = [
  STREAM_CLUSTER_FLAG,
  { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
  ...CONNECTION_FLAGS,
  NAMESPACE_FLAG,
  operationScopeFlag(['karmada', 'members']),
  { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'Only print output from the remote session' },
  { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: 'Pass stdin to the container' },
  { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: 'Stdin is a TTY' },
];

/** Pod names of the target (`-s members --cluster X`, else the control plane) in the namespace; never throws. */
export async function completePods(ctx: Context, args: string[], _t: string, flags: Record<string, unknown>): Promise<string[]> {
  if (args.length) return [];
  return completeWith(ctx, flags, async (f) => {
    const cluster = String(flags.cluster ?? '');
    const t = flags['operation-scope'] === 'members' && cluster ? await f.forCluster(cluster) : await f.karmada();
    const { namespace } = await f.namespace();
    const l = await t.client.request<{ items?: { metadata: { name: string } }[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`);
    return (l.items ?? []).map((p) => p.metadata.name);
  });
}

export const execCommand: CommandSpec = {
  name: 'exec',
  // The reference's use line advertises `(-C CLUSTER)`, a flag exec does not have.
  use: '(POD | TYPE/NAME) [-c CONTAINER] [--operation-scope=members --cluster=CLUSTER] -- COMMAND [args...] [options]',
  short: 'Execute a command in a container in a cluster',
  long: dedent(`
    Execute a command in a container.

     The pod is looked up in the Karmada control plane unless --operation-scope=members --cluster=NAME names a member cluster (reached through the karmada-apiserver's cluster proxy). The exit code of the remote command becomes karmadactl's.`),
  example: dedent(`
    # Get output from running the 'date' command from pod mypod, using the first container by default (Karmada control plane)
    {{program}} exec mypod -- date

    # Get output from running the 'date' command from pod mypod, using the first container by default in cluster(member1)
    {{program}} exec mypod --operation-scope=members --cluster=member1 -- date

    # Get output from running the 'date' command in ruby-container from pod mypod in cluster(member1)
    {{program}} exec mypod -c ruby-container --operation-scope=members --cluster=member1 -- date

    # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod in cluster(member1)
    # and sends stdout/stderr from 'bash' back to the client
    {{program}} exec mypod -c ruby-container --operation-scope=members --cluster=member1 -i -t -- bash -il

    # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default in cluster(member1)
    {{program}} exec deploy/mydeployment --operation-scope=members --cluster=member1 -- date

    # Get output from running 'date' command from the first pod of the service myservice, using the first container by default in cluster(member1)
    {{program}} exec svc/myservice --operation-scope=members --cluster=member1 -- date`),
  flags: ([...STREAM_FLAGS, { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'to use to exec into the resource' }] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name)),
  args: [0, -1],
  completeArgs: completePods,
  async run(inv) {
    const { runExecCommand } = await import('../operate/stream/command');
    return runExecCommand(inv);
  },
};
