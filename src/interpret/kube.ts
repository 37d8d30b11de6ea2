/**
 * Karmada's `kube` Lua library (luavm/kube.go): resourceAdd, getResourceQuantity,
 * accuratePodRequirements, getPodDependencies — same arities, returns and messages.
 */
import { Quantity, QuantityError } from '../kubectl/format/quantity';
import type { LuaBridge } from './lua';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function kubeFunctions(_b: LuaBridge): Record<string, (b: LuaBridge) => number> {
  return {
    resourceAdd(b) {
      const n = b.nargs();
      const qs: Quantity[] = [];
      for (let i = 1; i <= n; i++) {
        const t = b.argType(i);
        if (t === 'nil') continue;
        if (t !== 'string') b.error(`bad argument #${i} to resourceAdd (string expected, got ${t})`);
        const s = b.arg(i) as string;
        try {
          qs.push(Quantity.parse(s));
        } catch (e) {
          b.error(`cannot parse '${s}': ${(e as Error).message}`);
        }
      }
      b.push(addQuantities(qs).toString());
      return 1;
    },
    getResourceQuantity(b) {
      if (b.nargs() !== 1) b.error('getResourceQuantity only accepts one argument');
      const v = b.arg(1);
      if (v === null) {
        b.push(0);
        return 1;
      }
      let q: Quantity;
      try {
        q = Quantity.parse(String(v));
      } catch (e) {
        return b.error(`cannot parse '${String(v)}': ${(e as Error).message}`);
      }
      const num = q.toNumber();
      if (num < 0) b.error(`int approximation unexpectedly returned a negative value: ${num}`);
      if (!Number.isFinite(num)) b.error(`int approximation unexpectedly returned an infinite value: ${num}`);
      b.push(num);
      return 1;
    },
    accuratePodRequirements(b) {
      if (b.nargs() !== 1) b.error('getPodRequirements only accepts one argument');
      const tpl = (b.arg(1) ?? {}) as Obj;
      let r: Obj | undefined;
      try {
        r = podRequirements(tpl);
      } catch (e) {
        b.error(`fail to convert lua value to PodTemplateSpec: ${(e as Error).message}`);
      }
      b.push(r ?? null);
      return 1;
    },
    getPodDependencies(b) {
      if (b.nargs() !== 2) b.error('getPodDependencies only accepts two argument');
      const tpl = (b.arg(1) ?? {}) as Obj;
      const nsv = b.arg(2);
      const ns = nsv === null || nsv === undefined || nsv === '' ? 'default' : String(nsv);
      const deps = podDependencies(tpl, ns);
      b.push(deps.length ? deps : null);
      return 1;
    },
  };
}

/** resource.Quantity.Add over a list: format of the first value. */
export function addQuantities(qs: Quantity[]): Quantity {
  if (qs.length === 0) return Quantity.parse('0');
  const exp = Math.min(...qs.map((q) => q.exp));
  let sum = 0n;
  for (const q of qs) sum += q.unscaled * 10n ** BigInt(q.exp - exp);
  const format = qs.find((q) => !q.isZero())?.format ?? qs[0].format;
  return Quantity.fromDec(sum, exp, format);
}

function quantityOf(v: unknown): Quantity | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Quantity.parse(String(v));
  try {
    return Quantity.parse(String(v));
  } catch (e) {
    if (e instanceof QuantityError) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    throw e;
  }
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Format of a resource in the result: CPU DecimalSI, memory-like BinarySI, others DecimalSI. */
function formatFor(name: string): 'DecimalSI' | 'BinarySI' {
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return 'BinarySI';
  return 'DecimalSI';
}

/** kube.accuratePodRequirements: nodeClaim + resourceRequest (max(sum containers, max init) + overhead). */
export function podRequirements(tpl: Obj): Obj | undefined {
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  const out: Obj = {};
  const claim: Obj = {};
  if (isObj(spec.nodeSelector) && Object.keys(spec.nodeSelector).length) claim.nodeSelector = spec.nodeSelector;
  if (Array.isArray(spec.tolerations) && spec.tolerations.length) claim.tolerations = spec.tolerations;
  const hard = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObj(hard) && Object.keys(hard).length) claim.hardNodeAffinity = hard;
  if (Object.keys(claim).length) out.nodeClaim = claim;

  const containerReq = (c: Obj): Map<string, Quantity> => {
    const m = new Map<string, Quantity>();
    const req = isObj(c.resources?.requests) ? c.resources.requests : {};
    const lim = isObj(c.resources?.limits) ? c.resources.limits : {};
    for (const [k, v] of Object.entries(lim)) {
      const q = quantityOf(v);
      if (q) m.set(k, q);
    }
    for (const [k, v] of Object.entries(req)) {
      const q = quantityOf(v);
      if (q) m.set(k, q);
    }
    return m;
  };
  const total = new Map<string, Quantity>();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    for (const [k, q] of containerReq(c)) total.set(k, total.has(k) ? addQuantities([total.get(k)!, q]) : q);
  }
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    for (const [k, q] of containerReq(c)) if (!total.has(k) || q.cmp(total.get(k)!) > 0) total.set(k, q);
  }
  if (isObj(spec.overhead)) {
    for (const [k, v] of Object.entries(spec.overhead)) {
      const q = quantityOf(v);
      if (q) total.set(k, total.has(k) ? addQuantities([total.get(k)!, q]) : q);
    }
  }
  const rr: Obj = {};
  for (const [k, q] of [...total].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (q.cmp(Quantity.parse('0')) <= 0) continue;
    rr[k] = Quantity.fromDec(q.unscaled, q.exp, formatFor(k)).toString();
  }
  if (Object.keys(rr).length) out.resourceRequest = rr;
  return Object.keys(out).length ? out : undefined;
}

/** kube.getPodDependencies: ConfigMaps, Secrets, ServiceAccount, PVCs referenced by the template. */
export function podDependencies(tpl: Obj, namespace: string): Obj[] {
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  const cms = new Set<string>();
  const secrets = new Set<string>();
  const pvcs = new Set<string>();
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].filter(isObj);
  for (const c of containers) {
    for (const ef of Array.isArray(c.envFrom) ? c.envFrom : []) {
      if (ef?.configMapRef?.name) cms.add(ef.configMapRef.name);
      if (ef?.secretRef?.name) secrets.add(ef.secretRef.name);
    }
    for (const e of Array.isArray(c.env) ? c.env : []) {
      if (e?.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
      if (e?.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const s of Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : []) if (s?.name) secrets.add(s.name);
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isObj(v)) continue;
    if (v.configMap?.name) cms.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const src of Array.isArray(v.projected?.sources) ? v.projected.sources : []) {
      if (src?.configMap?.name) cms.add(src.configMap.name);
      if (src?.secret?.name) secrets.add(src.secret.name);
    }
    for (const k of ['azureFile']) if (v[k]?.secretName) secrets.add(v[k].secretName);
    for (const k of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos', 'csi']) {
      const ref = v[k]?.secretRef?.name ?? v[k]?.nodePublishSecretRef?.name;
      if (ref) secrets.add(ref);
    }
    if (v.persistentVolumeClaim?.claimName) pvcs.add(v.persistentVolumeClaim.claimName);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  const out: Obj[] = [];
  for (const name of sorted(cms)) out.push({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
  for (const name of sorted(secrets)) out.push({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const sa = spec.serviceAccountName;
  if (sa && sa !== 'default') out.push({ apiVersion: 'v1', kind: 'ServiceAccount', namespace, name: sa });
  for (const name of sorted(pvcs)) out.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name });
  return out;
}
