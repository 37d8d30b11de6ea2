import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SwaggerModels, renderOpenAPIV2, wrapParagraphs } from '../../src/operate/explain-v2';

const models = new SwaggerModels(JSON.parse(readFileSync('test/fixtures/openapi/gadgets.v2.json', 'utf8')));
const G = { group: 'example.io', version: 'v1', kind: 'Gadget' };
const HEAD = 'KIND:     Gadget\nVERSION:  example.io/v1\n\n';

describe('plaintext-openapiv2 (kubectl pkg/explain)', () => {
  it('a resource: KIND/VERSION, description at 5 columns, fields at 3 wrapped to 80', () => {
    expect(renderOpenAPIV2(models, G, [], false)).toBe(
      `${HEAD}DESCRIPTION:\n     Gadget is a test kind.\n\nFIELDS:\n` +
        '   raw\t<>\n     Anything.\n\n' +
        '   spec\t<Object> -required-\n     Spec holds the desired state of the gadget. It is long enough to wrap over\n     more than one line at the seventy-five columns explain leaves for\n     descriptions.\n\n' +
        '   tags\t<[]map[string]string>\n     Tags as an array of maps.\n\n',
    );
  });
  it('a reference field: RESOURCE line, the field and the type descriptions separated by a blank line', () => {
    expect(renderOpenAPIV2(models, G, ['spec'], false)).toBe(
      `${HEAD}RESOURCE: spec <Object>\n\nDESCRIPTION:\n     Spec holds the desired state of the gadget. It is long enough to wrap over\n     more than one line at the seventy-five columns explain leaves for\n     descriptions.\n\n     GadgetSpec is the spec.\n\nFIELDS:\n` +
        '   name\t<string> -required-\n     Name of it.\n\n   note\t<string>\n\n   parent\t<Object>\n     The parent spec.\n\n   ports\t<[]integer>\n     Ports.\n\n',
    );
  });
  it('a primitive leaf through an array, and an arbitrary value (no FIELD line)', () => {
    expect(renderOpenAPIV2(models, G, ['spec', 'ports'], false)).toBe(`${HEAD}FIELD:    ports <[]integer>\n\nDESCRIPTION:\n     Ports.\n\n     A port.\n`);
    expect(renderOpenAPIV2(models, G, ['tags'], false)).toBe(`${HEAD}FIELD:    tags <[]map[string]string>\n\nDESCRIPTION:\n     Tags as an array of maps.\n\n     One map of tags.\n`);
    expect(renderOpenAPIV2(models, G, ['raw'], false)).toBe(`${HEAD}DESCRIPTION:\n     Anything.\n`);
    expect(renderOpenAPIV2(models, { ...G, kind: 'Blob' }, [], false)).toBe('KIND:     Blob\nVERSION:  example.io/v1\n\nDESCRIPTION:\n     <empty>\n');
  });
  it('--recursive: names and types only, 3 more columns per level, a reference already on the path is not entered again', () => {
    expect(renderOpenAPIV2(models, G, [], true)).toBe(
      `${HEAD}DESCRIPTION:\n     Gadget is a test kind.\n\nFIELDS:\n   raw\t<>\n   spec\t<Object>\n      name\t<string>\n      note\t<string>\n      parent\t<Object>\n      ports\t<[]integer>\n   tags\t<[]map[string]string>\n`,
    );
  });
  it("kubectl's errors", () => {
    expect(() => renderOpenAPIV2(models, G, ['spec', 'nope'], false)).toThrow('field "nope" does not exist');
    expect(() => renderOpenAPIV2(models, { ...G, version: 'v2' }, [], false)).toThrow('couldn\'t find resource for "example.io/v2, Kind=Gadget"');
  });
  it('wraps paragraphs, lists, indented blocks and long words as the formatter does', () => {
    const text = 'An intro\nparagraph that continues.\n\nExample:\nown line\n\n1.  Item with\n wrapping text\n* Bullet\n continued\n\ncode(\n    kept as is\n)';
    // kubectl's quirk: a blank line is kept only once some line was emitted, so a first paragraph
    // that fits on one line loses the blank line after it
    expect(wrapParagraphs(text, 40)).toEqual(['An intro paragraph that continues.', 'Example:', 'own line', '', '1. Item with wrapping text', '* Bullet continued', '', 'code(', '    kept as is', ')']);
    expect(wrapParagraphs(text, 20).slice(0, 3)).toEqual(['An intro paragraph', 'that continues.', '']);
    expect(wrapParagraphs('a b ThisWordIsLongerThanTheLine c', 10)).toEqual(['a b', 'ThisWordIsLongerThanTheLine', 'c']);
  });
});
