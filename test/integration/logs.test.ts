import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { podLogs, type PodLogs } from '../support/apiserver';
import { KubeClient } from '../../src/kube/client';
import { kubeconfigFromString } from '../../src/kube/config';

let fed: Federation;
let logs1: PodLogs;
const run = (args: string[]) => runCli(['logs', ...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });

const pod = (name: string, containers: string[], o: { labels?: Record<string, string>; annotations?: Record<string, string>; init?: string[]; phase?: string; created?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: o.labels ?? {}, annotations: o.annotations ?? {}, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
  spec: { nodeName: 'n1', containers: containers.map((c) => ({ name: c, image: 'x' })), ...(o.init ? { initContainers: o.init.map((c) => ({ name: c, image: 'x' })) } : {}) },
  status: { phase: o.phase ?? 'Running' },
});

beforeAll(async () => {
  fed = await startFederation(['member1']);
  const m = fed.members.member1;
  logs1 = podLogs();
  m.core.extensions.unshift(logs1);
  m.store.put(pod('web-1', ['app', 'side'], { labels: { app: 'web' } }));
  m.store.put(pod('web-2', ['app'], { labels: { app: 'web' } }));
  m.store.put(pod('anno', ['a', 'b'], { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } }));
  m.store.put(pod('nginx-old', ['c'], { labels: { app: 'nginx' }, created: '2026-01-01T00:00:00Z' }));
  m.store.put(pod('nginx-pending', ['c'], { labels: { app: 'nginx' }, phase: 'Pending' }));
  m.store.put(deployment('nginx'));
  const long = Array.from({ length: 50 }, (_, i) => `line-${i} ${'x'.repeat(i)}`);
  logs1.set('default', 'web-1', 'app', ['a1', 'a2', 'a3']);
  logs1.set('default', 'web-1', 'side', ['s1']);
  logs1.set('default', 'web-2', 'app', long);
  logs1.set('default', 'anno', 'b', ['from-b']);
  logs1.set('default', 'nginx-old', 'c', ['nginx-log']);
});
afterAll(async () => {
  await fed?.close();
});

describe('logs (through the cluster proxy double)', () => {
  it('streams a container log, with kubectl query parameters', async () => {
    expect(await run(['web-1', '-c', 'app', '-C', 'member1'])).toMatchObject({ code: 0, stdout: 'a1\na2\na3\n' });
    expect((await run(['web-1', 'side', '-C', 'member1'])).stdout).toBe('s1\n');
    expect((await run(['web-1', '-c', 'app', '--tail=1', '--timestamps', '-C', 'member1'])).stdout).toBe('2026-01-02T03:04:05.000000000Z a3\n');
    expect((await run(['web-1', '-c', 'app', '--limit-bytes=4', '-C', 'member1'])).stdout).toBe('a1\na');
    logs1.queries.length = 0;
    await run(['web-1', '-c', 'app', '--since=90s', '--tail=5', '--limit-bytes=100', '-p', '--timestamps', '--insecure-skip-tls-verify-backend', '-C', 'member1']);
    expect(logs1.queries).toEqual([{ pod: 'web-1', query: { container: 'app', insecureSkipTLSVerifyBackend: 'true', limitBytes: '100', previous: 'true', sinceSeconds: '90', tailLines: '5', timestamps: 'true' } }]);
  });

  it('defaults the container: the annotation, else the first with kubectl notice', async () => {
    expect(await run(['anno', '-C', 'member1'])).toMatchObject({ code: 0, stdout: 'from-b\n', stderr: '' });
    expect(await run(['web-1', '-C', 'member1'])).toMatchObject({ code: 0, stdout: 'a1\na2\na3\n', stderr: 'Defaulted container "app" out of: app, side\n' });
    expect(await run(['web-1', '-c', 'nope', '-C', 'member1'])).toMatchObject({ code: 1, stdout: '', stderr: 'error: container nope is not valid for pod web-1\n' });
  });

  it('-l with --prefix keeps lines whole across chunks (tail 10 by default with a selector)', async () => {
    const r = await run(['-l', 'app=web', '-c', 'app', '--prefix', '-C', 'member1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('[pod/web-1/app] '))).toEqual(['[pod/web-1/app] a1', '[pod/web-1/app] a2', '[pod/web-1/app] a3']);
    expect(lines.filter((l) => l.startsWith('[pod/web-2/app] '))).toEqual(Array.from({ length: 10 }, (_, i) => `[pod/web-2/app] line-${40 + i} ${'x'.repeat(40 + i)}`));
    // streams in a stable order (pods by name; init, regular, ephemeral containers)
    const ordered = await run(['-l', 'app=web', '-c', 'app', '--prefix', '--tail=1', '-C', 'member1']);
    expect(ordered.stdout).toBe(`[pod/web-1/app] a3\n[pod/web-2/app] line-49 ${'x'.repeat(49)}\n`);
    expect(await run(['-l', 'app=none', '-C', 'member1'])).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('-f over more streams than --max-log-requests is refused; parallel lines stay whole', async () => {
    expect(await run(['-f', '-l', 'app=web', '--all-containers', '--max-log-requests=2', '-C', 'member1'])).toMatchObject({ code: 1, stdout: '', stderr: 'error: you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, use --max-log-requests to increase the limit\n' });
    const r = await run(['-f', '-l', 'app=web', '--all-containers', '--tail=-1', '-C', 'member1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['a1', 'a2', 'a3', 's1', ...Array.from({ length: 50 }, (_, i) => `line-${i} ${'x'.repeat(i)}`)].sort());
  });

  it('--ignore-errors reports a failing stream on stderr and goes on', async () => {
    const r = await run(['-l', 'app=web', '-c', 'side', '--ignore-errors', '-C', 'member1']);
    expect(r).toMatchObject({ code: 0, stdout: 's1\n', stderr: 'error: container side is not valid for pod web-2\n' });
  });

  it('TYPE/NAME resolves a deployment to its best pod', async () => {
    const r = await run(['deployment/nginx', '-C', 'member1']);
    // the double's deployment controller adds its own pod (Pending, newer): the Running older one wins
    expect(r).toMatchObject({ code: 0, stdout: 'nginx-log\n' });
    expect(r.stderr).toMatch(/^Found [23] pods, using pod\/nginx-old\n$/);
    expect((await run(['configmap/x', '-C', 'member1'])).stderr).toMatch(/^error: /);
  });

  it('argument and flag errors, before any request where kubectl checks them first', async () => {
    expect((await run(['web-1'])).stderr).toBe('error: must specify a cluster\n');
    expect((await run(['-C', 'member1'])).stderr).toMatch(/^error: expected 'logs \[-f\] \[-p\] \(POD \| TYPE\/NAME\) \[-c CONTAINER\] \(-C CLUSTER\)'/);
    expect((await run(['web-1', '-l', 'a=b', '-C', 'member1'])).stderr).toMatch(/^error: only a selector \(-l\) or a POD name is allowed/);
    expect((await run(['web-1', '--since=1h', '--since-time=2026-01-01T00:00:00Z', '-C', 'member1'])).stderr).toBe('error: at most one of `sinceTime` or `sinceSeconds` may be specified\n');
    expect((await run(['web-1', '--tail=-2', '-C', 'member1'])).stderr).toBe('error: --tail must be greater than or equal to -1\n');
    expect((await run(['web-1', '--all-containers', '-c', 'app', '-C', 'member1'])).stderr).toBe('error: --all-containers=true should not be specified with container name app\n');
    expect((await run(['nosuch', '-C', 'member1'])).stderr).toBe('error: error from server (NotFound): pods "nosuch" not found in namespace "default"\n');
  });
});

describe('the pods/log double checks what kube-apiserver checks', () => {
  const get = async (query: Record<string, string>) => {
    const c = await KubeClient.create(await kubeconfigFromString(fed.members.member1.kubeconfig()));
    try {
      return await c.request('GET', '/api/v1/namespaces/default/pods/web-1/log', { query, noRetry: true }).catch((e) => e as Error);
    } finally {
      c.close();
    }
  };
  it('refuses a missing container, exclusive since options, negative tail and zero limitBytes', async () => {
    expect(String(await get({}))).toContain('a container name must be specified for pod web-1, choose one of: [app side]');
    expect(String(await get({ container: 'app', sinceSeconds: '5', sinceTime: '2026-01-01T00:00:00Z' }))).toContain('at most one of `sinceTime` or `sinceSeconds` may be specified');
    expect(String(await get({ container: 'app', tailLines: '-1' }))).toContain('tailLines: Invalid value: -1: must be greater than or equal to 0');
    expect(String(await get({ container: 'app', limitBytes: '0' }))).toContain('limitBytes: Invalid value: 0: must be greater than 0');
  });
});
