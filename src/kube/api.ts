import type { K8sObject, KubeList, ListOptions, ObjectRef, WatchEvent } from './types';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface EnsureResult<T = K8sObject> {
  action: 'created' | 'updated' | 'unchanged';
  object: T;
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
  ensure<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<EnsureResult<T>>;
  /** Delete; false when it did not exist. */
  delete(ref: ObjectRef, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<boolean>;
  watch<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Raw request for endpoints outside the object model (`/version`, subresources). */
  request<T = unknown>(method: string, path: string, opts?: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string }): Promise<T>;
}
