import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { filenameFlags } from '../operate/patch-common';
import { mutatePrintFlags } from './label';
import { VALIDATE_FLAG } from './apply';

const EDIT_FLAGS: CliFlag[] = ([
  { name: 'field-manager', type: 'string', default: 'kubectl-edit', usage: 'Name of the manager used to track field ownership.' },
  ...filenameFlags('use to edit the resource').map((f) => (f.name === 'filename' ? { ...f, usage: 'Filename, directory, or URL to files to use to edit the resource' } : f)),
  { name: 'output-patch', type: 'bool', default: false, usage: 'Output the patch if the resource is edited.' },
  { name: 'save-config', type: 'bool', default: false, usage: 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.' },
  { name: 'subresource', type: 'string', default: '', usage: 'If specified, edit will operate on the subresource of the requested object.', complete: () => ['status', 'scale', 'resize'] },
  VALIDATE_FLAG,
  { name: 'windows-line-endings', type: 'bool', default: false, usage: 'Defaults to the line ending native to your platform.' },
  NAMESPACE_FLAG,
  ...mutatePrintFlags(),
  ...CONNECTION_FLAGS,
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

export const editCommand: CommandSpec = {
  name: 'edit',
  use: '(RESOURCE/NAME | -f FILENAME)',
  short: 'Edit a resource on the server',
  long: dedent(`
    Edit a resource from the default editor.

     The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.

     You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.

     Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.

     The default format is YAML. To edit in JSON, specify "-o json".

     The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.

     In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.`),
  example: dedent(`
    # Edit the service named 'registry'
    {{program}} edit svc/registry

    # Use an alternative editor
    KUBE_EDITOR="nano" {{program}} edit svc/registry

    # Edit the job 'myjob' in JSON using the v1 API format
    {{program}} edit job.v1.batch/myjob -o json

    # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation
    {{program}} edit deployment/mydeployment -o yaml --save-config

    # Edit the 'status' subresource for the 'mydeployment' deployment
    {{program}} edit deployment mydeployment --subresource='status'`),
  flags: EDIT_FLAGS,
  args: [0, -1],
  async run(inv) {
    const { runEditCommand } = await import('../operate/edit-command');
    return runEditCommand(inv);
  },
};
