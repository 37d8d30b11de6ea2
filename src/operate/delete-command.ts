/** The `delete` command's run: flags → DeleteOptions (checked before any request), then runDelete. */
import { createInterface } from 'node:readline';
import type { Invocation } from '../commands/spec';
import { UsageError, UserError } from '../errors';
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
  const raw = String(flags.raw ?? '');
  if (raw) return runRawDelete(inv, raw, filenames, warnings);
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

/** kubectl's `delete --raw URI` (rawhttp.RawDelete): DELETE the path, the body from -f if given, the answer on stdout. */
async function runRawDelete(inv: Invocation, raw: string, filenames: string[], warnings: string[]): Promise<number> {
  const { ctx, flags } = inv;
  if (filenames.length > 1) throw new UsageError('--raw can only use a single local file or stdin');
  if (filenames.length === 1 && /^https?:\/\//.test(filenames[0])) throw new UsageError('--raw cannot read from a url');
  if (flags.recursive) throw new UsageError('--raw and --recursive are mutually exclusive');
  if (String(flags.output ?? '')) throw new UsageError('--raw and --output are mutually exclusive');
  if (!raw.startsWith('/')) throw new UsageError(`--raw must be a valid URL path: parse "${raw}": invalid URI for request`, { hint: 'give a path such as /api/v1/namespaces/default/configmaps/x' });
  let body: unknown;
  if (filenames.length === 1) {
    const { readFilenames } = await import('../kubectl/builder');
    const [src] = await readFilenames(filenames, { cwd: ctx.cwd, stdin: ctx.stdin });
    body = src?.objects[0];
  }
  for (const w of warnings) ctx.stderr.write(`Warning: ${w}\n`);
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    const [p, q] = raw.split('?', 2);
    const query = q ? Object.fromEntries(new URLSearchParams(q)) : undefined;
    const res = await (await f.client()).request<unknown>('DELETE', p, { body, query, noRetry: true });
    if (res !== undefined) ctx.stdout.write(typeof res === 'string' ? res : `${JSON.stringify(res)}\n`);
    return 0;
  } finally {
    f.close();
  }
}
