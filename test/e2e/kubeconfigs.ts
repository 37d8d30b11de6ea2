import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/** Several kubeconfigs in one file (first wins on name clashes), with the given current context. */
export function mergeKubeconfigs(file: string, texts: string[], current: string): string {
  const docs = texts.map((t) => parse(t));
  const uniq = <T extends { name: string }>(xs: T[]) => xs.filter((x, i) => xs.findIndex((y) => y.name === x.name) === i);
  writeFileSync(
    file,
    stringify({ apiVersion: 'v1', kind: 'Config', clusters: uniq(docs.flatMap((d) => d.clusters ?? [])), users: uniq(docs.flatMap((d) => d.users ?? [])), contexts: uniq(docs.flatMap((d) => d.contexts ?? [])), 'current-context': current }),
    { mode: 0o600 },
  );
  return file;
}
