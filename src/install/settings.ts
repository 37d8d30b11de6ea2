/**
 * What the init phases need from the (much larger) option set, in one small typed record.
 * `settingsFrom` (in init.ts) maps InitOptions onto it.
 */
export interface InitSettings {
  namespace: string;
  /** NodePort of the karmada-apiserver Service (--port). */
  port: number;
  dataDir: string;
  pkiDir: string;
  /** --crds: URL or local path. */
  crds: string;
  hostClusterDomain: string;
  advertiseAddress?: string;
  kubeconfig?: string;
  context?: string;
  externalEtcd: boolean;
  etcdStorageMode: string;
  etcdNodeSelectorLabels: string;
  etcdReplicas: number;
  tolerateControlPlaneTaints: boolean;
  /** 0 = no limit. */
  waitTimeoutMs: number;
  keyAlgorithm: 'rsa' | 'ecdsa';
  caCertFile?: string;
  caKeyFile?: string;
  externalEtcdFiles: { ca?: string; cert?: string; key?: string };
}
