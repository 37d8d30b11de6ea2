import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';
import { dryRunFlag, filenameFlags } from '../operate/patch-common';

/** The -o formats of kubectl's mutating commands (PrintFlags without the table printers). */
export const MUTATE_FORMATS = ['json', 'yaml', 'kyaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];

export function mutatePrintFlags(): CliFlag[] {
  return printFlagDefs({ formats: MUTATE_FORMATS, only: ['output', 'template', 'allow-missing-template-keys', 'show-managed-fields'] });
}

/** label and annotate share kubectl's flag set. */
export function labelFlags(kind: 'label' | 'annotation'): CliFlag[] {
  const cmd = kind === 'label' ? 'label' : 'annotate';
  const plural = kind === 'label' ? 'labels' : 'annotations';
  return ([
    { name: 'all', type: 'bool', default: false, usage: `Select all resources, in the namespace of the specified resource types` },
    { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If true, check the specified action in all namespaces.' },
    dryRunFlag(),
    { name: 'field-manager', type: 'string', default: `kubectl-${cmd}`, usage: 'Name of the manager used to track field ownership.' },
    { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
    ...filenameFlags(`update the ${kind}`),
    { name: 'list', type: 'bool', default: false, usage: `If true, display the ${plural} for a given resource.` },
    { name: 'local', type: 'bool', default: false, usage: `If true, ${kind} will NOT contact api-server but run locally.` },
    NAMESPACE_FLAG,
    { name: 'overwrite', type: 'bool', default: false, usage: kind === 'label' ? 'If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.' : 'If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations.' },
    { name: 'resource-version', type: 'string', default: '', usage: `If non-empty, the ${kind}s update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.` },
    { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
    ...mutatePrintFlags(),
    ...CONNECTION_FLAGS,
  ] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));
}

export const labelCommand: CommandSpec = {
  name: 'label',
  use: '[--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
  short: 'Update the labels on a resource',
  long: dedent(`
    Update the labels on a resource.

      *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.
      *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
      *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.
      *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.`),
  example: dedent(`
    # Update deployment 'foo' with the label 'resourcetemplate.karmada.io/deletion-protected' and the value 'Always'
    {{program}} label deployment foo resourcetemplate.karmada.io/deletion-protected=Always

    # Update deployment 'foo' with the label 'resourcetemplate.karmada.io/deletion-protected' and the value '', overwriting any existing value
    {{program}} label --overwrite deployment foo resourcetemplate.karmada.io/deletion-protected=

    # Update all deployment in the namespace
    {{program}} label deployment --all resourcetemplate.karmada.io/deletion-protected=

    # Update a deployment identified by the type and name in "deployment.json"
    {{program}} label -f deployment.json resourcetemplate.karmada.io/deletion-protected=

    # Update deployment 'foo' only if the resource is unchanged from version 1
    {{program}} label deployment foo resourcetemplate.karmada.io/deletion-protected=Always --resource-version=1

    # Update deployment 'foo' by removing a label named 'bar' if it exists
    # Does not require the --overwrite flag
    {{program}} label deployment foo resourcetemplate.karmada.io/deletion-protected-`),
  flags: labelFlags('label'),
  args: [0, -1],
  async run(inv) {
    const { runLabelCommand } = await import('../operate/label-command');
    return runLabelCommand(inv, 'label');
  },
};
