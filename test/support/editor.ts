/**
 * A scripted editor for `edit` tests: a small node script used as $KUBE_EDITOR. Each launch takes
 * the next step of EDITOR_STEPS (JSON list) — `{replace: [from, to]}` (every occurrence; a regular
 * expression source), `{write: text}`, `{exit: n}`, `{keep: true}` — and copies the file it was
 * given (before changing it) into EDITOR_LOG as seen-<n>.
 */
import { mkdtemp, readdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type EditorStep = { replace: [string, string] } | { write: string } | { exit: number } | { keep: true };

const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const file = process.argv[process.argv.length - 1];
const log = process.env.EDITOR_LOG;
const n = fs.readdirSync(log).filter((f) => f.startsWith('seen-')).length;
const before = fs.readFileSync(file, 'utf8');
fs.writeFileSync(path.join(log, 'seen-' + n), before);
fs.writeFileSync(path.join(log, 'path-' + n), file + '\\n' + (fs.statSync(file).mode & 0o777).toString(8));
const step = JSON.parse(process.env.EDITOR_STEPS)[n] || { keep: true };
if (step.exit !== undefined) process.exit(step.exit);
if (step.write !== undefined) fs.writeFileSync(file, step.write);
if (step.replace) fs.writeFileSync(file, before.replace(new RegExp(step.replace[0], 'g'), step.replace[1]));
`;

export interface ScriptedEditor {
  env(steps: EditorStep[]): Record<string, string>;
  /** The files the editor was given, in order. */
  seen(): Promise<string[]>;
  /** Path and octal mode of each file given. */
  paths(): Promise<{ path: string; mode: string }[]>;
}

export async function scriptedEditor(): Promise<ScriptedEditor> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'editor-'));
  const script = path.join(dir, 'editor.cjs');
  await writeFile(script, SCRIPT);
  await chmod(script, 0o755);
  let log = '';
  const list = async (prefix: string) => {
    const names = (await readdir(log)).filter((f) => f.startsWith(prefix)).sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
    return Promise.all(names.map((n) => readFile(path.join(log, n), 'utf8')));
  };
  return {
    env(steps) {
      log = `${dir}/log-${Math.random().toString(36).slice(2)}`;
      mkdirSync(log);
      return { EDITOR_STEPS: JSON.stringify(steps), EDITOR_LOG: log, KUBE_EDITOR: `${process.execPath} ${script}`, PATH: process.env.PATH ?? '', TMPDIR: dir };
    },
    seen: () => list('seen-'),
    paths: async () => (await list('path-')).map((t) => ({ path: t.split('\n')[0], mode: t.split('\n')[1] })),
  };
}
