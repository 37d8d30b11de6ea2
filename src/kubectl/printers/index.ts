/**
 * The printers of the kubectl layer (kubectl's cli-runtime printers + kubectl get's table
 * printer), pure logic: every function returns text, nothing writes to stdout.
 *
 * ## Public interface (stable)
 *
 * Flags:
 * - `printFlagDefs({ formats?, only? }): CliFlag[]` — `-o/--output`, `--no-headers`,
 *   `--show-labels`, `-L/--label-columns`, `--show-kind`, `--sort-by`, `--show-managed-fields`,
 *   `--template`, `--allow-missing-template-keys` (default true), kubectl's usage texts.
 * - `parsePrintFlags(flags, { formats?, readFile? }): PrintOptions` — validates like kubectl's
 *   PrintFlags.ToPrinter, before any request: bad -o (`unable to match a printer suitable for the
 *   output format "x", allowed formats are: …`), missing/bad template, jsonpath, custom-columns
 *   spec, --sort-by, `--show-labels` with a structured format. Throws UsageError (one line).
 *   `--template` alone means `-o go-template`. *-file formats are read here (bounded, 1 MiB).
 * - `isHumanReadable(p)`: true for `''` and `wide` (print through TablePrinter with a server-side
 *   Table); false: `createPrinter(p)`.
 *
 * Structured output (`createPrinter(p): Promise<ResourcePrinter>`; async only to load YAML lazily):
 * - `printObject(obj)`: one object (a named GET) — json (4-space indent, sorted keys, Go's escaping),
 *   yaml, name (`kind.group/name`), jsonpath, go-template, custom-columns.
 * - `printList(items, { resourceVersion? })`: several results (any LIST, or several names):
 *   json/yaml/jsonpath/templates see ONE `{apiVersion: v1, kind: List, items, metadata:
 *   {resourceVersion}}` (kubectl get); name and custom-columns print each item.
 *   Items must carry apiVersion/kind: use `listItems(list)` on a LIST response.
 * - `printEvent(type, obj)`: --output-watch-events; json/yaml print `{type, object}`.
 * - The printer is stateful like kubectl's: yaml puts `---` between documents printed by the same
 *   printer; custom-columns prints its header once.
 * - managedFields are stripped for json/yaml unless --show-managed-fields.
 * - Errors while executing a template/jsonpath: `PrintError` (one line, nothing half-printed).
 *
 * Tables (`-o ''|wide`):
 * - Request the Table with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`;
 *   when `p.sortBy` is set add `?includeObject=Object` (kubectl does: sorting needs the full
 *   object in rows[].object; without it rows carry only PartialObjectMetadata).
 * - `new TablePrinter({ wide, noHeaders, showLabels, labelColumns, withNamespace, kind, extraColumns })`
 *   `.print(table, { eventType? })` → text; header once, widths remembered (kubectl's tabwriter:
 *   minwidth 6, padding 3); `.reset()` between resource types. Column order:
 *   NAMESPACE (withNamespace, -A) · EVENT (eventType) · `start` extras · NAME · `afterName` extras
 *   (get: CLUSTER) · the server's other columns (priority>0 only with wide) · `end` extras (get:
 *   ADOPTION; give it priority 1 for pods) · -L columns · LABELS. `kind` prefixes the name cell
 *   (`deployment.apps/nginx`) for --show-kind or a run with several kinds. An empty table prints ''.
 * - `printTables(groups, options)`: several types, kubectl's blank line between them (not with
 *   --no-headers).
 * - `defaultTable(objects)`: NAME/AGE table for objects the server gives no Table for.
 * - `formatCell`, `escapeTerminal`, `formatLabels`, `TabWriter` for other tabular commands.
 *
 * Sorting: `sortObjects(items, sortBy)` and `sortTableRows(table, sortBy)` — kubectl's sorter
 * (relaxed jsonpath, missing fields first, numbers, quantities, natural string order; stable).
 * Throws PrintError `couldn't find any field with path "{.x}" in the list of objects`.
 *
 * Formatting (src/kubectl/format): `humanDuration`, `shortHumanDuration`,
 * `translateTimestampSince` (AGE), `Quantity` (`parseQuantity`, canonical `toString`, `cmp`).
 *
 * Engines: `JSONPath` (client-go's dialect), `GoTemplate` (Go text/template + kubectl's funcs),
 * `relaxedJSONPathExpression`.
 */
export { ALL_FORMATS, outputUsage, parsePrintFlags, printFlagDefs, validatePrintOptions } from './flags';
export type { OutputFormat, ParsePrintFlagsOptions, PrintFlagDefsOptions, PrintFlagName, PrintOptions } from './flags';
export { createPrinter, listItems, objectName, omitManagedFields, PrintError, toList, loadYaml } from './printer';
export type { KubeObject, ResourcePrinter } from './printer';
export { defaultTable, escapeTerminal, formatCell, formatLabels, labelColumnHeaders, printTables, TablePrinter, TabWriter } from './table';
export type { ExtraColumn, KubeObjectLike, Table, TableColumnDefinition, TableGroup, TablePrintOptions, TableRow } from './table';
export { JSONPath, JSONPathError, relaxedJSONPathExpression } from './jsonpath';
export { GoTemplate, GoTemplateError } from './template';
export { humanDuration, shortHumanDuration, translateTimestampSince } from '../format/duration';
export { parseQuantity, Quantity, QuantityError } from '../format/quantity';
export type { QuantityFormat } from '../format/quantity';
export { naturalLess } from '../format/naturalsort';
export { compareSortValues, sortObjects, sortTableRows } from './sort';

import type { PrintOptions } from './flags';
/** Default/wide output goes through the TablePrinter; everything else through createPrinter. */
export function isHumanReadable(p: Pick<PrintOptions, 'format'>): boolean {
  return p.format === '' || p.format === 'wide';
}
