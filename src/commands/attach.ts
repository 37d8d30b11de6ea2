import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { completePods, STREAM_FLAGS } from './exec';

export const attachCommand: CommandSpec = {
  name: 'attach',
  use: '(POD | TYPE/NAME) -c CONTAINER [--operation-scope=members --cluster=CLUSTER] [options]',
  short: 'Attach to a running container',
  long: dedent(`
    Attach to a process that is already running inside an existing container.

     The pod is looked up in the Karmada control plane unless --operation-scope=members --cluster=NAME names a member cluster (reached through the karmada-apiserver's cluster proxy).`),
  // The reference's examples omit --operation-scope=members, so as written they attach in the control plane.
  example: dedent(`
    # Get output from running pod mypod in cluster(member1); use the 'kubectl.kubernetes.io/default-container' annotation
    # for selecting the container to be attached or the first container in the pod will be chosen
    {{program}} attach mypod --operation-scope=members --cluster=member1

    # Get output from ruby-container from pod mypod in cluster(member1)
    {{program}} attach mypod -c ruby-container --operation-scope=members --cluster=member1

    # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod in Karmada control plane
    # and sends stdout/stderr from 'bash' back to the client
    {{program}} attach mypod -c ruby-container -i -t

    # Get output from the first pod of a replica set named nginx in cluster(member1)
    {{program}} attach rs/nginx --operation-scope=members --cluster=member1`),
  flags: ([...STREAM_FLAGS] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name)),
  args: [0, -1],
  completeArgs: completePods,
  async run(inv) {
    const { runAttachCommand } = await import('../operate/stream/command');
    return runAttachCommand(inv);
  },
};
