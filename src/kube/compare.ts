import type { K8sObject } from './types';

const SERVER_MANAGED_METADATA = new Set(['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']);

/** Whether every field set in `desired` has the same value in `live` (fields the server adds are ignored). */
export function isSubset(desired: unknown, live: unknown, path: string[] = []): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((d, i) => isSubset(d, live[i], path));
  }
  if (typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => {
      if (path.length === 1 && path[0] === 'metadata' && SERVER_MANAGED_METADATA.has(k)) return true;
      return isSubset(v, l[k], [...path, k]);
    });
  }
  // int-or-string fields (ports, quantities written as numbers) compare by their text.
  return desired === live || String(desired) === String(live);
}

/** Secrets are sent with `data` (base64): the API never returns stringData, so comparisons must use data. */
export function normalizeForApply(obj: K8sObject): K8sObject {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1' || !obj.stringData) return obj;
  const { stringData, ...rest } = obj as K8sObject & { stringData?: Record<string, string>; data?: Record<string, string> };
  const data: Record<string, string> = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...rest, data };
}
