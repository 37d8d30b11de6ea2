/** Go text/template (placeholder; the full engine follows). */
export class GoTemplateError extends Error {}
export class GoTemplate {
  constructor(readonly text: string, readonly o: { name?: string; allowMissingKeys?: boolean } = {}) {}
  execute(data: unknown): string {
    return this.text.replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (_m, path: string) => {
      let cur: unknown = data;
      for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
      return cur === undefined ? '<no value>' : String(cur);
    });
  }
}
