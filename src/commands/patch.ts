import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { dryRunFlag, filenameFlags } from '../operate/patch-common';
import { mutatePrintFlags } from './label';

const PATCH_FLAGS: CliFlag[] = ([
  dryRunFlag(),
  { name: 'field-manager', type: 'string', default: 'kubectl-patch', usage: 'Name of the manager used to track field ownership.' },
  ...filenameFlags('update'),
  { name: 'local', type: 'bool', default: false, usage: 'If true, patch will operate on the content of the file, not the server-side resource.' },
  NAMESPACE_FLAG,
  { name: 'patch', shorthand: 'p', type: 'string', default: '', usage: 'The patch to be applied to the resource JSON file.' },
  { name: 'patch-file', type: 'string', default: '', usage: 'A file containing a patch to be applied to the resource.' },
  { name: 'subresource', type: 'string', default: '', usage: "If specified, patch will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.", complete: () => ['status', 'scale'] },
  { name: 'type', type: 'string', default: 'strategic', usage: 'The type of patch being provided; one of [json merge strategic]', complete: () => ['json', 'merge', 'strategic'] },
  ...mutatePrintFlags(),
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const patchCommand: CommandSpec = {
  name: 'patch',
  use: '(-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]',
  short: 'Update fields of a resource',
  long: dedent(`
    Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

     JSON and YAML formats are accepted.

     Note: Strategic merge patch is not supported for custom resources.`),
  example: dedent(`
    # Partially update a deployment using a strategic merge patch, specifying the patch as JSON
    {{program}} patch deployment nginx-deployment -p '{"spec":{"replicas":2}}'

    # Partially update a deployment using a strategic merge patch, specifying the patch as YAML
    {{program}} patch deployment nginx-deployment -p $'spec:\\n replicas: 2'

    # Partially update a deployment identified by the type and name specified in "deployment.json" using strategic merge patch
    {{program}} patch -f deployment.json -p '{"spec":{"replicas":2}}'

    # Update a propagationpolicy's conflictResolution using a JSON patch with positional arrays
    {{program}} patch propagationpolicy nginx-propagation --type='json' -p='[{"op": "replace", "path": "/spec/conflictResolution", "value":"Overwrite"}]'

    # Update a deployment's replicas through the 'scale' subresource using a merge patch
    {{program}} patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`),
  flags: PATCH_FLAGS,
  args: [0, -1],
  async run(inv) {
    const { runPatchCommand } = await import('../operate/patch-command');
    return runPatchCommand(inv);
  },
};
