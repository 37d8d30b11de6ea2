/**
 * Differential test against the reference: the Go karmadactl v1.18.2 built by the e2e script
 * (~/.cache/karmadactl-e2e/bin/karmadactl) prints objects offline with
 * `create … --dry-run=client -o <format>`. Its `-o json` output is the object; every other format
 * printed by our printers must equal the Go binary's bytes. Skipped when the binary is absent.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrinter, parsePrintFlags } from '../../src/kubectl/printers';
import { goJSON } from '../../src/kubectl/printers/gojson';
import { goYamlStringify } from '../../src/kubectl/printers/goyaml';
import { kyamlStringify } from '../../src/kubectl/printers/kyaml';
import { goBin } from '../support/go-bin';

const BIN = goBin('karmadactl');
const have = existsSync(BIN);

const dir = mkdtempSync(join(tmpdir(), 'printers-ref-'));
const kubeconfig = join(dir, 'config');
writeFileSync(
  kubeconfig,
  'apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "https://127.0.0.1:1"}\n  name: c\ncontexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n',
);

function go(args: string[], output: string): string {
  return execFileSync(BIN, [...args, '--dry-run=client', '-o', output, '--kubeconfig', kubeconfig], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

// The reference's outputs, fetched four at a time while the tests run (2-core machines).
let running = 0;
const queue: (() => void)[] = [];
function goAsync(args: string[], output: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const start = () => {
      running++;
      execFile(BIN, [...args, '--dry-run=client', '-o', output, '--kubeconfig', kubeconfig], { encoding: 'utf8', timeout: 30_000 }, (err, stdout) => {
        running--;
        queue.shift()?.();
        if (err) reject(err);
        else resolve(stdout);
      });
    };
    if (running < 4) start();
    else queue.push(start);
  });
}

const literals: Record<string, string> = {
  plain: 'value',
  bool: 'true',
  yes: 'yes',
  octal: '0777',
  exp: '1e3',
  date: '2024-01-01',
  stamp: '2024-01-01T00:00:00Z',
  sexagesimal: '1:20',
  colon: 'x: y',
  hash: '#x',
  innerhash: 'a #b',
  apos: "it's",
  quote: 'say "hi"',
  backslash: 'back\\slash',
  lead: ' lead',
  trail: 'trail ',
  dash: '- item',
  multi: 'line1\nline2\n',
  multinoeol: 'line1\nline2',
  keep: 'a\n\n',
  indented: '  indented\nnext\n',
  tab: 'a\tb',
  html: '<b>&amp;</b>',
  unicode: 'héllo wörld €',
  emoji: 'smile 😀',
  nbsp: 'a\u00a0b',
  empty: '',
  tilde: '~',
  nullish: 'null',
  long: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  longquoted: '"quoted" and long text that goes on and on and on past the eightieth column of the line for sure yes',
  item10: 'b',
  item9: 'a',
  _x: 'c',
  A: 'd',
  'a.b': 'e',
  'a-b': 'f',
  '1x': 'g',
  esc: 'a\x1bb',
  cr: 'a\rb',
  soh: 'a\x01b',
  bom: 'a\ufeffb',
  zwsp: 'a\u200bb',
  multitab: 'x\ty\n',
  leadmulti: '  lead\nx',
};
// Left out on purpose: U+0085 and U+2028/U+2029 (the reference's own JSON→YAML step turns them into
// line breaks, so its YAML is not a faithful rendering), DEL (its YAML step rejects it).

const lookalikes = ['0x1F', '+1', '1_000', '.5', '1.', '-', '-1', 'null ', 'Yes', 'off', 'OFF', '=', '<<', '0o17', '08', '1e', 'e3', 'inf', '.inf', 'NaN', '.NaN',
  '1:2:3', '12:30', '2024-1-1', '2024-01-01 10:00:00', '2024-01-01t10:00:00Z', '0b101', '-0b101', '~', 'y', 'n', 'Y', 'N', '? q', ': c', '@at', '`tick', '%pct', '!bang',
  '&amp', '*star', '|pipe', '>gt', '[x]', '{x}', 'a,b', 'a: ', 'x #y', '---', '...', 'a\\', '0.0', '-0', '1e+3', '123456789012345678901234567890'];
const cases: [string, string[]][] = [
  ['configmap with YAML 1.1 look-alikes', ['create', 'configmap', 'look', ...lookalikes.map((v, i) => `--from-literal=k${i}=${v}`)]],
  ['configmap with tricky strings', ['create', 'configmap', 'cm', ...Object.entries(literals).map(([k, v]) => `--from-literal=${k}=${v}`)]],
  ['deployment', ['create', 'deployment', 'd', '--image=nginx:1.25', '--replicas=3', '--port=80']],
  ['service', ['create', 'service', 'nodeport', 'svc', '--tcp=80:8080', '--node-port=30080']],
  ['secret', ['create', 'secret', 'generic', 's', '--from-literal=password=s3cr3t', '--from-literal=user=admin']],
];

describe.skipIf(!have)('printers against the Go karmadactl v1.18.2 (offline --dry-run=client)', () => {
  it('bad -o, templates and jsonpaths: the same one-line messages as the reference', () => {
    const args = ['create', 'configmap', 'cm'];
    const formats = ['go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'kyaml', 'name', 'template', 'templatefile', 'yaml'];
    for (const o of ['xml', 'jsonpath={.x', 'go-template={{.x', 'go-template={{nope}}', 'jsonpath', 'go-template', 'template={{if .a}}', 'jsonpath={.a[?(@.x=="y"}']) {
      let stderr = '';
      try {
        go(args, o);
      } catch (e) {
        stderr = String((e as { stderr?: string }).stderr);
      }
      let ours = '';
      try {
        parsePrintFlags({ output: o }, { formats });
      } catch (e) {
        ours = (e as Error).message;
      }
      expect(`error: ${ours}\n`).toBe(stderr);
    }
  });

  it('deliberate difference: a numeric jsonpath filter works (the reference fails with "incompatible types for comparison")', async () => {
    const args = ['create', 'service', 'nodeport', 'svc', '--tcp=80:8080', '--node-port=30080'];
    const out = 'jsonpath={.spec.ports[?(@.port==80)].nodePort}';
    expect(() => go(args, out)).toThrow(/incompatible types for comparison/);
    const p = await createPrinter(parsePrintFlags({ output: out }));
    expect(p.printObject(JSON.parse(go(args, 'json')))).toBe('30080');
  });

  for (const [name, args] of cases) {
    describe(name, () => {
      const json = have ? go(args, 'json') : '{}';
      const obj = JSON.parse(json);
      it('json (typed objects keep struct order; escaping and numbers as Go)', () => {
        expect(goJSON(obj, '    ', false) + '\n').toBe(json);
      });
      const yaml = have ? goAsync(args, 'yaml') : Promise.resolve('');
      const kyaml = have ? goAsync(args, 'kyaml') : Promise.resolve('');
      it('yaml', async () => {
        expect(goYamlStringify(obj)).toBe(await yaml);
      });
      it('kyaml', async () => {
        expect(kyamlStringify(obj, { sortKeys: false })).toBe(await kyaml);
      });
      for (const out of [
        'name',
        'jsonpath={.metadata.name} {.kind} {.metadata}',
        'jsonpath={.data}',
        'jsonpath-as-json={.metadata}',
        'jsonpath={range .spec.template.spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}',
        'go-template={{.metadata.name}} {{.kind}} {{len .metadata}} {{.metadata.nothing}}',
        'go-template={{range $k, $v := .data}}{{$k}}={{printf "%q" $v}};{{end}}',
        'go-template={{printf "%5s|%-5s|%05d|%x|%v|%T|%T" "a" "b" 42 255 .metadata .data .kind}}',
        'go-template={{.metadata}} {{.data}} {{.spec}}',
        'go-template={{index .metadata "name"}} {{len .metadata.name}} {{if eq .kind "ConfigMap" "Secret"}}cm-or-secret{{else if .spec}}spec{{else}}other{{end}}',
        'go-template={{with .data}}{{js .quote}}|{{html .html}}|{{urlquery .unicode}}|{{printf "%q" .unicode}}|{{printf "%q" .emoji}}|{{printf "%q" .nbsp}}{{end}}',
        'go-template={{range $i, $c := .spec.template.spec.containers}}{{$i}}:{{$c.name}}:{{range $c.ports}}{{.containerPort}}/{{.protocol}}{{end}}{{end}}',
        'go-template={{- range $k, $v := .metadata -}} {{ $k }} {{- end }}',
        'jsonpath={.spec.template.spec.containers[0].ports[*].containerPort} {.spec.ports[*].nodePort}',
        'jsonpath={.metadata.labels} {.spec.replicas} {.spec.template.spec.containers[-1:].name} {[\'kind\',\'apiVersion\']}',
        'jsonpath={.data.quote}{"\\t"}{.data.html}{"\\n"}{.data.emoji}',
        ...(name === 'secret' ? ['go-template={{range $k, $v := .data}}{{$k}}={{base64decode $v}};{{end}}'] : []),
      ]) {
        const pending = have ? goAsync(args, out) : Promise.resolve('');
        pending.catch(() => {});
        it(out, async () => {
          const want = await pending;
          const p = await createPrinter(parsePrintFlags({ output: out }));
          let got: string;
          try {
            got = p.printObject(obj);
          } catch (e) {
            got = `error: ${(e as Error).message}`;
          }
          expect(got).toBe(want);
        });
      }
    });
  }
});
