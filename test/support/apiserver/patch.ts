/** Patch semantics: JSON merge patch (RFC 7386), JSON patch (RFC 6902), a strategic-merge subset, and apply. */
type J = unknown;
const isObj = (v: J): v is Record<string, J> => !!v && typeof v === 'object' && !Array.isArray(v);
export const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function mergePatch(target: J, patch: J): J {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, J> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the lists the strategic merge (and our apply) merge by key; everything else replaces. */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
};

export function strategicMerge(target: J, patch: J, key = ''): J {
  if (Array.isArray(patch)) {
    const mk = MERGE_KEYS[key];
    if (!mk || !Array.isArray(target)) return clone(patch);
    // Service ports merge by port, container ports by containerPort.
    const keyOf = (x: J) => (isObj(x) ? (x[mk] ?? x.port ?? x.name) : x);
    const out = clone(target) as J[];
    for (const item of patch) {
      if (isObj(item) && item.$patch === 'delete') {
        const i = out.findIndex((o) => keyOf(o) === keyOf(item));
        if (i >= 0) out.splice(i, 1);
        continue;
      }
      const i = out.findIndex((o) => keyOf(o) === keyOf(item));
      if (i >= 0) out[i] = strategicMerge(out[i], item);
      else out.push(clone(item));
    }
    return out;
  }
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const out: Record<string, J> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else out[k] = strategicMerge(out[k], v, k);
  }
  return out;
}

export class PatchTestFailed extends Error {}
export class PatchInvalid extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchInvalid(`invalid JSON pointer ${path}`);
  return path.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function jsonPatch(doc: J, ops: { op: string; path: string; value?: J; from?: string }[]): J {
  let root = clone(doc);
  const parentOf = (path: string[]): [J, string] => {
    let cur = root;
    for (const seg of path.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
      if (cur === undefined) throw new PatchInvalid(`doc is missing path: /${path.join('/')}`);
    }
    return [cur, path[path.length - 1]];
  };
  const get = (path: string[]): J => path.reduce<J>((c, s) => (Array.isArray(c) ? c[Number(s)] : isObj(c) ? c[s] : undefined), root);
  const add = (path: string[], value: J) => {
    if (!path.length) {
      root = clone(value);
      return;
    }
    const [p, k] = parentOf(path);
    if (Array.isArray(p)) p.splice(k === '-' ? p.length : Number(k), 0, clone(value));
    else if (isObj(p)) p[k] = clone(value);
    else throw new PatchInvalid(`doc is missing path: /${path.join('/')}`);
  };
  const remove = (path: string[]) => {
    const [p, k] = parentOf(path);
    if (Array.isArray(p)) {
      if (Number(k) >= p.length) throw new PatchInvalid(`unable to remove nonexistent key: ${k}`);
      p.splice(Number(k), 1);
    } else if (isObj(p) && k in p) delete p[k];
    else throw new PatchInvalid(`unable to remove nonexistent key: ${k}: missing value`);
  };
  for (const op of ops) {
    const path = pointer(op.path);
    switch (op.op) {
      case 'add': add(path, op.value); break;
      case 'remove': remove(path); break;
      case 'replace': remove(path); add(path, op.value); break;
      case 'move': { const v = get(pointer(op.from!)); remove(pointer(op.from!)); add(path, v); break; }
      case 'copy': add(path, get(pointer(op.from!))); break;
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new PatchTestFailed(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new PatchInvalid(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}
