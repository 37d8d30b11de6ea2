import { KARMADA_VERSION } from '../version';
import type { InitOptions } from './options';

export const KUBE_REGISTRY_DEFAULT = 'registry.k8s.io';
export const MIRROR_COUNTRIES: Record<string, string> = {
  cn: 'registry.cn-hangzhou.aliyuncs.com/google_containers',
  global: 'registry.k8s.io',
};
export const ETCD_TAG = '3.6.6-0';

export interface ResolvedImages {
  etcd: string;
  apiserver: string;
  kubeControllerManager: string;
  scheduler: string;
  controllerManager: string;
  webhook: string;
  aggregatedApiserver: string;
}

/** Registry of the kube images: --kube-image-registry > --kube-image-mirror-country > --private-image-registry > registry.k8s.io. */
export function kubeRegistry(o: { kubeRegistry: string; kubeMirrorCountry: string; privateRegistry: string }): string {
  if (o.kubeRegistry) return o.kubeRegistry.replace(/\/+$/, '');
  const mirror = MIRROR_COUNTRIES[o.kubeMirrorCountry.toLowerCase()];
  if (mirror) return mirror;
  if (o.privateRegistry) return o.privateRegistry.replace(/\/+$/, '');
  return KUBE_REGISTRY_DEFAULT;
}

/** A karmada image: the flag verbatim, unless it is the default and a private registry is set. */
export function karmadaImage(name: string, flagValue: string, privateRegistry: string, version = KARMADA_VERSION): string {
  const def = `docker.io/karmada/${name}:${version}`;
  if (privateRegistry && (!flagValue || flagValue === def)) return `${privateRegistry.replace(/\/+$/, '')}/${name}:${version}`;
  return flagValue || def;
}

/** Final image of every init component (init.md §2.8). */
export function resolveImages(i: InitOptions['images']): ResolvedImages {
  const reg = kubeRegistry(i);
  return {
    etcd: i.etcd || `${reg}/etcd:${ETCD_TAG}`,
    apiserver: i.apiserver || `${reg}/kube-apiserver:${i.kubeTag}`,
    kubeControllerManager: i.kubeControllerManager || `${reg}/kube-controller-manager:${i.kubeTag}`,
    scheduler: karmadaImage('karmada-scheduler', i.scheduler, i.privateRegistry),
    controllerManager: karmadaImage('karmada-controller-manager', i.controllerManager, i.privateRegistry),
    webhook: karmadaImage('karmada-webhook', i.webhook, i.privateRegistry),
    aggregatedApiserver: karmadaImage('karmada-aggregated-apiserver', i.aggregatedApiserver, i.privateRegistry),
  };
}
