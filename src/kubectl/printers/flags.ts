/**
 * kubectl's print flags (cli-runtime genericclioptions PrintFlags + kubectl get's
 * HumanPrintFlags) as CliFlag definitions, and their validation into PrintOptions.
 */
import type { CliFlag } from '../../commands/spec';
import { UsageError } from '../../errors';
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from './jsonpath';
import { compileTemplates } from './printer';

import { ALL_FORMATS, formatsFor, outputUsage, printFlagDefs, TEMPLATE_FORMATS, type OutputFormat, type PrintFlagName, type PrintFlagDefsOptions } from './flag-defs';
export { ALL_FORMATS, formatsFor, outputUsage, printFlagDefs, type OutputFormat, type PrintFlagName, type PrintFlagDefsOptions };

/** Everything the printers need, validated. */
export interface PrintOptions {
  /** The format part of -o (`jsonpath` for `-o jsonpath=…`); `''` = default table. */
  format: OutputFormat;
  /** The -o value as given (for messages). */
  output: string;
  /**
   * The template text for template formats and custom-columns (file contents already read for the
   * *-file formats), else ''.
   */
  template: string;
  noHeaders: boolean;
  showLabels: boolean;
  labelColumns: string[];
  showKind: boolean;
  /** The --sort-by field as given ('' = none). */
  sortBy: string;
  showManagedFields: boolean;
  allowMissingTemplateKeys: boolean;
}

export interface ParsePrintFlagsOptions {
  /** Allowed formats (default kubectl get's). */
  formats?: readonly string[];
  /** Reads a template file (bounded); default: fs.readFileSync with a 1 MiB limit. */
  readFile?: (path: string) => string;
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}
function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  const arr = Array.isArray(v) ? v.map(String) : [String(v)];
  return arr.flatMap((s) => s.split(',')).filter((s) => s !== '');
}

const MAX_TEMPLATE_FILE = 1 << 20;

function defaultReadFile(path: string): string {
  const fs = process.getBuiltinModule('node:fs');
  const st = fs.statSync(path);
  if (!st.isFile()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (st.size > MAX_TEMPLATE_FILE) throw Object.assign(new Error(`file is larger than ${MAX_TEMPLATE_FILE} bytes`), { code: 'EFBIG' });
  return fs.readFileSync(path, 'utf8');
}

function fileReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EFBIG') return (e as Error).message;
  return (e as Error).message ?? String(e);
}

/**
 * Validates the print flags like kubectl's PrintFlags.ToPrinter, and parses the template /
 * jsonpath / custom-columns spec so a bad one fails before any request. Throws UsageError with
 * kubectl's messages (one line).
 */
export function parsePrintFlags(flags: Record<string, unknown>, o: ParsePrintFlagsOptions = {}): PrintOptions {
  const output = str(flags.output);
  const templateFlag = str(flags.template);
  const allowed = o.formats ?? ALL_FORMATS;
  let format: string;
  let arg: string | undefined;
  const eq = output.indexOf('=');
  if (eq >= 0) {
    format = output.slice(0, eq);
    arg = output.slice(eq + 1);
  } else {
    format = output;
    // kubectl: json/yaml/kyaml match case-insensitively, and `yml` means yaml.
    const lower = format.toLowerCase();
    if (lower === 'yml' && allowed.includes('yaml')) format = 'yaml';
    else if ((lower === 'json' || lower === 'yaml' || lower === 'kyaml') && allowed.includes(lower)) format = lower;
  }
  // kubectl: --template without -o means -o go-template.
  if (format === '' && templateFlag !== '' && allowed.includes('go-template')) format = 'go-template';
  const opts: PrintOptions = {
    format: format as OutputFormat,
    output,
    template: '',
    noHeaders: Boolean(flags['no-headers']),
    showLabels: Boolean(flags['show-labels']),
    labelColumns: list(flags['label-columns']),
    showKind: Boolean(flags['show-kind']),
    sortBy: str(flags['sort-by']),
    showManagedFields: Boolean(flags['show-managed-fields']),
    allowMissingTemplateKeys: flags['allow-missing-template-keys'] === undefined ? true : Boolean(flags['allow-missing-template-keys']),
  };
  const known = format === '' || allowed.includes(format);
  // Formats that take no argument must be given exactly (kubectl: `-o json=x` is not a format).
  const takesArg = TEMPLATE_FORMATS.has(format) || format === 'custom-columns' || format === 'custom-columns-file';
  if (!known || (arg !== undefined && !takesArg)) {
    const formats = [...allowed].sort();
    throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${formats.join(',')}`);
  }
  if (TEMPLATE_FORMATS.has(format)) {
    let value = arg ?? templateFlag;
    if (value === '') throw new UsageError('template format specified but no template given');
    if (format.endsWith('-file') || format === 'templatefile') {
      try {
        value = (o.readFile ?? defaultReadFile)(value);
      } catch (e) {
        throw new UsageError(`error reading --template ${value}, ${fileReason(e)}`);
      }
    }
    opts.template = value;
  } else if (format === 'custom-columns' || format === 'custom-columns-file') {
    let value = arg ?? '';
    if (format === 'custom-columns-file') {
      if (value === '') throw new UsageError('custom-columns format specified but no custom columns given');
      try {
        value = (o.readFile ?? defaultReadFile)(value);
      } catch (e) {
        throw new UsageError(`error reading template ${value}, ${fileReason(e)}`);
      }
    } else if (value === '') {
      throw new UsageError('custom-columns format specified but no custom columns given');
    }
    opts.template = value;
  }
  validatePrintOptions(opts);
  return opts;
}

/** Parses what can fail in a template, jsonpath, custom-columns spec or --sort-by (UsageError). */
export function validatePrintOptions(p: PrintOptions): void {
  compileTemplates(p);
  if (p.sortBy !== '') {
    try {
      new JSONPath(relaxedJSONPathExpression(p.sortBy), { allowMissingKeys: true });
    } catch (e) {
      if (e instanceof JSONPathError) throw new UsageError(`error parsing --sort-by ${p.sortBy}, ${e.message}`);
      throw e;
    }
  }
  if (p.showLabels && p.format !== '' && p.format !== 'wide') {
    throw new UsageError(`--show-labels option cannot be used with ${p.output} printer`);
  }
}
