import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';

const LOGS_FLAGS: CliFlag[] = ([
  { name: 'all-containers', type: 'bool', default: false, usage: "Get all containers' logs in the pod(s)." },
  { name: 'all-pods', type: 'bool', default: false, usage: 'Get logs from all pod(s). Sets prefix to true.' },
  { name: 'cluster', shorthand: 'C', type: 'string', default: '', usage: 'Specify a member cluster' },
  { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Print the logs of this container' },
  { name: 'follow', shorthand: 'f', type: 'bool', default: false, usage: 'Specify if the logs should be streamed.' },
  { name: 'ignore-errors', type: 'bool', default: false, usage: 'If watching / following pod logs, allow for any errors that occur to be non-fatal' },
  { name: 'insecure-skip-tls-verify-backend', type: 'bool', default: false, usage: "Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired." },
  { name: 'limit-bytes', type: 'int', default: 0, usage: 'Maximum bytes of logs to return. Defaults to no limit.' },
  { name: 'max-log-requests', type: 'int', default: 5, usage: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.' },
  { name: 'pod-running-timeout', type: 'duration', default: '20s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  { name: 'prefix', type: 'bool', default: false, usage: 'Prefix each log line with the log source (pod name and container name)' },
  { name: 'previous', shorthand: 'p', type: 'bool', default: false, usage: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
  { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: 'Selector (label query) to filter on.' },
  { name: 'since', type: 'duration', default: '0s', usage: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
  { name: 'since-time', type: 'string', default: '', usage: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' },
  { name: 'tail', type: 'int', default: -1, usage: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
  { name: 'timestamps', type: 'bool', default: false, usage: 'Include timestamps on each line in the log output' },
  NAMESPACE_FLAG,
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const logsCommand: CommandSpec = {
  name: 'logs',
  use: '[-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] (-C CLUSTER)',
  short: 'Print the logs for a container in a pod in a cluster',
  long: 'Print the logs for a container in a pod in a member cluster or specified resource. If the pod has only one container, the container name is optional.',
  example: dedent(`
    # Return snapshot logs from pod nginx with only one container in cluster(member1)
    {{program}} logs nginx -C=member1

    # Return snapshot logs from pod nginx with multi containers in cluster(member1)
    {{program}} logs nginx --all-containers=true -C=member1

    # Return snapshot logs from all containers in pods defined by label app=nginx in cluster(member1)
    {{program}} logs -l app=nginx --all-containers=true -C=member1

    # Return snapshot of previous terminated ruby container logs from pod web-1 in cluster(member1)
    {{program}} logs -p -c ruby web-1 -C=member1

    # Begin streaming the logs of the ruby container in pod web-1 in cluster(member1)
    {{program}} logs -f -c ruby web-1 -C=member1

    # Begin streaming the logs from all containers in pods defined by label app=nginx in cluster(member1)
    {{program}} logs -f -l app=nginx --all-containers=true -C=member1

    # Display only the most recent 20 lines of output in pod nginx in cluster(member1)
    {{program}} logs --tail=20 nginx -C=member1

    # Show all logs from pod nginx written in the last hour in cluster(member1)
    {{program}} logs --since=1h nginx -C=member1`),
  flags: LOGS_FLAGS,
  args: [0, -1],
  async run(inv) {
    const { runLogsCommand } = await import('../operate/logs-command');
    return runLogsCommand(inv);
  },
};
