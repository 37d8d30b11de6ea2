/**
 * `edit` (kubectl v1.35's EditOptions in NormalEditMode, on the karmada-apiserver): the objects are
 * fetched (TYPE NAME…, TYPE/NAME…, a TYPE alone = all of that type in the namespace, -f), written to a
 * temporary file (0600, `<program>-edit-*.yaml|json`) under kubectl's header comment, the editor is
 * run ($KUBE_EDITOR, then $EDITOR, then vi; a string with spaces is split, one with quotes or
 * backslashes is run by `$SHELL -c`), and on save each changed object is patched: a strategic merge
 * patch for kinds in kubectl's scheme (built-in API groups), a JSON merge patch for the rest (CRDs,
 * the aggregated Karmada kinds). A save that fails (syntax error, an Invalid answer) re-opens the
 * file with the reasons as comments at the top; a failed save that is not re-opened keeps the file
 * and names it. Nothing here writes to stdout: the caller gets lines through EditIO.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFile, rm, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { load, loadAll } from 'js-yaml';
import { UserError } from '../errors';
import { KubeApiError } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import type { Factory } from '../kubectl/factory';
import { collectInfos, type Info } from '../kubectl/infos';
import { objectPath, type RESTMapping } from '../kubectl/mapper';
import { createPrinter, type KubeObject, type PrintOptions } from '../kubectl/printers';
import { isBuiltinGroup, withLastApplied, type FieldValidation } from './apply';
import { createMergePatch } from './patch-common';

export interface EditOptions {
  args: string[];
  filenames: string[];
  recursive: boolean;
  /** yaml (default), json or kyaml: the format of the file being edited (kyaml in a .yaml file). */
  format: 'yaml' | 'json' | 'kyaml';
  /** -o given: print the edited objects with it instead of the `edited` line. */
  print?: PrintOptions;
  outputPatch: boolean;
  saveConfig: boolean;
  windowsLineEndings: boolean;
  validation: FieldValidation;
  fieldManager: string;
  subresource: string;
  /** `karmadactl` or `kubectl-karmada`: the temporary file's prefix (kubectl: the executable's base name). */
  executable: string;
  env: NodeJS.ProcessEnv;
}

export interface EditIO {
  out(text: string): void;
  err(text: string): void;
}

export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

// ------------------------------------------------------------------------------ the editor

export interface Editor {
  args: string[];
  shell: boolean;
}

/** kubectl's defaultEnvEditor: KUBE_EDITOR, EDITOR, else vi; split on spaces, or `$SHELL -c` when quoted. */
export function editorFromEnv(env: NodeJS.ProcessEnv): Editor {
  let editor = '';
  for (const k of ['KUBE_EDITOR', 'EDITOR']) {
    editor = env[k] ?? '';
    if (editor) break;
  }
  if (!editor) editor = 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

/** Go's %q for a path (the shell form appends the quoted path to the command string). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

export async function launchEditor(e: Editor, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const args = [...e.args];
  if (e.shell) args[args.length - 1] = `${args[args.length - 1]} ${goQuote(file)}`;
  else args.push(file);
  const shown = e.args.join(' ');
  await new Promise<void>((resolve, reject) => {
    let child;
    try {
      child = spawn(args[0], args.slice(1), { stdio: 'inherit', env });
    } catch {
      reject(new UserError(`unable to launch the editor "${shown}"`, { hint: 'set KUBE_EDITOR or EDITOR to an editor on your PATH' }));
      return;
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EACCES') reject(new UserError(`unable to launch the editor "${shown}"`, { hint: 'set KUBE_EDITOR or EDITOR to an editor on your PATH' }));
      else reject(new UserError(`there was a problem with the editor "${shown}"`, { hint: 'check the editor set in KUBE_EDITOR or EDITOR' }));
    });
    child.on('exit', (code, sig) => {
      if (code === 0) resolve();
      else reject(new UserError(`there was a problem with the editor "${shown}" (${sig ? `killed by ${sig}` : `exit status ${code}`})`, { hint: 'nothing was changed; the edit ends when the editor exits 0' }));
    });
  });
}

// ------------------------------------------------------------------------------ pure helpers

/** cmdutil.ManualStrip: drop the lines that start with `#` (not `#!`). */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('#') && !t.startsWith('#!')) return;
    out.push(line + (i < lines.length - 1 ? '\n' : ''));
  });
  return out.join('');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** cmdutil.StripComments: the document as JSON (comments and layout gone), else the manual strip. */
export function stripComments(text: string): string {
  try {
    return canonical(load(text) ?? null);
  } catch {
    return manualStrip(text);
  }
}

/** hasLines: a line that is neither blank nor a comment. */
export function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim();
    return t.length > 0 && t[0] !== '#';
  });
}

function hashOnLineBreak(s: string): string {
  let r = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n' && i + 1 < s.length && s[i + 1] !== '#') r += '\n# ';
    else r += s[i];
  }
  return r;
}

export interface EditReason {
  head: string;
  other: string[];
}

export function headerText(reasons: EditReason[]): string {
  let h = EDIT_HEADER;
  for (const r of reasons) {
    h += r.other.length ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) h += `# * ${hashOnLineBreak(o)}\n`;
    h += '#\n';
  }
  return h;
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function resourceString(m: RESTMapping): string {
  return m.group ? `${m.resource}.${m.group}` : m.resource;
}

const PRECONDITION = 'At least one of apiVersion, kind and name was changed';

/** The patch turning the fetched object into the edited one: strategic for kinds in kubectl's scheme, else JSON merge. */
export async function editPatch(client: Parameters<typeof import('../kubectl/strategicpatch-openapi').patchSchemaFor>[0] | undefined, m: RESTMapping, original: Record<string, unknown>, edited: Record<string, unknown>): Promise<{ patch: Record<string, unknown>; type: 'strategic' | 'merge' }> {
  const changedKey = (p: Record<string, unknown>) => 'apiVersion' in p || 'kind' in p || 'managedFields' in p || (!!p.metadata && typeof p.metadata === 'object' && ('name' in (p.metadata as object) || 'managedFields' in (p.metadata as object)));
  if (isBuiltinGroup(m.group)) {
    if (original.apiVersion !== edited.apiVersion || original.kind !== edited.kind || (original.metadata as { name?: string })?.name !== (edited.metadata as { name?: string })?.name) throw new UserError(PRECONDITION, { hint: 'edit another field, or create the changed object with create -f' });
    const { createTwoWayMergePatch } = await import('../kubectl/strategicpatch');
    const { patchSchemaFor } = await import('../kubectl/strategicpatch-openapi');
    const { builtinSchema } = await import('../kubectl/strategicpatch');
    const schema = client ? await patchSchemaFor(client, m.group, m.version, m.kind) : builtinSchema;
    const patch = createTwoWayMergePatch(original as never, edited as never, schema) as Record<string, unknown>;
    return { patch, type: 'strategic' };
  }
  const patch = createMergePatch(original, edited);
  if (changedKey(patch)) throw new UserError(PRECONDITION, { hint: 'edit another field, or create the changed object with create -f' });
  return { patch, type: 'merge' };
}

// ------------------------------------------------------------------------------ the run

/** os.CreateTemp(dir, prefix*suffix): a new file (never an existing one), mode 0600. */
async function createTemp(dir: string, prefix: string, suffix: string, text: string): Promise<string> {
  for (let i = 0; ; i++) {
    const file = path.join(dir, `${prefix}${randomInt(1e9)}${suffix}`);
    try {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw new UserError(`cannot create a temporary file in ${dir}`, { hint: 'set TMPDIR to a writable directory' });
    }
  }
}

const MAX_EDITED = 64 * 1024 * 1024;

class Preserved extends UserError {}

/** kubectl's preservedFile: the error, after "A copy of your changes has been stored to …" when the file is still there. */
async function preserved(err: unknown, file: string, io: EditIO): Promise<never> {
  if (file) {
    try {
      await stat(file);
      io.err(`A copy of your changes has been stored to ${goQuote(file)}\n`);
    } catch {
      /* gone */
    }
  }
  if (err instanceof UserError || err instanceof KubeApiError) throw err;
  throw new Preserved((err as Error).message);
}

export async function runEdit(f: Factory, o: EditOptions, io: EditIO, signal?: AbortSignal): Promise<number> {
  const typeOnly = o.args.length === 1 && !o.args[0].includes('/');
  const sub = o.subresource ? `/${o.subresource}` : '';
  const target = await f.karmada();
  const client = target.client;
  let infos = await collectInfos(f, { args: o.args, filenames: o.filenames, recursive: o.recursive, labelSelector: '', fieldSelector: '', all: typeOnly && !o.filenames.length, allNamespaces: false, noGet: !!sub }, signal);
  if (sub) for (const i of infos) i.object = await client.request<K8sObject>('GET', objectPath(i.mapping, i.namespace, i.name) + sub, { signal });
  // The builder's Latest(): objects from -f are re-read from the server.
  infos = await Promise.all(infos.map(async (i) => (i.source && !sub ? { ...i, object: await client.request<K8sObject>('GET', objectPath(i.mapping, i.namespace, i.name), { signal }) } : i)));
  if (!infos.length) throw new UserError('edit cancelled, no objects found', { hint: 'check the name and namespace (-n) of the object' });
  const { namespace: cmdNs } = await f.namespace();
  const editor = editorFromEnv(o.env);
  const printer = await createPrinter({ format: o.format } as PrintOptions);
  const resultPrinter = o.print ? await createPrinter(o.print) : undefined;
  const tmpRoot = o.env.TMPDIR || os.tmpdir();

  // kubectl clears managedFields in the file and restores them for the comparison.
  const managed = new Map<string, unknown>();
  const shown = infos.map((i) => {
    const c = structuredClone(i.object!) as K8sObject & { metadata: Record<string, unknown> };
    if (c.metadata?.managedFields) managed.set(String(c.metadata.uid ?? ''), c.metadata.managedFields);
    if (c.metadata) delete c.metadata.managedFields;
    return c;
  });
  const originalObj = shown.length === 1 ? shown[0] : { apiVersion: 'v1', kind: 'List', metadata: {}, items: shown };
  const body = printer.printObject(originalObj as unknown as KubeObject);

  let reasons: EditReason[] = [];
  let containsError = false;
  let edited = '';
  let prevFile = '';
  let original = '';
  for (;;) {
    let text = o.format !== 'json' ? headerText(reasons) : '';
    if (!containsError) {
      text += body;
      original = o.windowsLineEndings ? crlf(text) : text;
    } else text += manualStrip(edited);
    if (o.windowsLineEndings) text = crlf(text);
    const editedBefore = edited;
    const file = await createTemp(tmpRoot, `${o.executable}-edit-`, o.format === 'json' ? '.json' : '.yaml', text);
    try {
      await launchEditor(editor, file, o.env);
    } catch (e) {
      // The editor failed: nothing is sent. A file the user never touched is removed.
      const now = await readFile(file, 'utf8').catch(() => text);
      const msg = (e as Error).message;
      if (now === text) {
        await rm(file, { force: true });
        return preserved(new UserError(msg, { hint: 'nothing was changed' }), prevFile, io);
      }
      return preserved(new UserError(msg, { hint: `nothing was changed; your edits are in ${goQuote(file)}` }), prevFile, io);
    }
    const st = await stat(file);
    if (st.size > MAX_EDITED) return preserved(new UserError(`the edited file is larger than 64 MiB`, { hint: 'nothing was changed' }), file, io);
    edited = await readFile(file, 'utf8');
    if (containsError && stripComments(editedBefore) === stripComments(edited)) {
      return preserved(new UserError('Edit cancelled, no valid changes were saved.'), file, io);
    }
    if (prevFile) await rm(prevFile, { force: true });
    prevFile = file;
    // kubectl's schema check of the file (skipped with --validate=ignore): a file that does not parse
    // is "invalid" and re-opened with the reason.
    const problem = o.validation === 'Ignore' ? undefined : validationProblem(manualStrip(edited));
    if (problem) {
      const rs = resourceString(infos[0].mapping);
      reasons = [{ head: `${rs} ${goQuote(infos[0].name)} was not valid`, other: [`<nil>: Invalid value: "The edited file failed validation": ${problem}`] }];
      containsError = true;
      io.err(`error: ${rs} ${goQuote(infos[0].name)} is invalid\n`);
      continue;
    }
    if (stripComments(original) === stripComments(edited)) {
      await rm(file, { force: true });
      io.err('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!hasLines(edited)) {
      await rm(file, { force: true });
      io.err('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    reasons = [];
    // The edited file → objects (a syntax error re-opens the file with the reason on top).
    let updated: { obj: K8sObject; mapping: RESTMapping }[];
    try {
      updated = parseEdited(edited, await target.mapper());
    } catch (e) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${(e as Error).message}`, other: [] });
      continue;
    }
    containsError = false;
    let retryable = 0;
    let notfound = 0;
    let invalid = 0;
    for (const u of updated) {
      const m = u.mapping;
      const uid = String(u.obj.metadata?.uid ?? '');
      const idx = shown.findIndex((s) => String(s.metadata?.uid ?? '') === uid);
      if (idx < 0) return preserved(new UserError(`no original object found for ${u.obj.kind} "${u.obj.metadata?.name ?? ''}"`, { hint: 'keep metadata.uid as it was; edit cannot create objects' }), file, io);
      const info = infos[idx];
      if (m.namespaced) {
        const ns = u.obj.metadata.namespace;
        if (!ns) u.obj.metadata.namespace = cmdNs;
        else if (ns !== cmdNs && ns !== info.namespace) return preserved(new UserError(`the namespace from the provided object "${ns}" does not match the namespace "${cmdNs}". You must pass '--namespace=${ns}' to perform this operation.`), file, io);
      }
      if (managed.has(uid)) (u.obj.metadata as Record<string, unknown>).managedFields = managed.get(uid);
      let editedObj = u.obj;
      if (o.saveConfig) editedObj = withLastApplied(editedObj);
      const originalFull = info.object as unknown as Record<string, unknown>;
      if (canonical(originalFull) === canonical(editedObj)) {
        io.out(resultPrinter ? resultPrinter.printObject(editedObj as unknown as KubeObject) : `${nameOf(m, info.name)} skipped\n`);
        continue;
      }
      let patch;
      try {
        patch = await editPatch(client, m, originalFull, editedObj as unknown as Record<string, unknown>);
      } catch (e) {
        return preserved(e, file, io);
      }
      if (o.outputPatch) io.out(`Patch: ${JSON.stringify(patch.patch)}\n`);
      try {
        const result = await client.request<K8sObject>('PATCH', objectPath(m, info.namespace, info.name) + sub, {
          body: patch.patch,
          contentType: patch.type === 'strategic' ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
          query: { fieldManager: o.fieldManager || undefined, fieldValidation: o.validation },
          signal,
        });
        io.out(resultPrinter ? resultPrinter.printObject(result as unknown as KubeObject) : `${nameOf(m, info.name, result)} edited\n`);
      } catch (e) {
        const rs = resourceString(m);
        if (e instanceof KubeApiError && e.reason === 'Invalid') {
          invalid++;
          reasons.push({ head: `${rs} ${goQuote(info.name)} was not valid`, other: (e.status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
          io.err(`error: ${rs} ${goQuote(info.name)} is invalid\n`);
        } else if (e instanceof KubeApiError && e.code === 404) {
          notfound++;
          io.err(`error: ${rs} ${goQuote(info.name)} could not be found on the server\n`);
        } else {
          retryable++;
          const msg = e instanceof KubeApiError ? (e.status.message ?? e.message) : (e as Error).message;
          io.err(`error: ${rs} ${goQuote(info.name)} could not be patched: ${msg}\n`);
        }
      }
    }
    if (retryable) {
      io.err(`A copy of your changes has been stored to ${goQuote(file)}\n`);
      io.err(`error: the changes could not be saved; fix them in that file and run \`${o.executable === 'kubectl-karmada' ? 'kubectl karmada' : o.executable} edit\` again, or apply it with -f\n`);
      return 1;
    }
    if (notfound) {
      io.err(`The edits you made on deleted resources have been saved to ${goQuote(file)}\n`);
      return 1;
    }
    if (!invalid) {
      await rm(file, { force: true });
      return 0;
    }
    containsError = true;
  }
}

function nameOf(m: RESTMapping, name: string, obj?: K8sObject): string {
  let kind = m.group ? `${m.kind.toLowerCase()}.${m.group}` : m.kind.toLowerCase();
  if (obj?.kind && obj.apiVersion) {
    const g = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    kind = g ? `${obj.kind.toLowerCase()}.${g}` : obj.kind.toLowerCase();
  }
  return `${kind}/${name}`;
}

/** What kubectl's validator says of a file that is not a set of objects (undefined: it is). */
export function validationProblem(text: string): string | undefined {
  let docs: unknown[];
  try {
    docs = loadAll(text);
  } catch (e) {
    const y = e as { reason?: string; mark?: { line?: number }; message: string };
    return `yaml: line ${(y.mark?.line ?? 0) + 1}: ${y.reason ?? y.message.split('\n')[0]}`;
  }
  for (const d of docs) {
    if (d === null || d === undefined || typeof d !== 'object' || Array.isArray(d)) continue;
    const o = d as { apiVersion?: unknown; kind?: unknown };
    if (!o.apiVersion && !o.kind) return 'apiVersion not set, kind not set';
    if (!o.apiVersion) return 'apiVersion not set';
    if (!o.kind) return 'kind not set';
  }
  return undefined;
}

/** The edited file's objects (a List flattened), each mapped; errors are the "syntax error" reasons. */
export function parseEdited(text: string, mapper: { mappingForKind(apiVersion: string, kind: string): RESTMapping | undefined }): { obj: K8sObject; mapping: RESTMapping }[] {
  let docs: unknown[];
  try {
    docs = loadAll(text);
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: { obj: K8sObject; mapping: RESTMapping }[] = [];
  const push = (d: unknown) => {
    if (d === null || d === undefined) return;
    if (typeof d !== 'object' || Array.isArray(d)) throw new Error(`error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(d) ? 'array' : typeof d} into Go value of type struct`);
    const o = d as K8sObject & { items?: unknown[] };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const i of o.items) push(i);
      return;
    }
    if (!o.kind) throw new Error(`Object 'Kind' is missing in '${JSON.stringify(o)}'`);
    if (!o.apiVersion) throw new Error(`Object 'apiVersion' is missing in '${JSON.stringify(o)}'`);
    const mapping = mapper.mappingForKind(String(o.apiVersion), String(o.kind));
    if (!mapping) throw new Error(`unable to recognize "edited-file": no matches for kind "${String(o.kind)}" in version "${String(o.apiVersion)}"`);
    if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {} as K8sObject['metadata'];
    out.push({ obj: o, mapping });
  };
  for (const d of docs) push(d);
  return out;
}
