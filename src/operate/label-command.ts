/** The `label` and `annotate` commands' run: flags → LabelOptions (validated before any request), then runLabel. */
import type { Invocation } from '../commands/spec';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { parsePrintFlags } from '../kubectl/printers';
import { MUTATE_FORMATS } from '../commands/label';
import { parseLabelArgs, runLabel, validateLabelOptions, type Kind, type LabelOptions } from './label-annotate';
import { parseDryRun } from './patch-common';

export async function runLabelCommand(inv: Invocation, kind: Kind): Promise<number> {
  const { ctx, flags } = inv;
  const filenames = ((flags.filename as string[] | undefined) ?? []).filter(Boolean);
  const list = Boolean(flags.list);
  const parsed = parseLabelArgs(kind, inv.args, { list, filenames: filenames.length > 0 });
  const d = parseDryRun(flags['dry-run']);
  const wantsPrint = String(flags.output ?? '') !== '' || String(flags.template ?? '') !== '';
  const o: LabelOptions = {
    kind,
    ...parsed,
    filenames,
    recursive: Boolean(flags.recursive),
    labelSelector: String(flags.selector ?? ''),
    fieldSelector: String(flags['field-selector'] ?? ''),
    all: Boolean(flags.all),
    allNamespaces: Boolean(flags['all-namespaces']),
    overwrite: Boolean(flags.overwrite),
    list,
    local: Boolean(flags.local),
    resourceVersion: String(flags['resource-version'] ?? ''),
    dryRun: d.dryRun,
    fieldManager: String(flags['field-manager'] ?? ''),
    print: wantsPrint ? parsePrintFlags(flags, { formats: MUTATE_FORMATS }) : undefined,
  };
  validateLabelOptions(o);
  if (d.warning) ctx.stderr.write(`Warning: ${d.warning}\n`);
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    return await runLabel(f, o, { out: (t) => ctx.stdout.write(t) }, ctx.signal);
  } finally {
    f.close();
  }
}
