/**
 * kubectl's print flags as CliFlag definitions: what the command tree needs at start-up. No
 * printer or template engine is loaded from here (flags.ts validates them into PrintOptions).
 */
import type { CliFlag } from '../../commands/spec';
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

/**
 * The formats kubectl offers given the environment: kyaml is left out when KUBECTL_KYAML=false
 * (case-insensitive), as kubectl's JSONYamlPrintFlags does.
 */
export function formatsFor(env: Record<string, string | undefined> = {}, formats: readonly string[] = ALL_FORMATS): string[] {
  const noKyaml = (env.KUBECTL_KYAML ?? '').toLowerCase() === 'false';
  return formats.filter((f) => !(noKyaml && f === 'kyaml'));
}

export const TEMPLATE_FORMATS = new Set<string>(['go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file']);

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

