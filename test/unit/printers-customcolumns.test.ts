/** custom-columns: kubectl's pkg/cmd/get/customcolumn_test.go, ported. */
import { describe, expect, it } from 'vitest';
import { CustomColumnsPrinter, parseCustomColumnsSpec, parseCustomColumnsTemplate } from '../../src/kubectl/printers/customcolumns';
import { createPrinter, parsePrintFlags, PrintError, relaxedJSONPathExpression } from '../../src/kubectl/printers';

describe('TestMassageJSONPath', () => {
  const cases: [string, string | null][] = [
    ['foo.bar', '{.foo.bar}'], ['{foo.bar}', '{.foo.bar}'], ['.foo.bar', '{.foo.bar}'], ['{.foo.bar}', '{.foo.bar}'], ['', ''],
    ['{foo.bar', null], ['foo.bar}', null], ['{foo.bar}}', null], ['{{foo.bar}', null],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      if (want === null) expect(() => relaxedJSONPathExpression(input)).toThrow();
      else expect(relaxedJSONPathExpression(input)).toBe(want);
    });
  }
});

describe('TestNewColumnPrinterFromSpec', () => {
  for (const bad of ['', 'invalid', 'invalid=foobar', 'invalid,foobar:blah']) it(`error: ${JSON.stringify(bad)}`, () => expect(() => parseCustomColumnsSpec(bad)).toThrow());
  it('ok', () => {
    expect(parseCustomColumnsSpec('NAME:metadata.name,API_VERSION:apiVersion')).toEqual([
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'API_VERSION', fieldSpec: '{.apiVersion}' },
    ]);
  });
  it('no-headers', () => {
    const out = new CustomColumnsPrinter(parseCustomColumnsSpec('API_VERSION:apiVersion'), true).print([{ kind: 'Pod' }]);
    expect(out.split(/\s+/)).not.toContain('API_VERSION');
  });
});

describe('TestNewColumnPrinterFromTemplate', () => {
  const one = 'NAME               API_VERSION\n{metadata.name}    {apiVersion}';
  const two = 'NAME               \t\tAPI_VERSION\n\t\t\t\t\t\t\t{metadata.name}    {apiVersion}';
  for (const bad of ['', 'invalid', 'invalid=foobar', 'invalid,foobar:blah']) it(`error: ${JSON.stringify(bad)}`, () => expect(() => parseCustomColumnsTemplate(bad)).toThrow());
  for (const [name, spec] of [['ok', one], ['ok-2', two]]) {
    it(name, () => {
      expect(parseCustomColumnsTemplate(spec)).toEqual([
        { header: 'NAME', fieldSpec: '{.metadata.name}' },
        { header: 'API_VERSION', fieldSpec: '{.apiVersion}' },
      ]);
    });
  }
});

describe('TestColumnPrint', () => {
  const NAME = { header: 'NAME', fieldSpec: '{.metadata.name}' };
  const API = { header: 'API_VERSION', fieldSpec: '{.apiVersion}' };
  const NF = { header: 'NOT_FOUND', fieldSpec: '{.notFound}' };
  const cases: [typeof NAME[], unknown[], string][] = [
    [[NAME], [{ metadata: { name: 'foo' } }], 'NAME\nfoo\n'],
    [[NAME], [{ metadata: { name: 'foo' } }, { metadata: { name: 'bar' } }], 'NAME\nfoo\nbar\n'],
    [[NAME, API], [{ apiVersion: 'baz', metadata: { name: 'foo' } }], 'NAME   API_VERSION\nfoo    baz\n'],
    [[NAME, API, NF], [{ apiVersion: 'baz', metadata: { name: 'foo' } }], 'NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n'],
  ];
  cases.forEach(([cols, objs, want], i) => it(`#${i}`, () => expect(new CustomColumnsPrinter(cols).print(objs)).toBe(want)));
});

describe('TestIndividualPrintObjOnExistingTabWriter', () => {
  it('one tabwriter for several objects', () => {
    const cols = [
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'LONG COLUMN NAME', fieldSpec: '{.metadata.labels.label1}' },
      { header: 'LABEL 2', fieldSpec: '{.metadata.labels.label2}' },
    ];
    const objs = [
      { metadata: { name: 'foo', labels: { label1: 'foo', label2: 'foo' } } },
      { metadata: { name: 'bar', labels: { label1: 'bar', label2: 'bar' } } },
    ];
    expect(new CustomColumnsPrinter(cols).print(objs)).toBe('NAME   LONG COLUMN NAME   LABEL 2\nfoo    foo                foo\nbar    bar                bar\n');
  });
});

describe('TestSliceColumnPrint', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fake-name', namespace: 'fake-namespace' }, spec: { containers: [0, 1, 2, 3].map((i) => ({ name: `fake${i}` })) } };
  const cases: [string, string | null][] = [
    ['[0]', 'fake0'], ['[3]', 'fake3'], ['[5]', null], ['[-1]', 'fake3'], ['[-2]', 'fake2'], ['[-4]', 'fake0'], ['[-5]', null],
    ['[0:0]', '<none>'], ['[0:3]', 'fake0,fake1,fake2'], ['[1:]', 'fake1,fake2,fake3'], ['[3:1]', null], ['[0:-1]', 'fake0,fake1,fake2'],
    ['[-1:]', 'fake3'], ['[-4:]', 'fake0,fake1,fake2,fake3'], ['[-3:-1]', 'fake1,fake2'], ['[-2:-3]', null], ['[4:4]', '<none>'], ['[-5:-5]', '<none>'],
  ];
  for (const [idx, want] of cases) {
    it(`containers${idx}`, async () => {
      const p = await createPrinter(parsePrintFlags({ output: `custom-columns=CONTAINER:.spec.containers${idx}.name` }));
      if (want === null) expect(() => p.printObject(pod)).toThrow(PrintError);
      else expect(p.printObject(pod)).toBe(`CONTAINER\n${want}\n`);
    });
  }
});
