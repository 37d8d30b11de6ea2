import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { runCli } from '../support/context';
import { nodes, startTestApiServer, type TestApiServer } from '../support/apiserver';
import { startKarmadaHost, type KarmadaHost } from '../support/karmada-host';
import { mergedKubeconfig } from '../support/clusters';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');

let env: KarmadaHost;
let karmadaCfg: string;
beforeEach(async () => {
  env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
  const r = await runCli(['init', ...env.flags(['--crds', CRDS])]);
  expect(r.code).toBe(0);
  karmadaCfg = path.join(env.dir, 'data', 'karmada-apiserver.config');
});
afterEach(() => env.close());

const hostFlags = () => ['--kubeconfig', env.kubeconfigPath, '--karmada-kubeconfig', karmadaCfg];
const addons = (...args: string[]) => runCli(['addons', ...args, ...hostFlags()]);
const deployment = (name: string) => env.host.store.get('apps/v1', 'Deployment', 'karmada-system', name);
const listJson = async (...extra: string[]) => {
  const r = await addons('list', '-o', 'json', ...extra);
  expect(r.code).toBe(0);
  return Object.fromEntries(JSON.parse(r.stdout).addons.map((x: { addon: string; cluster?: string; status: string }) => [x.cluster ? `${x.addon}/${x.cluster}` : x.addon, x.status]));
};
const k = () => env.karmada()!;

describe('addons enable / list / disable', () => {
  it('karmada-search: host Service and Deployment, ExternalName Service and available APIService in karmada-apiserver; re-run safe; disable removes all', async () => {
    expect(await listJson()).toEqual({ 'karmada-descheduler': 'disabled', 'karmada-metrics-adapter': 'disabled', 'karmada-scheduler-estimator': 'disabled', 'karmada-search': 'disabled' });
    const r = await addons('enable', 'karmada-search', '--private-image-registry', 'registry.local/karmada');
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('addon karmada-search enabled\n');
    const d = deployment('karmada-search')!;
    expect(d.spec.template.spec.containers[0].image).toBe('registry.local/karmada/karmada-search:v1.18.2');
    expect(d.spec.template.spec.containers[0].command).toContain('--etcd-servers=https://etcd-0.etcd.karmada-system.svc.cluster.local:2379');
    expect(d.metadata.labels).toMatchObject({ app: 'karmada-search', apiserver: 'true', 'karmada.io/addon': 'karmada-search' });
    expect(env.host.store.get('v1', 'Service', 'karmada-system', 'karmada-search')!.spec.ports[0].port).toBe(443);
    expect(k().store.get('v1', 'Service', 'karmada-system', 'karmada-search')!.spec).toMatchObject({ type: 'ExternalName', externalName: 'karmada-search.karmada-system.svc.cluster.local' });
    const api = k().store.get('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1alpha1.search.karmada.io')!;
    const caCrt = env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-cert')!.data['ca.crt'];
    expect(api.spec).toMatchObject({ group: 'search.karmada.io', version: 'v1alpha1', groupPriorityMinimum: 2000, versionPriority: 10, caBundle: caCrt, service: { name: 'karmada-search', namespace: 'karmada-system' } });
    expect((await listJson())['karmada-search']).toBe('enabled');
    const before = [env.host.content(), k().content()];
    expect((await addons('enable', 'karmada-search', '--private-image-registry', 'registry.local/karmada')).code).toBe(0);
    expect([env.host.content(), k().content()]).toEqual(before);
    const off = await addons('disable', 'karmada-search', '--force');
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('deleted karmada: APIService v1alpha1.search.karmada.io');
    expect(deployment('karmada-search')).toBeUndefined();
    expect(k().store.get('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1alpha1.search.karmada.io')).toBeUndefined();
    expect((await listJson())['karmada-search']).toBe('disabled');
    const again = await addons('disable', 'karmada-search', '--force');
    expect(again.stdout).toContain('not found, skipped host: Deployment karmada-system/karmada-search');
  });

  it('metrics-adapter: three APIServices; one missing shows unhealthy; a failing API call marks one row unknown, not the table', async () => {
    expect((await addons('enable', 'karmada-metrics-adapter', 'karmada-descheduler')).code).toBe(0);
    for (const n of ['v1beta1.metrics.k8s.io', 'v1beta1.custom.metrics.k8s.io', 'v1beta2.custom.metrics.k8s.io']) {
      expect(k().store.get('apiregistration.k8s.io/v1', 'APIService', undefined, n)!.spec.service).toEqual({ name: 'karmada-metrics-adapter', namespace: 'karmada-system' });
    }
    expect(await listJson()).toMatchObject({ 'karmada-metrics-adapter': 'enabled', 'karmada-descheduler': 'enabled' });
    k().store.delete('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1beta2.custom.metrics.k8s.io');
    expect((await listJson())['karmada-metrics-adapter']).toBe('unhealthy');
    env.host.faults.add({ method: 'GET', path: '/deployments/karmada-descheduler', status: 403, message: 'injected' });
    const r = await addons('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\+-+\+-+\+\n\| +ADDON NAME +\| +STATUS +\|\n/);
    expect(r.stdout).toMatch(/\| karmada-descheduler +\| unknown +\|/);
    expect(r.stdout).toMatch(/\| karmada-metrics-adapter +\| unhealthy +\|/);
    expect(r.stderr).toContain('injected');
  });

  it('scheduler estimator for two members: one context per secret, Services for discovery, karmada-scheduler and descheduler wired', async () => {
    const [m1, m2]: TestApiServer[] = await Promise.all([startTestApiServer({ kubeSystemUid: 'm1' }), startTestApiServer({ kubeSystemUid: 'm2' })]);
    try {
      // one kubeconfig with both members and the host: the secret must carry only the chosen context
      const all = await mergedKubeconfig(path.join(env.dir, 'members.config'), { member1: m1, member2: m2, host: env.host }, 'host');
      // a scheduler installed without the estimator flags (e.g. by hand): enable must wire it
      const sched = deployment('karmada-scheduler')!;
      const cmd = sched.spec.template.spec.containers[0].command.filter((a: string) => !a.startsWith('--enable-scheduler-estimator') && !a.startsWith('--scheduler-estimator-'));
      env.host.store.put({ ...sched, spec: { ...sched.spec, template: { ...sched.spec.template, spec: { ...sched.spec.template.spec, containers: [{ ...sched.spec.template.spec.containers[0], command: cmd }] } } } });
      expect((await addons('enable', 'karmada-descheduler')).code).toBe(0);
      for (const c of ['member1', 'member2']) {
        const r = await addons('enable', 'karmada-scheduler-estimator', '-C', c, '--member-kubeconfig', all, '--member-context', c);
        expect(r.stderr).not.toContain('error:');
        expect(r.code).toBe(0);
        const secret = env.host.store.get('v1', 'Secret', 'karmada-system', `${c}-kubeconfig`)!;
        const kc = parse(Buffer.from(secret.data[`${c}-kubeconfig`], 'base64').toString());
        expect(kc.contexts.map((x: { name: string }) => x.name)).toEqual([c]);
        expect(kc['current-context']).toBe(c);
        expect(kc.clusters).toHaveLength(1);
        expect(kc.clusters[0].cluster.server).toBe(c === 'member1' ? m1.url : m2.url);
        const d = deployment(`karmada-scheduler-estimator-${c}`)!;
        expect(d.spec.template.spec.containers[0].command).toContain(`--cluster-name=${c}`);
        expect(env.host.store.get('v1', 'Service', 'karmada-system', `karmada-scheduler-estimator-${c}`)!.spec.ports[0].port).toBe(10352);
        expect(k().store.get('v1', 'Service', 'karmada-system', `karmada-scheduler-estimator-${c}`)!.spec).toMatchObject({ type: 'ExternalName', ports: [{ port: 10352, targetPort: 10352 }] });
      }
      const wired: string[] = deployment('karmada-scheduler')!.spec.template.spec.containers[0].command;
      expect(wired).toEqual(expect.arrayContaining(['--enable-scheduler-estimator=true', '--scheduler-estimator-ca-file=/etc/karmada/pki/ca.crt', '--scheduler-estimator-cert-file=/etc/karmada/pki/karmada.crt', '--scheduler-estimator-key-file=/etc/karmada/pki/karmada.key']));
      expect(deployment('karmada-scheduler')!.status.readyReplicas).toBe(1);
      expect(await listJson()).toMatchObject({ 'karmada-scheduler-estimator/member1': 'enabled', 'karmada-scheduler-estimator/member2': 'enabled' });
      expect(await listJson('-C', 'member2')).toMatchObject({ 'karmada-scheduler-estimator/member2': 'enabled' });
      const off = await addons('disable', 'karmada-scheduler-estimator', '-C', 'member1', '--force');
      expect(off.code).toBe(0);
      expect(deployment('karmada-scheduler-estimator-member1')).toBeUndefined();
      expect(env.host.store.get('v1', 'Secret', 'karmada-system', 'member1-kubeconfig')).toBeUndefined();
      expect(deployment('karmada-scheduler-estimator-member2')).toBeTruthy();
    } finally {
      await Promise.all([m1.close(), m2.close()]);
    }
  });

  it('a rollout that never becomes ready fails with the pods and why; bad input fails before any write', async () => {
    env.host.sim.failImages(/karmada-descheduler/);
    const r = await addons('enable', 'karmada-descheduler', '--pod-timeout', '2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ImagePullBackOff');
    expect(r.stderr).toContain('--private-image-registry');
    const writes = env.host.writes().length;
    for (const [args, msg] of [
      [['enable', 'karmada-nope'], 'addon karmada-nope is not be supported now'],
      [['enable', 'karmada-scheduler-estimator'], 'member cluster is needed when enable karmada-scheduler-estimator'],
      [['enable', 'karmada-search', '-C', 'member1'], 'cluster is needed only when enable karmada-scheduler-estimator or enable all'],
      [['enable', 'karmada-scheduler-estimator', '-C', 'member1'], 'member config is needed'],
      [['enable', 'karmada-search', '-n', 'elsewhere'], 'secrets `karmada-cert` is not found in namespace elsewhere'],
    ] as const) {
      const e = await addons(...args);
      expect(e.code).toBe(1);
      expect(e.stderr).toContain(msg);
    }
    expect(env.host.writes().length).toBe(writes);
  });

  it('disable asks first: yes proceeds, no and an empty answer keep everything, no terminal without --force is refused', async () => {
    expect((await addons('enable', 'karmada-descheduler')).code).toBe(0);
    const ask = (stdin: string) => runCli(['addons', 'disable', 'karmada-descheduler', ...hostFlags()], { stdin, stdinIsTTY: true });
    const no = await ask('n\n');
    expect(no.code).toBe(0);
    expect(no.stdout).toContain('Please type (y)es or (n)o and then press enter:');
    expect(deployment('karmada-descheduler')).toBeTruthy();
    const empty = await ask('\n');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('aborted: nothing was removed');
    expect(deployment('karmada-descheduler')).toBeTruthy();
    const notty = await runCli(['addons', 'disable', 'karmada-descheduler', ...hostFlags()]);
    expect(notty.code).toBe(1);
    expect(notty.stderr).toContain('pass --force');
    expect(deployment('karmada-descheduler')).toBeTruthy();
    const yes = await ask('maybe\nyes\n');
    expect(yes.code).toBe(0);
    expect(deployment('karmada-descheduler')).toBeUndefined();
  });
});

describe('addons on a single tainted control-plane node', () => {
  it('inherit the control plane tolerations, so they are scheduled where it runs (found by the real-scheduler e2e)', async () => {
    const tainted = await startKarmadaHost({ nodes: [nodes.taintedMaster('master1')] });
    try {
      expect((await runCli(['init', ...tainted.flags(['--crds', CRDS, '--tolerate-control-plane-taints'])])).code).toBe(0);
      const r = await runCli(['addons', 'enable', 'karmada-search', '--kubeconfig', tainted.kubeconfigPath, '--karmada-kubeconfig', path.join(tainted.dir, 'data', 'karmada-apiserver.config'), '--pod-timeout', '10']);
      expect(r.stderr).not.toContain('error:');
      expect(r.code).toBe(0);
      const d = tainted.host.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-search')!;
      expect(d.spec.template.spec.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'node-role.kubernetes.io/master' })]));
    } finally {
      await tainted.close();
    }
  });
});

describe('deinit', () => {
  it('after init and addons: removes every object of both, the node label, the namespace with --purge-namespace, etcd data and local files on request', async () => {
    expect((await addons('enable', 'karmada-search', 'karmada-descheduler')).code).toBe(0);
    expect(env.host.store.get('v1', 'Node', undefined, 'node1')!.metadata.labels['karmada.io/etcd']).toBe('');
    const flags = ['deinit', '--kubeconfig', env.kubeconfigPath, '-d', path.join(env.dir, 'data'), '--karmada-pki', path.join(env.dir, 'pki')];
    const dry = await runCli([...flags, '--dry-run', '--delete-etcd-data', '--delete-local-files']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('(dry run: nothing will be deleted)');
    expect(dry.stdout).toContain('Deployment karmada-system/karmada-search');
    expect(dry.stdout).toContain('StatefulSet karmada-system/etcd');
    expect(dry.stdout).toContain('etcd data /var/lib/karmada-etcd on node node1');
    expect(dry.stdout).toContain(`file ${path.join(env.dir, 'data', 'karmada-apiserver.config')}`);
    expect(deployment('karmada-apiserver')).toBeTruthy();
    const r = await runCli([...flags, '--force', '--purge-namespace', '--delete-etcd-data', '--delete-local-files']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remove Karmada from Kubernetes successfully.');
    await new Promise((res) => setTimeout(res, 30));
    for (const kind of ['Deployment', 'StatefulSet']) expect(env.host.store.list('apps/v1', kind, 'karmada-system')).toEqual([]);
    expect(env.host.store.list('v1', 'Secret', 'karmada-system')).toEqual([]);
    expect(env.host.store.get('v1', 'Namespace', undefined, 'karmada-system')).toBeUndefined();
    expect(env.host.store.get('v1', 'Node', undefined, 'node1')!.metadata.labels['karmada.io/etcd']).toBeUndefined();
    const cleanup = env.host.sim.completedPods;
    expect(cleanup).toHaveLength(1);
    expect(cleanup[0].spec).toMatchObject({ nodeName: 'node1', volumes: [{ hostPath: { path: '/var/lib/karmada-etcd' } }] });
    expect(existsSync(path.join(env.dir, 'data', 'karmada-apiserver.config'))).toBe(false);
    expect(existsSync(path.join(env.dir, 'pki', 'ca.key'))).toBe(false);
  });

  it('the prompt: no and an empty answer delete nothing, no terminal without --force is refused; a partial install is removed', async () => {
    const flags = ['deinit', '--kubeconfig', env.kubeconfigPath];
    const count = () => env.host.store.list('apps/v1', 'Deployment', 'karmada-system').length;
    const before = count();
    for (const stdin of ['no\n', '\n', '']) {
      const r = await runCli(flags, { stdin, stdinIsTTY: true });
      expect(r.code).toBe(0);
      expect(count()).toBe(before);
    }
    const notty = await runCli(flags);
    expect(notty.code).toBe(1);
    expect(notty.stderr).toContain('pass --force');
    // a partial install: some Deployments are already gone
    env.host.store.delete('apps/v1', 'Deployment', 'karmada-system', 'karmada-webhook');
    const yes = await runCli(flags, { stdin: 'y\n', stdinIsTTY: true });
    expect(yes.code).toBe(0);
    expect(count()).toBe(0);
    expect(env.host.store.get('v1', 'Namespace', undefined, 'karmada-system')).toBeTruthy();
    const missing = await runCli(['deinit', '--kubeconfig', env.kubeconfigPath, '-n', 'nothing-here', '--force']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('namespace nothing-here not found');
  });
});
