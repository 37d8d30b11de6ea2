/**
 * The run of `apply` and `create -f`: flags → ApplyOptions (checked before any request), the
 * factory, the domain call, and the printing (stdout: result lines or -o; stderr: errors, warnings).
 */
import type { Invocation } from '../commands/spec';
import { UsageError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { createPrinter, parsePrintFlags, type KubeObject } from '../kubectl/printers';
import { OBJECT_FORMATS } from '../commands/apply';
import { parseDryRun, parseValidate, runApply, validateApplyFlags, type ApplyOptions } from './apply';

export function applyOptionsFromFlags(inv: Invocation, mode: 'apply' | 'create'): ApplyOptions {
  const { flags, explicit, args, ctx } = inv;
  if (args.length) throw new UsageError(`Unexpected args: [${args.join(' ')}]`, { hint: `See '${ctx.program} ${mode} -h' for help and examples` });
  const serverSide = Boolean(flags['server-side']);
  let fieldManager = String(flags['field-manager'] ?? '');
  if (mode === 'apply' && serverSide && !explicit.has('field-manager')) fieldManager = 'kubectl';
  const o: ApplyOptions = {
    mode,
    filenames: ((flags.filename as string[] | undefined) ?? []).filter(Boolean),
    recursive: Boolean(flags.recursive),
    selector: String(flags.selector ?? ''),
    serverSide,
    forceConflicts: Boolean(flags['force-conflicts']),
    fieldManager,
    dryRun: parseDryRun(flags['dry-run']),
    validation: parseValidate(flags.validate),
    allClusters: Boolean(flags['all-clusters']),
    clusters: ((flags.cluster as string[] | undefined) ?? []).filter(Boolean),
    saveConfig: Boolean(flags['save-config']),
    collect: Boolean(flags.output),
    cwd: ctx.cwd,
    stdin: ctx.stdin,
  };
  if (mode === 'create' && !o.filenames.length) throw new UsageError('must specify one of -f and -k', { hint: `name the manifests with -f FILE|DIR|URL|-, e.g. ${ctx.program} create -f ./pod.json` });
  validateApplyFlags(o);
  return o;
}

export async function runApplyCommand(inv: Invocation, mode: 'apply' | 'create'): Promise<number> {
  const { ctx } = inv;
  const o = applyOptionsFromFlags(inv, mode);
  const print = o.collect ? parsePrintFlags(inv.flags, { formats: OBJECT_FORMATS }) : undefined;
  const printer = print ? await createPrinter(print) : undefined;
  const f = new Factory(ctx, configFlagsFrom(inv.flags));
  try {
    const r = await runApply(f, o, {
      line: (t) => ctx.stdout.write(`${t}\n`),
      error: (t) => ctx.stderr.write(`${t}\n`),
      warn: (t) => ctx.stderr.write(`Warning: ${t}\n`),
    });
    if (printer && r.objects.length) {
      const objs = r.objects as unknown as KubeObject[];
      ctx.stdout.write(objs.length === 1 || printer.format === 'name' ? objs.map((x) => printer.printObject(x)).join('') : printer.printList(objs));
    }
    return r.failed ? 1 : 0;
  } finally {
    f.close();
  }
}

/** `create namespace|configmap|secret generic|deployment NAME`: the generated object through create's write path. */
export async function runCreateGenerator(inv: Invocation, build: (name: string, f: Factory) => Promise<import('../kube/types').K8sObject>, opts: { errorPrefix?: string } = {}): Promise<number> {
  const { ctx, flags, args } = inv;
  if (args.length !== 1) throw new UsageError(args.length ? `exactly one NAME is required, got ${args.length}` : 'NAME is required', { hint: `See '${ctx.program} create -h' for help and examples` });
  const name = args[0];
  const f = new Factory(ctx, configFlagsFrom(flags));
  let obj;
  const { goTypedOrder } = await import('./create-typed');
  try {
    obj = goTypedOrder(await build(name, f));
  } catch (e) {
    f.close();
    throw e;
  }
  const o: ApplyOptions = {
    mode: 'create',
    generator: true,
    errorPrefix: opts.errorPrefix,
    filenames: [],
    recursive: false,
    selector: '',
    serverSide: false,
    forceConflicts: false,
    fieldManager: String(flags['field-manager'] ?? 'kubectl-create'),
    dryRun: parseDryRun(flags['dry-run']),
    validation: parseValidate(flags.validate),
    allClusters: false,
    clusters: [],
    saveConfig: Boolean(flags['save-config']),
    collect: Boolean(flags.output),
    cwd: ctx.cwd,
  };
  const print = o.collect ? parsePrintFlags(flags, { formats: OBJECT_FORMATS }) : undefined;
  const printer = print ? await createPrinter(print) : undefined;
  try {
    const r = await runApply(f, o, {
      line: (t) => ctx.stdout.write(`${t}\n`),
      error: (t) => ctx.stderr.write(`${t}\n`),
      warn: (t) => ctx.stderr.write(`Warning: ${t}\n`),
    }, [{ source: '', objects: [obj] }]);
    if (printer && r.objects.length) {
      // kubectl prints the typed object: JSON in the Go struct's field order (YAML sorts its keys anyway).
      const typed = goTypedOrder(r.objects[0]) as unknown as KubeObject;
      if (print!.format === 'json') {
        const { goJSON } = await import('../kubectl/printers/gojson');
        const { omitManagedFields } = await import('../kubectl/printers');
        ctx.stdout.write(`${goJSON(print!.showManagedFields ? typed : omitManagedFields(typed), '    ', false)}\n`);
      } else ctx.stdout.write(printer.printObject(typed));
    }
    return r.failed ? 1 : 0;
  } finally {
    f.close();
  }
}
