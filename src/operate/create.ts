/**
 * kubectl's `create <kind>` generators (namespace, configmap, secret generic, deployment): the
 * objects kubectl builds from flags (the typed Go objects' shape: empty structs such as `spec: {}`,
 * `status: {}`, `resources: {}` are kept, as kubectl's --dry-run=client -o yaml shows them), pure
 * logic; written through apply.ts's create path.
 */
import path from 'node:path';
import { UsageError } from '../errors';
import type { K8sObject } from '../kube/types';

const MAX_FILE = 1024 * 1024;

/** kubectl's `--from-literal=key=value`. */
export function parseLiteral(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new UsageError(`invalid literal source ${s}, expected key=value`, { hint: 'write --from-literal=KEY=VALUE' });
  return [s.slice(0, i), s.slice(i + 1)];
}

const KEY_RE = /^[-._a-zA-Z0-9]+$/;

export function validateKey(k: string): void {
  if (!KEY_RE.test(k) || k.length > 253) throw new UsageError(`"${k}" is not a valid key name: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`, { hint: 'rename the key, e.g. --from-file=good-name=path' });
}

export interface DataSources {
  literals: string[];
  files: string[];
  envFiles: string[];
}

export interface ReadFile {
  (p: string): Buffer;
  isDir(p: string): boolean;
  list(p: string): string[];
}

/** The data of a ConfigMap/Secret from --from-literal, --from-file (file, key=file, directory) and --from-env-file. */
export function collectData(src: DataSources, read: ReadFile): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const put = (k: string, v: Buffer) => {
    validateKey(k);
    if (out.has(k)) throw new UsageError(`cannot add key ${k}, another key by that name already exists in data`, { hint: 'give each key once' });
    out.set(k, v);
  };
  for (const f of src.files) {
    const i = f.indexOf('=');
    const [key, p] = i > 0 ? [f.slice(0, i), f.slice(i + 1)] : ['', f];
    if (!key && read.isDir(p)) {
      for (const name of read.list(p)) put(name, read(path.join(p, name)));
    } else put(key || path.basename(p), read(p));
  }
  for (const l of src.literals) {
    const [k, v] = parseLiteral(l);
    put(k, Buffer.from(v.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1')));
  }
  for (const e of src.envFiles) {
    for (const raw of read(e).toString('utf8').split(/\r?\n/)) {
      const line = raw.replace(/^\uFEFF/, '');
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const i = line.indexOf('=');
      if (i < 0) {
        throw new UsageError(`${e}: line "${line}" is not KEY=VALUE`, { hint: 'write one KEY=VALUE per line' });
      }
      put(line.slice(0, i).trimStart(), Buffer.from(line.slice(i + 1)));
    }
  }
  return out;
}

export const MAX_DATA_FILE = MAX_FILE;

export function namespaceObject(name: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} } as K8sObject;
}

export function configMapObject(name: string, data: Map<string, Buffer>): K8sObject {
  const text: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [k, v] of data) {
    const s = v.toString('utf8');
    if (Buffer.from(s, 'utf8').equals(v)) text[k] = s;
    else binary[k] = v.toString('base64');
  }
  const o: Record<string, unknown> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } };
  if (Object.keys(text).length) o.data = text;
  if (Object.keys(binary).length) o.binaryData = binary;
  return o as K8sObject;
}

export function secretObject(name: string, type: string, data: Map<string, Buffer>): K8sObject {
  const o: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata: { name } };
  if (data.size) o.data = Object.fromEntries([...data].map(([k, v]) => [k, v.toString('base64')]));
  if (type) o.type = type;
  return o as K8sObject;
}

/** kubectl's container name for an image: the last path element without tag or digest, made a DNS label. */
export function containerName(image: string): string {
  const base = image.split('/').pop() ?? image;
  return base.split('@')[0].split(':')[0].toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export function deploymentObject(name: string, o: { images: string[]; replicas: number; port: number; command: string[] }): K8sObject {
  if (!o.images.length) throw new UsageError('required flag(s) "image" not set', { hint: 'give the container image with --image=IMAGE' });
  if (o.command.length && o.images.length > 1) throw new UsageError('cannot specify multiple --image options and command', { hint: 'give one --image with a command after --' });
  const labels = { app: name };
  const containers = o.images.map((image) => {
    const c: Record<string, unknown> = { name: containerName(image), image };
    if (o.command.length) c.command = o.command;
    if (o.port >= 0) c.ports = [{ containerPort: o.port }];
    c.resources = {};
    return c;
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels }, spec: { containers } } },
    status: {},
  } as unknown as K8sObject;
}

export function serviceAccountObject(name: string): K8sObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } } as K8sObject;
}

/** `create secret tls`: the pair must load and match (kubectl's tls.X509KeyPair check). */
export async function tlsSecretObject(name: string, cert: Buffer, key: Buffer, o: { certPath: string; keyPath: string }): Promise<K8sObject> {
  const { X509Certificate, createPrivateKey } = await import('node:crypto');
  let x: InstanceType<typeof X509Certificate>;
  try {
    x = new X509Certificate(cert);
  } catch {
    throw new UsageError(`failed to load key pair: ${o.certPath} holds no PEM certificate`, { hint: 'pass the certificate (PEM) with --cert' });
  }
  let k;
  try {
    k = createPrivateKey(key);
  } catch {
    throw new UsageError(`failed to load key pair: ${o.keyPath} holds no PEM private key`, { hint: 'pass the unencrypted private key (PEM) with --key' });
  }
  if (!x.checkPrivateKey(k)) throw new UsageError('failed to load key pair: private key does not match public key', { hint: 'pass the key that belongs to the certificate' });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    data: { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') },
    type: 'kubernetes.io/tls',
  } as unknown as K8sObject;
}

/** `create secret docker-registry`: a .dockerconfigjson with one auths entry (kubectl's field order). */
export function dockerRegistrySecretObject(name: string, o: { server: string; username: string; password: string; email: string }): K8sObject {
  if (!o.username) throw new UsageError('missing --docker-username', { hint: 'give --docker-username and --docker-password (or --from-file=.dockerconfigjson=PATH)' });
  if (!o.password) throw new UsageError('missing --docker-password', { hint: 'give --docker-password' });
  const entry: Record<string, string> = { username: o.username, password: o.password };
  if (o.email) entry.email = o.email;
  entry.auth = Buffer.from(`${o.username}:${o.password}`).toString('base64');
  const json = JSON.stringify({ auths: { [o.server]: entry } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    data: { '.dockerconfigjson': Buffer.from(json).toString('base64') },
    type: 'kubernetes.io/dockerconfigjson',
  } as unknown as K8sObject;
}

/** `create service clusterip NAME --tcp=port[:targetPort]`. */
export function clusterIPServiceObject(name: string, o: { tcp: string[]; clusterIP: string }): K8sObject {
  const ports = o.tcp.map((t) => {
    const [p, tp] = t.split(':');
    const port = Number(p);
    const target = tp === undefined ? port : /^\d+$/.test(tp) ? Number(tp) : tp;
    if (!Number.isInteger(port) || port < 1 || port > 65535 || (typeof target === 'number' && (target < 1 || target > 65535))) throw new UsageError(`invalid port "${t}"`, { hint: 'write --tcp=PORT or --tcp=PORT:TARGETPORT with ports 1-65535' });
    return { name: tp === undefined ? p : `${p}-${tp}`, port, protocol: 'TCP', targetPort: target };
  });
  if (!ports.length && o.clusterIP !== 'None') throw new UsageError('at least one tcp port specifier must be provided', { hint: 'give --tcp=PORT[:TARGETPORT]' });
  const spec: Record<string, unknown> = { ports, selector: { app: name }, type: 'ClusterIP' };
  if (o.clusterIP) spec.clusterIP = o.clusterIP;
  if (!ports.length) delete spec.ports;
  return { apiVersion: 'v1', kind: 'Service', metadata: { labels: { app: name }, name }, spec, status: { loadBalancer: {} } } as unknown as K8sObject;
}
