import type { CommandSpec } from './spec';
import { UsageError, UserError } from '../errors';
import { CONNECTION_FLAGS } from '../kubectl/flags';

const OPERATIONS = 'Retain,InterpretReplica,InterpretComponent,ReviseReplica,InterpretStatus,AggregateStatus,InterpretHealth,InterpretDependency';

export const interpretCommand: CommandSpec = {
  name: 'interpret',
  use: '(-f FILENAME) (--operation OPERATION) [--ARGS VALUE]... ',
  short: 'Validate, test and edit interpreter customization before applying it to the control plane',
  long: `Validate, test and edit interpreter customization before applying it to the control plane.

 1. Validate the ResourceInterpreterCustomization configuration as per API schema
    and try to load the scripts for syntax check.

 2. Run the rules locally and test if the result is expected. Similar to the dry run.

 3. Edit customization. Similar to the kubectl edit.`,
  example: `  # Check the customizations in file
  {{program}} interpret -f customization.json --check

  # Execute the retention rule
  {{program}} interpret -f customization.yml --operation retain --desired-file desired.yml --observed-file observed.yml

  # Execute the replicaResource rule
  {{program}} interpret -f customization.yml --operation interpretReplica --observed-file observed.yml

  # Execute the replicaRevision rule
  {{program}} interpret -f customization.yml --operation reviseReplica --observed-file observed.yml --desired-replica 2

  # Execute the statusReflection rule
  {{program}} interpret -f customization.yml --operation interpretStatus --observed-file observed.yml

  # Execute the healthInterpretation rule
  {{program}} interpret -f customization.yml --operation interpretHealth --observed-file observed.yml

  # Execute the dependencyInterpretation rule
  {{program}} interpret -f customization.yml --operation interpretDependency --observed-file observed.yml

  # Execute the statusAggregation rule
  {{program}} interpret -f customization.yml --operation aggregateStatus --observed-file observed.yml --status-file status.yml

  # Fetch observed object from url, and status items from stdin (specified with -)
  {{program}} interpret -f customization.yml --operation aggregateStatus --observed-file https://example.com/observed.yml --status-file -`,
  args: [0, -1],
  flags: [
    ...CONNECTION_FLAGS,
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'Filename, directory, or URL to files containing the customizations. Files need to be in either YAML or JSON format.' },
    { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'check', type: 'bool', default: false, usage: 'Validates the given ResourceInterpreterCustomization configuration(s)' },
    { name: 'operation', type: 'string', default: '', usage: `The interpret operation to use. One of: (${OPERATIONS})` },
    { name: 'desired-file', type: 'string', default: '', usage: 'Filename, directory, or URL to files identifying the resource to use as desiredObj argument in rule script.' },
    { name: 'observed-file', type: 'string', default: '', usage: 'Filename, directory, or URL to files identifying the resource to use as observedObj argument in rule script.' },
    { name: 'status-file', type: 'string', default: '', usage: 'Filename, directory, or URL to files identifying the resource to use as statusItems argument in rule script.' },
    { name: 'desired-replica', type: 'int', default: 0, usage: 'The desiredReplica argument in rule script.' },
    { name: 'edit', type: 'bool', default: false, usage: 'Edit customizations' },
    { name: 'show-doc', type: 'bool', default: false, usage: 'Show document of rules when editing' },
  ],
  async run({ ctx, flags, args }) {
    const files = (flags.filename as string[]) ?? [];
    const check = Boolean(flags.check);
    const edit = Boolean(flags.edit);
    if (check && edit) throw new UsageError("you can't set both --check and --edit options");
    if (!files.length && !args.length) throw new UsageError('You must provide one or more resources by argument or filename.', { hint: `pass -f FILE, e.g. ${ctx.program} interpret -f customization.yaml --check` });
    const operation = String(flags.operation ?? '');
    const m = await import('../operate/interpret');
    let stdinUsed = false;
    const stdin = async () => {
      if (stdinUsed) throw new UserError('stdin can only be read once', { hint: 'pass "-" to one flag only' });
      stdinUsed = true;
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const c of ctx.stdin) {
        size += (c as Buffer).length;
        if (size > m.MAX_INPUT_BYTES) throw new UserError(`stdin is larger than ${m.MAX_INPUT_BYTES} bytes`);
        chunks.push(Buffer.from(c as Buffer));
      }
      return Buffer.concat(chunks).toString('utf8');
    };
    const recursive = Boolean(flags.recursive);
    const sources = [];
    for (const f of files) sources.push(...(await m.readSources(f, { recursive, stdin, flag: '-f' })));
    if (args.length) {
      // Positional args name ResourceInterpreterCustomizations on the karmada-apiserver (§7.2).
      if (edit) throw new UserError('--edit works on files only', { hint: 'save the customization with `get resourceinterpretercustomization NAME -o yaml` and edit it with -f' });
      const { Factory } = await import('../kubectl/factory');
      const { configFlagsFrom } = await import('../kubectl/flags');
      const f = new Factory(ctx, configFlagsFrom(flags));
      try {
        const client = await f.client();
        for (const name of args) {
          const doc = await client.request<Record<string, unknown>>('GET', `/apis/config.karmada.io/v1alpha1/resourceinterpretercustomizations/${encodeURIComponent(name)}`);
          sources.push({ source: `resourceinterpretercustomization/${name}`, docs: [{ apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterCustomization', ...doc }] });
        }
      } finally {
        f.close();
      }
    }
    const customizations = sources.flatMap((s) => s.docs);
    if (edit) return editCustomization(ctx, files, sources, m);
    if (!customizations.length) throw new UserError(`no customizations found in ${[...files, ...args].join(', ')}`, { hint: 'the file is empty; put a ResourceInterpreterCustomization in it' });

    if (check) {
      const r = m.checkCustomizations(sources);
      ctx.stdout.write(r.text);
      return r.ok ? 0 : 1;
    }

    const rule = m.resolveOperation(operation);
    const one = async (flag: string, p: string) => {
      if (!p) return undefined;
      const docs = (await m.readSources(p, { recursive, stdin, flag })).flatMap((s) => s.docs);
      const what = flag === '--desired-file' ? 'desired' : 'observed';
      if (docs.length > 1) throw new UserError(`fail to get ${what} object: get ${docs.length} objects, expect one at most`);
      if (!docs.length) throw new UserError(`${p} contains no object`, { hint: `put one ${what} object in the file given to ${flag}` });
      return docs[0];
    };
    const desired = await one('--desired-file', String(flags['desired-file'] ?? ''));
    const observed = await one('--observed-file', String(flags['observed-file'] ?? ''));
    m.validateInputs(rule, !!desired, !!observed);
    const statusFile = String(flags['status-file'] ?? '');
    const statusItems = statusFile ? (await m.readSources(statusFile, { recursive, stdin, flag: '--status-file' })).flatMap((s) => s.docs) : null;

    const r = m.execute({ operation, customizations, desired, observed, statusItems, desiredReplica: Number(flags['desired-replica'] ?? 0) });
    for (const line of r.printed) ctx.stdout.write(`${line}\n`);
    if (r.error) {
      ctx.stderr.write(`${r.error}\n`);
      return 1;
    }
    ctx.stdout.write(r.text);
    return 0;
  },
};

type Sources = Awaited<ReturnType<typeof import('../operate/interpret').readSources>>;

/** --edit: one customization, edited as a Lua file in $KUBE_EDITOR / $EDITOR / vi, saved in place. */
async function editCustomization(ctx: import('../context').Context, files: string[], sources: Sources, m: typeof import('../operate/interpret')): Promise<number> {
  const { editText, parseEditText, applyEdit } = await import('../interpret/edit');
  const all = sources.flatMap((s) => s.docs.map((d) => ({ source: s.source, doc: d })));
  if (all.length > 1) throw new UserError('only one customization can be edited', { hint: 'pass a file with exactly one customization to -f' });
  if (all.length === 0 && files.length !== 1) throw new UserError("no customizations found. If you want to create a new one, please set only one file with '-f'");
  const target = all[0] ?? { source: files[0], doc: {} };
  const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const { spawnSync } = await import('node:child_process');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'karmadactl-edit-'));
  const file = path.join(tmp, 'customization.lua');
  try {
    const original = editText(target.doc);
    await writeFile(file, original, { mode: 0o600 });
    const editor = ctx.env.KUBE_EDITOR || ctx.env.EDITOR || 'vi';
    const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env: ctx.env });
    if (r.status !== 0) throw new UserError(`the editor "${editor}" exited with ${r.status ?? r.signal}`, { hint: 'set KUBE_EDITOR or EDITOR to a working editor' });
    const edited = await readFile(file, 'utf8');
    if (edited === original || !edited.trim()) {
      ctx.stderr.write('Edit cancelled, no changes made.\n');
      return 0;
    }
    let parsed;
    try {
      parsed = parseEditText(edited);
    } catch (e) {
      throw new UserError(`the edited customization is invalid: ${(e as Error).message}`, { hint: `fix it and run ${ctx.program} interpret -f ${files[0]} --edit again` });
    }
    const next = applyEdit(target.doc, parsed);
    const src = target.source;
    if (src === 'STDIN' || /^https?:\/\//.test(src)) {
      ctx.stdout.write(m.toYaml(next));
    } else {
      const text = await readFile(src, 'utf8').catch(() => '');
      const { writeFileAtomic } = await import('../util/fsx');
      const out = text.trimStart().startsWith('{') ? `${JSON.stringify(next, null, 2)}\n` : m.toYaml(next);
      await writeFileAtomic(src, out, 0o644);
    }
    ctx.stdout.write(`resourceinterpretercustomization.config.karmada.io/${next.metadata?.name ?? ''} edited\n`);
    return 0;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
