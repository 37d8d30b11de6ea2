import { randomBytes } from 'node:crypto';
import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject } from '../kube/types';
import { connectKarmada, type KarmadaTarget } from '../clusters/common';
import { formatTable, printData } from '../ui/output';

export const TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const TOKEN_ID_PATTERN = /^([a-z0-9]{6})$/;
export const DEFAULT_TOKEN_GROUP = 'system:bootstrappers:karmada:default-cluster-token';
const GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const USAGES = ['signing', 'authentication'];
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** n characters of [a-z0-9] from a CSPRNG, unbiased (bytes >= 252 rejected). */
export function randomString(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b >= 252) continue;
      out += ALPHABET[b % 36];
      if (out.length === n) break;
    }
  }
  return out;
}

export const generateToken = () => `${randomString(6)}.${randomString(16)}`;

type TokenSecret = K8sObject & { type?: string; data?: Record<string, string> };

export interface BootstrapToken {
  token: string;
  id: string;
  ttl: string;
  expires: string | null;
  usages: string[];
  description: string;
  groups: string[];
}

export interface TokenCreateOptions {
  token?: string;
  ttlMs: number;
  usages: string[];
  groups: string[];
  description: string;
  printRegisterCommand: boolean;
}

export function validateTokenCreate(o: TokenCreateOptions): void {
  if (o.token !== undefined && !TOKEN_PATTERN.test(o.token)) throw new UsageError('the token must be of the form [a-z0-9]{6}.[a-z0-9]{16}', { hint: 'omit it to have one generated' });
  if (o.ttlMs < 0) throw new UsageError('--ttl must not be negative', { hint: 'use 0 for a token that never expires, or e.g. 24h' });
  for (const u of o.usages) if (!USAGES.includes(u)) throw new UsageError(`invalid --usages value "${u}"`, { hint: `valid usages are ${USAGES.join(', ')}` });
  for (const g of o.groups) if (!GROUP_PATTERN.test(g)) throw new UsageError(`invalid --groups value "${g}": must match ${GROUP_PATTERN.source}`, { hint: `e.g. ${DEFAULT_TOKEN_GROUP}` });
}

/** The register command for a kubeconfig's cluster: server without https://, one pin per CA certificate. */
export async function registerCommandParts(kc: import('../kube/kubeconfig').Kubeconfig): Promise<{ server: string; pins: string[] }> {
  const { pemCertificates, spkiPin } = await import('../pki/x509');
  const cluster = kc.getCluster('') ?? kc.getCurrentCluster();
  if (!cluster) throw new UserError('failed to get default cluster config', { hint: 'check --kubeconfig and --karmada-context' });
  let ca = '';
  if (cluster.caData) ca = Buffer.from(cluster.caData, 'base64').toString('utf8');
  else if (cluster.caFile) ca = (await (await import('../util/fsx')).readTextBounded(cluster.caFile, { limit: 1 << 20, what: `certificate-authority of cluster "${cluster.name}":` }));
  const certs = pemCertificates(ca);
  if (!certs.length) throw new UserError('no CA certificates found in kubeconfig', { hint: 'the karmada kubeconfig must carry certificate-authority-data (or certificate-authority) for the register command' });
  return { server: cluster.server.replace(/^https:\/\//, '').replace(/\/+$/, ''), pins: certs.map(spkiPin) };
}

export async function createToken(ctx: Context, target: KarmadaTarget, o: TokenCreateOptions): Promise<void> {
  validateTokenCreate(o);
  const { client, config } = await connectKarmada(ctx, target);
  try {
    // Resolve what the printed command needs first: a failure leaves no orphan token behind.
    const parts = o.printRegisterCommand ? await registerCommandParts(config.kc) : undefined;
    const token = o.token ?? generateToken();
    const [, id, secret] = TOKEN_PATTERN.exec(token)!;
    const name = `bootstrap-token-${id}`;
    if (await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name })) {
      throw new UserError(`a token with id "${id}" already exists`, { hint: 'omit the token to generate a new one' });
    }
    const data: Record<string, string> = { 'token-id': id, 'token-secret': secret };
    if (o.ttlMs > 0) data.expiration = new Date(ctx.now().getTime() + o.ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const u of o.usages) data[`usage-bootstrap-${u}`] = 'true';
    if (o.groups.length) data['auth-extra-groups'] = o.groups.join(',');
    if (o.description) data.description = o.description;
    await client.create({ apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token', metadata: { name, namespace: 'kube-system' }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
    ctx.stdout.write(parts ? `${ctx.program} register ${parts.server} --token ${token} --discovery-token-ca-cert-hash ${parts.pins.join(',')}\n` : `${token}\n`);
  } finally {
    client.close();
  }
}

/** Parses a bootstrap-token Secret like the reference (registration.md §3.2); throws on a malformed one. */
export function parseTokenSecret(s: TokenSecret, now: Date): BootstrapToken {
  const d = Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  const id = d['token-id'];
  if (!id) throw new Error(`bootstrap token secret ${s.metadata.name} has no token-id`);
  if (s.metadata.name !== `bootstrap-token-${id}`) throw new Error(`bootstrap token secret ${s.metadata.name} does not match token-id ${id}`);
  const token = `${id}.${d['token-secret'] ?? ''}`;
  if (!TOKEN_PATTERN.test(token)) throw new Error(`bootstrap token secret ${s.metadata.name} holds a malformed token`);
  let expires: string | null = null;
  let ttl = '<forever>';
  if (d.expiration) {
    const t = Date.parse(d.expiration);
    if (Number.isNaN(t)) throw new Error(`bootstrap token secret ${s.metadata.name} has an invalid expiration ${d.expiration}`);
    expires = d.expiration;
    ttl = humanTtl(t - now.getTime());
  }
  const usages = Object.entries(d).filter(([k, v]) => k.startsWith('usage-bootstrap-') && v === 'true').map(([k]) => k.slice('usage-bootstrap-'.length)).sort();
  return { token, id, ttl, expires, usages, description: d.description ?? '', groups: (d['auth-extra-groups'] ?? '').split(',').filter(Boolean) };
}

/** kubectl's short duration: 59s, 59m, 23h, 364d, 2y; 0s just after expiry, <invalid> later. */
export function humanTtl(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 86400 * 365) return `${Math.floor(s / 86400)}d`;
  return `${Math.floor(s / (86400 * 365))}y`;
}

export async function listTokens(client: KubeApi, now: Date): Promise<{ tokens: BootstrapToken[]; errors: string[] }> {
  const list = await client.list<TokenSecret>('v1', 'Secret', { namespace: 'kube-system', fieldSelector: 'type=bootstrap.kubernetes.io/token' });
  const tokens: BootstrapToken[] = [];
  const errors: string[] = [];
  for (const s of list.items) {
    try {
      tokens.push(parseTokenSecret(s, now));
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { tokens, errors };
}

export async function runTokenList(ctx: Context, target: KarmadaTarget, output: '' | 'json' | 'yaml'): Promise<void> {
  const { client } = await connectKarmada(ctx, target);
  try {
    const { tokens, errors } = await listTokens(client, ctx.now());
    for (const e of errors) ctx.stderr.write(`${e}\n`);
    if (output) return printData(ctx, { tokens }, output);
    if (!tokens.length) return;
    const none = (s: string) => s || '<none>';
    ctx.stdout.write(formatTable(['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'], tokens.map((t) => [t.token, t.ttl, t.expires ?? '<never>', none(t.usages.join(',')), none(t.description), none(t.groups.join(','))])));
  } finally {
    client.close();
  }
}

export async function runTokenDelete(ctx: Context, target: KarmadaTarget, args: string[]): Promise<void> {
  if (!args.length) throw new UsageError(`missing subcommand; 'token delete' is missing token of form "[a-z0-9]{6}"`, { hint: `pass a token ID or a whole token; see '${ctx.program} token list'` });
  const ids = args.map((a) => {
    const m = TOKEN_ID_PATTERN.exec(a) ?? TOKEN_PATTERN.exec(a);
    if (!m) throw new UsageError(`given token didn't match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}.[a-z0-9]{16}"`, { hint: 'pass a token ID (6 characters) or a whole token' });
    return m[1];
  });
  const { client } = await connectKarmada(ctx, target);
  const failed: string[] = [];
  try {
    for (const id of ids) {
      try {
        const gone = await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: `bootstrap-token-${id}` });
        if (gone) ctx.stdout.write(`bootstrap token "${id}" deleted\n`);
        else failed.push(`bootstrap token "${id}" not found`);
      } catch (e) {
        failed.push(`failed to delete secret "bootstrap-token-${id}", err: ${(e as Error).message}`);
      }
    }
  } finally {
    client.close();
  }
  if (failed.length) throw new UserError(failed.join('; '), { hint: `see the tokens with '${ctx.program} token list'` });
}
