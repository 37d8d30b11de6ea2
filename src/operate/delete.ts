/**
 * `delete` (kubectl v1.35's, as karmadactl v1.18.2 binds it on the karmada-apiserver): objects from
 * `-f`, `TYPE NAME`, `TYPE/NAME`, `-l`, `--field-selector`, `--all`; DeleteOptions with the cascade
 * (propagationPolicy), grace period and server dry run; `--wait` watches (polls) until every deleted
 * object is gone or replaced (different UID). Domain module: output goes to the sinks it is given.
 */
import { UsageError, UserError } from '../errors';
import { isNotFound } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import type { Factory } from '../kubectl/factory';
import { collectInfos, kindString, type Info, type InfoOptions } from '../kubectl/infos';
import { objectPath } from '../kubectl/mapper';
import type { DryRun } from './patch-common';
import { dryRunSuffix } from './patch-common';

export type Cascade = 'background' | 'foreground' | 'orphan';

/** What to delete is what the builder selects (InfoOptions); the rest is delete's own. */
export interface DeleteOptions extends Pick<InfoOptions, 'args' | 'filenames' | 'recursive' | 'labelSelector' | 'fieldSelector' | 'all' | 'allNamespaces'> {
  cascade: Cascade;
  gracePeriod: number;
  force: boolean;
  wait: boolean;
  /** 0 = kubectl's default (a week). */
  timeoutMs: number;
  ignoreNotFound: boolean;
  interactive: boolean;
  dryRun: DryRun;
  outputName: boolean;
}

export interface DeleteSinks {
  out(text: string): void;
  warn(text: string): void;
  /** Asks the question, resolves with the answer line. */
  ask(question: string): Promise<string>;
}

/** cmdutil.GetCascadingStrategy. */
export function parseCascade(v: unknown): { cascade: Cascade; warning?: string } {
  const s = String(v ?? 'background');
  switch (s) {
    case '':
    case 'background':
      return { cascade: 'background' };
    case 'orphan':
    case 'foreground':
      return { cascade: s };
    case 'true':
      return { cascade: 'background', warning: '--cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.' };
    case 'false':
      return { cascade: 'orphan', warning: '--cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.' };
    default:
      throw new UsageError(`invalid cascade value (${s}). Must be "background", "foreground", or "orphan".`);
  }
}

export const FORCE_WARNING = 'Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.';

/** DeleteOptions.Complete + Validate: the effective grace period and the warnings, before any request. */
export function completeDelete(o: { now: boolean; gracePeriod: number; force: boolean; all: boolean; labelSelector: string; fieldSelector: string; interactive: boolean; dryRun: DryRun; output: string; args: string[]; filenames: string[] }): { gracePeriod: number; warnings: string[] } {
  let g = o.gracePeriod;
  const warnings: string[] = [];
  if (o.output && o.output !== 'name') throw new UsageError(`unexpected -o output mode: ${o.output}. We only support '-o name'`);
  if (o.now) {
    if (g !== -1) throw new UsageError('--now and --grace-period cannot be specified together');
    g = 1;
  }
  if (g === 0 && !o.force) g = 1;
  if (o.force && g < 0) g = 0;
  if (o.all && o.labelSelector) throw new UsageError('cannot set --all and --selector at the same time');
  if (o.all && o.fieldSelector) throw new UsageError('cannot set --all and --field-selector at the same time');
  if (g === 0 && o.force) warnings.push(FORCE_WARNING);
  else if (g > 0 && o.force) throw new UsageError('--force and --grace-period greater than 0 cannot be specified together');
  if (o.interactive && o.dryRun !== 'none') throw new UsageError('--interactive can not be used with --dry-run');
  if (!o.args.length && !o.filenames.length) throw new UsageError('You must provide one or more resources by argument or filename', { hint: "example resource specifications include '-f rsrc.yaml', '--filename=rsrc.json', '<resource> <name>', '<resource>'" });
  return { gracePeriod: g, warnings };
}

const WEEK_MS = 168 * 3600 * 1000;

export async function runDelete(f: Factory, o: DeleteOptions, sinks: DeleteSinks, signal?: AbortSignal): Promise<number> {
  const ignoreNotFound = o.ignoreNotFound || o.all;
  const infos = await collectInfos(f, { ...o, ignoreNotFound }, signal);
  if (!infos.length) {
    if (!ignoreNotFound || o.all || o.labelSelector || o.fieldSelector) sinks.out('No resources found\n');
    return 0;
  }
  if (o.interactive) {
    let list = `You are about to delete the following ${infos.length} resource(s):\n`;
    for (const i of infos) list += `${kindString(i.mapping)}/${i.name}\n`;
    sinks.out(list);
    const answer = (await sinks.ask('Do you want to continue? (y/N): ')).trim().toLowerCase();
    if (answer !== 'y') {
      sinks.out('deletion is cancelled\n');
      return 0;
    }
  }
  const client = (await f.karmada()).client;
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: o.cascade === 'background' ? 'Background' : o.cascade === 'foreground' ? 'Foreground' : 'Orphan' };
  if (o.gracePeriod >= 0) body.gracePeriodSeconds = o.gracePeriod;
  if (o.dryRun === 'server') body.dryRun = ['All'];
  const deleted: Info[] = [];
  const operation = o.gracePeriod === 0 && o.force ? 'force deleted' : 'deleted';
  for (const i of infos) {
    if (o.dryRun !== 'client') {
      try {
        await client.request('DELETE', objectPath(i.mapping, i.namespace, i.name), { body, signal, query: o.dryRun === 'server' ? { dryRun: 'All' } : undefined });
      } catch (e) {
        if (ignoreNotFound && isNotFound(e)) continue;
        throw e;
      }
    }
    deleted.push(i);
    if (o.outputName) sinks.out(`${kindString(i.mapping)}/${i.name}\n`);
    else sinks.out(`${kindString(i.mapping)} "${i.name}" ${operation}${i.namespace ? ` from ${i.namespace} namespace` : ''}${dryRunSuffix(o.dryRun)}\n`);
  }
  if (!o.wait || o.dryRun !== 'none' || !deleted.length) return 0;
  await waitForDeletion(f, deleted, o.timeoutMs || WEEK_MS, signal);
  return 0;
}

/** kubectl wait --for=delete: each object gone (404) or replaced (another UID). */
async function waitForDeletion(f: Factory, infos: Info[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const client = (await f.karmada()).client;
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (const i of infos) {
    const uid = i.object?.metadata?.uid;
    for (;;) {
      let cur: K8sObject | undefined;
      try {
        cur = await client.request<K8sObject>('GET', objectPath(i.mapping, i.namespace, i.name), { signal });
      } catch (e) {
        if (isNotFound(e)) break;
        throw e;
      }
      if (uid && cur.metadata.uid !== uid) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new UserError(`timed out waiting for the condition on ${i.mapping.group ? `${i.mapping.resource}.${i.mapping.group}` : i.mapping.resource}/${i.name}`, { hint: 'the object is still being deleted (finalizers or dependents); raise --timeout or check its finalizers' });
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
      delay = Math.min(delay * 2, 1000);
    }
  }
}
