/**
 * kubectl's print flags (cli-runtime genericclioptions PrintFlags + kubectl get's
 * HumanPrintFlags) as CliFlag definitions, and their validation into PrintOptions.
 */
import type { CliFlag } from '../../commands/spec';
import { UsageError } from '../../errors';
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from './jsonpath';
import { compileTemplates } from './printer';

/** Output formats (the value of -o before any `=`). `''` is the default human-readable table. */
export type OutputFormat =
  | ''
  | 'wide'
  | 'json'
  | 'yaml'
  | 'kyaml'
  | 'name'
  | 'jsonpath'
  | 'jsonpath-as-json'
  | 'jsonpath-file'
  | 'custom-columns'
  | 'custom-columns-file'
  | 'go-template'
  | 'go-template-file'
  | 'template'
  | 'templatefile';

/** kubectl get's formats in the order of its help text (kyaml: hidden by kubectl when KUBECTL_KYAML=false; pass `formats` without it then). */
export const ALL_FORMATS: Exclude<OutputFormat, ''>[] = [
  'json',
  'yaml',
  'kyaml',
  'name',
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'custom-columns',
  'custom-columns-file',
  'wide',
];

const TEMPLATE_FORMATS = new Set<string>(['go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file']);

export function outputUsage(formats: readonly string[] = ALL_FORMATS): string {
  return (
    `Output format. One of: (${formats.join(', ')}). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], ` +
    'golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].'
  );
}

export type PrintFlagName =
  | 'output'
  | 'no-headers'
  | 'show-labels'
  | 'label-columns'
  | 'show-kind'
  | 'sort-by'
  | 'show-managed-fields'
  | 'template'
  | 'allow-missing-template-keys';

export interface PrintFlagDefsOptions {
  /** Formats -o accepts (default: kubectl get's). Used for the usage text and validation. */
  formats?: readonly string[];
  /** Only these flags (default: all of them). */
  only?: PrintFlagName[];
}

/** The flag definitions, with kubectl's names, defaults and usage texts. */
export function printFlagDefs(o: PrintFlagDefsOptions = {}): CliFlag[] {
  const all: Record<PrintFlagName, CliFlag> = {
    'allow-missing-template-keys': {
      name: 'allow-missing-template-keys',
      type: 'bool',
      default: true,
      usage:
        'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
    },
    'label-columns': {
      name: 'label-columns',
      shorthand: 'L',
      type: 'stringSlice',
      default: [],
      usage:
        'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...',
    },
    'no-headers': {
      name: 'no-headers',
      type: 'bool',
      default: false,
      usage: "When using the default or custom-column output format, don't print headers (default print headers).",
    },
    output: {
      name: 'output',
      shorthand: 'o',
      type: 'string',
      default: '',
      usage: outputUsage(o.formats),
      complete: () => [...(o.formats ?? ALL_FORMATS)],
    },
    'show-kind': {
      name: 'show-kind',
      type: 'bool',
      default: false,
      usage: 'If present, list the resource type for the requested object(s).',
    },
    'show-labels': {
      name: 'show-labels',
      type: 'bool',
      default: false,
      usage: 'When printing, show all labels as the last column (default hide labels column)',
    },
    'show-managed-fields': {
      name: 'show-managed-fields',
      type: 'bool',
      default: false,
      usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    },
    'sort-by': {
      name: 'sort-by',
      type: 'string',
      default: '',
      usage:
        "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.",
    },
    template: {
      name: 'template',
      type: 'string',
      default: '',
      usage:
        'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
    },
  };
  const names = (o.only ?? (Object.keys(all) as PrintFlagName[])).slice().sort();
  return names.map((n) => all[n]);
}

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
      if (value === '') throw new UsageError('custom-columns-file format specified but no custom columns file given');
      try {
        value = (o.readFile ?? defaultReadFile)(value);
      } catch (e) {
        throw new UsageError(`error reading ${value}: ${fileReason(e)}`);
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
