import { describe, expect, it } from 'vitest';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Namespace, Secret, Service, ConfigMap } from 'kubernetes-models/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1';
import { INIT_FLAGS, initOptionsFromFlags, type InitOptions } from '../../src/install/options';
import { resolveImages } from '../../src/install/images';
import { render, composeCommand, fillTemplate, type RenderedPlan } from '../../src/install/render';
import type { K8sObject } from '../../src/kube/types';

const defaults = () => Object.fromEntries(INIT_FLAGS.map((f) => [f.name, f.default]));
const opts = (over: Record<string, unknown> = {}): InitOptions => initOptionsFromFlags({ ...defaults(), ...over });
const pki = Object.fromEntries(['ca', 'karmada', 'apiserver', 'front-proxy-ca', 'front-proxy-client', 'etcd-ca', 'etcd-server', 'etcd-client'].map((n) => [n, { cert: `CERT-${n}`, key: `KEY-${n}` }]));
const plan = (o: InitOptions) => render({ options: o, images: resolveImages(o.images), pki, inClusterKubeconfig: 'KUBECONFIG', clusterInfoKubeconfig: 'CLUSTERINFO' });
const all = (p: RenderedPlan): K8sObject[] => Object.values(p).flat();
const byName = (p: RenderedPlan, kind: string, name: string) => all(p).find((o) => o.kind === kind && o.metadata.name === name) as any;

const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  Deployment, StatefulSet, Namespace, Secret, Service, ConfigMap, ClusterRole, ClusterRoleBinding, Role, RoleBinding, MutatingWebhookConfiguration, ValidatingWebhookConfiguration, APIService,
};

describe('rendered objects', () => {
  for (const [label, over] of [
    ['defaults', {}],
    ['HA with PVC', { 'etcd-replicas': 3, 'etcd-storage-mode': 'PVC', 'storage-classes-name': 'fast', 'karmada-apiserver-replicas': 3 }],
    ['emptyDir, pull secrets, tolerations', { 'etcd-storage-mode': 'emptyDir', 'image-pull-secrets': ['a', 'b'], 'tolerate-control-plane-taints': true }],
    ['external etcd', { 'external-etcd-servers': 'https://10.0.0.5:2379', 'external-etcd-ca-cert-path': '/ca', 'external-etcd-key-prefix': '/karmada' }],
  ] as const) {
    it(`validate against the Kubernetes schema (${label})`, () => {
      const objs = all(plan(opts(over)));
      expect(objs.length).toBeGreaterThan(20);
      for (const o of objs) {
        const Model = MODELS[o.kind];
        expect(Model, `no schema for ${o.kind}`).toBeDefined();
        expect(() => new Model(JSON.parse(JSON.stringify(o))).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
      }
    });
  }

  it('carries the bootstrapping labels deinit relies on', () => {
    const p = plan(opts());
    for (const o of [...p.secrets]) expect(o.metadata.labels?.['karmada.io/bootstrapping']).toBe('secret-defaults');
    for (const o of all(p).filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) expect(o.metadata.labels).toEqual({ 'karmada.io/bootstrapping': 'app-defaults' });
    for (const o of [...p.etcd, ...p.apiserver, ...p.components].filter((x) => x.kind === 'Service')) expect(o.metadata.labels?.['karmada.io/bootstrapping']).toBe('service-defaults');
  });

  it('HA etcd: peer list, servers and parallel start follow the replica count', () => {
    const n = 5;
    const p = plan(opts({ 'etcd-replicas': n, 'etcd-storage-mode': 'PVC', 'storage-classes-name': 'x' }));
    const sts = byName(p, 'StatefulSet', 'etcd');
    const cmd: string[] = sts.spec.template.spec.containers[0].command;
    expect(cmd.find((a) => a.startsWith('--initial-cluster='))!.split(',')).toHaveLength(n);
    const api: string[] = byName(p, 'Deployment', 'karmada-apiserver').spec.template.spec.containers[0].command;
    expect(api.find((a) => a.startsWith('--etcd-servers='))!.split(',')).toHaveLength(n);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(byName(p, 'Service', 'etcd').spec.publishNotReadyAddresses).toBe(true);
  });

  it('hostPath etcd selects the labelled node, or the given labels', () => {
    expect(byName(plan(opts()), 'StatefulSet', 'etcd').spec.template.spec.nodeSelector).toEqual({ 'karmada.io/etcd': '' });
    const sel = byName(plan(opts({ 'etcd-node-selector-labels': 'disk=ssd,zone=a' })), 'StatefulSet', 'etcd').spec.template.spec;
    expect(sel.nodeSelector).toEqual({ disk: 'ssd', zone: 'a' });
    expect(sel.volumes.find((v: any) => v.name === 'etcd-data').hostPath.path).toBe('/var/lib/karmada-etcd');
  });

  it('external etcd: no etcd workload, servers and prefix passed through', () => {
    const p = plan(opts({ 'external-etcd-servers': 'https://a:2379,https://b:2379', 'external-etcd-ca-cert-path': '/ca', 'external-etcd-key-prefix': '/k' }));
    expect(p.etcd).toEqual([]);
    const cmd: string[] = byName(p, 'Deployment', 'karmada-aggregated-apiserver').spec.template.spec.containers[0].command;
    expect(cmd).toContain('--etcd-servers=https://a:2379,https://b:2379');
    expect(cmd).toContain('--etcd-prefix=/k');
  });

  it('priority classes, replicas and pull policy reach their Deployments', () => {
    const p = plan(opts({ 'karmada-webhook-priority-class': 'low', 'karmada-scheduler-replicas': 2, 'image-pull-policy': 'Always' }));
    expect(byName(p, 'Deployment', 'karmada-webhook').spec.template.spec.priorityClassName).toBe('low');
    expect(byName(p, 'Deployment', 'karmada-scheduler').spec.replicas).toBe(2);
    expect(byName(p, 'Deployment', 'karmada-scheduler').spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(byName(p, 'Deployment', 'karmada-apiserver').spec.template.spec.containers[0].imagePullPolicy).toBeUndefined();
  });
});

describe('command composition and templates', () => {
  it('extra args replace same-named defaults and are appended sorted', () => {
    const out = composeCommand(['bin', '--a=1', '--v=2', '--z=9'], ['--v=4', '--b=x', '--audit=-']);
    expect(out[0]).toBe('bin');
    expect(out.slice(1, 3)).toEqual(['--a=1', '--z=9']);
    expect(out.slice(3)).toEqual(['--audit=-', '--b=x', '--v=4']);
  });
  it('placeholders cannot inject YAML', () => {
    const evil = 'x\nkind: Secret';
    const text = fillTemplate('image: {{image}}\n', { image: evil });
    expect(text).toBe(`image: ${JSON.stringify(evil)}\n`);
    expect(() => fillTemplate('url: https://{{ns}}.svc\n', { ns: 'a b' })).toThrow(/cannot be embedded/);
  });
});
