/**
 * `interpret --edit` text format (pkg/karmadactl/interpret/edit.go): a Lua file with `---@name:`,
 * `---@apiVersion:`, `---@kind:` and one `---@rule: <Rule>` section per rule; other `--` lines are
 * comments and dropped. Pure functions: the command runs the editor and writes the file.
 */
import { RULES, RULE_FIELD, ruleByName, scriptOf, type RuleName } from './rules';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HEADER = [
  "-- Please edit the object below. Lines beginning with a '--' will be ignored,",
  '-- and an empty file will abort the edit. If an error occurs while saving this file will be',
  '-- reopened with the relevant failures.',
  '--',
];

export function editText(c: Obj, errors: string[] = []): string {
  const lines = [...HEADER];
  for (const e of errors) lines.push(`-- ${e}`);
  lines.push(`---@name: ${c?.metadata?.name ?? ''}`);
  lines.push(`---@apiVersion: ${c?.spec?.target?.apiVersion ?? ''}`);
  lines.push(`---@kind: ${c?.spec?.target?.kind ?? ''}`);
  for (const rule of RULES) {
    lines.push(`---@rule: ${rule}`);
    const s = scriptOf(c, rule).replace(/\n+$/, '');
    if (s) lines.push(s);
  }
  return `${lines.join('\n')}\n`;
}

export interface Edited {
  name: string;
  apiVersion: string;
  kind: string;
  scripts: Partial<Record<RuleName, string>>;
}

/** Parses the edited text; throws Error with the reference's messages. */
export function parseEditText(text: string): Edited {
  const out: Edited = { name: '', apiVersion: '', kind: '', scripts: {} };
  let current: RuleName | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (current) out.scripts[current] = buf.join('\n').trim() ? `${buf.join('\n').replace(/\n+$/, '')}\n` : '';
    buf = [];
  };
  for (const line of text.split('\n')) {
    const m = /^---@(name|apiVersion|kind|rule):\s*(.*?)\s*$/.exec(line);
    if (m) {
      if (m[1] === 'rule') {
        flush();
        const r = ruleByName(m[2]);
        if (!r) throw new Error(`unknown rule "${m[2]}"`);
        current = r;
      } else out[m[1] as 'name' | 'apiVersion' | 'kind'] = m[2];
      continue;
    }
    if (line.startsWith('--')) continue;
    if (!current) {
      if (line.trim()) throw new Error(`unexpected line "${line}"`);
      continue;
    }
    buf.push(line);
  }
  flush();
  return out;
}

/** The customization with the edited fields applied (a new object). */
export function applyEdit(c: Obj, e: Edited): Obj {
  const out: Obj = JSON.parse(JSON.stringify(c ?? {}));
  out.apiVersion ??= 'config.karmada.io/v1alpha1';
  out.kind ??= 'ResourceInterpreterCustomization';
  out.metadata = { ...(out.metadata ?? {}), name: e.name };
  out.spec = out.spec ?? {};
  out.spec.target = { ...(out.spec.target ?? {}), apiVersion: e.apiVersion, kind: e.kind };
  const cz: Obj = { ...(out.spec.customizations ?? {}) };
  for (const rule of RULES) {
    if (!(rule in e.scripts)) continue;
    const s = e.scripts[rule] ?? '';
    if (s.trim()) cz[RULE_FIELD[rule]] = { ...(cz[RULE_FIELD[rule]] ?? {}), luaScript: s };
    else delete cz[RULE_FIELD[rule]];
  }
  out.spec.customizations = cz;
  return out;
}
