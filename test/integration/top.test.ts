import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { installMetricsServer, nodeMetrics, podMetrics } from '../support/apiserver/metrics';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
const rows = (s: string) => s.trimEnd().split('\n').map((l) => l.trim().split(/\s+/));

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2', 'member3']);
  for (const m of ['member1', 'member3']) await installMetricsServer(fed.members[m]);
  const m1 = fed.members.member1.store;
  m1.put(podMetrics('web', { nginx: { cpu: '1500000n', memory: '100Mi' }, sidecar: { cpu: '250m', memory: '22Mi' } }, { labels: { app: 'web' } }));
  m1.put(podMetrics('api', { c: { cpu: '2', memory: '1Gi' } }, { labels: { app: 'api' } }));
  m1.put(nodeMetrics('m1-node', { cpu: '500m', memory: '2Gi' }));
  m1.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'm1-node' }, status: { allocatable: { cpu: '2', memory: '8Gi' }, capacity: { cpu: '4', memory: '16Gi' } } });
  fed.members.member3.store.put(nodeMetrics('m3-node', { cpu: '1', memory: '1Gi' }));
});
afterAll(async () => {
  await fed?.close();
});

describe('top pod', () => {
  it('prints the rows of the clusters with metrics and names the one without; exit 1', async () => {
    const r = await run(['top', 'pod']);
    expect(r.code).toBe(1);
    expect(rows(r.stdout)).toEqual([
      ['NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'],
      ['api', 'member1', '2000m', '1024Mi'],
      ['web', 'member1', '252m', '122Mi'],
    ]);
    expect(r.stdout.split('\n')[0]).toBe('NAME   CLUSTER   CPU(cores)   MEMORY(bytes)   ');
    expect(r.stderr).toContain('error: cluster(member2): metrics API not available; install metrics-server');
    expect(r.stderr).not.toContain('member1');
    // member3 has the API but no pods: nothing to report
    expect(r.stderr).not.toContain('member3');
  });

  it('-C member1 with -l, --sum and --sort-by; exit 0', async () => {
    const r = await run(['top', 'po', '-C', 'member1', '--sum', '--sort-by', 'memory']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(rows(r.stdout).slice(1)).toEqual([['api', 'member1', '2000m', '1024Mi'], ['web', 'member1', '252m', '122Mi'], ['________', '________'], ['2252m', '1146Mi']]);
    const l = await run(['top', 'pods', '-C', 'member1', '-l', 'app=web', '--containers', '--no-headers']);
    expect(rows(l.stdout)).toEqual([['web', 'nginx', 'member1', '2m', '100Mi'], ['web', 'sidecar', 'member1', '250m', '22Mi']]);
    const forwarded = fed.proxy.forwarded.filter((f) => f.cluster === 'member1').map((f) => f.path);
    expect(forwarded).toContain('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
  });

  it('no metrics and no pods: the notice, exit 0', async () => {
    const r = await run(['top', 'pod', '-C', 'member3', '-n', 'kube-system']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found in kube-system namespace.\n');
  });

  it('bad input is refused before any request', async () => {
    const a = await run(['top', 'pod', '--sort-by', 'name']);
    expect([a.code, a.stderr.split('\n')[0]]).toEqual([1, 'error: --sort-by accepts only cpu or memory; use --sort-by=cpu or --sort-by=memory']);
    const b = await run(['top', 'pod', 'web', '-l', 'a=b']);
    expect(b.stderr).toMatch(/^error: only one of NAME or selector can be provided/);
    const c = await run(['top', 'pod', '-C', 'nope']);
    expect(c.stderr).toMatch(/^error: cluster "nope" is not joined to the Karmada control plane/);
    const d = await run(['top', 'pod', '--field-selector', 'bad']);
    expect(d.stderr).toMatch(/^error: invalid selector: 'bad'/);
  });
});

describe('top node', () => {
  it('percentages of allocatable (or capacity) and the failed cluster', async () => {
    const r = await run(['top', 'node']);
    expect(r.code).toBe(1);
    expect(rows(r.stdout)).toEqual([
      ['NAME', 'CLUSTER', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'],
      ['m1-node', 'member1', '500m', '25%', '2048Mi', '25%'],
      ['m3-node', 'member3', '1000m', '1024Mi'],
    ]);
    expect(r.stderr).toContain('cluster(member2): metrics API not available');
    const c = await run(['top', 'no', '--clusters', 'member1', '--show-capacity']);
    expect(c.code).toBe(0);
    expect(rows(c.stdout)[1]).toEqual(['m1-node', 'member1', '500m', '12%', '2048Mi', '12%']);
  });
});

describe('top', () => {
  it('without a subcommand prints its help on stderr and exits 1', async () => {
    const r = await runCli(['top'], { env: fed.env, homedir: fed.homedir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Available Commands:');
    expect(r.stderr).toContain('pod ');
  });
});
