/**
 * Extension points of the test API server (ApiCore.extensions), so features live in their own files:
 * the cluster proxy (proxy.ts) intercepts requests; server-side Tables (table.ts) and aggregated
 * discovery (discovery.ts) transform responses and watch events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiCore, RequestRecord, User } from './server';
import type { ResourceDef } from './registry';
import type { Obj } from './store';

export interface ExtRequest {
  core: ApiCore;
  req: IncomingMessage;
  url: URL;
  method: string;
  query: Record<string, string>;
  body: string;
  user: User | undefined;
  rec: RequestRecord;
}

export interface ExtResponse {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ServerExtension {
  /** Handles the request itself (writes `res`); true when it did. */
  intercept?(r: ExtRequest, res: ServerResponse): Promise<boolean> | boolean;
  /** Rewrites a response before it is sent. */
  transform?(r: ExtRequest, out: ExtResponse): ExtResponse;
  /** Handles an HTTP upgrade (exec/attach WebSocket) itself; true when it did. */
  upgrade?(core: ApiCore, req: IncomingMessage, socket: Duplex, head: Buffer, user: User | undefined): Promise<boolean> | boolean;
  /** Rewrites the object of one watch event. */
  watchEvent?(req: IncomingMessage, def: ResourceDef, type: string, object: Obj, query: Record<string, string>): unknown;
}
