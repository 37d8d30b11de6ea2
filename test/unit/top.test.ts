import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, goTabwrite, percent, podUsage, printNodeMetrics, printPodMetrics, QUERY_FROM_CLUSTER, sortPods, type NodeMetrics, type PodMetrics } from '../../src/operate/top';
import { Quantity } from '../../src/kubectl/format/quantity';

const pod = (name: string, cluster: string, containers: Record<string, [string, string]>, namespace = 'default'): PodMetrics => ({
  metadata: { name, namespace, annotations: { [QUERY_FROM_CLUSTER]: cluster } },
  containers: Object.entries(containers).map(([n, [cpu, memory]]) => ({ name: n, usage: { cpu, memory } })),
});
const node = (name: string, cluster: string, cpu: string, memory: string): NodeMetrics => ({ metadata: { name, annotations: { [QUERY_FROM_CLUSTER]: cluster } }, usage: { cpu, memory } });
const sp = (n: number) => ' '.repeat(n);

describe('top units (kubectl metricsutil)', () => {
  it('CPU in millicores rounded up, memory in whole Mi truncated', () => {
    expect(formatCpu('1500000n')).toBe('2m');
    expect(formatCpu('2')).toBe('2000m');
    expect(formatCpu('0')).toBe('0m');
    expect(formatCpu('1n')).toBe('1m');
    expect(formatMemory('3000Ki')).toBe('2Mi');
    expect(formatMemory('1Gi')).toBe('1024Mi');
    expect(formatMemory('1048575')).toBe('0Mi');
    expect(formatMemory('1.5Mi')).toBe('1Mi');
  });

  it('sums exactly before formatting (1.5m + 250m + 2000m = 2252m)', () => {
    const u = podUsage(pod('p', 'm', { a: ['1500000n', '1Ki'], b: ['250m', '1Mi'], c: ['2', '1Gi'] }));
    expect(formatCpu(u.cpu)).toBe('2252m');
    expect(formatMemory(u.memory)).toBe('1025Mi');
    expect(Quantity.parse('1500000n').add(Quantity.parse('250m')).toString()).toBe('251500u');
  });

  it('percent truncates toward zero; a zero capacity gives Go amd64 int64(+Inf)', () => {
    expect(percent(Quantity.parse('250m'), Quantity.parse('2'))).toBe('12%');
    expect(percent(Quantity.parse('1999m'), Quantity.parse('1'))).toBe('199%');
    expect(percent(Quantity.parse('1m'), Quantity.parse('0'))).toBe('-9223372036854775808%');
  });
});

describe('top sorting', () => {
  const items = [pod('b', 'member2', { c: ['10m', '1Mi'] }), pod('a', 'member2', { c: ['30m', '1Mi'] }, 'zz'), pod('z', 'member1', { c: ['20m', '5Mi'] })];
  it('default: cluster, then (with -A) namespace, then name', () => {
    expect(sortPods(items, false, '').map((p) => p.metadata.name)).toEqual(['z', 'a', 'b']);
    expect(sortPods(items, true, '').map((p) => p.metadata.name)).toEqual(['z', 'b', 'a']);
  });
  it('--sort-by cpu|memory: descending, ties keep the cluster order', () => {
    expect(sortPods(items, false, 'cpu').map((p) => p.metadata.name)).toEqual(['a', 'z', 'b']);
    expect(sortPods(items, false, 'memory').map((p) => p.metadata.name)).toEqual(['z', 'b', 'a']);
  });
});

describe('top tables (cli-runtime tabwriter, every cell tab-terminated)', () => {
  const items = [pod('web', 'member1', { a: ['1500000n', '100Mi'], b: ['250m', '22Mi'] }), pod('api-1234567890', 'member1', { c: ['2', '1Gi'] })];

  it('pods: NAME, CLUSTER, CPU(cores), MEMORY(bytes) with trailing padding', () => {
    expect(printPodMetrics(items, { containers: false, withNamespace: false, noHeaders: false, sortBy: '', sum: false })).toBe(
      `NAME${sp(13)}CLUSTER${sp(3)}CPU(cores)${sp(3)}MEMORY(bytes)${sp(3)}\n` + `api-1234567890${sp(3)}member1${sp(3)}2000m${sp(8)}1024Mi${sp(10)}\n` + `web${sp(14)}member1${sp(3)}252m${sp(9)}122Mi${sp(11)}\n`,
    );
  });

  it('--sum: a rule under CPU and MEMORY, then the totals', () => {
    const out = printPodMetrics(items, { containers: false, withNamespace: false, noHeaders: false, sortBy: '', sum: true }).split('\n');
    expect(out[3]).toBe(`${sp(17)}${sp(10)}________${sp(5)}________${sp(8)}`);
    expect(out[4]).toBe(`${sp(17)}${sp(10)}2252m${sp(8)}1146Mi${sp(10)}`);
  });

  it('--containers -A: NAMESPACE, POD, then the container as NAME', () => {
    const out = printPodMetrics(items, { containers: true, withNamespace: true, noHeaders: false, sortBy: 'cpu', sum: false });
    expect(out.split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['NAMESPACE', 'POD', 'NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'],
      ['default', 'api-1234567890', 'c', 'member1', '2000m', '1024Mi'],
      ['default', 'web', 'b', 'member1', '250m', '22Mi'],
      ['default', 'web', 'a', 'member1', '2m', '100Mi'],
      [''],
    ]);
  });

  it('--sum with --no-headers -A stays under the CPU and MEMORY columns', () => {
    const out = printPodMetrics([items[1]], { containers: false, withNamespace: true, noHeaders: true, sortBy: '', sum: true }).split('\n');
    const col = (l: string, s: string) => l.indexOf(s);
    expect(col(out[1], '________')).toBe(col(out[0], '2000m'));
    expect(col(out[2], '2000m')).toBe(col(out[0], '2000m'));
    expect(col(out[2], '1024Mi')).toBe(col(out[0], '1024Mi'));
  });

  it('nodes: percentages, a row without its node has none, nodes without metrics are <unknown>', () => {
    const avail = [
      { cluster: 'm1', nodes: new Map([['n1', { cpu: '2', memory: '16Gi' }]]) },
      { cluster: 'm2', nodes: new Map([['n3', { cpu: '4', memory: '8Gi' }]]) },
    ];
    expect(printNodeMetrics([node('n2', 'm2', '100m', '64Mi'), node('n1', 'm1', '250m', '512Mi')], avail, { noHeaders: false, sortBy: '' })).toBe(
      `NAME${sp(3)}CLUSTER${sp(3)}CPU(cores)${sp(3)}CPU%${sp(8)}MEMORY(bytes)${sp(3)}MEMORY%${sp(3)}\n` +
        `n1${sp(5)}m1${sp(8)}250m${sp(9)}12%${sp(9)}512Mi${sp(11)}3%${sp(8)}\n` +
        `n2${sp(5)}m2${sp(8)}100m${sp(9)}64Mi${sp(8)}\n` +
        `n3${sp(5)}m2${sp(8)}<unknown>${sp(4)}<unknown>${sp(3)}<unknown>${sp(7)}<unknown>${sp(3)}\n`,
    );
  });

  it('goTabwrite: column blocks end at a shorter line (Go text/tabwriter)', () => {
    expect(goTabwrite('a\tb\t\nlonger\t\nc\tdddddddd\t\n')).toBe(`a${sp(8)}b${sp(5)}\nlonger${sp(3)}\nc${sp(8)}dddddddd${sp(3)}\n`);
  });
});
