/** kubectl's custom-columns printer (`-o custom-columns=NAME:.metadata.name,…` and -file). */
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from './jsonpath';
import { goSprint } from './gojson';
import { escapeTerminal, TabWriter } from './table';

export interface CustomColumn {
  header: string;
  /** The relaxed jsonpath, e.g. `{.metadata.name}`. */
  fieldSpec: string;
}

export class CustomColumnsError extends Error {}

function compileColumn(header: string, expr: string): CustomColumn {
  try {
    return { header, fieldSpec: relaxedJSONPathExpression(expr) };
  } catch (e) {
    throw new CustomColumnsError((e as Error).message);
  }
}

/** Parses `HEADER:path,HEADER2:path2` (kubectl's NewCustomColumnsPrinterFromSpec). */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CustomColumnsError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return compileColumn(part.slice(0, i), part.slice(i + 1));
  });
}

/** Parses a custom-columns file: a line of headers and a line of paths, whitespace-separated. */
export function parseCustomColumnsTemplate(text: string): CustomColumn[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length !== 2) throw new CustomColumnsError(`invalid template, expected two lines in template but got ${lines.length}`);
  const headers = lines[0].split(/\s+/).filter(Boolean);
  const specs = lines[1].split(/\s+/).filter(Boolean);
  if (headers.length !== specs.length) {
    throw new CustomColumnsError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((h, i) => compileColumn(h, specs[i]));
}

/** Prints objects as custom columns; stateful (header once, remembered widths) like kubectl's. */
export class CustomColumnsPrinter {
  private readonly parsers: JSONPath[];
  private printedHeaders = false;
  private readonly tw = new TabWriter();
  constructor(
    readonly columns: CustomColumn[],
    readonly noHeaders = false,
  ) {
    this.parsers = columns.map((c) => {
      try {
        return new JSONPath(c.fieldSpec, { allowMissingKeys: true });
      } catch (e) {
        throw new CustomColumnsError((e as Error).message);
      }
    });
  }

  /** Text for these objects (list items already extracted). */
  print(objects: unknown[]): string {
    const lines: string[][] = [];
    if (!this.noHeaders && !this.printedHeaders) {
      lines.push(this.columns.map((c) => c.header));
      this.printedHeaders = true;
    }
    for (const obj of objects) {
      lines.push(
        this.parsers.map((p) => {
          const values = p.findResults(obj);
          const strs: string[] = [];
          if (values.length === 0 || values[0].length === 0) strs.push('<none>');
          for (const set of values) for (const v of set) strs.push(escapeTerminal(goSprint(v)));
          return strs.join(',');
        }),
      );
    }
    return this.tw.format(lines);
  }
}

export { JSONPathError };
