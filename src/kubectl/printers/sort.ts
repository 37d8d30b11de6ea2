/**
 * kubectl's --sort-by (pkg/cmd/get/sorter.go): the field is a (relaxed) jsonpath evaluated with
 * missing keys allowed; objects without the field sort first; numbers numerically; two strings
 * that both parse as quantities by quantity, else in natural order (`a2` < `a10`); stable.
 * Tables are sorted by their rows' objects (request the Table with `includeObject=Object`).
 */
import { naturalLess } from '../format/naturalsort';
import { Quantity } from '../format/quantity';
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from './jsonpath';
import { PrintError } from './printer';
import type { Table, TableRow } from './table';

function compileSortField(sortBy: string): { parser: JSONPath; field: string } {
  try {
    const field = relaxedJSONPathExpression(sortBy);
    return { parser: new JSONPath(field, { allowMissingKeys: true }), field };
  } catch (e) {
    if (e instanceof JSONPathError) throw new PrintError(`error parsing --sort-by ${sortBy}, ${e.message}`);
    throw e;
  }
}

const MISSING = Symbol('missing');

function firstValue(parser: JSONPath, obj: unknown): unknown {
  let sets: unknown[][];
  try {
    sets = parser.findResults(obj);
  } catch {
    return MISSING;
  }
  if (sets.length === 0 || sets[0].length === 0) return MISSING;
  return sets[0][0];
}

function rank(v: unknown): number {
  if (v === MISSING || v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** kubectl's isLess, made a total order (-1/0/1) so that the stable sort is deterministic. */
export function compareSortValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return (a as number) - (b as number) || 0;
    case 3: {
      const sa = a as string;
      const sb = b as string;
      const qa = Quantity.tryParse(sa);
      const qb = qa ? Quantity.tryParse(sb) : undefined;
      if (qa && qb) return qa.cmp(qb);
      if (sa === sb) return 0;
      return naturalLess(sa, sb) ? -1 : naturalLess(sb, sa) ? 1 : 0;
    }
    case 4: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareSortValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length - xb.length;
    }
    default:
      return 0;
  }
}

function sortBy<T>(items: T[], sortByField: string, get: (t: T) => unknown): T[] {
  if (sortByField === '' || items.length === 0) return items.slice();
  const { parser, field } = compileSortField(sortByField);
  const keyed = items.map((item, i) => ({ item, i, v: firstValue(parser, get(item)) }));
  if (keyed.every((k) => k.v === MISSING)) {
    throw new PrintError(`couldn't find any field with path "${field}" in the list of objects`);
  }
  keyed.sort((x, y) => compareSortValues(x.v, y.v) || x.i - y.i);
  return keyed.map((k) => k.item);
}

/** Objects sorted by --sort-by (a new array; the input is not changed). */
export function sortObjects<T>(items: T[], sortByField: string): T[] {
  return sortBy(items, sortByField, (t) => t);
}

/** A Table whose rows are sorted by --sort-by, evaluated on rows[].object. */
export function sortTableRows<R extends TableRow>(table: Table<R>, sortByField: string): Table<R> {
  return { ...table, rows: sortBy(table.rows, sortByField, (r) => r.object ?? {}) };
}
