import type { RESTMapping } from './mapper';

/** kubectl's `kind.group` form of a mapping (`deployment.apps`, `pod`), as in `deployment.apps/nginx`. */
export function kindString(m: Pick<RESTMapping, 'group' | 'kind'>): string {
  return m.group ? `${m.kind.toLowerCase()}.${m.group}` : m.kind.toLowerCase();
}
