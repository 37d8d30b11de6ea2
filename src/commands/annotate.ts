import type { CommandSpec } from './spec';
import { dedent } from './spec';
import { labelFlags } from './label';

export const annotateCommand: CommandSpec = {
  name: 'annotate',
  use: '[--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
  short: 'Update the annotations on a resource',
  long: dedent(`
    Update the annotations on one or more resources.

     All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.

     Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.

    Use "{{program}} api-resources" for a complete list of supported resources.`),
  example: dedent(`
    # Update deployment 'foo' with the annotation 'work.karmada.io/conflict-resolution' and the value 'overwrite'
    # If the same annotation is set multiple times, only the last value will be applied
    {{program}} annotate deployment foo work.karmada.io/conflict-resolution='overwrite'

    # Update a deployment identified by type and name in "deployment.json"
    {{program}} annotate -f deployment.json work.karmada.io/conflict-resolution='overwrite'

    # Update deployment 'foo' with the annotation 'work.karmada.io/conflict-resolution' and the value 'abort', overwriting any existing value
    {{program}} annotate --overwrite deployment foo work.karmada.io/conflict-resolution='abort'

    # Update all deployments in the namespace
    {{program}} annotate deployment --all work.karmada.io/conflict-resolution='abort'

    # Update deployment 'foo' only if the resource is unchanged from version 1
    {{program}} annotate deployment foo work.karmada.io/conflict-resolution='abort' --resource-version=1

    # Update deployment 'foo' by removing an annotation named 'work.karmada.io/conflict-resolution' if it exists
    # Does not require the --overwrite flag
    {{program}} annotate deployment foo work.karmada.io/conflict-resolution-`),
  flags: labelFlags('annotation'),
  args: [0, -1],
  async run(inv) {
    const { runLabelCommand } = await import('../operate/label-command');
    return runLabelCommand(inv, 'annotation');
  },
};
