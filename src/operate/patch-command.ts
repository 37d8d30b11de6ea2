/** The `patch` command's run: flags → PatchOptions (the patch parsed and checked before any request), then runPatch. */
import type { Invocation } from '../commands/spec';
import { UsageError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { parsePrintFlags } from '../kubectl/printers';
import { MUTATE_FORMATS } from '../commands/label';
import { parsePatch, parsePatchType, readPatch, runPatch, SUBRESOURCES, type PatchOptions } from './patch';
import { parseDryRun } from './patch-common';

export async function runPatchCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  const filenames = ((flags.filename as string[] | undefined) ?? []).filter(Boolean);
  const local = Boolean(flags.local);
  const d = parseDryRun(flags['dry-run']);
  if (local && args.length) throw new UsageError('cannot specify --local and server resources');
  if (local && d.dryRun === 'server') throw new UsageError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const type = parsePatchType(flags.type);
  const subresource = String(flags.subresource ?? '');
  if (subresource && !SUBRESOURCES.includes(subresource)) throw new UsageError(`invalid subresource value: "${subresource}". Must be one of [${SUBRESOURCES.join(' ')}]`);
  if (!args.length && !filenames.length) throw new UsageError('You must provide one or more resources by argument or filename', { hint: "example resource specifications include '-f rsrc.yaml', '--filename=rsrc.json', '<resource> <name>', '<resource>'" });
  const text = await readPatch({ patch: String(flags.patch ?? ''), patchFile: String(flags['patch-file'] ?? ''), cwd: ctx.cwd });
  const wantsPrint = String(flags.output ?? '') !== '' || String(flags.template ?? '') !== '';
  const o: PatchOptions = {
    args,
    filenames,
    recursive: Boolean(flags.recursive),
    type,
    patch: parsePatch(text, type),
    subresource,
    local,
    dryRun: d.dryRun,
    fieldManager: String(flags['field-manager'] ?? ''),
    print: wantsPrint ? parsePrintFlags(flags, { formats: MUTATE_FORMATS }) : undefined,
  };
  if (d.warning) ctx.stderr.write(`Warning: ${d.warning}\n`);
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    return await runPatch(f, o, { out: (t) => ctx.stdout.write(t) }, ctx.signal);
  } finally {
    f.close();
  }
}
