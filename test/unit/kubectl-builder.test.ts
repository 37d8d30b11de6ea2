import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseObjects, parseResourceArgs, readFilenames } from '../../src/kubectl/builder';

describe('resource builder: arguments', () => {
  it('kubectl forms', () => {
    expect(parseResourceArgs(['deploy'])).toEqual({ types: ['deploy'], names: [] });
    expect(parseResourceArgs(['deploy', 'a', 'b'])).toEqual({ types: ['deploy'], names: ['a', 'b'] });
    expect(parseResourceArgs(['rs,svc'])).toEqual({ types: ['rs', 'svc'], names: [] });
    expect(parseResourceArgs(['rs/a', 'svc/b'])).toEqual({ pairs: [{ type: 'rs', name: 'a' }, { type: 'svc', name: 'b' }] });
  });
  it('kubectl errors', () => {
    expect(() => parseResourceArgs([])).toThrow(/^You must provide one or more resources by argument or filename$/);
    expect(() => parseResourceArgs(['rs,svc', 'x'])).toThrow('you must specify only one resource');
    expect(() => parseResourceArgs(['rs/a/b'])).toThrow('arguments in resource/name form must have a single resource and name');
    expect(() => parseResourceArgs(['rs', 'x'], { selector: 'a=b' })).toThrow('name cannot be provided when a selector is specified');
  });
});

describe('resource builder: -f', () => {
  it('files, directories (-R), stdin; YAML streams and Lists flattened', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-builder-'));
    await writeFile(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n');
    await writeFile(path.join(dir, 'skip.txt'), 'not a manifest');
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'b.json'), JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' } }));
    const flat = await readFilenames([dir], { cwd: '/' });
    expect(flat.flatMap((s) => s.objects.map((o) => o.metadata.name))).toEqual(['a', 's']);
    const rec = await readFilenames([dir], { cwd: '/', recursive: true });
    expect(rec.flatMap((s) => s.objects.map((o) => `${o.kind}/${o.metadata.name}`))).toEqual(['ConfigMap/a', 'Secret/s', 'Deployment/b']);
    const stdin = await readFilenames(['-'], { cwd: '/', stdin: Readable.from(['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n']) });
    expect(stdin[0]).toMatchObject({ source: 'STDIN', objects: [{ kind: 'Pod' }] });
    await expect(readFilenames(['nope.yaml'], { cwd: dir })).rejects.toThrow('the path "nope.yaml" does not exist');
  });
  it('objects without apiVersion/kind and bad YAML are one-line errors', () => {
    expect(() => parseObjects('metadata: {name: x}\n', 'f.yaml')).toThrow('error validating data from f.yaml: apiVersion or kind not set');
    expect(() => parseObjects('a: [\n', 'f.yaml')).toThrow(/^error parsing f\.yaml: /);
  });
});
