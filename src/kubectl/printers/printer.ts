/**
 * createPrinter: one printer for any non-table -o format (json, yaml, name, jsonpath…,
 * go-template…, custom-columns…), kubectl's semantics.
 */
import { UsageError } from '../../errors';
import { CustomColumnsError, CustomColumnsPrinter, parseCustomColumnsSpec, parseCustomColumnsTemplate } from './customcolumns';
import type { PrintOptions } from './flags';
import { goJSON } from './gojson';
import { goYamlStringify } from './goyaml';
import { kyamlStringify } from './kyaml';
export { yamlAmbiguous } from './goyaml';
import { JSONPath, JSONPathError } from './jsonpath';
import { GoTemplate, GoTemplateError } from './template';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; managedFields?: unknown };
};

/** A printer error the user caused (bad template at execution time, missing kind): one line. */
export class PrintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrintError';
  }
}

export interface ResourcePrinter {
  /** The format this printer was made for. */
  readonly format: PrintOptions['format'];
  /** Text for one object as kubectl prints a single result (a List object prints as given). */
  printObject(obj: KubeObject): string;
  /** Text for several results: json/yaml/jsonpath/templates see one `List`; name/custom-columns print each. */
  printList(items: KubeObject[], o?: { resourceVersion?: string }): string;
  /** A watch event (--output-watch-events): json/yaml print `{type, object}`; others print the object. */
  printEvent(type: string, obj: KubeObject): string;
}

/** kubectl's `List` wrapper for several results. */
export function toList(items: KubeObject[], resourceVersion = ''): KubeObject {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion } };
}

/**
 * Items of a typed list (`PodList`) carry no apiVersion/kind on the wire; kubectl's decoding sets
 * them from the list. Returns the items with both filled in.
 */
export function listItems(list: { apiVersion?: string; kind?: string; items?: unknown[] }): KubeObject[] {
  const kind = (list.kind ?? '').replace(/List$/, '');
  return (list.items ?? []).map((i) => {
    const o = i as KubeObject;
    if (o.apiVersion && o.kind) return o;
    return { apiVersion: o.apiVersion ?? list.apiVersion, kind: o.kind ?? kind, ...o } as KubeObject;
  });
}

/** `<kind>.<group>/<name>` (kubectl's NamePrinter). */
export function objectName(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  if (!kind) throw new PrintError('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const name = String(obj.metadata?.name ?? '');
  return group ? `${kind.toLowerCase()}.${group}/${name}` : `${kind.toLowerCase()}/${name}`;
}

function isList(obj: KubeObject): boolean {
  return Array.isArray((obj as { items?: unknown }).items) && typeof obj.kind === 'string' && obj.kind.endsWith('List');
}

/** A copy without metadata.managedFields (also in List items). */
export function omitManagedFields(obj: KubeObject): KubeObject {
  const strip = (o: KubeObject): KubeObject => {
    if (!o || typeof o !== 'object' || !o.metadata || !('managedFields' in o.metadata)) return o;
    const { managedFields: _m, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  const top = strip(obj);
  if (isList(top)) return { ...top, items: (top.items as KubeObject[]).map(strip) };
  return top;
}

function checkKind(obj: KubeObject): void {
  if (!obj.kind || obj.apiVersion === undefined || obj.apiVersion === '') {
    throw new PrintError('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  }
}

type YamlStringify = (v: unknown) => string;

/**
 * YAML as kubectl prints it (sigs.k8s.io/yaml → go-yaml v2; see goyaml.ts). Async for interface
 * stability (it used to load a YAML package); the emitter is local and synchronous.
 */
export async function loadYaml(): Promise<YamlStringify> {
  return goYamlStringify;
}

/** Compiles what -o needs (throws UsageError with kubectl's message for a bad template/spec). */
export function compileTemplates(p: PrintOptions): { jsonpath?: JSONPath; template?: GoTemplate; columns?: CustomColumnsPrinter } {
  switch (p.format) {
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json':
      try {
        return { jsonpath: new JSONPath(p.template, { allowMissingKeys: p.allowMissingTemplateKeys, outputJSON: p.format === 'jsonpath-as-json' }) };
      } catch (e) {
        if (e instanceof JSONPathError) throw new UsageError(`error parsing jsonpath ${oneLine(p.template)}, ${e.message}`);
        throw e;
      }
    case 'go-template':
    case 'go-template-file':
    case 'template':
    case 'templatefile':
      try {
        return { template: new GoTemplate(p.template, { name: 'output', allowMissingKeys: p.allowMissingTemplateKeys }) };
      } catch (e) {
        if (e instanceof GoTemplateError) throw new UsageError(`error parsing template ${oneLine(p.template)}, ${e.message}`);
        throw e;
      }
    case 'custom-columns':
    case 'custom-columns-file':
      try {
        const cols = p.format === 'custom-columns' ? parseCustomColumnsSpec(p.template) : parseCustomColumnsTemplate(p.template);
        return { columns: new CustomColumnsPrinter(cols, p.noHeaders) };
      } catch (e) {
        if (e instanceof CustomColumnsError) throw new UsageError(e.message);
        throw e;
      }
    default:
      return {};
  }
}

function oneLine(s: string): string {
  const t = s.replace(/\s*\n\s*/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/**
 * The printer for a structured -o format (everything but '' and 'wide', which go through
 * TablePrinter). Async only because YAML support is loaded on demand; printing is synchronous.
 */
export async function createPrinter(p: PrintOptions): Promise<ResourcePrinter> {
  const compiled = compileTemplates(p);
  const yaml = p.format === 'yaml' ? await loadYaml() : undefined;
  let printed = 0;
  const managed = (o: KubeObject) => (p.showManagedFields ? o : omitManagedFields(o));

  const printOne = (obj: KubeObject): string => {
    switch (p.format) {
      case 'json':
        checkKind(obj);
        return goJSON(managed(obj), '    ') + '\n';
      case 'yaml': {
        checkKind(obj);
        const sep = printed++ > 0 ? '---\n' : '';
        return sep + yaml!(managed(obj));
      }
      case 'kyaml':
        checkKind(obj);
        return kyamlStringify(managed(obj));
      case 'name':
        if (isList(obj)) return (obj.items as KubeObject[]).map((i) => objectName(i) + '\n').join('');
        return objectName(obj) + '\n';
      case 'jsonpath':
      case 'jsonpath-file':
      case 'jsonpath-as-json':
        try {
          return compiled.jsonpath!.execute(obj);
        } catch (e) {
          if (e instanceof JSONPathError) throw new PrintError(`error executing jsonpath ${JSON.stringify(p.template)}: ${e.message}`);
          throw e;
        }
      case 'go-template':
      case 'go-template-file':
      case 'template':
      case 'templatefile':
        try {
          return compiled.template!.execute(obj);
        } catch (e) {
          if (e instanceof GoTemplateError) throw new PrintError(`error executing template ${JSON.stringify(p.template)}: ${e.message}`);
          throw e;
        }
      case 'custom-columns':
      case 'custom-columns-file':
        return compiled.columns!.print(isList(obj) ? (obj.items as unknown[]) : [obj]);
      default:
        throw new PrintError(`no structured printer for output format "${p.output}"`);
    }
  };

  return {
    format: p.format,
    printObject: printOne,
    printList(items, o = {}) {
      if (p.format === 'name') return items.map((i) => objectName(i) + '\n').join('');
      if (p.format === 'custom-columns' || p.format === 'custom-columns-file') return compiled.columns!.print(items);
      return printOne(toList(items, o.resourceVersion ?? ''));
    },
    printEvent(type, obj) {
      // metav1.WatchEvent is a struct: JSON and KYAML keep its field order (type, object); YAML sorts.
      if (p.format === 'json') return `{\n    "type": ${goJSON(type)},\n    "object": ${goJSON(managed(obj), '    ').replace(/\n/g, '\n    ')}\n}\n`;
      if (p.format === 'kyaml') return kyamlStringify({ type, object: managed(obj) }, { sortTopKeys: false });
      if (p.format === 'yaml') {
        const sep = printed++ > 0 ? '---\n' : '';
        return sep + yaml!({ type, object: managed(obj) });
      }
      return printOne(obj);
    },
  };
}
