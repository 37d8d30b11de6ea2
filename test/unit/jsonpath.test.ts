/**
 * client-go's own JSONPath test tables (k8s.io/client-go/util/jsonpath/jsonpath_test.go), ported as
 * data. Go structs become objects with the struct's field order and `sortKeys: false` (Go prints
 * struct fields in declaration order, map keys sorted).
 */
import { describe, expect, it } from 'vitest';
import { JSONPath, relaxedJSONPathExpression } from '../../src/kubectl/printers/jsonpath';

type Case = [name: string, template: string, input: unknown, expect: string, expectError?: boolean];

function run(cases: Case[], allowMissingKeys: boolean, sortKeys = true) {
  for (const [name, template, input, want, expectError] of cases) {
    it(`${name}: ${template}`, () => {
      let j: JSONPath;
      try {
        j = new JSONPath(template, { allowMissingKeys, sortKeys });
      } catch (e) {
        if (expectError) return;
        throw e;
      }
      if (expectError) {
        expect(() => j.execute(input)).toThrow();
        return;
      }
      expect(j.execute(input)).toBe(want);
    });
  }
}

function runFail(cases: [string, string, unknown, string][]) {
  for (const [name, template, input, want] of cases) {
    it(`fails: ${name}`, () => {
      const j = new JSONPath(template, { allowMissingKeys: false, sortKeys: false });
      let got = 'nil';
      try {
        j.execute(input);
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got).toBe(want);
    });
  }
}

describe('TestTypesInput', () => {
  const types = {
    bools: [true, false, true, false],
    integers: [1, 2, 3, 4],
    floats: [1.0, 2.2, 3.3, 4.0],
    strings: ['one', 'two', 'three', 'four'],
    interfaces: [true, 'one', 1, 1.1],
    maps: [
      { name: 'one', value: 1 },
      { name: 'two', value: 2.02 },
      { name: 'three', value: 3.03 },
      { name: 'four', value: 4.04 },
    ],
    structs: [
      { name: 'one', value: 1, type: 'integer' },
      { name: 'two', value: 2.002, type: 'float' },
      { name: 'three', value: 3, type: 'integer' },
      { name: 'four', value: 4.004, type: 'float' },
    ],
  };
  const cases: Case[] = [
    ['boolSlice', `{ .bools }`, types, `[true,false,true,false]`],
    ['boolSliceIndex', `{ .bools[0] }`, types, `true`],
    ['boolSliceIndex', `{ .bools[-1] }`, types, `false`],
    ['boolSubSlice', `{ .bools[0:2] }`, types, `true false`],
    ['boolSubSliceFirst2', `{ .bools[:2] }`, types, `true false`],
    ['boolSubSliceStep2', `{ .bools[:4:2] }`, types, `true true`],
    ['integerSlice', `{ .integers }`, types, `[1,2,3,4]`],
    ['integerSliceIndex', `{ .integers[0] }`, types, `1`],
    ['integerSliceIndexReverse', `{ .integers[-2] }`, types, `3`],
    ['integerSubSliceFirst2', `{ .integers[0:2] }`, types, `1 2`],
    ['integerSubSliceFirst2Alt', `{ .integers[:2] }`, types, `1 2`],
    ['integerSubSliceStep2', `{ .integers[:4:2] }`, types, `1 3`],
    ['floatSlice', `{ .floats }`, types, `[1,2.2,3.3,4]`],
    ['floatSliceIndex', `{ .floats[0] }`, types, `1`],
    ['floatSliceIndexReverse', `{ .floats[-2] }`, types, `3.3`],
    ['floatSubSliceFirst2', `{ .floats[0:2] }`, types, `1 2.2`],
    ['floatSubSliceFirst2Alt', `{ .floats[:2] }`, types, `1 2.2`],
    ['floatSubSliceStep2', `{ .floats[:4:2] }`, types, `1 3.3`],
    ['stringSlice', `{ .strings }`, types, `["one","two","three","four"]`],
    ['stringSliceIndex', `{ .strings[0] }`, types, `one`],
    ['stringSliceIndexReverse', `{ .strings[-2] }`, types, `three`],
    ['stringSubSliceFirst2', `{ .strings[0:2] }`, types, `one two`],
    ['stringSubSliceFirst2Alt', `{ .strings[:2] }`, types, `one two`],
    ['stringSubSliceStep2', `{ .strings[:4:2] }`, types, `one three`],
    ['interfaceSlice', `{ .interfaces }`, types, `[true,"one",1,1.1]`],
    ['interfaceSliceIndex', `{ .interfaces[0] }`, types, `true`],
    ['interfaceSliceIndexReverse', `{ .interfaces[-2] }`, types, `1`],
    ['interfaceSubSliceFirst2', `{ .interfaces[0:2] }`, types, `true one`],
    ['interfaceSubSliceFirst2Alt', `{ .interfaces[:2] }`, types, `true one`],
    ['interfaceSubSliceStep2', `{ .interfaces[:4:2] }`, types, `true 1`],
    ['mapSlice', `{ .maps }`, types, `[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},{"name":"four","value":4.04}]`],
    ['mapSliceIndex', `{ .maps[0] }`, types, `{"name":"one","value":1}`],
    ['mapSliceIndexReverse', `{ .maps[-2] }`, types, `{"name":"three","value":3.03}`],
    ['mapSubSliceFirst2', `{ .maps[0:2] }`, types, `{"name":"one","value":1} {"name":"two","value":2.02}`],
    ['mapSubSliceFirst2Alt', `{ .maps[:2] }`, types, `{"name":"one","value":1} {"name":"two","value":2.02}`],
    ['mapSubSliceStepOdd', `{ .maps[::2] }`, types, `{"name":"one","value":1} {"name":"three","value":3.03}`],
    ['mapSubSliceStepEven', `{ .maps[1::2] }`, types, `{"name":"two","value":2.02} {"name":"four","value":4.04}`],
  ];
  run(cases, false);
  const structCases: Case[] = [
    ['structSlice', `{ .structs }`, types, `[{"name":"one","value":1,"type":"integer"},{"name":"two","value":2.002,"type":"float"},{"name":"three","value":3,"type":"integer"},{"name":"four","value":4.004,"type":"float"}]`],
    ['structSliceIndex', `{ .structs[0] }`, types, `{"name":"one","value":1,"type":"integer"}`],
    ['structSliceIndexReverse', `{ .structs[-2] }`, types, `{"name":"three","value":3,"type":"integer"}`],
    ['structSubSliceFirst2', `{ .structs[0:2] }`, types, `{"name":"one","value":1,"type":"integer"} {"name":"two","value":2.002,"type":"float"}`],
    ['structSubSliceFirst2Alt', `{ .structs[:2] }`, types, `{"name":"one","value":1,"type":"integer"} {"name":"two","value":2.002,"type":"float"}`],
    ['structSubSliceStepOdd', `{ .structs[::2] }`, types, `{"name":"one","value":1,"type":"integer"} {"name":"three","value":3,"type":"integer"}`],
    ['structSubSliceStepEven', `{ .structs[1::2] }`, types, `{"name":"two","value":2.002,"type":"float"} {"name":"four","value":4.004,"type":"float"}`],
  ];
  run(structCases, false, false);
});

describe('TestStructInput', () => {
  const storeData = {
    Book: [
      { Category: 'reference', Author: 'Nigel Rees', Title: 'Sayings of the Centurey', Price: 8.95 },
      { Category: 'fiction', Author: 'Evelyn Waugh', Title: 'Sword of Honour', Price: 12.99 },
      { Category: 'fiction', Author: 'Herman Melville', Title: 'Moby Dick', Price: 8.99 },
    ],
    Bicycle: [
      { Color: 'red', Price: 19.95, IsNew: true },
      { Color: 'green', Price: 20.01, IsNew: false },
    ],
    Name: 'jsonpath',
    Labels: { engieer: 10, 'web/html': 15, 'k8s-app': 20 },
    Employees: { jason: 'manager', dan: 'clerk' },
  };
  const storeTests: Case[] = [
    ['plain', 'hello jsonpath', null, 'hello jsonpath'],
    ['recursive', '{..}', [1, 2, 3], '[1,2,3]'],
    ['filter', '{[?(@<5)]}', [2, 6, 3, 7], '2 3'],
    ['quote', `{"{"}`, null, '{'],
    ['union', '{[1,3,4]}', [0, 1, 2, 3, 4], '1 3 4'],
    ['array', '{[0:2]}', ['Monday', 'Tudesday'], 'Monday Tudesday'],
    ['variable', 'hello {.Name}', storeData, 'hello jsonpath'],
    ['dict/', '{$.Labels.web/html}', storeData, '15'],
    ['dict/', '{$.Employees.jason}', storeData, 'manager'],
    ['dict/', '{$.Employees.dan}', storeData, 'clerk'],
    ['dict-', '{.Labels.k8s-app}', storeData, '20'],
    ['nest', '{.Bicycle[*].Color}', storeData, 'red green'],
    ['allarray', '{.Book[*].Author}', storeData, 'Nigel Rees Evelyn Waugh Herman Melville'],
    ['allfields', `{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}`, storeData, '{red 19.95 true} {green 20.01 false} '],
    ['recurfields', '{..Price}', storeData, '8.95 12.99 8.99 19.95 20.01'],
    ['recurdotfields', '{...Price}', storeData, '8.95 12.99 8.99 19.95 20.01'],
    ['superrecurfields', '{............................................................Price}', storeData, '', true],
    ['allstructsSlice', '{.Bicycle}', storeData, `[{"Color":"red","Price":19.95,"IsNew":true},{"Color":"green","Price":20.01,"IsNew":false}]`],
    ['allstructs', `{range .Bicycle[*]}{ @ }{ " " }{end}`, storeData, `{"Color":"red","Price":19.95,"IsNew":true} {"Color":"green","Price":20.01,"IsNew":false} `],
    ['lastarray', '{.Book[-1:]}', storeData, `{"Category":"fiction","Author":"Herman Melville","Title":"Moby Dick","Price":8.99}`],
    ['recurarray', '{..Book[2]}', storeData, `{"Category":"fiction","Author":"Herman Melville","Title":"Moby Dick","Price":8.99}`],
    ['bool', '{.Bicycle[?(@.IsNew==true)]}', storeData, `{"Color":"red","Price":19.95,"IsNew":true}`],
  ];
  run(storeTests, false, false);
  run(
    [
      ['nonexistent field', '{.hello}', storeData, ''],
      ['nonexistent field 2', 'before-{.hello}after', storeData, 'before-after'],
    ],
    true,
    false,
  );
  runFail([
    ['invalid identifier', '{hello}', storeData, 'unrecognized identifier hello'],
    ['nonexistent field', '{.hello}', storeData, 'hello is not found'],
    // client-go names the Go type of the struct field (map[string]int); decoded JSON is map[string]interface {}.
    ['invalid array', '{.Labels[0]}', storeData, 'map[string]interface {} is not array or slice'],
    ['invalid filter operator', '{.Book[?(@.Price<>10)]}', storeData, 'unrecognized filter operator <>'],
    ['redundant end', '{range .Labels.*}{@}{end}{end}', storeData, 'not in range, nothing to end'],
  ]);
});

describe('TestJSONInput', () => {
  const pointsData = JSON.parse(`[
    {"id": "i1", "x":4, "y":-5},
    {"id": "i2", "x":-2, "y":-5, "z":1},
    {"id": "i3", "x":  8, "y":  3 },
    {"id": "i4", "x": -6, "y": -1 },
    {"id": "i5", "x":  0, "y":  2, "z": 1 },
    {"id": "i6", "x":  1, "y":  4 }
  ]`);
  run(
    [
      ['exists filter', '{[?(@.z)].id}', pointsData, 'i2 i5'],
      ['bracket key', "{[0]['id']}", pointsData, 'i1'],
    ],
    false,
  );
});

const nodesData = JSON.parse(`{
  "kind": "List",
  "items":[
    {"kind":"None","metadata":{"name":"127.0.0.1","labels":{"kubernetes.io/hostname":"127.0.0.1"}},
     "status":{"capacity":{"cpu":"4"},"ready": true,"addresses":[{"type": "LegacyHostIP", "address":"127.0.0.1"}]}},
    {"kind":"None","metadata":{"name":"127.0.0.2","labels":{"kubernetes.io/hostname":"127.0.0.2"}},
     "status":{"capacity":{"cpu":"8"},"ready": false,"addresses":[{"type": "LegacyHostIP", "address":"127.0.0.2"},{"type": "another", "address":"127.0.0.3"}]}}
  ],
  "users":[{"name": "myself","user": {}},{"name": "e2e","user": {"username": "admin", "password": "secret"}}]
}`);

describe('TestKubernetes', () => {
  run(
    [
      ['range item', `{range .items[*]}{.metadata.name}, {end}{.kind}`, nodesData, '127.0.0.1, 127.0.0.2, List'],
      ['range item with quote', `{range .items[*]}{.metadata.name}{"\\t"}{end}`, nodesData, '127.0.0.1\t127.0.0.2\t'],
      ['range addresss', `{.items[*].status.addresses[*].address}`, nodesData, '127.0.0.1 127.0.0.2 127.0.0.3'],
      ['double range', `{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}`, nodesData, '127.0.0.1, 127.0.0.2, 127.0.0.3, '],
      ['item name', `{.items[*].metadata.name}`, nodesData, '127.0.0.1 127.0.0.2'],
      ['union nodes capacity', `{.items[*]['metadata.name', 'status.capacity']}`, nodesData, `127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}`],
      ['range nodes capacity', `{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}`, nodesData, `[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] `],
      ['user password', `{.users[?(@.name=="e2e")].user.password}`, nodesData, 'secret'],
      ['hostname', `{.items[0].metadata.labels.kubernetes\\.io/hostname}`, nodesData, '127.0.0.1'],
      ['hostname filter', `{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}`, nodesData, 'None'],
      ['bool item', `{.items[?(@..ready==true)].metadata.name}`, nodesData, '127.0.0.1'],
    ],
    false,
  );
  it('recursive name (map order is random in Go: compare sorted)', () => {
    const out = new JSONPath('{..name}').execute(nodesData);
    expect(out.split(/\s+/).sort()).toEqual('127.0.0.1 127.0.0.2 myself e2e'.split(' ').sort());
  });
});

describe('TestEmptyRange', () => {
  const emptyList = { items: [] };
  run(
    [
      ['empty range', `{range .items[*]}{.metadata.name}{end}`, emptyList, ''],
      ['empty nested range', `{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}`, emptyList, ''],
    ],
    true,
  );
});

describe('TestNestedRanges', () => {
  const data = {
    items: [
      { metadata: { name: 'pod1' }, spec: { containers: [{ name: 'foo', another: [{ name: 'value1' }, { name: 'value2' }] }, { name: 'bar', another: [{ name: 'value1' }, { name: 'value2' }] }] } },
      { metadata: { name: 'pod2' }, spec: { containers: [{ name: 'baz', another: [{ name: 'value1' }, { name: 'value2' }] }] } },
    ],
  };
  run(
    [
      ['nested range with a trailing newline', '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', data, 'pod1:foo,bar,+pod2:baz,+'],
      [
        'nested range with a trailing character within another nested range with a trailing newline',
        '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}',
        data,
        'pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#',
      ],
      [
        'two nested ranges at the same level with a trailing newline',
        '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
        data,
        'pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n',
      ],
    ],
    false,
  );
});

describe('TestFilterPartialMatchesSometimesMissingAnnotations', () => {
  const data = {
    kind: 'List',
    items: [
      { kind: 'Pod', metadata: { name: 'pod1', annotations: { color: 'blue' } } },
      { kind: 'Pod', metadata: { name: 'pod2' } },
      { kind: 'Pod', metadata: { name: 'pod3', annotations: { color: 'green' } } },
      { kind: 'Pod', metadata: { name: 'pod4', annotations: { color: 'blue' } } },
    ],
  };
  run([['filter, tolerate missing items', `{.items[?(@.metadata.annotations.color=="blue")].metadata.name}`, data, 'pod1 pod4']], true);
  run([['filter, error on missing items', `{.items[?(@.metadata.annotations.color=="blue")].metadata.name}`, data, '', true]], false);
});

const fakePod = (n: number) => ({ apiVersion: 'v1', kind: 'Pod', spec: { containers: Array.from({ length: n }, (_, i) => ({ image: 'radial/busyboxplus:curl', name: `fake${i}` })) } });

describe('TestNegativeIndex', () => {
  const data = fakePod(4);
  run(
    [
      ['containers[0]', `{.spec.containers[0].name}`, data, 'fake0'],
      ['containers[0:0]', `{.spec.containers[0:0].name}`, data, ''],
      ['containers[0:-1]', `{.spec.containers[0:-1].name}`, data, 'fake0 fake1 fake2'],
      ['containers[-1:0]', `{.spec.containers[-1:0].name}`, data, '', true],
      ['containers[-1]', `{.spec.containers[-1].name}`, data, 'fake3'],
      ['containers[-1:]', `{.spec.containers[-1:].name}`, data, 'fake3'],
      ['containers[-2]', `{.spec.containers[-2].name}`, data, 'fake2'],
      ['containers[-2:]', `{.spec.containers[-2:].name}`, data, 'fake2 fake3'],
      ['containers[-3]', `{.spec.containers[-3].name}`, data, 'fake1'],
      ['containers[-4]', `{.spec.containers[-4].name}`, data, 'fake0'],
      ['containers[-4:]', `{.spec.containers[-4:].name}`, data, 'fake0 fake1 fake2 fake3'],
      ['containers[-5]', `{.spec.containers[-5].name}`, data, '', true],
      ['containers[5:5]', `{.spec.containers[5:5].name}`, data, ''],
      ['containers[-5:-5]', `{.spec.containers[-5:-5].name}`, data, ''],
      ['containers[3:1]', `{.spec.containers[3:1].name}`, data, '', true],
      ['containers[-1:-2]', `{.spec.containers[-1:-2].name}`, data, '', true],
    ],
    false,
  );
});

describe('TestRunningPodsJSONPathOutput', () => {
  const data = {
    kind: 'List',
    items: [
      { kind: 'Pod', metadata: { name: 'pod1' }, status: { phase: 'Running' } },
      { kind: 'Pod', metadata: { name: 'pod2' }, status: { phase: 'Running' } },
      { kind: 'Pod', metadata: { name: 'pod3' }, status: { phase: 'Running' } },
      { resourceVersion: '' },
    ],
  };
  run([['range over pods without selecting the last one', `{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}`, data, 'pod1 is Running\npod2 is Running\npod3 is Running\n']], true);
});

describe('TestStep', () => {
  const data = fakePod(6);
  run(
    [
      ['containers[0:]', `{.spec.containers[0:].name}`, data, 'fake0 fake1 fake2 fake3 fake4 fake5'],
      ['containers[0:6:]', `{.spec.containers[0:6:].name}`, data, 'fake0 fake1 fake2 fake3 fake4 fake5'],
      ['containers[0:6:1]', `{.spec.containers[0:6:1].name}`, data, 'fake0 fake1 fake2 fake3 fake4 fake5'],
      ['containers[0:6:0]', `{.spec.containers[0:6:0].name}`, data, '', true],
      ['containers[0:6:-1]', `{.spec.containers[0:6:-1].name}`, data, '', true],
      ['containers[1:4:2]', `{.spec.containers[1:4:2].name}`, data, 'fake1 fake3'],
      ['containers[1:4:3]', `{.spec.containers[1:4:3].name}`, data, 'fake1'],
      ['containers[1:4:4]', `{.spec.containers[1:4:4].name}`, data, 'fake1'],
      ['containers[0:6:2]', `{.spec.containers[0:6:2].name}`, data, 'fake0 fake2 fake4'],
      ['containers[0:6:3]', `{.spec.containers[0:6:3].name}`, data, 'fake0 fake3'],
      ['containers[0:6:5]', `{.spec.containers[0:6:5].name}`, data, 'fake0 fake5'],
      ['containers[0:6:6]', `{.spec.containers[0:6:6].name}`, data, 'fake0'],
    ],
    false,
  );
});

describe('kubectl usage beyond client-go tables', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { b: '2', a: '1' }, annotations: { x: 'a<b&c' } }, spec: { replicas: 3, ratio: 0.5, nothing: null } };
  it('prints maps as compact JSON with sorted keys and Go escaping', () => {
    expect(new JSONPath('{.metadata.labels}').execute(pod)).toBe('{"a":"1","b":"2"}');
    expect(new JSONPath('{.metadata.annotations}').execute(pod)).toBe('{"x":"a\\u003cb\\u0026c"}');
  });
  it('prints integers as int64 and null as Go prints a nil interface', () => {
    expect(new JSONPath('{.spec.replicas} {.spec.ratio} {.spec.nothing}').execute(pod)).toBe('3 0.5 <nil>');
  });
  it('jsonpath-as-json wraps each result set in an indented array', () => {
    expect(new JSONPath('{.metadata.name}', { outputJSON: true }).execute(pod)).toBe('[\n    "p"\n]\n');
  });
  it('{"\\n"} literals and text between actions', () => {
    expect(new JSONPath('{.metadata.name}{"\\n"}').execute(pod)).toBe('p\n');
  });
  it('parse errors carry client-go messages', () => {
    expect(() => new JSONPath('{.metadata.name')).toThrow('unclosed action');
    expect(() => new JSONPath('{.items[1:2:3:4]}')).toThrow('invalid array index 1:2:3:4');
    expect(() => new JSONPath('{.a[?(@.x=="y"}')).toThrow('unterminated filter');
    expect(() => new JSONPath('{#}')).toThrow("unrecognized character in action: U+0023 '#'");
  });
  it('a parsed template runs many times with the same result (client-go mutates its slices)', () => {
    const j = new JSONPath('{.spec.containers[-1:].name}');
    const p = fakePod(3);
    expect([j.execute(p), j.execute(p)]).toEqual(['fake2', 'fake2']);
  });
  it('relaxed expressions for custom-columns and --sort-by', () => {
    expect(relaxedJSONPathExpression('metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJSONPathExpression('.metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJSONPathExpression('{metadata.name}')).toBe('{.metadata.name}');
    expect(relaxedJSONPathExpression('{.metadata.name}')).toBe('{.metadata.name}');
    expect(() => relaxedJSONPathExpression('{.a}{.b}')).toThrow("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  });
});
