/**
 * `interpret` driven in-process through the CLI: --check's report and exit code, the execute output
 * format (spec §7.6), input errors, stdin for --status-file, and the two places where we are better
 * than the reference (a failing rule exits 1; an empty input file is a one-line error).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/context';

const dir = mkdtempSync(path.join(tmpdir(), 'interpret-cli-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const custom = file(
  'c.yaml',
  `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata:
  name: test
spec:
  target:
    apiVersion: apps/v1
    kind: Deployment
  customizations:
    replicaResource:
      luaScript: |
        local kube = require("kube")
        function GetReplicas(obj)
          print("replicas", obj.spec.replicas)
          return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
        end
    healthInterpretation:
      luaScript: |
        function InterpretHealth(obj)
          return obj.status.readyReplicas == obj.spec.replicas
        end
    statusAggregation:
      luaScript: |
        function AggregateStatus(obj, items)
          local ready = 0
          for i = 1, #items do ready = ready + items[i].status.readyReplicas end
          obj.status = {readyReplicas = ready, y = "y"}
          return obj
        end
    statusReflection:
      luaScript: "function ReflectStatus(obj) return obj.status.deeper.x end"
    retention:
      luaScript: "function Retain(d, o) return {spec = 1} end"
`,
);
const broken = file('broken.yaml', `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: broken}
spec:
  target: {apiVersion: v1, kind: Pod}
  customizations:
    healthInterpretation:
      luaScript: "function InterpretHealth(obj) return obj.status. end"
`);
const deploy = file('d.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: c
        resources: {requests: {cpu: 100m, memory: 64Mi}}
status: {readyReplicas: 3}
`);

describe('interpret --check', () => {
  it('lists the eight rules in the reference order with PASS/UNSET and exits 0', async () => {
    const r = await runCli(['interpret', '-f', custom, '--check']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['-----------------------------------', 'SOURCE: test', 'TARGET: apps/v1 Deployment', 'RULERS:']);
    expect(lines.slice(4, 12).map((l) => l.trim().split(/\s+/))).toEqual([
      ['Retain:', 'PASS'], ['InterpretReplica:', 'PASS'], ['InterpretComponent:', 'UNSET'], ['ReviseReplica:', 'UNSET'],
      ['InterpretStatus:', 'PASS'], ['AggregateStatus:', 'PASS'], ['InterpretHealth:', 'PASS'], ['InterpretDependency:', 'UNSET'],
    ]);
  });
  it('a syntax error is reported on its rule and exits 1', async () => {
    const r = await runCli(['interpret', '-f', broken, '-f', custom, '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/InterpretHealth: +ERROR: <string>:1:/);
    expect(r.stdout).toContain('SOURCE: test');
  });
  it('a document of another kind is named', async () => {
    const r = await runCli(['interpret', '-f', deploy, '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not a ResourceInterpreterCustomization, got apps/v1, Kind=Deployment');
  });
});

describe('interpret --operation', () => {
  it('prints each result as a numbered YAML section, print() output first; integers without .0', async () => {
    const r = await runCli(['interpret', '-f', custom, '--operation', 'interpretreplica', '--observed-file', deploy]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('replicas\t3\n---\n# [1/2] replica:\n3\n---\n# [2/2] requires:\nresourceRequest:\n  cpu: 100m\n  memory: 64Mi\n');
  });
  it('InterpretHealth prints true', async () => {
    const r = await runCli(['interpret', '-f', custom, '--operation', 'InterpretHealth', '--observed-file', deploy]);
    expect(r.stdout).toBe('---\n# [1/1] healthy:\ntrue\n');
  });
  it('AggregateStatus reads status items from stdin with -, keys sorted, "y" quoted', async () => {
    const r = await runCli(['interpret', '-f', custom, '--operation', 'aggregateStatus', '--desired-file', deploy, '--status-file', '-'], {
      stdin: 'clusterName: m1\nstatus: {readyReplicas: 2}\n---\nclusterName: m2\nstatus: {readyReplicas: 1}\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status:\n  readyReplicas: 3\n  "y": "y"\n');
    expect(r.stdout.startsWith('---\n# [1/1] aggregatedStatus:\napiVersion: apps/v1\nkind: Deployment\n')).toBe(true);
  });
  it('a failing rule prints the reference message and exits 1 (the reference exits 0)', async () => {
    const r = await runCli(['interpret', '-f', custom, '--operation', 'InterpretStatus', '--observed-file', deploy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Execute InterpretStatus error: <string>:1: /);
    const k = await runCli(['interpret', '-f', custom, '--operation', 'Retain', '--observed-file', deploy, '--desired-file', deploy]);
    expect(k.stderr).toContain("json unmarshal obj failed: Object 'Kind' is missing");
    expect(k.code).toBe(1);
  });
  it('a rule with no script names the GVK looked up', async () => {
    const r = await runCli(['interpret', '-f', custom, '--operation', 'InterpretDependency', '--observed-file', deploy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Execute InterpretDependency error: rule is not enabled');
    expect(r.stderr).toContain('apps/v1 Deployment');
  });
});

describe('input errors', () => {
  it.each([
    [['--operation', 'foo', '--observed-file', 'OBS'], 'error: operation foo is not supported. Use one of: Retain, InterpretReplica'],
    [['--observed-file', 'OBS'], 'error: operation is not set for executing'],
    [['--operation', 'InterpretHealth'], 'error: desired-file, observed-file options are not set'],
    [['--operation', 'InterpretHealth', '--observed-file', 'OBS', '--desired-file', 'OBS'], 'error: you can not specify both desired-file and observed-file options'],
    [['--operation', 'Retain', '--observed-file', 'OBS'], 'error: desired, desired-file options are not set'],
    [['--operation', 'InterpretHealth', '--observed-file', 'EMPTY'], 'contains no object'],
    [['--operation', 'InterpretHealth', '--observed-file', '/nonexistent/x.yaml'], 'error: the path "/nonexistent/x.yaml" does not exist'],
    [['--check', '--edit'], "error: you can't set both --check and --edit options"],
  ])('%j', async (args, want) => {
    const empty = file('empty.yaml', '');
    const r = await runCli(['interpret', '-f', custom, ...args.map((a) => (a === 'OBS' ? deploy : a === 'EMPTY' ? empty : a))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(want);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('an empty customization file and no -f are one-line errors', async () => {
    const empty = file('empty2.yaml', '\n');
    const r = await runCli(['interpret', '-f', empty, '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no customizations found in .*empty2.yaml/);
    const n = await runCli(['interpret', '--check']);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('You must provide one or more resources by argument or filename.');
  });
  it('invalid YAML is a one-line error', async () => {
    const bad = file('bad.yaml', 'a: [1, 2\n');
    const r = await runCli(['interpret', '-f', bad, '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bad.yaml: invalid YAML/);
  });
});

describe('interpret --edit', () => {
  const copy = () =>
    file(`edit-${Math.random().toString(36).slice(2)}.yaml`, `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: e}
spec:
  target: {apiVersion: apps/v1, kind: Deployment}
  customizations:
    healthInterpretation:
      luaScript: |
        function InterpretHealth(obj)
          return false
        end
    retention:
      luaScript: "function Retain(d, o) return d end"
`);
  it('no change: "Edit cancelled, no changes made." and exit 0', async () => {
    const f = copy();
    const r = await runCli(['interpret', '-f', f, '--edit'], { env: { KUBE_EDITOR: 'true', PATH: process.env.PATH } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Edit cancelled, no changes made.\n');
  });
  it('an edited rule is saved in place; an emptied rule is removed', async () => {
    const f = copy();
    // the editor: flip the health result and empty the Retain section
    const editor = `sed -i -e 's/return false/return true/' -e '/function Retain/d'`;
    const r = await runCli(['interpret', '-f', f, '--edit'], { env: { KUBE_EDITOR: editor, PATH: process.env.PATH } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('resourceinterpretercustomization.config.karmada.io/e edited\n');
    const c = await runCli(['interpret', '-f', f, '--check']);
    expect(c.stdout).toMatch(/Retain: +UNSET/);
    expect(c.stdout).toMatch(/InterpretHealth: +PASS/);
    const h = await runCli(['interpret', '-f', f, '--operation', 'InterpretHealth', '--observed-file', deploy]);
    expect(h.stdout).toBe('---\n# [1/1] healthy:\ntrue\n');
  });
  it('more than one customization cannot be edited', async () => {
    const r = await runCli(['interpret', '-f', custom, '-f', broken, '--edit'], { env: { KUBE_EDITOR: 'true', PATH: process.env.PATH } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('only one customization can be edited');
  });
});
