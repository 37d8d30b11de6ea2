/**
 * Karmada's 27 built-in third-party customizations with their 564 test cases
 * (../shared/fixtures/karmada-resourcecustomizations-v1.18.2.tar.gz), each run through the
 * interpreter in-process and compared as Karmada's own harness does (spec §7.12): quantities by
 * value, dependencies and components sorted, `{{EXCLUDE}}` fields removed. Cases that do not pass
 * are listed with the reason in test/fixtures/interpret-corpus-failures.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseDocs, YAML_INPUT } from '../../src/operate/interpret';
import { runRule, ruleByName, scriptsFor, RESULT_NAMES } from '../../src/interpret/rules';
import { Quantity } from '../../src/kubectl/format/quantity';

const TARBALL = path.resolve('../shared/fixtures/karmada-resourcecustomizations-v1.18.2.tar.gz');
const dir = mkdtempSync(path.join(tmpdir(), 'interpret-corpus-'));
execFileSync('tar', ['xzf', TARBALL, '-C', dir]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Case { kindDir: string; file: string; name: string; doc: Obj }

function walk(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
}
const files = walk(path.join(dir, 'resourcecustomizations'));
const cases: Case[] = [];
for (const f of files.filter((f) => f.includes(`${path.sep}testdata${path.sep}`)).sort()) {
  const kindDir = path.dirname(path.dirname(f));
  for (const doc of // not parseDocs: it rejects the two Bucket files (see the failures fixture) and the cases must be counted
    parseAllDocuments(readFileSync(f, 'utf8'), YAML_INPUT).map((d) => d.toJS() as Obj)) {
    if (doc) cases.push({ kindDir, file: path.relative(path.join(dir, 'resourcecustomizations'), f), name: String(doc.name), doc });
  }
}

const failuresFixture: { file: string; name: string; reason: string }[] = JSON.parse(readFileSync(path.resolve('test/fixtures/interpret-corpus-failures.json'), 'utf8'));
const knownFailure = (c: Case) => failuresFixture.find((f) => f.file === c.file && f.name === c.name);

/** Normalizes for comparison: quantity-looking strings compare by value. */
function quantityEqual(a: unknown, b: unknown): boolean {
  const qa = typeof a === 'number' || typeof a === 'string' ? Quantity.tryParse(String(a)) : undefined;
  const qb = typeof b === 'number' || typeof b === 'string' ? Quantity.tryParse(String(b)) : undefined;
  return !!qa && !!qb && qa.cmp(qb) === 0;
}
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (quantityEqual(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as Obj).filter((k) => (a as Obj)[k] !== null && (a as Obj)[k] !== undefined);
    const kb = Object.keys(b as Obj).filter((k) => (b as Obj)[k] !== null && (b as Obj)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
  }
  return false;
}
/** Removes every field whose expected value is "{{EXCLUDE}}" from both sides (same path). */
function exclude(expected: unknown, actual: unknown): void {
  if (!expected || typeof expected !== 'object' || !actual || typeof actual !== 'object') return;
  for (const k of Object.keys(expected as Obj)) {
    const e = (expected as Obj)[k];
    if (e === '{{EXCLUDE}}') {
      delete (expected as Obj)[k];
      delete (actual as Obj)[k];
    } else exclude(e, (actual as Obj)[k]);
  }
}
const depKey = (d: Obj) => [d.apiVersion, d.kind, d.namespace ?? '', d.name ?? ''].join('\u0000');

/** Runs one case; returns undefined when it passes, else the reason. */
function runCase(c: Case): string | undefined {
  const customization = parseDocs(readFileSync(path.join(c.kindDir, 'customizations.yaml'), 'utf8'), 'customizations.yaml')[0];
  const rule = ruleByName(String(c.doc.operation));
  if (!rule) return `unknown operation ${c.doc.operation}`;
  const obj = (c.doc.desiredObj ?? c.doc.observedObj) as Obj;
  const scripts = scriptsFor([customization], obj.apiVersion, obj.kind, rule);
  if (!scripts.length) return 'rule is not enabled';
  let results: unknown[];
  try {
    results = runRule(rule, scripts, {
      desired: rule === 'Retain' ? c.doc.desiredObj : c.doc.desiredObj,
      observed: rule === 'Retain' ? c.doc.observedObj : c.doc.desiredObj ? undefined : c.doc.observedObj,
      statusItems: c.doc.statusItems ?? null,
      desiredReplica: c.doc.inputReplicas,
      // semantics, not timing: a loaded machine must not turn a case into a deadline error
    }, { timeoutMs: 10_000 });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  const names = RESULT_NAMES[rule];
  for (const [key, want] of Object.entries((c.doc.output ?? {}) as Obj)) {
    const i = names.indexOf(key);
    if (i < 0) return `result ${key} not produced`;
    let got = JSON.parse(JSON.stringify(results[i] ?? null));
    let exp = JSON.parse(JSON.stringify(want ?? null));
    if (key === 'dependencies') {
      got = Array.isArray(got) ? [...got].sort((a, b) => (depKey(a) < depKey(b) ? -1 : 1)) : got;
      exp = Array.isArray(exp) ? [...exp].sort((a, b) => (depKey(a) < depKey(b) ? -1 : 1)) : exp;
    }
    if (key === 'components') {
      const byName = (a: Obj, b: Obj) => (String(a.name) < String(b.name) ? -1 : 1);
      got = Array.isArray(got) ? [...got].sort(byName) : got;
      exp = Array.isArray(exp) ? [...exp].sort(byName) : exp;
    }
    exclude(exp, got);
    if (!deepEqual(got, exp)) return `${key}: got ${JSON.stringify(got)}, want ${JSON.stringify(exp)}`;
  }
  return undefined;
}

describe('interpret: Karmada v1.18.2 third-party customization corpus', () => {
  const outcome = cases.map((c) => ({ c, reason: runCase(c) }));
  const failing = outcome.filter((o) => o.reason);

  it('has the 27 kinds and 564 cases of the corpus', () => {
    expect(files.filter((f) => f.endsWith('customizations.yaml')).length).toBe(27);
    expect(cases.length).toBe(564);
  });

  it('every case passes except those listed (with reasons) in the failures fixture', () => {
    if (process.env.INTERPRET_CORPUS_REPORT) {
      console.log(`${cases.length - failing.length}/${cases.length} pass`);
      console.log(JSON.stringify(failing.map((o) => ({ file: o.c.file, name: o.c.name, reason: o.reason })), null, 2));
    }
    const unexpected = failing.filter((o) => !knownFailure(o.c)).map((o) => `${o.c.file} / ${o.c.name}: ${o.reason}`);
    expect(unexpected).toEqual([]);
    // a listed case that passes now must leave the list
    const fixed = failuresFixture.filter((f) => !failing.some((o) => o.c.file === f.file && o.c.name === f.name));
    expect(fixed).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.file} / ${c.name}`, c] as const))('%s', (_n, c) => {
    const reason = runCase(c);
    if (knownFailure(c)) expect(reason).toBeDefined();
    else expect(reason).toBeUndefined();
  });
});
