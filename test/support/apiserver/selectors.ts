/** Label selectors (=, ==, !=, in, notin, exists, !key) and the field selectors the CLI uses. */
type Req = (labels: Record<string, string>) => boolean;

function splitTerms(sel: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseLabelSelector(sel: string | null | undefined): Req {
  if (!sel) return () => true;
  const reqs: Req[] = splitTerms(sel).map((t) => {
    let m = /^([^!=\s]+)\s+(in|notin)\s+\((.*)\)$/.exec(t);
    if (m) {
      const [, k, op, vals] = m;
      const set = vals.split(',').map((v) => v.trim());
      return op === 'in' ? (l) => k in l && set.includes(l[k]) : (l) => !(k in l) || !set.includes(l[k]);
    }
    m = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(t);
    if (m) return (l) => l[m![1]] !== m![2].trim();
    m = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(t);
    if (m) return (l) => m![1] in l && l[m![1]] === m![2].trim();
    if (t.startsWith('!')) return (l) => !(t.slice(1) in l);
    return (l) => t in l;
  });
  return (labels) => reqs.every((r) => r(labels ?? {}));
}

export function parseFieldSelector(sel: string | null | undefined): (o: Record<string, any>) => boolean {
  if (!sel) return () => true;
  const reqs = splitTerms(sel).map((t) => {
    const neq = t.split('!=');
    const [path, value, negate] = neq.length === 2 ? [neq[0], neq[1], true] : [...t.split(/==?/), false];
    const get = (o: Record<string, any>) => String(String(path).split('.').reduce<any>((c, k) => c?.[k], o) ?? '');
    return (o: Record<string, any>) => (get(o) === value) !== negate;
  });
  return (o) => reqs.every((r) => r(o));
}
