/**
 * The eight interpreter operations of a ResourceInterpreterCustomization (pkg/util/interpreter/rule.go,
 * luavm/lua.go): which script, which global function, which arguments, how results come back.
 */
import { Quantity } from '../kubectl/format/quantity';
import { LuaError, luaTypeCode, luaTypeName, newVM, repairEmpty, type VMOptions } from './lua';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const RULES = ['Retain', 'InterpretReplica', 'InterpretComponent', 'ReviseReplica', 'InterpretStatus', 'AggregateStatus', 'InterpretHealth', 'InterpretDependency'] as const;
export type RuleName = (typeof RULES)[number];

/** spec.customizations field holding each rule's script. */
export const RULE_FIELD: Record<RuleName, string> = {
  Retain: 'retention',
  InterpretReplica: 'replicaResource',
  InterpretComponent: 'componentResource',
  ReviseReplica: 'replicaRevision',
  InterpretStatus: 'statusReflection',
  AggregateStatus: 'statusAggregation',
  InterpretHealth: 'healthInterpretation',
  InterpretDependency: 'dependencyInterpretation',
};

export const RESULT_NAMES: Record<RuleName, string[]> = {
  Retain: ['retained'],
  InterpretReplica: ['replica', 'requires'],
  InterpretComponent: ['components'],
  ReviseReplica: ['revised'],
  InterpretStatus: ['status'],
  AggregateStatus: ['aggregatedStatus'],
  InterpretHealth: ['healthy'],
  InterpretDependency: ['dependencies'],
};

export function ruleByName(op: string): RuleName | undefined {
  return RULES.find((r) => r.toLowerCase() === op.toLowerCase());
}

export function scriptOf(c: Obj, rule: RuleName): string {
  const s = c?.spec?.customizations?.[RULE_FIELD[rule]]?.luaScript;
  return typeof s === 'string' ? s : '';
}

/** Merging as Karmada does: by name; first non-empty script per rule wins; all dependency scripts run. */
export function scriptsFor(customizations: Obj[], apiVersion: string, kind: string, rule: RuleName): string[] {
  const matching = customizations
    .filter((c) => c?.spec?.target?.apiVersion === apiVersion && c?.spec?.target?.kind === kind)
    .sort((a, b) => String(a?.metadata?.name ?? '').localeCompare(String(b?.metadata?.name ?? '')));
  const scripts = matching.map((c) => scriptOf(c, rule)).filter((s) => s.trim() !== '');
  return rule === 'InterpretDependency' ? scripts : scripts.slice(0, 1);
}

export interface RuleInput {
  desired?: Obj;
  observed?: Obj;
  statusItems?: Obj[] | null;
  desiredReplica?: number;
}

export class RuleError extends Error {}

function call(script: string, fn: string, args: unknown[], nret: number, opts: VMOptions): unknown[] {
  const vm = newVM(script, opts);
  try {
    return vm.call(fn, args, nret);
  } finally {
    vm.close();
  }
}

const isTable = (v: unknown) => v !== null && typeof v === 'object';

function asObject(v: unknown, refs: unknown[], what = 'requires'): Obj {
  if (!isTable(v)) throw new RuleError(`expect the returned ${what} type is table but got ${luaTypeName(v)}`);
  const o = repairEmpty(v, 'object', refs);
  if (Array.isArray(o)) throw new RuleError('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return o as Obj;
}

function needKind(o: Obj): Obj {
  if (!o.kind) throw new RuleError(`json unmarshal obj failed: Object 'Kind' is missing in '${JSON.stringify(o)}'`);
  return o;
}

/** Runs one rule; returns the results in RESULT_NAMES order. */
export function runRule(rule: RuleName, scripts: string[], input: RuleInput, opts: VMOptions = {}): unknown[] {
  const obj = (input.desired ?? input.observed) as Obj;
  try {
    switch (rule) {
      case 'Retain': {
        const [r] = call(scripts[0], 'Retain', [input.desired, input.observed], 1, opts);
        return [needKind(asObject(r, [input.desired, input.observed]))];
      }
      case 'InterpretReplica': {
        const [n, req] = call(scripts[0], 'GetReplicas', [obj], 2, opts);
        if (typeof n !== 'number') throw new RuleError(`result type ${luaTypeCode(n)} is not number`);
        let requires: unknown = null;
        if (req !== null) {
          if (!isTable(req)) throw new RuleError(`expect the returned requires type is table but got ${luaTypeName(req)}`);
          requires = replicaRequirements(repairEmpty(req, 'object') as Obj);
        }
        return [Math.trunc(n) | 0, requires];
      }
      case 'InterpretComponent': {
        const [r] = call(scripts[0], 'GetComponents', [obj], 1, opts);
        if (r === null) return [null];
        if (!isTable(r)) throw new RuleError(`expected result type 'table' or 'nil' from GetComponents, but got '${luaTypeName(r)}'`);
        const list = repairEmpty(r, 'list');
        if (!Array.isArray(list)) throw new RuleError('failed to convert lua table for components: json: cannot unmarshal object into Go value of type []v1alpha2.Component');
        for (const c of list as Obj[]) {
          if (c && typeof c.replicas === 'number' && !Number.isInteger(c.replicas)) {
            throw new RuleError(`failed to convert lua table for components: json: cannot unmarshal number ${c.replicas} into Go struct field Component.replicas of type int32`);
          }
        }
        return [(list as Obj[]).map(component)];
      }
      case 'ReviseReplica': {
        const [r] = call(scripts[0], 'ReviseReplica', [obj, input.desiredReplica ?? 0], 1, opts);
        return [needKind(asObject(r, [obj]))];
      }
      case 'InterpretStatus': {
        const [r] = call(scripts[0], 'ReflectStatus', [obj], 1, opts);
        return [asObject(r, [], 'replica')];
      }
      case 'AggregateStatus': {
        const items = input.statusItems === undefined || input.statusItems === null ? null : input.statusItems.map(statusItemArg);
        const [r] = call(scripts[0], 'AggregateStatus', [obj, items], 1, opts);
        return [needKind(asObject(r, []))];
      }
      case 'InterpretHealth': {
        const [r] = call(scripts[0], 'InterpretHealth', [obj], 1, opts);
        if (typeof r !== 'boolean') throw new RuleError(`result type ${luaTypeCode(r)} is not bool`);
        return [r];
      }
      case 'InterpretDependency': {
        const all: Obj[] = [];
        for (const script of scripts) {
          const [r] = call(script, 'GetDependencies', [obj], 1, opts);
          if (!isTable(r)) throw new RuleError(`expect the returned requires type is table but got ${luaTypeName(r)}`);
          const list = repairEmpty(r, 'list');
          if (!Array.isArray(list)) throw new RuleError('json: cannot unmarshal object into Go value of type []v1alpha2.DependentObjectReference');
          all.push(...(list as Obj[]));
        }
        validateDependencies(all);
        return [sortDependencies(all)];
      }
    }
  } catch (e) {
    if (e instanceof LuaError || e instanceof RuleError) throw e;
    throw new RuleError((e as Error).message);
  }
}

/** As Go's typed ReplicaRequirements: known fields only (omitempty), quantities canonical strings. */
function replicaRequirements(r: Obj): Obj {
  const out: Obj = {};
  if (r.nodeClaim && typeof r.nodeClaim === 'object') {
    const nc: Obj = {};
    for (const k of ['hardNodeAffinity', 'nodeSelector', 'tolerations']) {
      const v = r.nodeClaim[k];
      if (v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v).length === 0)) nc[k] = k === 'tolerations' && Array.isArray(v) ? v.map(toleration) : v;
    }
    if (Object.keys(nc).length) out.nodeClaim = nc;
  }
  if (r.resourceRequest && typeof r.resourceRequest === 'object' && Object.keys(r.resourceRequest).length) {
    const rr: Obj = {};
    for (const [k, v] of Object.entries(r.resourceRequest as Obj)) {
      try {
        rr[k] = Quantity.parse(String(v)).toString();
      } catch (e) {
        throw new RuleError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (${k}: ${JSON.stringify(v)}): ${(e as Error).message}`);
      }
    }
    out.resourceRequest = rr;
  }
  if (r.namespace) out.namespace = r.namespace;
  if (r.priorityClassName) out.priorityClassName = r.priorityClassName;
  return out;
}

/** corev1.Toleration: unknown fields are dropped by Go's typed decoding. */
function toleration(t: Obj): Obj {
  if (!t || typeof t !== 'object') return t;
  const out: Obj = {};
  for (const k of ['key', 'operator', 'value', 'effect', 'tolerationSeconds']) if (t[k] !== undefined && t[k] !== null && t[k] !== '') out[k] = t[k];
  return out;
}

function component(c: Obj): Obj {
  if (!c || typeof c !== 'object') return c;
  const out: Obj = { ...c };
  if (c.replicaRequirements && typeof c.replicaRequirements === 'object') out.replicaRequirements = replicaRequirements(c.replicaRequirements);
  return out;
}

function statusItemArg(i: Obj): Obj {
  const out: Obj = { clusterName: i?.clusterName ?? '' };
  if (i?.status !== undefined && i.status !== null) out.status = i.status;
  if (i?.applied === true) out.applied = true;
  if (i?.appliedMessage) out.appliedMessage = i.appliedMessage;
  if (i?.health) out.health = i.health;
  return out;
}

function validateDependencies(deps: Obj[]): void {
  const errs: string[] = [];
  deps.forEach((d, i) => {
    if (!d?.apiVersion) errs.push(`dependencies[${i}].apiVersion: Invalid value: "": missing required apiVersion`);
    if (!d?.kind) errs.push(`dependencies[${i}].kind: Invalid value: "": missing required kind`);
    if (!d?.name && !d?.labelSelector) errs.push(`dependencies[${i}]: Invalid value: ${JSON.stringify(d)}: dependency can not leave name and labelSelector all empty`);
  });
  if (errs.length === 1) throw new RuleError(errs[0]);
  if (errs.length > 1) throw new RuleError(`[${errs.join(', ')}]`);
}

/** Deduplicated and sorted by apiVersion, kind, namespace, name. */
export function sortDependencies(deps: Obj[]): Obj[] {
  const seen = new Map<string, Obj>();
  for (const d of deps) {
    const o: Obj = { apiVersion: d.apiVersion, kind: d.kind };
    if (d.namespace) o.namespace = d.namespace;
    if (d.name) o.name = d.name;
    if (d.labelSelector) o.labelSelector = d.labelSelector;
    const key = JSON.stringify(o);
    if (!seen.has(key)) seen.set(key, o);
  }
  const k = (d: Obj) => [d.apiVersion ?? '', d.kind ?? '', d.namespace ?? '', d.name ?? ''];
  return [...seen.values()].sort((a, b) => {
    const x = k(a);
    const y = k(b);
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}
