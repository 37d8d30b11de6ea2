/**
 * `label` and `annotate` (kubectl v1.35's, on the karmada-apiserver): KEY=VAL / KEY- pairs after the
 * resources, kubectl's validation (label values; keys as the server checks them; the 256 KiB
 * annotation limit) before any request, the overwrite check, and the change sent as kubectl sends it:
 * a JSON merge patch computed from the object before and after (with metadata.resourceVersion when
 * --resource-version is given, so the server refuses a stale object). `--local` and
 * `--dry-run=client` change the object in memory only. Output through the printers for -o.
 */
import { UsageError, UserError } from '../errors';
import type { K8sObject } from '../kube/types';
import type { Factory } from '../kubectl/factory';
import { collectInfos, type Info } from '../kubectl/infos';
import { objectPath } from '../kubectl/mapper';
import type { PrintOptions } from '../kubectl/printers';
import { createMergePatch, operationLine, type DryRun } from './patch-common';

export type Kind = 'label' | 'annotation';

export interface LabelOptions {
  kind: Kind;
  resources: string[];
  set: Record<string, string>;
  remove: string[];
  filenames: string[];
  recursive: boolean;
  labelSelector: string;
  fieldSelector: string;
  all: boolean;
  allNamespaces: boolean;
  overwrite: boolean;
  list: boolean;
  local: boolean;
  resourceVersion: string;
  dryRun: DryRun;
  fieldManager: string;
  /** undefined: kubectl's `<kind>/<name> labeled` line. */
  print?: PrintOptions;
}

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** validation.IsValidLabelValue. */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (v !== '' && !NAME_RE.test(v)) errs.push(VALUE_MSG);
  return errs;
}

/** validation.IsQualifiedName (label and annotation keys, as the API server checks them). */
export function qualifiedNameErrors(k: string): string[] {
  const parts = k.split('/');
  let name = k;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (!prefix) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (!name) errs.push('name part must be non-empty');
  else {
    if (name.length > 63) errs.push('name part must be no more than 63 characters');
    if (!NAME_RE.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return errs;
}

const isPair = (a: string) => a.includes('=') || a.endsWith('-');

/** cmdutil.GetResourcesAndPairs + parseLabels / ParsePairs, with kubectl's errors. */
export function parseLabelArgs(kind: Kind, args: string[], o: { list: boolean; filenames: boolean }): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  let first = true;
  for (const a of args) {
    if (isPair(a)) {
      first = false;
      pairs.push(a);
    } else {
      if (!first) throw new UsageError(`all resources must be specified before ${kind} changes: ${a}`);
      resources.push(a);
    }
  }
  if (!resources.length && !o.filenames) throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    if (p.includes('=')) {
      if (kind === 'label') {
        const parts = p.split('=');
        if (parts.length !== 2) throw new UsageError(`invalid label spec: ${p}`);
        const errs = labelValueErrors(parts[1]);
        if (errs.length) throw new UsageError(`invalid label value: "${p}": ${errs.join(';')}`);
        set[parts[0]] = parts[1];
      } else {
        const i = p.indexOf('=');
        set[p.slice(0, i)] = p.slice(i + 1);
      }
    } else if (p.endsWith('-')) remove.push(p.slice(0, -1));
    else invalid.push(p);
  }
  if (invalid.length) throw new UsageError(`invalid ${kind} format: ${invalid.join('')}`);
  for (const k of [...Object.keys(set), ...remove]) {
    const errs = qualifiedNameErrors(k);
    if (errs.length) throw new UsageError(`invalid ${kind} key "${k}": ${errs.join('; ')}`);
  }
  for (const r of remove) if (r in set) throw new UsageError(kind === 'label' ? 'can not both modify and remove a label in the same command' : 'can not both modify and remove an annotation in the same command');
  if (!Object.keys(set).length && !remove.length && !o.list) throw new UsageError(`at least one ${kind} update is required`, { hint: `give KEY=VALUE to set or KEY- to remove` });
  return { resources, set, remove };
}

export function validateLabelOptions(o: LabelOptions): void {
  if (o.list && o.print) throw new UsageError('--list and --output may not be specified together');
  if (o.local && o.dryRun === 'server') throw new UsageError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  if (o.all && o.labelSelector) throw new UsageError('cannot set --all and --selector at the same time');
  if (o.all && o.fieldSelector) throw new UsageError('cannot set --all and --field-selector at the same time');
  if (o.local && !o.filenames.length) throw new UsageError('one or more files must be specified as -f', { hint: '--local changes objects read with -f' });
  if (o.local && o.resources.length) throw new UsageError('can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set');
}

function field(o: K8sObject, kind: Kind): Record<string, string> {
  return { ...((kind === 'label' ? o.metadata.labels : o.metadata.annotations) ?? {}) };
}

/** The label/annotation change on one object (a copy); throws the overwrite error. */
export function applyChange(obj: K8sObject, o: LabelOptions): K8sObject {
  const cur = field(obj, o.kind);
  if (!o.overwrite) {
    const clashes = Object.entries(o.set).filter(([k, v]) => k in cur && cur[k] !== v && k !== 'kubernetes.io/change-cause');
    if (clashes.length) {
      const hint = `pass --overwrite to replace the value`;
      if (o.kind === 'label') throw new UserError(clashes.map(([k]) => `'${k}' already has a value (${cur[k]}), and --overwrite is false`).join(', '), { hint });
      throw new UserError(`--overwrite is false but found the following declared annotation(s): ${clashes.map(([k]) => `'${k}' already has a value (${cur[k]})`).join('; ')}`, { hint });
    }
  }
  const next = { ...cur, ...o.set };
  for (const r of o.remove) delete next[r];
  if (o.kind === 'annotation') {
    const size = Object.entries(next).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) throw new UserError(`metadata.annotations: Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`, { hint: 'annotations of one object are limited to 256 KiB in total; store large data in a ConfigMap' });
  }
  const copy = structuredClone(obj);
  const key = o.kind === 'label' ? 'labels' : 'annotations';
  // kubectl always sets the map (an empty one after removing the last key)
  copy.metadata[key] = next;
  if (o.resourceVersion) copy.metadata.resourceVersion = o.resourceVersion;
  return copy;
}

export interface LabelSinks {
  out(text: string): void;
}

export async function runLabel(f: Factory, o: LabelOptions, sinks: LabelSinks, signal?: AbortSignal): Promise<number> {
  const infos = await collectInfos(f, { args: o.resources, filenames: o.filenames, recursive: o.recursive, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, all: o.all, allNamespaces: o.allNamespaces, local: o.local }, signal);
  if (!infos.length) throw new UserError('no objects passed to ' + (o.kind === 'label' ? 'label' : 'annotate'), { hint: 'check the names, selector or files' });
  if (o.resourceVersion && infos.length > 1) throw new UsageError('--resource-version may only be used with a single resource');
  // Every change is computed (and its errors found) before the first write.
  const planned = infos.map((i) => ({ info: i, next: o.list ? undefined : applyChange(i.object!, o) }));
  const printer = o.print ? await (await import('../kubectl/printers')).createPrinter(o.print) : undefined;
  const client = o.local ? undefined : (await f.karmada()).client;
  const verb = o.kind === 'label' ? 'labeled' : 'annotated';
  for (const { info, next } of planned) {
    const obj = info.object!;
    if (o.list) {
      const one = planned.length === 1;
      let text = one ? '' : `Listing ${o.kind === 'label' ? 'labels' : 'annotations'} for ${obj.kind}.${info.mapping.group}/${info.name}:\n`;
      for (const [k, v] of Object.entries(field(obj, o.kind)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) text += `${one ? '' : ' '}${k}=${v}\n`;
      sinks.out(text);
      continue;
    }
    let result: K8sObject = next!;
    if (!o.local && o.dryRun !== 'client') {
      const patch = createMergePatch(obj, next);
      result = await client!.request<K8sObject>('PATCH', objectPath(info.mapping, info.namespace, info.name), {
        body: patch,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: o.fieldManager, dryRun: o.dryRun === 'server' ? 'All' : undefined },
        signal,
        noRetry: !!o.resourceVersion,
      });
    }
    if (printer) {
      sinks.out(printer.printObject({ ...result, apiVersion: result.apiVersion ?? obj.apiVersion, kind: result.kind ?? obj.kind } as never));
      continue;
    }
    let msg = verb;
    if (o.kind === 'label') {
      const before = JSON.stringify(sortedEntries(obj.metadata.labels));
      const after = JSON.stringify(sortedEntries(next!.metadata.labels));
      if (before === after) msg = 'not labeled';
      else if (!o.overwrite && after.length < before.length) msg = 'unlabeled';
    }
    sinks.out(operationLine(info, msg, o.dryRun, result));
  }
  return 0;
}

const sortedEntries = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
