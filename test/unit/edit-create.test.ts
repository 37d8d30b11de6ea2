import { describe, expect, it } from 'vitest';
import { editorFromEnv, hasLines, headerText, manualStrip, stripComments, validationProblem, EDIT_HEADER } from '../../src/operate/edit';
import { normalizeVerbs, parseResourceOptions, parseServicePort, parseToLabelSelector, policyRules } from '../../src/operate/create-more';
import { goTypedOrder } from '../../src/operate/create-typed';

describe('edit: the editor (kubectl defaultEnvEditor)', () => {
  it.each([
    [{}, { args: ['vi'], shell: false }],
    [{ EDITOR: 'nano' }, { args: ['nano'], shell: false }],
    [{ KUBE_EDITOR: 'code --wait', EDITOR: 'nano' }, { args: ['code', '--wait'], shell: false }],
    [{ KUBE_EDITOR: '', EDITOR: 'emacs -nw' }, { args: ['emacs', '-nw'], shell: false }],
    [{ KUBE_EDITOR: `'/opt/my editor/ed' -w`, SHELL: '/bin/zsh' }, { args: ['/bin/zsh', '-c', `'/opt/my editor/ed' -w`], shell: true }],
    [{ EDITOR: 'a\\ b' }, { args: ['/bin/bash', '-c', 'a\\ b'], shell: true }],
  ])('%j', (env, want) => expect(editorFromEnv(env)).toEqual(want));
});

describe('edit: comments and the header', () => {
  it('manualStrip drops # lines (not #!), stripComments compares documents', () => {
    expect(manualStrip('# a\nx: 1\n  # b\n#!keep\ny: 2')).toBe('x: 1\n#!keep\ny: 2');
    expect(stripComments('# c\na: 1\nb:   [1, 2]\n')).toBe(stripComments('b:\n- 1\n- 2\na: 1 # same\n'));
    expect(stripComments('a: [1')).toBe('a: [1');
    expect(hasLines('# only\n   \n#x\n')).toBe(false);
    expect(hasLines('# c\n a: 1')).toBe(true);
  });
  it('the header lists reasons as kubectl writes them', () => {
    expect(headerText([{ head: 'deployments.apps "x" was not valid', other: ['spec.replicas: Invalid value: -1', 'two\nlines'] }, { head: 'plain', other: [] }])).toBe(
      `${EDIT_HEADER}# deployments.apps "x" was not valid:\n# * spec.replicas: Invalid value: -1\n# * two\n# lines\n#\n# plain\n#\n`,
    );
  });
  it('validationProblem: yaml errors and missing apiVersion/kind', () => {
    expect(validationProblem('a: [1\n')).toMatch(/^yaml: line \d+: /);
    expect(validationProblem('kind: X\n')).toBe('apiVersion not set');
    expect(validationProblem('apiVersion: v1\nkind: X\n')).toBeUndefined();
  });
});

describe('create: kubectl rules', () => {
  it('verbs and resources as kubectl completes them (its TestComplete cases)', () => {
    expect(normalizeVerbs(['get', 'watch', 'list', 'get'])).toEqual(['get', 'watch', 'list']);
    expect(normalizeVerbs(['get', 'watch', 'list', '*'])).toEqual(['*']);
    expect(parseResourceOptions(['pods', 'deployments.extensions'])).toEqual([{ resource: 'pods', group: '', subResource: '' }, { resource: 'deployments', group: 'extensions', subResource: '' }]);
    expect(parseResourceOptions(['*', 'pods'])).toEqual([{ resource: '*', group: '', subResource: '' }]);
    expect(parseResourceOptions(['pods', '*'])).toEqual([{ resource: '*', group: '', subResource: '' }]);
    expect(parseResourceOptions(['replicasets.apps/scale'])).toEqual([{ resource: 'replicasets', group: 'apps', subResource: 'scale' }]);
  });
  it('policyRules groups by API group, sorted, deduplicated, non-resource URLs last', () => {
    const rules = policyRules({ verbs: ['get'], resources: parseResourceOptions(['pods', 'deployments.apps', 'pods', 'services', 'replicasets.apps/scale']), resourceNames: [], nonResourceURLs: ['/x'] }, () => undefined);
    expect(rules).toEqual([{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments', 'replicasets/scale'], verbs: ['get'] }, { nonResourceURLs: ['/x'], verbs: ['get'] }]);
  });
  it('service ports (parsePorts)', () => {
    expect(parseServicePort('80')).toEqual({ port: 80, targetPort: 80 });
    expect(parseServicePort('0:8080')).toEqual({ port: 0, targetPort: 8080 });
    expect(parseServicePort('443:https')).toEqual({ port: 443, targetPort: 'https' });
    expect(() => parseServicePort('65536')).toThrow(/value out of range/);
    expect(() => parseServicePort('80:a--b')).toThrow(/must not contain consecutive hyphens/);
  });
  it('ParseToLabelSelector', () => {
    expect(parseToLabelSelector('a=b,c==d')).toEqual({ matchLabels: { a: 'b', c: 'd' } });
    expect(parseToLabelSelector('x in (b,a),!y,z!=1')).toEqual({ matchExpressions: [{ key: 'x', operator: 'In', values: ['a', 'b'] }, { key: 'y', operator: 'DoesNotExist' }, { key: 'z', operator: 'NotIn', values: ['1'] }] });
    expect(() => parseToLabelSelector('a=b,,c')).toThrow(/invalid label selector/);
  });
  it('the Go struct order of a typed object', () => {
    const o = goTypedOrder({ apiVersion: 'v1', kind: 'Service', metadata: { labels: { b: '1', a: '2' }, name: 'x' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ targetPort: 1, port: 1, protocol: 'TCP', name: 'p' }] }, status: { loadBalancer: {} } });
    expect(JSON.stringify(o)).toBe('{"kind":"Service","apiVersion":"v1","metadata":{"name":"x","labels":{"a":"2","b":"1"}},"spec":{"ports":[{"name":"p","protocol":"TCP","port":1,"targetPort":1}],"selector":{"app":"x"},"type":"NodePort"},"status":{"loadBalancer":{}}}');
    expect(goTypedOrder({ apiVersion: 'x/v1', kind: 'Unknown', b: 1, a: 2 })).toEqual({ apiVersion: 'x/v1', kind: 'Unknown', b: 1, a: 2 });
  });
});
