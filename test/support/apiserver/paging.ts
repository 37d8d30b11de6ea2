/**
 * List chunking (`limit` / `continue`) as kube-apiserver does it: a list answered with at most
 * `limit` items, `metadata.continue` (an opaque token) and `metadata.remainingItemCount` when more
 * remain; the next request with that token continues from the same snapshot position. Runs before the
 * Table extension, so a chunked Table request gets a chunk of rows and the token. A token the server
 * did not issue is a 400, as the real one (`continue key is not valid`).
 */
import type { ServerExtension } from './ext';
import { statusBody } from './server';

const encode = (offset: number, rv: string) => Buffer.from(JSON.stringify({ o: offset, rv })).toString('base64url');
function decode(t: string): { o: number; rv: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(t, 'base64url').toString('utf8'));
    return Number.isInteger(v?.o) && v.o >= 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

export function pagingExtension(): ServerExtension {
  return {
    transform(r, out) {
      if (r.method !== 'GET' || out.code !== 200) return out;
      const body = out.body as { kind?: string; items?: unknown[]; metadata?: Record<string, unknown> };
      if (!body || typeof body !== 'object' || !Array.isArray(body.items) || !String(body.kind ?? '').endsWith('List')) return out;
      const limit = Number(r.query.limit ?? 0);
      let offset = 0;
      if (r.query.continue) {
        const t = decode(r.query.continue);
        if (!t) return { code: 400, body: statusBody(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)') };
        offset = t.o;
      }
      if (!(limit > 0) && !offset) return out;
      const all = body.items;
      const end = limit > 0 ? offset + limit : all.length;
      const items = all.slice(offset, end);
      const metadata: Record<string, unknown> = { ...body.metadata };
      if (end < all.length) {
        metadata.continue = encode(end, String(metadata.resourceVersion ?? ''));
        metadata.remainingItemCount = all.length - end;
      }
      return { ...out, body: { ...body, items, metadata } };
    },
  };
}
