import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { completeClusters, completeWith, CONNECTION_FLAGS, NAMESPACE_FLAG, operationScopeFlag } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';

const GET_FLAGS: CliFlag[] = ([
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable.' },
  { name: 'cluster-timeout', type: 'duration', default: '30s', usage: 'How long to wait for an answer from each cluster before reporting it as failed and printing the others (0 waits forever).' },
  { name: 'clusters', shorthand: 'C', type: 'stringSlice', default: [], usage: "Used to specify target member clusters and only takes effect when the command's operation scope is members or all, for example: --operation-scope=all --clusters=member1,member2", complete: (ctx, _t, f) => completeClusters(ctx, f) },
  { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  { name: 'ignore-not-found', type: 'bool', default: false, usage: 'If the requested object does not exist the command will return exit code 0.' },
  { name: 'labels', shorthand: 'l', type: 'string', default: '', usage: '-l=label or -l label' },
  NAMESPACE_FLAG,
  operationScopeFlag(['karmada', 'members', 'all']),
  { name: 'output-watch-events', type: 'bool', default: false, usage: 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.' },
  { name: 'watch', shorthand: 'w', type: 'bool', default: false, usage: 'After listing/getting the requested object, watch for changes. Uninitialized objects are excluded if no object name is provided.' },
  { name: 'watch-only', type: 'bool', default: false, usage: 'Watch for changes to the requested object(s), without listing/getting first.' },
  ...CONNECTION_FLAGS,
  ...printFlagDefs(),
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const getCommand: CommandSpec = {
  name: 'get',
  use: '[NAME | -l label | -n namespace] [flags] [options]',
  short: 'Display one or many resources in Karmada control plane and member clusters.',
  long: dedent(`
    Display one or many resources in Karmada control plane and member clusters.

     Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --labels flag. If the desired resource type is namespaced you will only see results in your current namespace unless you pass --all-namespaces.

     By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.

     Objects from member clusters carry the annotation resource.karmada.io/cached-from-cluster in -o json/yaml/jsonpath/template output; clusters that fail are reported one line each on stderr, and the exit code is 1.

    Use "{{program}} api-resources" for a complete list of supported resources.`),
  example: dedent(`
    # List all pods in ps output format
    {{program}} get pods

    # List all pods in ps output format with more information (such as node name)
    {{program}} get pods -o wide

    # List all pods of member1 cluster in ps output format
    {{program}} get pods --operation-scope=members --clusters=member1

    # List all pods of karmada control plane and member1 cluster in ps output format
    {{program}} get pods --operation-scope=all --clusters=member1

    # List a single replicasets controller with specified NAME in ps output format
    {{program}} get replicasets nginx

    # List deployments in JSON output format, in the "v1" version of the "apps" API group
    {{program}} get deployments.v1.apps -o json

    # Return only the phase value of the specified resource
    {{program}} get -o template deployment/nginx --template={{.spec.replicas}}

    # List all replication controllers and services together in ps output format
    {{program}} get rs,services

    # List one or more resources by their type and names
    {{program}} get rs/nginx-cb87b6d88 service/kubernetes`),
  flags: GET_FLAGS,
  args: [0, -1],
  async completeArgs(ctx, args, _t, flags) {
    if (args.length) return [];
    return completeWith(ctx, flags, async (f) => {
      const m = await (await f.karmada()).mapper();
      return [...new Set(m.mappings.filter((x) => x.verbs.includes('list')).map((x) => x.resource))].sort();
    });
  },
  async run(inv) {
    const { runGetCommand } = await import('../operate/get-command');
    return runGetCommand(inv);
  },
};
