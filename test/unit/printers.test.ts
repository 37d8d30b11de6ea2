/** The printers of the kubectl layer: flags, structured printers, the table printer, sorting, ages. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors';
import {
  ALL_FORMATS,
  createPrinter,
  defaultTable,
  formatCell,
  humanDuration,
  isHumanReadable,
  listItems,
  naturalLess,
  parsePrintFlags,
  PrintError,
  printFlagDefs,
  printTables,
  shortHumanDuration,
  sortObjects,
  sortTableRows,
  TablePrinter,
  TabWriter,
  translateTimestampSince,
  type KubeObject,
  type Table,
  type TableRow,
} from '../../src/kubectl/printers';

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: name }, managedFields: [{ manager: 'kubectl' }], creationTimestamp: '2024-01-01T00:00:00Z' },
  ...extra,
});
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 2 } };

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('print flags', () => {
  it("kubectl's names, shorthands, defaults and usage texts", () => {
    const flags = printFlagDefs();
    const by = Object.fromEntries(flags.map((f) => [f.name, f]));
    expect(flags.map((f) => f.name)).toEqual([
      'allow-missing-template-keys', 'label-columns', 'no-headers', 'output', 'show-kind', 'show-labels', 'show-managed-fields', 'sort-by', 'template',
    ]);
    expect(by['allow-missing-template-keys'].default).toBe(true);
    expect(by.output.shorthand).toBe('o');
    expect(by['label-columns'].shorthand).toBe('L');
    expect(by['label-columns'].type).toBe('stringSlice');
    expect(by.output.usage).toBe(
      'Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].',
    );
    expect(by['no-headers'].usage).toBe("When using the default or custom-column output format, don't print headers (default print headers).");
    expect(by['show-labels'].usage).toBe('When printing, show all labels as the last column (default hide labels column)');
    expect(printFlagDefs({ only: ['output'], formats: ['json', 'yaml'] })[0].usage).toContain('One of: (json, yaml).');
  });

  it('a bad -o lists the allowed formats, sorted', () => {
    expect(usageError(() => parsePrintFlags({ output: 'xml' }))).toBe(
      'unable to match a printer suitable for the output format "xml", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml',
    );
    expect(usageError(() => parsePrintFlags({ output: 'json=x' }))).toContain('output format "json=x"');
    expect(usageError(() => parsePrintFlags({ output: 'wide' }, { formats: ['json'] }))).toBe('unable to match a printer suitable for the output format "wide", allowed formats are: json');
  });

  it('template formats need a template; --template alone means go-template', () => {
    expect(usageError(() => parsePrintFlags({ output: 'jsonpath' }))).toBe('template format specified but no template given');
    expect(usageError(() => parsePrintFlags({ output: 'go-template' }))).toBe('template format specified but no template given');
    const p = parsePrintFlags({ template: '{{.metadata.name}}' });
    expect(p.format).toBe('go-template');
    expect(p.template).toBe('{{.metadata.name}}');
    expect(parsePrintFlags({ output: 'jsonpath', template: '{.a}' }).template).toBe('{.a}');
    expect(parsePrintFlags({ output: 'jsonpath={.a}={.b}' }).template).toBe('{.a}={.b}');
  });

  it('bad templates, jsonpaths, custom-columns and --sort-by fail before any request, one line', () => {
    expect(usageError(() => parsePrintFlags({ output: 'jsonpath={.metadata.name' }))).toBe('error parsing jsonpath {.metadata.name, unclosed action');
    expect(usageError(() => parsePrintFlags({ output: 'go-template={{.metadata.name' }))).toBe('error parsing template {{.metadata.name, template: output:1: unclosed action');
    expect(usageError(() => parsePrintFlags({ output: 'go-template={{nope}}' }))).toBe('error parsing template {{nope}}, template: output:1: function "nope" not defined');
    expect(usageError(() => parsePrintFlags({ output: 'go-template={{if .a}}\n\nx' }))).toBe('error parsing template {{if .a}} x, template: output:3: unexpected EOF');
    expect(usageError(() => parsePrintFlags({ output: 'custom-columns=' }))).toBe('custom-columns format specified but no custom columns given');
    expect(usageError(() => parsePrintFlags({ output: 'custom-columns=NAME' }))).toBe('unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>');
    expect(usageError(() => parsePrintFlags({ 'sort-by': '{.a' }))).toBe("error parsing --sort-by {.a, unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
    expect(usageError(() => parsePrintFlags({ output: 'json', 'show-labels': true }))).toBe('--show-labels option cannot be used with json printer');
  });

  it('*-file formats read the file; a missing file is one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'printers-'));
    const f = join(dir, 't.tmpl');
    writeFileSync(f, '{{.metadata.name}}\n');
    expect(parsePrintFlags({ output: `go-template-file=${f}` }).template).toBe('{{.metadata.name}}\n');
    expect(parsePrintFlags({ output: 'templatefile', template: f }).format).toBe('templatefile');
    const cc = join(dir, 'cols');
    writeFileSync(cc, 'NAME   REPLICAS\nmetadata.name   .spec.replicas\n');
    expect(parsePrintFlags({ output: `custom-columns-file=${cc}` }).template).toContain('REPLICAS');
    expect(usageError(() => parsePrintFlags({ output: `jsonpath-file=${join(dir, 'nope')}` }))).toBe(`error reading --template ${join(dir, 'nope')}, no such file or directory`);
    expect(usageError(() => parsePrintFlags({ output: `go-template-file=${dir}` }))).toBe(`error reading --template ${dir}, is a directory`);
  });

  it('isHumanReadable and the other flags', () => {
    expect(isHumanReadable(parsePrintFlags({}))).toBe(true);
    expect(isHumanReadable(parsePrintFlags({ output: 'wide' }))).toBe(true);
    expect(isHumanReadable(parsePrintFlags({ output: 'name' }))).toBe(false);
    const p = parsePrintFlags({ 'label-columns': ['a,b', 'c'], 'no-headers': true, 'show-kind': true, 'sort-by': '.metadata.name', 'allow-missing-template-keys': false });
    expect(p).toMatchObject({ labelColumns: ['a', 'b', 'c'], noHeaders: true, showKind: true, sortBy: '.metadata.name', allowMissingTemplateKeys: false });
    expect(ALL_FORMATS).toHaveLength(14);
  });
});

describe('structured printers', () => {
  it('json: 4-space indent, sorted keys, Go escaping, a List for several results, managedFields dropped', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'json' }));
    const one = p.printObject(pod('a', { spec: { note: 'x<y&z' } }));
    expect(one).toBe(
      '{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n        "creationTimestamp": "2024-01-01T00:00:00Z",\n        "labels": {\n            "app": "a"\n        },\n        "name": "a",\n        "namespace": "default"\n    },\n    "spec": {\n        "note": "x\\u003cy\\u0026z"\n    }\n}\n',
    );
    const list = JSON.parse(p.printList([pod('a'), pod('b')], { resourceVersion: '42' }));
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '42' } });
    expect(list.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['a', 'b']);
    expect(list.items[0].metadata.managedFields).toBeUndefined();
    const keep = await createPrinter(parsePrintFlags({ output: 'json', 'show-managed-fields': true }));
    expect(JSON.parse(keep.printObject(pod('a'))).metadata.managedFields).toEqual([{ manager: 'kubectl' }]);
  });

  it('yaml: sorted keys, YAML 1.1 quoting like go-yaml, `---` between documents of one printer', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'yaml' }));
    const first = p.printObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: 'true', a: 'yes', c: '', d: '0777', multi: 'l1\nl2\n' } });
    expect(first).toBe('apiVersion: v1\ndata:\n  a: "yes"\n  b: "true"\n  c: ""\n  d: "0777"\n  multi: |\n    l1\n    l2\nkind: ConfigMap\nmetadata:\n  name: c\n');
    expect(p.printObject(deploy).startsWith('---\napiVersion: apps/v1\n')).toBe(true);
    const list = (await createPrinter(parsePrintFlags({ output: 'yaml' }))).printList([pod('a')]);
    expect(list).toContain('items:\n- apiVersion: v1\n');
    expect(list).toContain('    creationTimestamp: "2024-01-01T00:00:00Z"\n');
    expect(list.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);
  });

  it('yaml: go-yaml v2 scalar styles (double quotes for what it would misread, single quotes otherwise, folding at 80)', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'yaml' }));
    const out = p.printObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { colon: 'x: y', hash: '#x', apos: "it's", date: '2024-01-01', sexa: '1:20', num: '1e3', space: ' lead' } },
      data: { long: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas' },
    });
    expect(out).toContain("    colon: 'x: y'\n");
    expect(out).toContain("    hash: '#x'\n");
    expect(out).toContain("    apos: it's\n");
    expect(out).toContain('    date: "2024-01-01"\n');
    expect(out).toContain('    sexa: "1:20"\n');
    expect(out).toContain('    num: "1e3"\n');
    expect(out).toContain("    space: ' lead'\n");
    expect(out).toContain('  long: APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas\n');
    const { parse } = await import('yaml');
    expect(parse(out).data.long).toBe('APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas');
    expect(parse(out).metadata.annotations).toMatchObject({ date: '2024-01-01', sexa: '1:20', num: '1e3' });
  });

  it("yaml: folds like kubectl's output of a CRD description (first space after column 80)", async () => {
    const description =
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
    const p = await createPrinter(parsePrintFlags({ output: 'yaml' }));
    const out = p.printObject({ apiVersion: 'v1', kind: 'X', a: { b: { c: { d: { e: { f: { description } } } } } } });
    expect(out).toContain(
      "            description: 'APIVersion defines the versioned schema of this representation\n" +
        '              of an object. Servers should convert recognized schemas to the latest\n' +
        "              internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources'\n",
    );
  });

  it('yaml: sequences, nested maps, empty collections, literal blocks, key order', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'yaml' }));
    const out = p.printObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: {}, annotations: { 'item10': 'b', 'item9': 'a', '_x': 'c', 'A': 'd' } },
      spec: {
        containers: [{ name: 'c', args: ['a', '--x=1'], env: [], ports: [{ containerPort: 80 }] }],
        matrix: [['a', 'b'], []],
        script: 'set -e\necho hi\n',
        keep: 'a\n\n',
        tab: 'a\tb',
        ratio: 0.5,
        nothing: null,
      },
    });
    expect(out).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    _x: c\n    A: d\n    item9: a\n    item10: b\n  labels: {}\n  name: p\nspec:\n' +
        '  containers:\n  - args:\n    - a\n    - --x=1\n    env: []\n    name: c\n    ports:\n    - containerPort: 80\n' +
        '  keep: |+\n    a\n\n  matrix:\n  - - a\n    - b\n  - []\n  nothing: null\n  ratio: 0.5\n  script: |\n    set -e\n    echo hi\n  tab: "a\\tb"\n',
    );
  });

  it('kyaml: header, flow maps, quoted strings, cuddled lists of maps, folded multi-line strings', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'kyaml' }));
    const out = p.printObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'x', labels: { app: 'demo', 'app.kubernetes.io/name': 'n', 'true': 'yes', 'has space': 'v' }, annotations: {} },
      spec: {
        containers: [{ name: 'nginx', args: ['a', 'b'], ports: [{ containerPort: 80 }], ratio: 0.5, on: true, nothing: null }],
        script: 'set -e\necho "hi"\n',
        tab: 'a\tb',
        list: [],
      },
    });
    expect(out).toBe(
      [
        '---',
        '{',
        '  apiVersion: "v1",',
        '  kind: "Pod",',
        '  metadata: {',
        '    annotations: {},',
        '    labels: {',
        '      app: "demo",',
        '      app.kubernetes.io/name: "n",',
        '      "has space": "v",',
        '      "true": "yes",',
        '    },',
        '    name: "x",',
        '  },',
        '  spec: {',
        '    containers: [{',
        '      args: [',
        '        "a",',
        '        "b",',
        '      ],',
        '      name: "nginx",',
        '      nothing: null,',
        '      "on": true,',
        '      ports: [{',
        '        containerPort: 80,',
        '      }],',
        '      ratio: 0.5,',
        '    }],',
        '    list: [],',
        '    script: "\\',
        '       set -e\\n\\',
        '       echo \\"hi\\"\\n\\',
        '      ",',
        '    tab: "a\\tb",',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
    const { parse } = await import('yaml');
    expect(parse(out).spec.script).toBe('set -e\necho "hi"\n');
    expect(parse(out).metadata.labels).toEqual({ app: 'demo', 'app.kubernetes.io/name': 'n', 'true': 'yes', 'has space': 'v' });
  });

  it('name: kind.group/name', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'name' }));
    expect(p.printList([pod('a'), deploy])).toBe('pod/a\ndeployment.apps/nginx\n');
    expect(p.printObject({ apiVersion: 'v1', kind: 'List', items: [pod('x')] })).toBe('pod/x\n');
    expect(() => p.printObject({ metadata: { name: 'x' } })).toThrow(PrintError);
  });

  it('json and yaml refuse objects without kind (kubectl: missing apiVersion or kind)', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'json' }));
    expect(() => p.printObject({ metadata: { name: 'x' } })).toThrow('missing apiVersion or kind');
    // A LIST response's items carry no kind: listItems fills them from the list.
    const items = listItems({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ metadata: { name: 'd' } }] });
    expect(items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('jsonpath and go-template see one List; errors are PrintErrors', async () => {
    const jp = await createPrinter(parsePrintFlags({ output: 'jsonpath={.items[*].metadata.name}' }));
    expect(jp.printList([pod('a'), pod('b')])).toBe('a b');
    expect(jp.printObject(pod('a'))).toBe('');
    const jpj = await createPrinter(parsePrintFlags({ output: 'jsonpath-as-json={.metadata.name}' }));
    expect(jpj.printObject(pod('a'))).toBe('[\n    "a"\n]\n');
    const strict = await createPrinter(parsePrintFlags({ output: 'jsonpath={.nope}', 'allow-missing-template-keys': false }));
    expect(() => strict.printObject(pod('a'))).toThrow('error executing jsonpath "{.nope}": nope is not found');
    const gt = await createPrinter(parsePrintFlags({ output: 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}' }));
    expect(gt.printList([pod('a'), pod('b')])).toBe('a\nb\n');
    const t2 = await createPrinter(parsePrintFlags({ template: '{{.spec.replicas}}' }));
    expect(t2.printObject(deploy)).toBe('2');
    const missing = await createPrinter(parsePrintFlags({ output: 'template={{.nope}}' }));
    expect(missing.printObject(deploy)).toBe('<no value>');
    const strictT = await createPrinter(parsePrintFlags({ output: 'template={{.nope}}', 'allow-missing-template-keys': false }));
    expect(() => strictT.printObject(deploy)).toThrow('error executing template "{{.nope}}": template: output:1:2: executing "output" at <.nope>: map has no entry for key "nope"');
  });

  it('custom-columns: header once, <none> for missing, maps as Go prints them', async () => {
    const p = await createPrinter(parsePrintFlags({ output: 'custom-columns=NAME:.metadata.name,APP:{.metadata.labels.app},X:.spec.x,LABELS:.metadata.labels' }));
    expect(p.printList([pod('a'), pod('bbbbbbbb')])).toBe('NAME       APP        X        LABELS\na          a          <none>   map[app:a]\nbbbbbbbb   bbbbbbbb   <none>   map[app:bbbbbbbb]\n');
    expect(p.printObject(pod('c'))).toBe('c          c          <none>   map[app:c]\n');
    const nh = await createPrinter(parsePrintFlags({ output: 'custom-columns=N:.metadata.name', 'no-headers': true }));
    expect(nh.printList([pod('a')])).toBe('a\n');
    const dir = mkdtempSync(join(tmpdir(), 'cc-'));
    writeFileSync(join(dir, 'f'), 'NAME  REPLICAS\nmetadata.name  spec.replicas\n');
    const f = await createPrinter(parsePrintFlags({ output: `custom-columns-file=${join(dir, 'f')}` }));
    expect(f.printObject(deploy)).toBe('NAME    REPLICAS\nnginx   2\n');
  });

  it('watch events: {type, object} for json/yaml, the object otherwise', async () => {
    const j = await createPrinter(parsePrintFlags({ output: 'json' }));
    const ev = j.printEvent('ADDED', pod('a'));
    expect(JSON.parse(ev)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    // a WatchEvent is a Go struct: type first, then object (indented like the rest)
    expect(ev.startsWith('{\n    "type": "ADDED",\n    "object": {\n        "apiVersion": "v1",\n')).toBe(true);
    expect(ev.endsWith('    }\n}\n')).toBe(true);
    const k = await createPrinter(parsePrintFlags({ output: 'kyaml' }));
    expect(k.printEvent('ADDED', { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' } })).toBe(
      '---\n{\n  type: "ADDED",\n  object: {\n    apiVersion: "v1",\n    kind: "X",\n    metadata: {\n      name: "a",\n    },\n  },\n}\n',
    );
    const y = await createPrinter(parsePrintFlags({ output: 'yaml' }));
    const first = y.printEvent('ADDED', pod('a'));
    expect(first.startsWith('object:\n')).toBe(true);
    expect(first).toContain('\ntype: ADDED\n');
    expect(y.printEvent('MODIFIED', pod('a')).startsWith('---\n')).toBe(true);
    const n = await createPrinter(parsePrintFlags({ output: 'name' }));
    expect(n.printEvent('DELETED', pod('a'))).toBe('pod/a\n');
  });
});

const podTable = (rows: [string, string, string, string, KubeObject?][]): Table => ({
  apiVersion: 'meta.k8s.io/v1',
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Ready', type: 'string', priority: 0 },
    { name: 'IP', type: 'string', priority: 1 },
    { name: 'Age', type: 'string', priority: 0 },
  ],
  rows: rows.map(([n, r, ip, age, obj]) => ({ cells: [n, r, ip, age], object: obj ?? pod(n) })),
});

describe('table printer', () => {
  it("kubectl's tabwriter: padding 3, minimum width 6, last column unpadded", () => {
    expect(new TabWriter().format([['A', 'B', 'C'], ['a', 'bbbbbbbbb', 'c']])).toBe('A     B           C\na     bbbbbbbbb   c\n');
    const tw = new TabWriter();
    tw.format([['NAME', 'X'], ['a-long-name', 'x']]);
    // widths are remembered across flushes (watch output stays aligned)
    expect(tw.format([['b', 'y']])).toBe(`b${' '.repeat(13)}y\n`);
    tw.reset();
    expect(tw.format([['b', 'y']])).toBe('b     y\n');
  });

  it('server columns, priority>0 only with wide, upper-cased headers', () => {
    const t = podTable([['nginx', '1/1', '10.0.0.1', '5m']]);
    expect(new TablePrinter().print(t)).toBe('NAME    READY   AGE\nnginx   1/1     5m\n');
    expect(new TablePrinter({ wide: true }).print(t)).toBe('NAME    READY   IP         AGE\nnginx   1/1     10.0.0.1   5m\n');
  });

  it('get: CLUSTER after NAME, ADOPTION after the wide columns, -L after it, LABELS last, NAMESPACE first', () => {
    type Row = TableRow & { cluster: string };
    const t: Table<Row> = { ...podTable([]), rows: [{ cells: ['nginx', '1/1', '10.0.0.1', '5m'], object: pod('nginx'), cluster: 'member1' }] };
    const printer = new TablePrinter<Row>({
      wide: true,
      withNamespace: true,
      labelColumns: ['app', 'example.com/tier'],
      showLabels: true,
      extraColumns: [
        { name: 'CLUSTER', position: 'afterName', cell: (r) => r.cluster },
        { name: 'ADOPTION', position: 'end', priority: 1, cell: () => 'N' },
      ],
    });
    expect(printer.print(t)).toBe(
      'NAMESPACE   NAME    CLUSTER   READY   IP         AGE   ADOPTION   APP     TIER   LABELS\ndefault     nginx   member1   1/1     10.0.0.1   5m    N          nginx          app=nginx\n',
    );
    const narrow = new TablePrinter<Row>({ extraColumns: [{ name: 'ADOPTION', position: 'end', priority: 1, cell: () => 'N' }] });
    expect(narrow.print(t)).toBe('NAME    READY   AGE\nnginx   1/1     5m\n');
  });

  it('--show-kind prefixes the name; watch: header once, EVENT column after NAMESPACE', () => {
    const t = podTable([['nginx', '1/1', '', '5m']]);
    expect(new TablePrinter({ kind: { kind: 'Deployment', group: 'apps' } }).print(t)).toContain('deployment.apps/nginx   1/1');
    expect(new TablePrinter({ kind: { kind: 'Pod' } }).print(t)).toContain('pod/nginx');
    const w = new TablePrinter({ withNamespace: true });
    expect(w.print(t, { eventType: 'ADDED' })).toBe('NAMESPACE   EVENT   NAME    READY   AGE\ndefault     ADDED   nginx   1/1     5m\n');
    expect(w.print(t, { eventType: 'MODIFIED' })).toBe('default     MODIFIED   nginx   1/1     5m\n');
    expect(w.headerPrinted).toBe(true);
  });

  it('an empty table prints nothing, not even a header; --no-headers', () => {
    const p = new TablePrinter();
    expect(p.print(podTable([]))).toBe('');
    expect(p.headerPrinted).toBe(false);
    expect(new TablePrinter({ noHeaders: true }).print(podTable([['a', '1/1', '', '1s']]))).toBe('a     1/1   1s\n');
  });

  it('cells: control characters escaped, multi-line strings cut, numbers as Go prints them, nil as <none>', () => {
    expect(formatCell('evil\x1b[31mred')).toBe('evil^[[31mred');
    expect(formatCell('a\rb')).toBe('a...');
    expect(formatCell('tab\there')).toBe('tab\\there');
    expect(formatCell('\x07bell')).toBe('^Gbell');
    expect(formatCell('line1\nline2')).toBe('line1...');
    expect(formatCell(3)).toBe('3');
    expect(formatCell(1.5)).toBe('1.5');
    expect(formatCell(true)).toBe('true');
    expect(formatCell(null)).toBe('<none>');
    expect(formatCell(['a', 'b'])).toBe('[a b]');
    const t = podTable([['x\x1b]0;title\x07', '1/1', '', '1s']]);
    expect(new TablePrinter().print(t)).not.toContain('\x1b');
  });

  it('several resource types: one blank line between non-empty tables, none with --no-headers', () => {
    const a = { table: podTable([['a', '1/1', '', '1s']]) };
    const empty = { table: podTable([]) };
    const b = { table: podTable([['b', '0/1', '', '2s']]), kind: { kind: 'Deployment', group: 'apps' } };
    expect(printTables([a, empty, b], {})).toBe('NAME   READY   AGE\na      1/1     1s\n\nNAME                READY   AGE\ndeployment.apps/b   0/1     2s\n');
    expect(printTables([a, b], { noHeaders: true })).toBe('a     1/1   1s\ndeployment.apps/b   0/1   2s\n');
  });

  it('defaultTable: NAME and AGE for objects without a server Table', () => {
    const now = Date.parse('2024-01-01T03:10:00Z');
    const t = defaultTable([pod('a'), { apiVersion: 'v1', kind: 'X', metadata: { name: 'b' } }], now);
    expect(new TablePrinter().print(t)).toBe('NAME   AGE\na      3h10m\nb      <unknown>\n');
  });
});

describe('--sort-by', () => {
  const items = [
    pod('pod10', { spec: { cpu: '1', n: 3 } }),
    pod('pod2', { spec: { cpu: '500m', n: 1 } }),
    pod('pod1', { spec: { cpu: '2Gi' } }),
    pod('pod3', { spec: { cpu: '100m', n: 2 } }),
  ];
  const names = (xs: KubeObject[]) => xs.map((x) => x.metadata?.name);
  it('natural string order, numbers, quantities; missing fields first; stable', () => {
    expect(names(sortObjects(items, '.metadata.name'))).toEqual(['pod1', 'pod2', 'pod3', 'pod10']);
    expect(names(sortObjects(items, '{.spec.n}'))).toEqual(['pod1', 'pod2', 'pod3', 'pod10']);
    expect(names(sortObjects(items, 'spec.cpu'))).toEqual(['pod3', 'pod2', 'pod10', 'pod1']);
    expect(names(items)).toEqual(['pod10', 'pod2', 'pod1', 'pod3']);
  });
  it('a field that no object has is an error (kubectl)', () => {
    expect(() => sortObjects(items, '.spec.nope')).toThrow('couldn\'t find any field with path "{.spec.nope}" in the list of objects');
    expect(sortObjects([], '.spec.nope')).toEqual([]);
  });
  it('tables sort by rows[].object (needs includeObject=Object)', () => {
    const t = podTable([
      ['b', '1/1', '', '1s', pod('b', { metadata: { name: 'b', creationTimestamp: '2024-01-02T00:00:00Z' } })],
      ['a', '1/1', '', '2s', pod('a', { metadata: { name: 'a', creationTimestamp: '2024-01-03T00:00:00Z' } })],
      ['c', '1/1', '', '3s', pod('c', { metadata: { name: 'c', creationTimestamp: '2024-01-01T00:00:00Z' } })],
    ]);
    expect(sortTableRows(t, '.metadata.creationTimestamp').rows.map((r) => r.cells[0])).toEqual(['c', 'b', 'a']);
    expect(sortTableRows(t, '.metadata.name').rows.map((r) => r.cells[0])).toEqual(['a', 'b', 'c']);
  });
  it('naturalLess (fvbommel/sortorder)', () => {
    const sorted = ['a10', 'a2', 'a1', 'b', 'a01', '10', '9', 'A'].sort((x, y) => (naturalLess(x, y) ? -1 : naturalLess(y, x) ? 1 : 0));
    expect(sorted).toEqual(['9', '10', 'A', 'a1', 'a01', 'a2', 'a10', 'b']);
  });
});

describe('ages (duration.HumanDuration)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const cases: [number, string][] = [
    [s, '1s'], [70 * s, '70s'], [190 * s, '3m10s'], [5 * m, '5m'], [70 * m, '70m'], [47 * h, '47h'], [49 * h, '2d1h'],
    [(8 * 24 + 2) * h, '8d'], [367 * 24 * h, '367d'], [(365 * 2 * 24 + 25) * h, '2y1d'], [(365 * 8 * 24 + 2) * h, '8y'],
    [3 * h + 10 * m, '3h10m'], [-1500, '0s'], [-3000, '<invalid>'],
  ];
  for (const [d, want] of cases) it(`${d}ms → ${want}`, () => expect(humanDuration(d)).toBe(want));
  it('ShortHumanDuration and translateTimestampSince', () => {
    expect(shortHumanDuration(49 * h)).toBe('2d');
    expect(translateTimestampSince(null)).toBe('<unknown>');
    expect(translateTimestampSince('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:00:05Z'))).toBe('5s');
  });
});
