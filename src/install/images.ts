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

/** One image of the list: the component that runs it (an init component or an addon). */
export interface ImageEntry {
  component: string;
  image: string;
  /** 'init' for the control plane, 'addon' for `addons enable` (init's --private-image-registry applies). */
  source: 'init' | 'addon';
}

/**
 * Every image `init` renders with these options (the same resolveImages() the renderer uses; etcd
 * only when it is not external), then every addon's image as `addons enable` would resolve it with
 * the same --private-image-registry (the addons' own enableOptions()).
 */
export async function imageList(o: InitOptions): Promise<ImageEntry[]> {
  const r = resolveImages(o.images);
  const init: [string, string][] = [
    ...(o.etcd.external.servers ? [] : [['etcd', r.etcd] as [string, string]]),
    ['karmada-apiserver', r.apiserver],
    ['karmada-aggregated-apiserver', r.aggregatedApiserver],
    ['kube-controller-manager', r.kubeControllerManager],
    ['karmada-scheduler', r.scheduler],
    ['karmada-controller-manager', r.controllerManager],
    ['karmada-webhook', r.webhook],
  ];
  const { ADDONS, enableOptions } = await import('../addons/addons');
  const addon = enableOptions({ 'private-image-registry': o.images.privateRegistry, 'pod-timeout': 1, 'apiservice-timeout': 1 }, new Set());
  return [
    ...init.map(([component, image]) => ({ component, image, source: 'init' as const })),
    ...ADDONS.map((a) => ({ component: a, image: addon.images[a], source: 'addon' as const })),
  ];
}

/** The list as `init --print-images` prints it: unique images, one a line (for `| xargs -n1`). */
export function formatImageLines(list: ImageEntry[]): string {
  return [...new Set(list.map((e) => e.image))].map((i) => `${i}\n`).join('');
}
