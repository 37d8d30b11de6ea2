import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';
import { DRY_RUN_FLAG, FILENAME_FLAG, OBJECT_FORMATS, RECURSIVE_FLAG, SELECTOR_FLAG, VALIDATE_FLAG } from './apply';

const CREATE_FLAGS: CliFlag[] = ([
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-create', usage: 'Name of the manager used to track field ownership.' },
  FILENAME_FLAG('create'),
  RECURSIVE_FLAG,
  { name: 'save-config', type: 'bool', default: false, usage: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
  SELECTOR_FLAG,
  VALIDATE_FLAG,
  NAMESPACE_FLAG,
  ...CONNECTION_FLAGS,
  ...printFlagDefs({ formats: OBJECT_FORMATS, only: ['output', 'show-managed-fields', 'template', 'allow-missing-template-keys'] }),
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const createCommand: CommandSpec = {
  name: 'create',
  use: '-f FILENAME',
  short: 'Create a resource from a file or from stdin',
  long: dedent(`
    Create a resource from a file or from stdin.

     JSON and YAML formats are accepted.

     Every document of every file is read and checked before the first write: a bad document anywhere creates nothing.`),
  example: dedent(`
    # Create a pod using the data in pod.json
    {{program}} create -f ./pod.json

    # Create a pod based on the JSON passed into stdin
    cat pod.json | {{program}} create -f -`),
  flags: CREATE_FLAGS,
  args: [0, 0],
  async run(inv) {
    const { runApplyCommand } = await import('../operate/apply-command');
    return runApplyCommand(inv, 'create');
  },
};
