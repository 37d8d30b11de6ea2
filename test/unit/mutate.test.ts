import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, parsePatch, parsePatchType } from '../../src/operate/patch';
import { createMergePatch, parseDryRun } from '../../src/operate/patch-common';
import { labelValueErrors, parseLabelArgs, qualifiedNameErrors } from '../../src/operate/label-annotate';
import { completeDelete, parseCascade } from '../../src/operate/delete';

describe('JSON merge patch (RFC 7386 appendix A cases)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, want) => {
    expect(applyMergePatch(target, patch)).toEqual(want);
  });

  it('createMergePatch is the inverse: applying it gives the new object', () => {
    const a = { metadata: { labels: { x: '1', y: '2' }, name: 'n' }, spec: { r: 1 } };
    const b = { metadata: { labels: { x: '1', z: '3' }, name: 'n' }, spec: { r: 1 } };
    const p = createMergePatch(a, b);
    expect(p).toEqual({ metadata: { labels: { y: null, z: '3' } } });
    expect(applyMergePatch(a, p)).toEqual(b);
  });
});

describe('JSON patch (RFC 6902 appendix A cases)', () => {
  it.each([
    [{ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    [{ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    [{ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    [{ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    [{ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [{ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    [{ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [{ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    [{ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
  ])('%j with %j', (doc, ops, want) => {
    expect(applyJsonPatch(doc, ops)).toEqual(want);
  });

  it('failures: a missing path, a failed test', () => {
    expect(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toThrow(/testing value \/baz failed/);
  });
});

describe('flag and argument parsing (kubectl texts)', () => {
  it('patch type and patch shape', () => {
    expect(parsePatchType('')).toBe('strategic');
    expect(parsePatchType('JSON')).toBe('json');
    expect(() => parsePatchType('x')).toThrow('--type must be one of [json merge strategic], not "x"');
    expect(parsePatch('spec:\n  replicas: 2', 'strategic')).toEqual({ spec: { replicas: 2 } });
    expect(() => parsePatch('{"a":1}', 'json')).toThrow(/a JSON patch is an array of operations/);
  });

  it('dry-run and cascade bool forms are deprecated but accepted', () => {
    expect(parseDryRun('true')).toEqual({ dryRun: 'client', warning: '--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.' });
    expect(parseCascade('true')).toEqual({ cascade: 'background', warning: '--cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.' });
    expect(parseCascade('foreground').cascade).toBe('foreground');
  });

  it('grace period: --now is 1, --force alone is 0, 0 without --force becomes 1', () => {
    const base = { now: false, gracePeriod: -1, force: false, all: false, labelSelector: '', fieldSelector: '', interactive: false, dryRun: 'none' as const, output: '', args: ['deploy', 'x'], filenames: [] };
    expect(completeDelete({ ...base, now: true }).gracePeriod).toBe(1);
    expect(completeDelete({ ...base, force: true }).gracePeriod).toBe(0);
    expect(completeDelete({ ...base, gracePeriod: 0 }).gracePeriod).toBe(1);
    expect(completeDelete({ ...base, gracePeriod: 30 }).gracePeriod).toBe(30);
  });

  it('label values and keys as the API server validates them', () => {
    expect(labelValueErrors('')).toEqual([]);
    expect(labelValueErrors('my_value.1')).toEqual([]);
    expect(labelValueErrors('-bad')).toHaveLength(1);
    expect(labelValueErrors('x'.repeat(64))).toContain('must be no more than 63 characters');
    expect(qualifiedNameErrors('resourcetemplate.karmada.io/deletion-protected')).toEqual([]);
    expect(qualifiedNameErrors('Example.com/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(qualifiedNameErrors('a/b/c')).toHaveLength(1);
  });

  it('pairs after resources; annotation values keep their "="', () => {
    expect(parseLabelArgs('annotation', ['deploy', 'x', 'a=b=c', 'd-'], { list: false, filenames: false })).toEqual({ resources: ['deploy', 'x'], set: { a: 'b=c' }, remove: ['d'] });
    expect(() => parseLabelArgs('annotation', ['deploy', 'x', 'nopair'], { list: false, filenames: false })).toThrow('at least one annotation update is required');
  });
});
