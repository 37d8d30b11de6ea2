import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { dryRunFlag, filenameFlags } from '../operate/patch-common';

const DELETE_FLAGS: CliFlag[] = ([
  { name: 'all', type: 'bool', default: false, usage: 'Delete all resources, in the namespace of the specified resource types.' },
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  { name: 'cascade', type: 'string', default: 'background', usage: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', complete: () => ['background', 'orphan', 'foreground'] },
  dryRunFlag(),
  { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  ...filenameFlags('delete.'),
  { name: 'force', type: 'bool', default: false, usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
  { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
  { name: 'ignore-not-found', type: 'bool', default: false, usage: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
  { name: 'interactive', shorthand: 'i', type: 'bool', default: false, usage: 'If true, delete resource only when user confirms.' },
  NAMESPACE_FLAG,
  { name: 'now', type: 'bool', default: false, usage: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
  { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output mode. Use "-o name" for shorter output (resource/name).', complete: () => ['name'] },
  { name: 'raw', type: 'string', default: '', usage: 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.' },
  { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
  { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
  { name: 'wait', type: 'bool', default: true, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const deleteCommand: CommandSpec = {
  name: 'delete',
  use: '([-f FILENAME] | TYPE [(NAME | -l label | --all)])',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  long: dedent(`
    Delete resources by file names, stdin, resources and names, or by resources and label selector.

     JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.

     Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take significantly longer than the grace period. To force delete a resource, you must specify the --force flag. Note: only a subset of resources support graceful deletion. In absence of the support, the --grace-period flag is ignored.

     IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes have been terminated, which can leave those processes running until the node detects the deletion and completes graceful deletion. If your processes use shared storage or talk to a remote API and depend on the name of the pod to identify themselves, force deleting those pods may result in multiple processes running on different machines using the same identification which may lead to data corruption or inconsistency. Only force delete pods when you are sure the pod is terminated, or if your application can tolerate multiple copies of the same pod running at once. Also, if you force delete pods, the scheduler may place new pods on those nodes before the node has released those resources and causing those pods to be evicted immediately.

     Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.

     After a CustomResourceDefinition is deleted, invalidation of discovery cache may take up to 6 hours. If you don't want to wait, you might want to run "{{program}} api-resources" to refresh the discovery cache.`),
  example: dedent(`
    # Delete a propagationpolicy using the type and name specified in propagationpolicy.json
    {{program}} delete -f ./propagationpolicy.json

    # Delete resources from all files that end with '.json'
    {{program}} delete -f '*.json'

    # Delete a propagationpolicy based on the type and name in the JSON passed into stdin
    cat propagationpolicy.json | {{program}} delete -f -

    # Delete propagationpolicies and services with same names "baz" and "foo"
    {{program}} delete propagationpolicy,service baz foo

    # Delete propagationpolicies and services with label name=myLabel
    {{program}} delete propagationpolicies,services -l name=myLabel

    # Delete a propagationpolicy with minimal delay
    {{program}} delete propagationpolicy foo --now

    # Force delete a propagationpolicy
    {{program}} delete propagationpolicy foo --force

    # Delete all propagationpolicies
    {{program}} delete propagationpolicies --all`),
  flags: DELETE_FLAGS,
  args: [0, -1],
  async run(inv) {
    const { runDeleteCommand } = await import('../operate/delete-command');
    return runDeleteCommand(inv);
  },
};
