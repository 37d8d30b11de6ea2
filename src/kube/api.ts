import type { K8sObject, KubeList, ListOptions, ObjectRef, WatchEvent } from './types';
import { UserError } from '../errors';
import { describeImmutableChanges, immutableChanges, isSubset, normalizeForApply, sameApartFromStatus, type ImmutableChange } from './compare';
import { KubeApiError } from './errors';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface EnsureResult<T = K8sObject> {
  action: 'created' | 'updated' | 'unchanged';
  object: T;
}

export interface EnsureOptions {
  /** The live object as a preflight just read it (null: it did not exist), saving ensure its own read. */
  live?: K8sObject | null;
}

export interface WatchOptions extends ListOptions {
  resourceVersion?: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/**
 * What domain modules use to talk to a cluster. Two implementations: KubeClient (HTTPS) and
 * RecordingClient (dry-run: records writes, answers reads from what it recorded, touches nothing).
 */
export interface KubeApi {
  /** The API server URL (informational). */
  readonly server: string;
  /** True for the recording client: waits succeed at once, nothing is written. */
  readonly dryRun: boolean;
  get<T extends K8sObject = K8sObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts?: ListOptions): Promise<KubeList<T>>;
  create<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T>;
  replace<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T>;
  patch<T extends K8sObject = K8sObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts?: { subresource?: string; force?: boolean }): Promise<T>;
  /** Server-side apply with this CLI's field manager (force: take ownership of conflicting fields). */
  apply<T extends K8sObject = K8sObject>(obj: K8sObject, opts?: { force?: boolean }): Promise<T>;
  /** Create, or bring an existing object in line with `obj`; reports whether anything changed. */
  ensure<T extends K8sObject = K8sObject>(obj: K8sObject, opts?: EnsureOptions): Promise<EnsureResult<T>>;
  /** Delete; false when it did not exist. */
  delete(ref: ObjectRef, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<boolean>;
  watch<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Raw request for endpoints outside the object model (`/version`, subresources). */
  request<T = unknown>(method: string, path: string, opts?: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string }): Promise<T>;
}


/** The field manager of every write this CLI makes (server-side apply, creates, updates). */
export const FIELD_MANAGER = 'karmadactl';

/** A change the API server would refuse: found before the first write, named with the way out. */
export class ImmutableFieldError extends UserError {
  readonly changes: ImmutableChange[];
  constructor(changes: ImmutableChange[]) {
    const { message, hint } = describeImmutableChanges(changes);
    super(message, { hint });
    this.name = 'ImmutableFieldError';
    this.changes = changes;
  }
}

/** An apply that another field manager's fields stand in the way of. */
export class ApplyConflictError extends UserError {
  readonly conflicts: { manager: string; field: string }[];
  constructor(obj: K8sObject, conflicts: { manager: string; field: string }[], cause: unknown) {
    const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
    const list = conflicts.map((c) => `${c.field} (managed by "${c.manager}")`).join(', ');
    const managers = [...new Set(conflicts.map((c) => `"${c.manager}"`))].join(', ');
    super(`${obj.kind} ${ns}${obj.metadata.name} was changed by another tool: ${list}`, {
      hint: `the object was not created by karmadactl; stop ${managers} from setting ${conflicts.length === 1 ? 'that field' : 'those fields'}, or delete the ${obj.kind.toLowerCase()} and re-run`,
      cause,
    });
    this.name = 'ApplyConflictError';
    this.conflicts = conflicts;
  }
}

/** The managers and fields of a server-side apply conflict (409 with FieldManagerConflict causes). */
export function applyConflicts(e: unknown): { manager: string; field: string }[] | undefined {
  if (!(e instanceof KubeApiError) || e.code !== 409) return undefined;
  const causes = (e.status.details?.causes ?? []).filter((c) => c.reason === 'FieldManagerConflict');
  if (!causes.length) return undefined;
  return causes.map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another manager', field: c.field ?? '(unknown field)' }));
}

/** Whether this CLI owns the object (it created or applied it): then its apply takes fields over (force). */
export function ownedByCli(live: K8sObject): boolean {
  const mf = (live.metadata.managedFields ?? []) as { manager?: string }[];
  return mf.some((e) => e.manager === FIELD_MANAGER);
}

const refOfObj = (o: K8sObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });

/**
 * ensure as both clients do it: read the live object, refuse an immutable change before writing,
 * then server-side apply as karmadactl — with force when the CLI owns the object (as `kubectl apply
 * --server-side --force-conflicts` would for the tool that owns it), without when someone else made
 * it (a conflict is then a clear error). Fields a previous run applied and this one no longer sets are
 * removed by the server. `unchanged` means the resourceVersion did not move.
 */
export async function ensureByApply<T extends K8sObject = K8sObject>(api: Pick<KubeApi, 'get' | 'apply'>, obj: K8sObject, opts: EnsureOptions = {}): Promise<EnsureResult<T>> {
  const desired = normalizeForApply(obj);
  const live = opts.live !== undefined ? ((opts.live ?? undefined) as T | undefined) : await api.get<T>(refOfObj(desired));
  if (live) {
    const changes = immutableChanges(desired, live);
    if (changes.length) throw new ImmutableFieldError(changes);
  }
  let object: T;
  try {
    object = await api.apply<T>(desired, { force: !live || ownedByCli(live) });
  } catch (e) {
    const conflicts = applyConflicts(e);
    if (conflicts) throw new ApplyConflictError(desired, conflicts, e);
    throw e;
  }
  if (!live) return { action: 'created', object };
  const unchanged = object?.metadata?.resourceVersion === live.metadata.resourceVersion || (object && sameApartFromStatus(object, live));
  return { action: unchanged ? 'unchanged' : 'updated', object };
}

/** The key of an object in preflightImmutable's answer. */
export const liveKey = (o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }) => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

/**
 * Preflight for a set of objects about to be applied: every immutable field that would change, found
 * before the first write, in one error naming each object and its fix. Objects that do not exist yet
 * are fine. Reads at most `concurrency` at a time; returns what it read (null: missing, by liveKey),
 * for ensure's `live` option.
 */
export async function preflightImmutable(api: Pick<KubeApi, 'get'>, objects: K8sObject[], concurrency = 8): Promise<Map<string, K8sObject | null>> {
  const changes: ImmutableChange[] = [];
  const seen = new Map<string, K8sObject | null>();
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = normalizeForApply(objects[next++]);
      const live = await api.get(refOfObj(o));
      seen.set(liveKey(o), live ?? null);
      if (live) changes.push(...immutableChanges(o, live));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, objects.length)) }, worker));
  if (changes.length) throw new ImmutableFieldError(changes);
  return seen;
}

/** The dry-run view of ensure: what an apply would do to `live`, without sending it. */
export function predictEnsure(desired: K8sObject, live: K8sObject | undefined): EnsureResult['action'] {
  if (!live) return 'created';
  const changes = immutableChanges(desired, live);
  if (changes.length) throw new ImmutableFieldError(changes);
  return isSubset(desired, live) ? 'unchanged' : 'updated';
}
