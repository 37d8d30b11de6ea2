/**
 * Go text/template semantics: cases ported from Go's src/text/template/exec_test.go (those that do
 * not need Go methods, channels, pointers or complex numbers; struct data becomes maps) and
 * kubectl's printers/template_test.go.
 */
import { describe, expect, it } from 'vitest';
import { GoTemplate, sprintf } from '../../src/kubectl/printers/template';

const tVal = {
  True: true,
  I: 17,
  X: 'x',
  U: { V: 'v' },
  FloatZero: 0.0,
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  MXI: {},
  SMSI: [{ one: 1, two: 2 }, { eleven: 11, twelve: 12 }],
  Empty0: null,
  Empty1: 3,
  Empty2: 'empty2',
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
  PSI: [21, 22, 23],
  PS: 'a string',
};

type Case = [name: string, input: string, output: string, data: unknown, ok: boolean];

function run(cases: Case[]) {
  for (const [name, input, output, data, ok] of cases) {
    it(`${name}: ${input}`, () => {
      const t = new GoTemplate(input, { name });
      if (!ok) {
        expect(() => t.execute(data)).toThrow();
        return;
      }
      expect(t.execute(data)).toBe(output);
    });
  }
}

describe('exec_test.go: execTests', () => {
  run([
    // Trivial cases.
    ['empty', '', '', null, true],
    ['text', 'some text', 'some text', null, true],
    ['nil action', '{{nil}}', '', null, false],
    // Ideal constants.
    ['ideal int', '{{typeOf 3}}'.replace('typeOf', 'printf "%T"'), 'int', null, true],
    ['ideal nil without type', '{{nil}}', '', null, false],
    // Fields of structs (maps here).
    ['.X', '-{{.X}}-', '-x-', tVal, true],
    ['.U.V', '-{{.U.V}}-', '-v-', tVal, true],
    // Fields on maps.
    ['map .one', '{{.MSI.one}}', '1', tVal, true],
    ['map .two', '{{.MSI.two}}', '2', tVal, true],
    ['map .NO', '{{.MSI.NO}}', '<no value>', tVal, true],
    ['map .one interface', '{{.MXI.one}}', '<no value>', tVal, true],
    ['map .WRONG args', '{{.MSI.one 1}}', '', tVal, false],
    ['map .WRONG type', '{{.MII.one}}', '<no value>', tVal, true],
    // Dots of all kinds to test basic evaluation.
    ['dot int', '<{{.}}>', '<13>', 13, true],
    ['dot float', '<{{.}}>', '<15.1>', 15.1, true],
    ['dot bool', '<{{.}}>', '<true>', true, true],
    ['dot string', '<{{.}}>', '<hello>', 'hello', true],
    ['dot slice', '<{{.}}>', '<[-1 -2 -3]>', [-1, -2, -3], true],
    ['dot map', '<{{.}}>', '<map[two:22]>', { two: 22 }, true],
    // Variables.
    ['$ int', '{{$}}', '123', 123, true],
    ['$.I', '{{$.I}}', '17', tVal, true],
    ['$.U.V', '{{$.U.V}}', 'v', tVal, true],
    ['declare in action', '{{$x := $.U.V}}{{$x}}', 'v', tVal, true],
    ['simple assignment', '{{$x := 2}}{{$x = 3}}{{$x}}', '3', tVal, true],
    ['nested assignment', '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}', '3', tVal, true],
    ['nested assignment changes the last declaration', '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}', '1', tVal, true],
    // Type with String method → n/a. Empty interfaces holding values.
    ['empty nil', '{{.Empty0}}', '<no value>', tVal, true],
    ['empty with int', '{{.Empty1}}', '3', tVal, true],
    ['empty with string', '{{.Empty2}}', 'empty2', tVal, true],
    ['empty with slice', '{{.Empty3}}', '[7 8]', tVal, true],
    ['empty with struct, field', '{{.Empty4.V}}', 'UinEmpty', tVal, true],
    // Parenthesized expressions with field accesses.
    ['parens: $ in paren', '{{($).X}}', 'x', tVal, true],
    ['parens in pipeline', '{{printf `%d %d %d` (1) (printf "%d" 22 | len) (len "abcd")}}', '1 2 4', tVal, true],
    // If.
    ['if true', '{{if true}}TRUE{{end}}', 'TRUE', tVal, true],
    ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE', tVal, true],
    ['if nil', '{{if nil}}TRUE{{end}}', '', tVal, false],
    ['if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
    ['if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
    ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
    ['if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
    ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
    ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
    ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
    ['if map unset', '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
    ['if map not unset', '{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO', tVal, true],
    ['if $x with $y int', '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}', 'true,17', tVal, true],
    ['if $x with $x int', '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true', tVal, true],
    ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE', tVal, true],
    ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3', tVal, true],
    // Print etc.
    ['print', `{{print "hello, print"}}`, 'hello, print', tVal, true],
    ['print 123', `{{print 1 2 3}}`, '1 2 3', tVal, true],
    ['print nil', `{{print nil}}`, '<nil>', tVal, true],
    ['println', `{{println 1 2 3}}`, '1 2 3\n', tVal, true],
    ['printf int', `{{printf "%04x" 127}}`, '007f', tVal, true],
    ['printf float', `{{printf "%g" 3.5}}`, '3.5', tVal, true],
    ['printf string', `{{printf "%s" "hello"}}`, 'hello', tVal, true],
    ['printf field', `{{printf "%s" .U.V}}`, 'v', tVal, true],
    ['printf dot', `{{with .I}}{{printf "%d" .}}{{end}}`, '17', tVal, true],
    ['printf var', `{{with $x := .I}}{{printf "%d" $x}}{{end}}`, '17', tVal, true],
    ['printf lots', `{{printf "%d %s %g %s" 127 "hello" 7.5 .X}}`, '127 hello 7.5 x', tVal, true],
    // HTML.
    ['html', `{{html "<script>alert(\\"XSS\\");</script>"}}`, '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', null, true],
    ['html pipeline', `{{printf "<script>alert(\\"XSS\\");</script>" | html}}`, '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', null, true],
    ['html', `{{html .PS}}`, 'a string', tVal, true],
    // JavaScript.
    ['js', `{{js .}}`, `It\\'d be nice.`, `It'd be nice.`, true],
    // URL query.
    ['urlquery', `{{"http://www.example.org/"|urlquery}}`, 'http%3A%2F%2Fwww.example.org%2F', null, true],
    // Booleans
    ['not', '{{not true}} {{not false}}', 'false true', null, true],
    ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1', null, true],
    ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1', null, true],
    ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE', tVal, true],
    ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE', null, true],
    ['and short-circuits', '{{and false (index .SI 99)}}', 'false', tVal, true],
    ['or short-circuits', '{{or true (index .SI 99)}}', 'true', tVal, true],
    // Indexing.
    ['slice[0]', '{{index .SI 0}}', '3', tVal, true],
    ['slice[1]', '{{index .SI 1}}', '4', tVal, true],
    ['slice[HUGE]', '{{index .SI 10}}', '', tVal, false],
    ['slice[WRONG]', '{{index .SI `hello`}}', '', tVal, false],
    ['slice[nil]', '{{index .SI nil}}', '', tVal, false],
    ['map[one]', '{{index .MSI `one`}}', '1', tVal, true],
    ['map[two]', '{{index .MSI `two`}}', '2', tVal, true],
    // Go prints the zero value of the map's element type; for decoded JSON (interface{}) that is <no value>.
    ['map[NO]', '{{index .MSI `XXX`}}', '<no value>', tVal, true],
    ['map[nil]', '{{index .MSI nil}}', '', tVal, false],
    ['map[WRONG]', '{{index .MSI 10}}', '', tVal, false],
    ['double index', '{{index .SMSI 1 `eleven`}}', '11', tVal, true],
    ['nil[1]', '{{index nil 1}}', '', tVal, false],
    // Slicing.
    ['slice[:]', '{{slice .SI}}', '[3 4 5]', tVal, true],
    ['slice[1:]', '{{slice .SI 1}}', '[4 5]', tVal, true],
    ['slice[1:2]', '{{slice .SI 1 2}}', '[4]', tVal, true],
    ['slice[-1:]', '{{slice .SI -1}}', '', tVal, false],
    ['slice[1:-2]', '{{slice .SI 1 -2}}', '', tVal, false],
    ['slice[2:1]', '{{slice .SI 2 1}}', '', tVal, false],
    ['string[1:2]', '{{slice "foobar" 1 2}}', 'o', tVal, true],
    ['string[1:2:3]', '{{slice "foobar" 1 2 3}}', '', tVal, false],
    // Len.
    ['slice', '{{len .SI}}', '3', tVal, true],
    ['map', '{{len .MSI }}', '3', tVal, true],
    ['len of int', '{{len 3}}', '', tVal, false],
    ['len of nothing', '{{len .Empty0}}', '', tVal, false],
    // With.
    ['with true', '{{with true}}{{.}}{{end}}', 'true', tVal, true],
    ['with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', 'FALSE', tVal, true],
    ['with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', '1', tVal, true],
    ['with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
    ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5', tVal, true],
    ['with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
    ['with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', 'notempty', tVal, true],
    ['with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]', tVal, true],
    ['with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]', tVal, true],
    ['with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', 'UinEmpty', tVal, true],
    ['with $x int', '{{with $x := .I}}{{$x}}{{end}}', '17', tVal, true],
    ['with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', 'v', tVal, true],
    ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v', tVal, true],
    ['with else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', 'true', tVal, true],
    ['with else with chain', '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}', 'notempty', tVal, true],
    // Range.
    ['range []int', '{{range .SI}}-{{.}}-{{end}}', '-3--4--5-', tVal, true],
    ['range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', '', tVal, true],
    ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-', tVal, true],
    ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['range []int break else', '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}', '-3-', tVal, true],
    ['range []int continue else', '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}', '-3--4--5-', tVal, true],
    ['range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-', tVal, true],
    ['range map', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-', tVal, true],
    ['range empty map no else', '{{range .MSIEmpty}}-{{.}}-{{end}}', '', tVal, true],
    ['range map else', '{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}', '-1--3--2-', tVal, true],
    ['range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
    ['range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', '-7--8-', tVal, true],
    ['range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', '', tVal, true],
    ['range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', '<3><4><5>', tVal, true],
    ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>', tVal, true],
    ['range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', '<1>', tVal, true],
    ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>', tVal, true],
    ['range $x PSI', '{{range $x := .PSI}}<{{$x}}>{{end}}', '<21><22><23>', tVal, true],
    ['declare in range', '{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<21><22><23>', tVal, true],
    ['range int', '{{range $x := 3}}<{{$x}}>{{end}}', '<0><1><2>', tVal, true],
    ['range string', '{{range .X}}{{.}}{{end}}', '', tVal, false],
    // Cute examples.
    ['or as if true', `{{or .SI "slice is empty"}}`, '[3 4 5]', tVal, true],
    ['or as if false', `{{or .SIEmpty "slice is empty"}}`, 'slice is empty', tVal, true],
    // Fixed bugs.
    ['bug7a', '{{3 2}}', '', tVal, false],
    ['bug7b', '{{$x := 1}}{{$x 2}}', '', tVal, false],
    ['bug7c', '{{$x := 1}}{{3 | $x}}', '', tVal, false],
    ['bug9', '{{.cause}}', 'neglect', { cause: 'neglect' }, true],
    ['bug12xe', '{{printf `%T` 0xef}}', 'int', {}, true],
    ['bug12XE', '{{printf `%T` 0XEE}}', 'int', {}, true],
    ['bug14b', '{{$x := nil}}{{$x.anything}}', '', tVal, false],
    ['bug16a', '{{true|printf}}', '', tVal, false],
    ['bug16k', '{{"aaa"|printf }}', 'aaa', tVal, true],
  ]);
});

describe('exec_test.go: cmpTests', () => {
  const cmp = { Uthree: 3, Ufour: 4, NegOne: -1, Three: 3 };
  const cases: [string, string, boolean][] = [
    ['eq true true', 'true', true], ['eq true false', 'false', true], ['eq 1.5 1.5', 'true', true], ['eq 1.5 2.5', 'false', true],
    ['eq 1 1', 'true', true], ['eq 1 2', 'false', true], ['eq `xy` `xy`', 'true', true], ['eq `xy` `xyz`', 'false', true],
    ['eq .Uthree .Uthree', 'true', true], ['eq .Uthree .Ufour', 'false', true], ['eq 3 4 5 6 3', 'true', true], ['eq 3 4 5 6 7', 'false', true],
    ['ne true true', 'false', true], ['ne true false', 'true', true], ['ne 1.5 1.5', 'false', true], ['ne 1.5 2.5', 'true', true],
    ['ne 1 1', 'false', true], ['ne 1 2', 'true', true], ['ne `xy` `xy`', 'false', true], ['ne `xy` `xyz`', 'true', true],
    ['lt 1.5 1.5', 'false', true], ['lt 1.5 2.5', 'true', true], ['lt 1 1', 'false', true], ['lt 1 2', 'true', true],
    ['lt `xy` `xy`', 'false', true], ['lt `xy` `xyz`', 'true', true], ['lt .Uthree .Ufour', 'true', true],
    ['le 1.5 1.5', 'true', true], ['le 1.5 2.5', 'true', true], ['le 2.5 1.5', 'false', true], ['le 1 1', 'true', true],
    ['le 1 2', 'true', true], ['le 2 1', 'false', true], ['le `xy` `xy`', 'true', true], ['le `xy` `xyz`', 'true', true], ['le `xyz` `xy`', 'false', true],
    ['gt 1.5 1.5', 'false', true], ['gt 1.5 2.5', 'false', true], ['gt 1 1', 'false', true], ['gt 2 1', 'true', true], ['gt 1 2', 'false', true],
    ['gt `xy` `xy`', 'false', true], ['gt `xy` `xyz`', 'false', true], ['gt .Ufour .Uthree', 'true', true],
    ['ge 1.5 1.5', 'true', true], ['ge 1.5 2.5', 'false', true], ['ge 2.5 1.5', 'true', true], ['ge 1 1', 'true', true],
    ['ge 1 2', 'false', true], ['ge 2 1', 'true', true], ['ge `xy` `xy`', 'true', true], ['ge `xy` `xyz`', 'false', true], ['ge `xyz` `xy`', 'true', true],
    ['eq .Uthree .Three', 'true', true], ['lt .NegOne .Uthree', 'true', true], ['gt .Uthree .NegOne', 'true', true],
    ["eq (index `x` 0) 'x'", 'true', true], ["eq (index `x` 0) 'y'", 'false', true],
    // Errors
    ['eq `xy` 1', '', false],
    ['lt true true', '', false],
  ];
  for (const [expr, want, ok] of cases) {
    it(expr, () => {
      const t = new GoTemplate(`{{if ${expr}}}true{{else}}false{{end}}`);
      if (!ok) expect(() => t.execute(cmp)).toThrow();
      else expect(t.execute(cmp)).toBe(want);
    });
  }
  it('deliberate difference: numbers compare across int and float (Go: incompatible types)', () => {
    expect(new GoTemplate('{{eq 2 2.0}}').execute(null)).toBe('true');
  });
});

describe('trimming, comments, define/template/block, errors', () => {
  it('trim markers', () => {
    expect(new GoTemplate('{{23 -}} < {{- 45}}').execute(null)).toBe('23<45');
    expect(new GoTemplate('x  \n {{- "y" -}} \n\t z').execute(null)).toBe('xyz');
    expect(new GoTemplate('{{- /* comment */ -}}  a').execute(null)).toBe('a');
    expect(new GoTemplate('a{{/* c */}}b').execute(null)).toBe('ab');
  });
  it('-3 is a number, not a trim marker', () => {
    expect(new GoTemplate('{{-3}}').execute(null)).toBe('-3');
  });
  it('define / template / block (the tree example)', () => {
    const tree = { Val: 1, Left: { Val: 2, Left: { Val: 3, Left: null, Right: null }, Right: null }, Right: { Val: 7, Left: null, Right: null } };
    const src = '{{define "tree"}}[{{.Val}}{{with .Left}}{{template "tree" .}}{{end}}{{with .Right}}{{template "tree" .}}{{end}}]{{end}}{{template "tree" .}}';
    expect(new GoTemplate(src).execute(tree)).toBe('[1[2[3]][7]]');
    expect(new GoTemplate('{{block "b" .}}[{{.}}]{{end}}').execute(5)).toBe('[5]');
  });
  it('TestExecError: the position and context of a nested error', () => {
    const text = 'line 1\nline 2\nline 3\n{{template "one" .}}\n{{define "one"}}{{template "two" .}}{{end}}\n{{define "two"}}{{template "three" .}}{{end}}\n{{define "three"}}{{index "hi" $}}{{end}}';
    // Go names the template being executed ("three"); this engine names the top template.
    expect(() => new GoTemplate(text, { name: 'top' }).execute(5)).toThrow(/template: top:7:20: executing "top" at <index>: error calling index: index out of range: 5/);
  });
  it('TestMissingMapKey: <no value> by default, an error with missingkey=error', () => {
    expect(new GoTemplate('{{.x}} {{.y}}').execute({ x: 99 })).toBe('99 <no value>');
    expect(() => new GoTemplate('{{.x}} {{.y}}', { allowMissingKeys: false }).execute({ x: 99 })).toThrow('map has no entry for key "y"');
    expect(() => new GoTemplate('{{.x}}', { allowMissingKeys: false }).execute(null)).toThrow('nil data; no entry for key "x"');
  });
  it('TestExecuteGivesExecError: field on a non-map', () => {
    expect(() => new GoTemplate('hello, {{.X.Y}}').execute(0)).toThrow('field X in type int');
  });
  it('parse errors are one line with Go\'s message', () => {
    expect(() => new GoTemplate('{{.x')).toThrow('template: output:1: unclosed action');
    expect(() => new GoTemplate('{{foo .x}}')).toThrow('template: output:1: function "foo" not defined');
    expect(() => new GoTemplate('{{if .x}}a')).toThrow('template: output:1: unexpected EOF');
    expect(() => new GoTemplate('{{end}}')).toThrow('template: output:1: unexpected {{end}}');
    expect(() => new GoTemplate('{{$x}}')).toThrow('template: output:1: undefined variable "$x"');
    expect(() => new GoTemplate('a\n{{break}}')).toThrow('template: output:2: {{break}} outside {{range}}');
    expect(() => new GoTemplate('hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n')).toThrow('output:3: unterminated raw quoted string');
  });
});

describe('printf verbs', () => {
  const cases: [string, unknown[], string][] = [
    ['%s', ['a'], 'a'],
    ['%q', ['a"b'], '"a\\"b"'],
    ['%d', [42], '42'],
    ['%5d|%-5d|%05d', [42, 42, 42], '   42|42   |00042'],
    ['%v %v %v', [1, 'x', [1, 2]], '1 x [1 2]'],
    ['%.2f', [3.14159], '3.14'],
    ['%x %X %o %b', [255, 255, 8, 5], 'ff FF 10 101'],
    ['%t', [true], 'true'],
    ['%c', [65], 'A'],
    ['%e', [1234.5678], '1.234568e+03'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s %s', ['a'], 'a %!s(MISSING)'],
    ['%s', ['a', 'b'], 'a%!(EXTRA string=b)'],
    ['100%%', [], '100%'],
    ['%10s|', ['right'], '     right|'],
    ['%-10s|', ['left'], 'left      |'],
  ];
  for (const [f, args, want] of cases) it(`${f} ${JSON.stringify(args)}`, () => expect(sprintf(f, args)).toBe(want));
});

describe('kubectl printers/template_test.go and kubectl usage', () => {
  it('support base64 decoding of secret data', () => {
    expect(new GoTemplate('{{ .data.username | base64decode }}').execute({ data: { username: Buffer.from('hunter').toString('base64') } })).toBe('hunter');
  });
  it('test error path for base64 decoding', () => {
    expect(() => new GoTemplate('{{ .data.username | base64decode }}').execute({ data: { username: 'not base64!' } })).toThrow('base64 decode');
  });
  it("template 'eq' should not throw error for numbers", () => {
    expect(new GoTemplate('{{ eq .count 1}}').execute({ count: 1 })).toBe('true');
  });
  it('exists', () => {
    const pod = { status: { containerStatuses: [{ name: 'a' }] }, metadata: { name: 'p', labels: null } };
    expect(new GoTemplate('{{exists . "status" "containerStatuses"}}').execute(pod)).toBe('true');
    expect(new GoTemplate('{{exists . "status" "containerStatuses" 0 "name"}}').execute(pod)).toBe('true');
    expect(new GoTemplate('{{exists . "status" "containerStatuses" 1}}').execute(pod)).toBe('false');
    expect(new GoTemplate('{{exists . "spec"}}').execute(pod)).toBe('false');
    expect(new GoTemplate('{{exists . "metadata" "labels"}}').execute(pod)).toBe('false');
  });
  it('a List of pods', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ metadata: { name: 'a', labels: { app: 'x' } } }, { metadata: { name: 'b' } }] };
    const t = '{{range .items}}{{.metadata.name}}{{if .metadata.labels}} {{.metadata.labels.app}}{{end}}{{"\\n"}}{{end}}';
    expect(new GoTemplate(t).execute(list)).toBe('a x\nb\n');
    expect(new GoTemplate('{{range $i, $p := .items}}{{$i}}:{{$p.metadata.name}} {{end}}').execute(list)).toBe('0:a 1:b ');
    expect(new GoTemplate('{{len .items}}').execute(list)).toBe('2');
  });
  it('numbers print as kubectl does (JSON integers are int64)', () => {
    expect(new GoTemplate('{{.spec.replicas}} {{.x}}').execute({ spec: { replicas: 1000000 }, x: 1234567.5 })).toBe('1000000 1.2345675e+06');
  });
  it('a runaway template is bounded', () => {
    expect(() => new GoTemplate('{{range 1000000}}xxxxxxxxxx{{end}}', { maxOutput: 1000 }).execute(null)).toThrow('output larger than 1000 bytes');
  });
});
