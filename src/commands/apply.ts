import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { completeClusters, CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';

/** -o formats of kubectl apply/create (no table). */
export const OBJECT_FORMATS = ['json', 'yaml', 'kyaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];

export const FILENAME_FLAG = (what: string): CliFlag => ({ name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: `The files that contain the configurations to ${what}.` });
export const RECURSIVE_FLAG: CliFlag = { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' };
export const DRY_RUN_FLAG: CliFlag = { name: 'dry-run', type: 'string', default: 'none', usage: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.', complete: () => ['none', 'server', 'client'] };
export const VALIDATE_FLAG: CliFlag = { name: 'validate', type: 'string', default: 'strict', usage: 'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.', complete: () => ['strict', 'warn', 'ignore'] };
export const SELECTOR_FLAG: CliFlag = { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." };

const APPLY_FLAGS: CliFlag[] = ([
  { name: 'all-clusters', type: 'bool', default: false, usage: 'If present, propagates a group of resources to all member clusters.' },
  { name: 'cluster', shorthand: 'C', type: 'stringSlice', default: [], usage: 'If present, propagates a group of resources to specified clusters.', complete: (ctx, _t, f) => completeClusters(ctx, f) },
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', usage: 'Name of the manager used to track field ownership.' },
  FILENAME_FLAG('apply'),
  { name: 'force-conflicts', type: 'bool', default: false, usage: 'If true, server-side apply will force the changes against conflicts.' },
  RECURSIVE_FLAG,
  SELECTOR_FLAG,
  { name: 'server-side', type: 'bool', default: false, usage: 'If true, apply runs in the server instead of the client.' },
  VALIDATE_FLAG,
  NAMESPACE_FLAG,
  ...CONNECTION_FLAGS,
  ...printFlagDefs({ formats: OBJECT_FORMATS, only: ['output', 'show-managed-fields', 'template', 'allow-missing-template-keys'] }),
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const applyCommand: CommandSpec = {
  name: 'apply',
  use: '-f FILENAME',
  short: 'Apply a configuration to a resource by file name or stdin and propagate them into member clusters',
  long: dedent(`
    Apply a configuration to a resource by file name or stdin and propagate them into member clusters. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.

     JSON and YAML formats are accepted.

     Alpha Disclaimer: the --prune functionality is not yet complete. Do not use unless you are aware of what the current state is. See https://issues.k8s.io/34274.

     Note: It implements the function of 'kubectl apply' by default. If you want to propagate them into member clusters, please use '{{program}} apply --all-clusters'.

     Every document of every file is read and checked (kind, type known to the server, name, namespace) before the first write: a bad document anywhere writes nothing.`),
  example: dedent(`
    # Apply the configuration without propagation into member clusters. It acts as 'kubectl apply'.
    {{program}} apply -f manifest.yaml

    # Apply resources from a directory and propagate them into all member clusters.
    {{program}} apply -f dir/ --all-clusters

    # Apply the configuration and propagate it into member1 and member2.
    {{program}} apply -f manifest.yaml --cluster member1,member2`),
  flags: APPLY_FLAGS,
  args: [0, 0],
  async run(inv) {
    const { runApplyCommand } = await import('../operate/apply-command');
    return runApplyCommand(inv, 'apply');
  },
};
