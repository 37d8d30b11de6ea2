import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExplainError, findGvk, goPrint, indent, renderPlaintext, resolveRef, typeGuess, wordWrap } from '../../src/operate/explain-v3';

const load = (f: string) => JSON.parse(readFileSync(`test/fixtures/openapi/${f}`, 'utf8'));
const widgets = load('widgets.v3.json');
const apps = load('v3.apis__apps__v1.json');
const W = { group: 'example.io', version: 'v1', resource: 'widgets' };
const HEADER = 'GROUP:      example.io\nKIND:       Widget\nVERSION:    v1\n\n';

describe('wordWrap (go-wordwrap v1.0.1)', () => {
  it('breaks at spaces, keeps long words whole, keeps newlines', () => {
    expect(wordWrap('foo bar baz', 3)).toBe('foo\nbar\nbaz');
    expect(wordWrap('foo bar baz', 10)).toBe('foo bar\nbaz');
    expect(wordWrap('foo bar\nbaz', 100)).toBe('foo bar\nbaz');
    expect(wordWrap('a verylongwordthatdoesnotfit b', 5)).toBe('a\nverylongwordthatdoesnotfit\nb');
    // trailing spaces are dropped only when they would overflow the line
    expect(wordWrap('foo  ', 4)).toBe('foo');
    expect(wordWrap('foo ', 10)).toBe('foo ');
    // a no-break space belongs to the word
    expect(wordWrap('a\u00a0b c', 3)).toBe('a\u00a0b\nc');
  });
  it('indent pads after every newline, a trailing one included', () => {
    expect(indent(4, 'a\nb\n')).toBe('    a\n    b\n    ');
  });
});

describe('template helpers', () => {
  it("prints numbers like Go's %v of a float64", () => {
    expect([1, 1000000, 123456, 0.5, 0.00001, -2].map(goPrint)).toEqual(['1', '1e+06', '123456', '0.5', '1e-05', '-2']);
    expect(goPrint({ version: 'v1', group: 'g', kind: 'K' })).toBe('map[group:g kind:K version:v1]');
  });
  it('resolves only local refs', () => {
    expect(resolveRef('#/components/schemas/io.example.Quantity', widgets)?.type).toBe('string');
    expect(resolveRef('http://x/y#/a', widgets)).toBeUndefined();
    expect(resolveRef('#/components/schemas/missing', widgets)).toBeUndefined();
  });
  it('guesses types like the template', () => {
    const s = widgets.components.schemas['io.example.v1.WidgetSpec'].properties;
    expect(typeGuess(s.children, widgets)).toBe('[]WidgetSpec');
    expect(typeGuess(s.size, widgets)).toBe('string'); // a ref to a primitive prints the primitive
    expect(typeGuess(widgets.components.schemas['io.example.v1.Widget'].properties.labels, widgets)).toBe('map[string]string');
    expect(typeGuess({ type: 'object' }, widgets)).toBe('Object');
    expect(typeGuess({ description: 'no type' }, widgets)).toBe('Object');
    expect(typeGuess({ type: 'object', additionalProperties: true }, widgets)).toBe('Object');
  });
  it('finds the GVK from any of the four resource paths', () => {
    expect(findGvk(widgets, W)).toEqual({ group: 'example.io', kind: 'Widget', version: 'v1' });
    expect(findGvk(widgets, { ...W, resource: 'orphans' })).toEqual({ group: 'example.io', kind: 'Orphan', version: 'v1' });
    expect(findGvk(widgets, { ...W, resource: 'gadgets' })).toBeUndefined();
  });
});

describe('renderPlaintext', () => {
  it('a resource: description, then each field with its description', () => {
    expect(renderPlaintext(widgets, W, [], false)).toBe(
      `${HEADER}DESCRIPTION:\n    Widget is a test kind.\n    \nFIELDS:\n` +
        '  labels\t<map[string]string>\n    Labels.\n\n' +
        '  spec\t<WidgetSpec> -required-\n    Spec of the widget.\n\n' +
        '\n',
    );
  });

  it('a field: FIELD line, the descriptions of the field and of its type, enums cut at four', () => {
    expect(renderPlaintext(widgets, W, ['spec'], false)).toBe(
      `${HEADER}FIELD: spec <WidgetSpec>\n\n\n` +
        'DESCRIPTION:\n    Spec of the widget.\n    WidgetSpec holds the spec.\n    \nFIELDS:\n' +
        '  children\t<[]WidgetSpec>\n    Nested specs.\n\n' +
        '  count\t<integer>\n    <no description>\n\n' +
        '  mode\t<string>\n  enum: "", Fast, Slow, Medium, ....\n    Mode of operation.\n\n' +
        '  replicas\t<integer>\n  enum: 1, 1e+06, 0.5\n    <no description>\n\n' +
        '  size\t<string>\n    <no description>\n\n' +
        '\n',
    );
  });

  it('a leaf field with an enum: every value in the long view, no FIELDS', () => {
    expect(renderPlaintext(widgets, W, ['spec', 'mode'], false)).toBe(
      `${HEADER}FIELD: mode <string>\nENUM:\n    ""\n    Fast\n    Slow\n    Medium\n    Other\n    Extra\n\n` + 'DESCRIPTION:\n    Mode of operation.\n    \n' + '\n',
    );
  });

  it('through arrays, and an empty description is <empty> without the trailing pad line', () => {
    expect(renderPlaintext(widgets, W, ['spec', 'children', 'children', 'count'], false)).toBe(`${HEADER}FIELD: count <integer>\n\n\nDESCRIPTION:\n    <empty>\n\n`);
  });

  it('--recursive: one line per field, nested by two spaces, a cycle is cut', () => {
    expect(renderPlaintext(widgets, W, [], true)).toBe(
      `${HEADER}DESCRIPTION:\n    Widget is a test kind.\n    \nFIELDS:\n` +
        '  labels\t<map[string]string>\n' +
        '  spec\t<WidgetSpec> -required-\n' +
        '    children\t<[]WidgetSpec>\n' +
        '    count\t<integer>\n' +
        '    mode\t<string>\n    enum: "", Fast, Slow, Medium, ....\n' +
        '    replicas\t<integer>\n    enum: 1, 1e+06, 0.5\n' +
        '    size\t<string>\n' +
        '\n',
    );
  });

  it("kubectl's errors: unknown GVR, GVK without schema, missing field (named by the path's last element)", () => {
    expect(() => renderPlaintext(widgets, { ...W, resource: 'gadgets' }, [], false)).toThrow(new ExplainError('error: GVR (example.io/v1, Resource=gadgets) not found in OpenAPI schema'));
    expect(() => renderPlaintext(widgets, { ...W, resource: 'orphans' }, [], false)).toThrow('error: GVK map[group:example.io kind:Orphan version:v1] not found in OpenAPI schema');
    expect(() => renderPlaintext(widgets, W, ['spec', 'nope'], false)).toThrow('error: field "nope" does not exist');
    expect(() => renderPlaintext(widgets, W, ['nope', 'deeper'], false)).toThrow('error: field "deeper" does not exist');
  });

  it('a real apps/v1 document (kube-apiserver testdata, trimmed): deployments and a deep field', () => {
    const d = { group: 'apps', version: 'v1', resource: 'deployments' };
    const top = renderPlaintext(apps, d, [], false);
    expect(top.startsWith('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nDESCRIPTION:\n    Deployment enables declarative updates for Pods and ReplicaSets.\n    \nFIELDS:\n  apiVersion\t<string>\n')).toBe(true);
    expect(top).toContain('  spec\t<DeploymentSpec>\n    Specification of the desired behavior of the Deployment.\n\n');
    // every description line fits the 80 columns of kubectl's layout (URLs excepted)
    for (const line of top.split('\n')) if (!line.includes('https://')) expect(line.length).toBeLessThanOrEqual(80);
    const deep = renderPlaintext(apps, d, ['spec', 'template', 'spec', 'containers', 'name'], false);
    expect(deep).toContain('FIELD: name <string>\n\n\nDESCRIPTION:\n    Name of the container specified as a DNS_LABEL.');
    const rec = renderPlaintext(apps, d, ['spec', 'template'], true);
    expect(rec).toContain('\n  spec\t<PodSpec>\n    activeDeadlineSeconds\t<integer>\n');
    expect(rec).toMatch(/\n {4}containers\t<\[\]Container> -required-\n {6}args\t<\[\]string>\n/);
  });
});
