import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { renderPlaintext } from '../../src/operate/explain-v3';

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
const appsDoc = JSON.parse(readFileSync('test/fixtures/openapi/v3.apis__apps__v1.json', 'utf8'));

beforeAll(async () => {
  fed = await startFederation(['member1']);
  // A CRD only the member serves: explain must read the member's OpenAPI, not the control plane's.
  fed.members.member1.store.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.io' },
    spec: {
      group: 'example.io',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: ['wg'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', description: 'Widget of member1.', properties: { spec: { type: 'object', description: 'The spec.', properties: { size: { type: 'integer', description: 'How big.' } } } } } } }],
    },
  });
  await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await fed?.close();
});

const paths = (server: { requests: { path: string }[] }) => server.requests.map((r) => r.path);

describe('explain', () => {
  it('reads /openapi/v3 and the group-version document of the karmada-apiserver; every resource form gives the same text', async () => {
    const want = renderPlaintext(appsDoc, { group: 'apps', version: 'v1', resource: 'deployments' }, ['spec', 'replicas'], false);
    for (const form of ['deployments.spec.replicas', 'deploy.spec.replicas', 'deployment.spec.replicas', 'deployments.apps.spec.replicas', 'Deployment.spec.replicas']) {
      const r = await run(['explain', form]);
      expect({ form, stderr: r.stderr, code: r.code }).toEqual({ form, stderr: '', code: 0 });
      expect(r.stdout).toBe(want);
    }
    expect(want).toContain('FIELD: replicas <integer>');
    const p = paths(fed.karmada);
    expect(p).toContain('/openapi/v3');
    expect(p).toContain('/openapi/v3/apis/apps/v1');
  });

  it('--recursive and --api-version', async () => {
    const r = await run(['explain', 'pods.spec', '--recursive']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: spec <PodSpec>\n/);
    expect(r.stdout).toMatch(/\n {2}containers\t<\[\]Container> -required-\n {4}args\t<\[\]string>\n/);
    const v = await run(['explain', 'deployments', '--api-version=apps/v1']);
    expect(v.code).toBe(0);
    expect(v.stdout.startsWith('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n')).toBe(true);
    const missing = await run(['explain', 'deployments', '--api-version=apps/v9']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('error: couldn\'t find resource for "apps/v9, Resource=deployments"\n');
  });

  it('--output=plaintext-openapiv2 reads /openapi/v2', async () => {
    const r = await run(['explain', 'deployments.spec', '-o', 'plaintext-openapiv2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n\nRESOURCE: spec <Object>\n\nDESCRIPTION:\n {5}Specification of the desired behavior of the Deployment\.\n\n {5}DeploymentSpec is the specification of the desired behavior of the\n {5}Deployment\.\n\nFIELDS:\n {3}minReadySeconds\t<integer>\n/);
    expect(paths(fed.karmada)).toContain('/openapi/v2');
  });

  it('a CRD of the control plane, explained from the document kube-apiserver builds for it', async () => {
    const r = await run(['explain', 'works']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GROUP: {6}work\.karmada\.io\nKIND: {7}Work\nVERSION: {4}v1alpha1\n\nDESCRIPTION:\n {4}<empty>\nFIELDS:\n {2}apiVersion\t<string>\n/);
  });

  it('--operation-scope=members --cluster: the member through the cluster proxy', async () => {
    const before = fed.karmada.requests.length;
    const r = await run(['explain', 'wg.spec', '-s', 'members', '--cluster', 'member1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('GROUP:      example.io\nKIND:       Widget\nVERSION:    v1\n\nFIELD: spec <Object>\n\n\nDESCRIPTION:\n    The spec.\n    \nFIELDS:\n  size\t<integer>\n    How big.\n\n\n');
    const p = paths({ requests: fed.karmada.requests.slice(before) });
    expect(p).toContain('/apis/cluster.karmada.io/v1alpha1/clusters/member1');
    expect(p).toContain('/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/openapi/v3/apis/example.io/v1');
    expect(paths(fed.members.member1)).toContain('/openapi/v3/apis/example.io/v1');
    // the control plane does not serve widgets
    const k = await run(['explain', 'widgets']);
    expect(k.code).toBe(1);
    expect(k.stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
  });

  it('bad input: one line, exit 1, nothing on stdout, no request', async () => {
    const before = fed.karmada.requests.length;
    const cases: [string[], string][] = [
      [['explain'], 'error: You must specify the type of resource to explain. Use "karmadactl api-resources" for a complete list of supported resources.\n'],
      [['explain', 'pods', 'nodes'], 'error: We accept only this format: explain RESOURCE\n'],
      [['explain', 'pods', '-s', 'all'], 'error: not support operation scope: all; use --operation-scope=karmada or --operation-scope=members\n'],
      [['explain', 'pods', '-s', 'members'], 'error: must specify a member cluster; add --cluster=<name>\n'],
      [['explain', 'pods', '-o', 'yaml'], 'error: unrecognized format: yaml\n'],
    ];
    for (const [args, err] of cases) {
      const r = await run(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 1, stdout: '', stderr: err });
    }
    expect(fed.karmada.requests.slice(before)).toEqual([]);
    const field = await run(['explain', 'pods.spec.nope']);
    expect({ code: field.code, stdout: field.stdout, stderr: field.stderr }).toEqual({ code: 1, stdout: '', stderr: 'error: field "nope" does not exist\n' });
    const type = await run(['explain', 'nosuchthings']);
    expect(type.stderr).toBe('error: the server doesn\'t have a resource type "nosuchthings"\n');
    const path = await run(['explain', 'pods.spec[0]']);
    expect(path.stderr).toBe('error: invalid jsonpath syntax, first node must be field node\n');
    const withVersion = await run(['explain', 'pods.spec[0]', '--api-version=v1']);
    expect(withVersion.stderr).toBe('error: invalid jsonpath syntax, all nodes must be field nodes\n');
    const notJoined = await run(['explain', 'pods', '-s', 'members', '--cluster', 'nope']);
    expect(notJoined.code).toBe(1);
    expect(notJoined.stdout).toBe('');
    expect(notJoined.stderr).toMatch(/^error: cluster "nope" is not joined to the Karmada control plane/);
  });

  it('--cluster without the members scope is ignored with a warning naming the missing flag', async () => {
    const r = await run(['explain', 'pods', '--cluster', 'member1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("Warning: --cluster=member1 has no effect without --operation-scope=members; explaining the Karmada control plane's pods\n");
    expect(r.stdout).toMatch(/^KIND: {7}Pod\n/);
  });
});
