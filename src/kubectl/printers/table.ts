/**
 * kubectl's human-readable printer for server-side Tables (cli-runtime printers/tableprinter.go)
 * and its tabwriter (minwidth 6, padding 3, widths remembered across flushes).
 */
import { translateTimestampSince } from '../format/duration';
import { goSprint } from './gojson';

export interface TableColumnDefinition {
  name: string;
  type?: string;
  format?: string;
  description?: string;
  /** >0: shown only with -o wide. */
  priority?: number;
}

/** A row of a meta.k8s.io/v1 Table; `object` is the PartialObjectMetadata (or, with includeObject=Object, the full object). */
export interface TableRow {
  cells: unknown[];
  object?: KubeObjectLike | null;
  conditions?: unknown[];
}

export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string | null;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface Table<R extends TableRow = TableRow> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; [k: string]: unknown };
  columnDefinitions: TableColumnDefinition[];
  rows: R[];
}

/** A column the caller adds around the server's columns (get: CLUSTER, ADOPTION). */
export interface ExtraColumn<R extends TableRow = TableRow> {
  /** Header text as printed (upper-cased by the printer, like server columns). */
  name: string;
  /**
   * `start`: before the server's first column (after NAMESPACE and EVENT);
   * `afterName`: right after the server's first column (NAME);
   * `end`: after the server's columns (including the wide ones), before -L columns and LABELS.
   */
  position: 'start' | 'afterName' | 'end';
  /** >0: only with -o wide (like a server column's priority). */
  priority?: number;
  cell: (row: R) => unknown;
}

export interface TablePrintOptions<R extends TableRow = TableRow> {
  /** -o wide: show priority>0 columns. */
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  /** -A on a namespaced type: a NAMESPACE column first, from rows[].object.metadata.namespace. */
  withNamespace?: boolean;
  /** --show-kind (or several kinds in one run): the name cell becomes `<kind>.<group>/<name>`. */
  kind?: { kind: string; group?: string };
  extraColumns?: ExtraColumn<R>[];
}

/** kubectl's terminal escaping of a cell: ESC → `^[`, CR → `\r`; other C0/C1 controls as `^X`/`\u…`. */
export function escapeTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\t]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\x1b') return '^[';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * One cell as kubectl prints it: strings cut at the first newline/CR/FF (with `...`), other values
 * with Go's fmt (numbers as int64/float64), nil as `<none>`, control characters escaped.
 */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '<none>';
  if (typeof cell === 'string') {
    const b = cell.search(/[\f\n\r]/);
    return b >= 0 ? escapeTerminal(cell.slice(0, b)) + '...' : escapeTerminal(cell);
  }
  return escapeTerminal(goSprint(cell));
}

/** kubectl's label rendering for --show-labels: sorted `k=v,k2=v2`, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** -L headers: the last `/`-segment of each label key, upper-cased. */
export function labelColumnHeaders(labels: string[]): string[] {
  return labels.map((l) => {
    const parts = l.split('/');
    return parts[parts.length - 1].toUpperCase();
  });
}

function runeLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Go's text/tabwriter as kubectl configures it (liggitt/tabwriter: minwidth 6, tabwidth 4,
 * padding 3, pad ' ', RememberWidths). Every cell but the last of a line is a column cell.
 */
export class TabWriter {
  private widths: number[] = [];
  constructor(
    private readonly minwidth = 6,
    private readonly padding = 3,
    private readonly remember = true,
  ) {}

  /** Forget remembered widths (kubectl: SetRememberedWidths(nil) between resource types). */
  reset(): void {
    this.widths = [];
  }

  /** Formats lines (arrays of cells) into text, one `\n`-terminated line each. */
  format(lines: string[][]): string {
    const widths = this.remember ? this.widths : [];
    const cur: number[] = [];
    for (const l of lines) {
      for (let j = 0; j < l.length - 1; j++) {
        const w = Math.max(this.minwidth, runeLen(l[j]) + this.padding);
        if (!(cur[j] >= w)) cur[j] = w;
      }
    }
    for (let j = 0; j < cur.length; j++) if (!(widths[j] >= cur[j])) widths[j] = cur[j];
    if (this.remember) this.widths = widths;
    let out = '';
    for (const l of lines) {
      for (let j = 0; j < l.length; j++) {
        const c = l[j];
        out += j === l.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[j] - runeLen(c)));
      }
      out += '\n';
    }
    return out;
  }
}

/**
 * The human-readable table printer. Stateful like kubectl's: the header is printed once (for
 * watch), and column widths only grow until reset() (a new resource type).
 */
export class TablePrinter<R extends TableRow = TableRow> {
  private printedHeaders = false;
  private readonly tw = new TabWriter();
  constructor(readonly options: TablePrintOptions<R> = {}) {}

  /** A new resource type follows: print its header again, forget the widths. */
  reset(): void {
    this.printedHeaders = false;
    this.tw.reset();
  }

  /** Whether a header has been printed since the last reset(). */
  get headerPrinted(): boolean {
    return this.printedHeaders;
  }

  /**
   * The text for one Table (possibly '' for an empty one). `eventType` (watch with
   * --output-watch-events) adds kubectl's EVENT column before the server's columns.
   */
  print(table: Table<R>, o: { eventType?: string } = {}): string {
    const opts = this.options;
    const wide = Boolean(opts.wide);
    const shown = (p: number | undefined) => !p || wide;
    const defs = table.columnDefinitions ?? [];
    const serverIdx = defs.map((d, i) => (shown(d.priority) ? i : -1)).filter((i) => i >= 0);
    const extras = (opts.extraColumns ?? []).filter((c) => shown(c.priority));
    const starts = extras.filter((c) => c.position === 'start');
    const afterName = extras.filter((c) => c.position === 'afterName');
    const ends = extras.filter((c) => c.position === 'end');
    const labelCols = opts.labelColumns ?? [];
    const kindPrefix = opts.kind ? (opts.kind.group ? `${opts.kind.kind}.${opts.kind.group}` : opts.kind.kind).toLowerCase() : '';
    const hasEvent = o.eventType !== undefined;

    const lines: string[][] = [];
    if (!opts.noHeaders && !this.printedHeaders) {
      // kubectl: no header for a table without rows.
      if (table.rows.length === 0) return '';
      const h: string[] = [];
      if (opts.withNamespace) h.push('NAMESPACE');
      if (hasEvent) h.push('EVENT');
      for (const c of starts) h.push(c.name.toUpperCase());
      serverIdx.forEach((i, k) => {
        h.push(String(defs[i].name).toUpperCase());
        if (k === 0) for (const c of afterName) h.push(c.name.toUpperCase());
      });
      if (serverIdx.length === 0) for (const c of afterName) h.push(c.name.toUpperCase());
      for (const c of ends) h.push(c.name.toUpperCase());
      h.push(...labelColumnHeaders(labelCols));
      if (opts.showLabels) h.push('LABELS');
      lines.push(h);
      this.printedHeaders = true;
    }
    for (const row of table.rows) {
      const l: string[] = [];
      const meta = row.object?.metadata;
      if (opts.withNamespace) l.push(formatCell(meta?.namespace ?? ''));
      if (hasEvent) l.push(formatCell(o.eventType));
      for (const c of starts) l.push(formatCell(c.cell(row)));
      serverIdx.forEach((i, k) => {
        const cell = formatCell(row.cells?.[i]);
        l.push(k === 0 && kindPrefix ? `${kindPrefix}/${cell}` : cell);
        if (k === 0) for (const c of afterName) l.push(formatCell(c.cell(row)));
      });
      if (serverIdx.length === 0) for (const c of afterName) l.push(formatCell(c.cell(row)));
      for (const c of ends) l.push(formatCell(c.cell(row)));
      const labels = meta?.labels ?? {};
      for (const k of labelCols) l.push(escapeTerminal(labels[k] ?? ''));
      if (opts.showLabels) l.push(escapeTerminal(formatLabels(labels)));
      lines.push(l);
    }
    return this.tw.format(lines);
  }
}

/**
 * kubectl's fallback for objects the server gives no Table for: NAME and AGE
 * (priority-0), the object in rows[].object.
 */
export function defaultTable(objects: KubeObjectLike[], now: number = Date.now()): Table {
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata?.name ?? '', translateTimestampSince(o.metadata?.creationTimestamp ?? null, now)],
      object: o,
    })),
  };
}

/** One resource type's table in a multi-type `get`. */
export interface TableGroup<R extends TableRow = TableRow> {
  table: Table<R>;
  /** For --show-kind or a run with several kinds. */
  kind?: { kind: string; group?: string };
}

/**
 * Prints several resource types' tables the way kubectl get does: a fresh header and widths per
 * type, and one empty line between types when headers are on and something was printed before.
 */
export function printTables<R extends TableRow>(groups: TableGroup<R>[], options: TablePrintOptions<R>): string {
  let out = '';
  for (const g of groups) {
    const p = new TablePrinter<R>({ ...options, kind: g.kind ?? options.kind });
    const text = p.print(g.table);
    if (text === '') continue;
    if (out !== '' && !options.noHeaders) out += '\n';
    out += text;
  }
  return out;
}
