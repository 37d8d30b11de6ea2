import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import { UNSCHEDULABLE_TAINT_KEY, connectKarmada, getCluster, updateWithRetry, type Cluster, type KarmadaTarget, type Taint } from './common';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kubernetes' qualified-name rules for a taint key: [prefix/]name. */
function keyProblems(key: string): string[] {
  const out: string[] = [];
  const parts = key.split('/');
  if (parts.length > 2) return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const [prefix, name] = parts.length === 2 ? parts : ['', parts[0]];
  if (parts.length === 2) {
    if (!prefix) out.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) out.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  if (!name) out.push('name part must be non-empty');
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters');
    if (!NAME.test(name)) out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return out;
}

export interface TaintChanges {
  add: Taint[];
  remove: { key: string; effect?: string }[];
}

/** kubectl's taint spec grammar: `key=value:Effect`, `key:Effect`, removals `key-`, `key:Effect-`. */
export function parseTaintSpecs(specs: string[]): TaintChanges {
  const add: Taint[] = [];
  const remove: { key: string; effect?: string }[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const body = spec.slice(0, -1);
      const [kv, effect, extra] = body.split(':');
      if (extra !== undefined) throw new UsageError(`invalid taint spec: ${spec}`, { hint: 'use KEY-, KEY:EFFECT- to remove a taint' });
      const key = kv.split('=')[0];
      const kp = keyProblems(key);
      if (kp.length) throw new UsageError(`invalid taint spec: ${spec}, ${kp.join('; ')}`);
      if (effect !== undefined && !EFFECTS.includes(effect)) throw new UsageError(`invalid taint effect: ${effect}, unsupported taint effect`, { hint: `use one of ${EFFECTS.join(', ')}` });
      remove.push(effect ? { key, effect } : { key });
      continue;
    }
    const parts = spec.split(':');
    if (parts.length !== 2) throw new UsageError(`invalid taint spec: ${spec}`, { hint: 'use KEY=VALUE:EFFECT or KEY:EFFECT, e.g. dedicated=special-user:NoSchedule' });
    const [kv, effect] = parts;
    const kvParts = kv.split('=');
    if (kvParts.length > 2) throw new UsageError(`invalid taint spec: ${spec}`, { hint: 'use KEY=VALUE:EFFECT' });
    const [key, value] = kvParts;
    if (!EFFECTS.includes(effect)) throw new UsageError(`invalid taint effect: ${effect}, unsupported taint effect`, { hint: `use one of ${EFFECTS.join(', ')}` });
    const problems = keyProblems(key);
    if (value !== undefined && (value.length > 63 || !LABEL_VALUE.test(value))) problems.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" + (value.length > 63 ? '; must be no more than 63 characters' : ''));
    if (problems.length) throw new UsageError(`invalid taint spec: ${spec}, ${problems.join('; ')}`);
    const t: Taint = value ? { key, value, effect } : { key, effect };
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new UsageError(`duplicated taints with the same key and effect: ${JSON.stringify(t)}`, { hint: 'give each KEY:EFFECT once' });
    add.push(t);
  }
  const conflicts = remove.filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect)));
  if (conflicts.length) throw new UsageError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.map((c) => JSON.stringify({ [c.key]: c.effect ?? '' }).slice(1, -1)).map((x) => `{${x}}`).join(', ')}`);
  return { add, remove };
}

/** `taint` arguments: `cluster|clusters NAME... SPEC...`, or `cluster/NAME... SPEC...`. */
export function parseTaintArgs(args: string[]): { names: string[]; changes: TaintChanges } {
  const isSpec = (a: string) => a.includes('=') || a.includes(':') || a.endsWith('-');
  const resources: string[] = [];
  const specs: string[] = [];
  for (const a of args) {
    if (isSpec(a)) specs.push(a);
    else if (specs.length) throw new UsageError(`all resources must be specified before taint changes: ${a}`, { hint: 'put the cluster names first, then the taints' });
    else resources.push(a);
  }
  if (!resources.length) throw new UsageError('one or more resources must be specified as <resource> <name>', { hint: 'e.g. taint clusters member1 dedicated=special-user:NoSchedule' });
  if (!specs.length) throw new UsageError('at least one taint update is required', { hint: 'e.g. dedicated=special-user:NoSchedule, or dedicated- to remove' });
  const changes = parseTaintSpecs(specs);
  let names: string[];
  if (resources.every((r) => /^clusters?\//i.test(r))) names = resources.map((r) => r.slice(r.indexOf('/') + 1));
  else {
    const [type, ...rest] = resources;
    if (!['cluster', 'clusters'].includes(type.toLowerCase())) throw new UsageError(`invalid resource type ${type}, only ["cluster" "clusters"] are supported`, { hint: 'e.g. taint clusters member1 KEY=VALUE:EFFECT' });
    names = rest;
  }
  if (!names.length) throw new UsageError('at least one resource name must be specified', { hint: 'name the cluster(s) after "clusters"' });
  return { names, changes };
}

export type TaintWord = 'tainted' | 'untainted' | 'modified' | 'unchanged';

/** New taint list and what happened; throws (before anything is sent) when the change cannot apply. */
export function applyTaintChanges(name: string, old: Taint[], c: TaintChanges, overwrite: boolean): { taints: Taint[]; word: TaintWord } {
  const same = (a: Taint, b: { key: string; effect?: string }) => a.key === b.key && a.effect === b.effect;
  if (!overwrite) {
    const clash = c.add.filter((a) => old.some((t) => same(t, a)));
    if (clash.length) throw new UserError(`cluster ${name} already has ${clash.map((t) => t.key).join(',')} taint(s) with same effect(s) and --overwrite is false`, { hint: 'pass --overwrite to replace them' });
  }
  let added = false;
  let modified = false;
  let taints: Taint[] = old.map((t) => {
    const a = c.add.find((x) => same(t, x));
    if (!a) return t;
    if ((a.value ?? '') !== (t.value ?? '')) modified = true;
    return { ...a, ...(t.timeAdded ? { timeAdded: t.timeAdded } : {}) };
  });
  for (const a of c.add) {
    if (!old.some((t) => same(t, a))) {
      taints.push(a);
      added = true;
    }
  }
  const missing: string[] = [];
  let deleted = false;
  for (const r of c.remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    if (taints.length === before) missing.push(`taint "${r.key}${r.effect ? `:${r.effect}` : ''}" not found`);
    else deleted = true;
  }
  if (missing.length) throw new UserError(`cluster ${name}: ${missing.join(', ')}`, { hint: `see the cluster's taints with 'kubectl get cluster ${name} -o jsonpath={.spec.taints}' against the karmada-apiserver` });
  const word: TaintWord = (added && deleted) || modified ? 'modified' : added ? 'tainted' : deleted ? 'untainted' : 'unchanged';
  return { taints, word };
}

/**
 * Changes a cluster's taints with optimistic concurrency: read, compute, PUT with the read
 * resourceVersion, and on 409 Conflict read and compute again — so a taint the cluster controller
 * adds meanwhile (not-ready, unreachable) is kept, unlike the reference's blind rewrite.
 */
export async function changeTaints(client: KubeApi, name: string, program: string, compute: (cur: Taint[]) => { taints: Taint[]; changed: boolean }, dryRun: boolean): Promise<{ changed: boolean }> {
  const read = async () => {
    const c = await getCluster(client, name, program);
    if (!c) throw new UserError(`Error from server (NotFound): clusters.cluster.karmada.io "${name}" not found`, { hint: 'list the clusters with `kubectl get clusters` against the karmada-apiserver' });
    return c;
  };
  if (dryRun) return { changed: compute((await read()).spec?.taints ?? []).changed };
  let changed = false;
  await updateWithRetry<Cluster>(client, read, (cur) => {
    const r = compute(cur.spec?.taints ?? []);
    changed = r.changed;
    if (!r.changed) return undefined;
    const { taints: _old, ...rest } = cur.spec ?? {};
    return { ...cur, spec: r.taints.length ? { ...rest, taints: r.taints } : rest };
  });
  return { changed };
}

export async function runCordon(ctx: Context, target: KarmadaTarget, names: string[], cordon: boolean, dryRun: boolean): Promise<number> {
  const { client } = await connectKarmada(ctx, target);
  const errors: string[] = [];
  try {
    for (const name of names) {
      try {
        const r = await changeTaints(
          client,
          name,
          ctx.program,
          (cur) => {
            const match = (t: Taint) => t.key === UNSCHEDULABLE_TAINT_KEY && t.effect === 'NoSchedule';
            if (cordon) return cur.some(match) ? { taints: cur, changed: false } : { taints: [...cur, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' }], changed: true };
            const rest = cur.filter((t) => !match(t));
            return { taints: rest, changed: rest.length !== cur.length };
          },
          dryRun,
        );
        const word = cordon ? 'cordoned' : 'uncordoned';
        ctx.stdout.write(r.changed ? `${name} cluster ${word}${dryRun ? ' (dry run)' : ''}\n` : `${name} cluster already ${word}\n`);
      } catch (e) {
        if (names.length === 1) throw e;
        errors.push(`${name}: ${(e as Error).message}`);
      }
    }
  } finally {
    client.close();
  }
  if (errors.length) throw new UserError(errors.join('; '));
  return 0;
}

export async function runTaint(ctx: Context, target: KarmadaTarget, args: string[], overwrite: boolean, dryRun: boolean): Promise<number> {
  const { names, changes } = parseTaintArgs(args);
  const { client } = await connectKarmada(ctx, target);
  const errors: string[] = [];
  try {
    for (const name of names) {
      try {
        let word: TaintWord = 'unchanged';
        await changeTaints(
          client,
          name,
          ctx.program,
          (cur) => {
            const r = applyTaintChanges(name, cur, changes, overwrite);
            word = r.word;
            return { taints: r.taints, changed: r.word !== 'unchanged' };
          },
          dryRun,
        );
        ctx.stdout.write(`cluster/${name} ${word}${dryRun ? ' (dry run)' : ''}\n`);
      } catch (e) {
        errors.push(names.length === 1 ? (e as Error).message : `${name}: ${(e as Error).message}`);
        if (names.length === 1) throw e;
      }
    }
  } finally {
    client.close();
  }
  if (errors.length) throw new UserError(errors.join('; '));
  return 0;
}
