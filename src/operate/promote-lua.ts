/** promote -d: the configurable interpreter (ResourceInterpreterCustomizations in Karmada, §6.8.3.1). */
import type { Target } from '../kubectl/factory';
import { runRule, scriptsFor } from '../interpret/rules';
import type { DependencyRef, PromoteIO } from './promote';

const RIC_PATH = '/apis/config.karmada.io/v1alpha1/resourceinterpretercustomizations';

/** Dependencies from a customization for the object's exact GVK, or undefined when none has a dependency script. */
export async function configurableDependencies(karmada: Target, obj: any, io: PromoteIO): Promise<DependencyRef[] | undefined> {
  let items: any[] = [];
  try {
    items = (await karmada.client.request<{ items?: any[] }>('GET', RIC_PATH)).items ?? [];
  } catch {
    return undefined; // the API is not served (not a Karmada control plane): no customizations
  }
  const scripts = scriptsFor(items, String(obj.apiVersion), String(obj.kind), 'InterpretDependency');
  if (!scripts.length) return undefined;
  io.out('use configurable interpreter');
  const [deps] = runRule('InterpretDependency', scripts, { desired: obj });
  return ((deps as any[]) ?? []).map((d) => ({ apiVersion: String(d.apiVersion ?? ''), kind: String(d.kind ?? ''), namespace: String(d.namespace ?? ''), name: String(d.name ?? '') }));
}
