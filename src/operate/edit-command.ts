/** The `edit` command's run: flags → EditOptions (checked before any request), then runEdit. */
import type { Invocation } from '../commands/spec';
import { UsageError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { parsePrintFlags } from '../kubectl/printers';
import { MUTATE_FORMATS } from '../commands/label';
import { NO_RESOURCES_HINT, NO_RESOURCES_MESSAGE } from '../kubectl/builder';
import { parseValidate } from './apply';
import { runEdit, type EditOptions } from './edit';

export async function runEditCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  const filenames = ((flags.filename as string[] | undefined) ?? []).filter(Boolean);
  if (!args.length && !filenames.length) throw new UsageError(NO_RESOURCES_MESSAGE, { hint: NO_RESOURCES_HINT });
  const output = String(flags.output ?? '');
  const template = String(flags.template ?? '');
  const print = output || template ? parsePrintFlags(flags, { formats: MUTATE_FORMATS }) : undefined;
  // kubectl prints the file with a JSON/YAML printer only: any other -o fails before the editor runs.
  if (print && !['json', 'yaml', 'kyaml'].includes(print.format)) throw new UsageError(`unable to match a printer suitable for the output format "${print.output ?? output}", allowed formats are: json,kyaml,yaml`, { hint: 'edit takes -o yaml (the default), -o json or -o kyaml' });
  const o: EditOptions = {
    args,
    filenames,
    recursive: Boolean(flags.recursive),
    // kubectl edits in JSON only for -o json; every other -o edits YAML (and prints the result with -o).
    format: print?.format === 'json' ? 'json' : print?.format === 'kyaml' ? 'kyaml' : 'yaml',
    print,
    outputPatch: Boolean(flags['output-patch']),
    saveConfig: Boolean(flags['save-config']),
    windowsLineEndings: Boolean(flags['windows-line-endings']),
    validation: parseValidate(flags.validate),
    fieldManager: String(flags['field-manager'] ?? 'kubectl-edit'),
    subresource: String(flags.subresource ?? ''),
    executable: ctx.invokedAs,
    env: ctx.env,
  };
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    return await runEdit(f, o, { out: (t) => ctx.stdout.write(t), err: (t) => ctx.stderr.write(t) }, ctx.signal);
  } finally {
    f.close();
  }
}
