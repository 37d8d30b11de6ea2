/** The `delete` command's run: flags → DeleteOptions (checked before any request), then runDelete. */
import { createInterface } from 'node:readline';
import type { Invocation } from '../commands/spec';
import { UserError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { durationFlag } from '../util/duration';
import { completeDelete, parseCascade, runDelete, type DeleteOptions } from './delete';
import { parseDryRun } from './patch-common';

export async function runDeleteCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  const warnings: string[] = [];
  const c = parseCascade(flags.cascade);
  if (c.warning) warnings.push(c.warning);
  const d = parseDryRun(flags['dry-run']);
  if (d.warning) warnings.push(d.warning);
  const filenames = ((flags.filename as string[] | undefined) ?? []).filter(Boolean);
  const base = {
    now: Boolean(flags.now),
    gracePeriod: Number(flags['grace-period'] ?? -1),
    force: Boolean(flags.force),
    all: Boolean(flags.all),
    labelSelector: String(flags.selector ?? ''),
    fieldSelector: String(flags['field-selector'] ?? ''),
    interactive: Boolean(flags.interactive),
    dryRun: d.dryRun,
    output: String(flags.output ?? ''),
    args,
    filenames,
  };
  const timeoutMs = durationFlag(flags, 'timeout', '0s');
  const done = completeDelete(base);
  warnings.push(...done.warnings);
  if (base.interactive && !ctx.stdinIsTTY) throw new UserError('refusing to ask for confirmation: stdin is not a terminal', { hint: 'drop -i/--interactive to delete without prompting' });
  const o: DeleteOptions = {
    args,
    filenames,
    recursive: Boolean(flags.recursive),
    labelSelector: base.labelSelector,
    fieldSelector: base.fieldSelector,
    all: base.all,
    allNamespaces: Boolean(flags['all-namespaces']),
    cascade: c.cascade,
    gracePeriod: done.gracePeriod,
    force: base.force,
    wait: flags.wait !== false,
    timeoutMs,
    ignoreNotFound: Boolean(flags['ignore-not-found']),
    interactive: base.interactive,
    dryRun: d.dryRun,
    outputName: base.output === 'name',
  };
  for (const w of warnings) ctx.stderr.write(`Warning: ${w}\n`);
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    return await runDelete(
      f,
      o,
      {
        out: (t) => ctx.stdout.write(t),
        warn: (t) => ctx.stderr.write(`Warning: ${t}\n`),
        ask: async (q) => {
          ctx.stdout.write(q);
          const rl = createInterface({ input: ctx.stdin, terminal: false });
          try {
            const next = await rl[Symbol.asyncIterator]().next();
            return next.done ? '' : String(next.value);
          } finally {
            rl.close();
          }
        },
      },
      ctx.signal,
    );
  } finally {
    f.close();
  }
}
