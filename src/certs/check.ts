import path from 'node:path';
import type { Context } from '../context';
import { UserError } from '../errors';
import type { KubeClient } from '../kube/client';
import type { K8sObject } from '../kube/types';
import { CA_NAMES, PKI_NAMES, type PkiName } from '../install/pki';
import { readTextBounded, type FileReadError } from '../util/fsx';
import { buildReport, type CertCopy, type CertSpec, type Report } from './report';

/** Which CA signs which leaf (init.md §5). */
export const ISSUER: Partial<Record<PkiName, PkiName>> = { karmada: 'ca', apiserver: 'ca', 'front-proxy-client': 'front-proxy-ca', 'etcd-server': 'etcd-ca', 'etcd-client': 'etcd-ca' };
const MAX_FILE = 1 << 20;
const PEM_CERT = /-----BEGIN CERTIFICATE-----/;

export interface CheckOptions {
  namespace: string;
  kubeconfig: string;
  context: string;
  pkiDir: string;
  dataDir: string;
}

export type SecretData = Record<string, Record<string, string> | undefined>;

/** Reads a file of at most 1 MiB (fsx's bounded read); undefined when it does not exist. */
async function readSmall(file: string): Promise<string | undefined> {
  try {
    return await readTextBounded(file, { limit: MAX_FILE, what: 'certificate file', hint: 'check --karmada-pki and --karmada-data, and run as a user who can read them' });
  } catch (e) {
    if ((e as FileReadError).errno === 'ENOENT') return undefined;
    throw e;
  }
}

function requirePem(where: string, pem: string, fix: string): string {
  if (!PEM_CERT.test(pem)) throw new UserError(`${where} is not a PEM certificate`, { hint: fix });
  return pem;
}

/** Local state: the PKI files, whether each CA key is there, and the local karmada kubeconfig. */
export interface LocalState {
  pkiDir: string;
  certs: Partial<Record<PkiName, string>>;
  keys: Set<PkiName>;
  kubeconfigPath: string;
  kubeconfig?: string;
}

export async function readLocal(pkiDir: string, dataDir: string): Promise<LocalState> {
  const certs: LocalState['certs'] = {};
  const keys = new Set<PkiName>();
  for (const n of PKI_NAMES) {
    const crt = await readSmall(path.join(pkiDir, `${n}.crt`));
    if (crt) certs[n] = requirePem(`file ${path.join(pkiDir, `${n}.crt`)}`, crt, `restore it from the karmada-cert secret, or remove it to check the host cluster's copies only`);
    if ((CA_NAMES as readonly string[]).includes(n) && (await readSmall(path.join(pkiDir, `${n}.key`)))) keys.add(n);
  }
  const kubeconfigPath = path.join(dataDir, 'karmada-apiserver.config');
  return { pkiDir, certs, keys, kubeconfigPath, kubeconfig: await readSmall(kubeconfigPath) };
}

/** The certificates embedded in a kubeconfig: client certificates and CA data of every user and cluster. */
async function kubeconfigCerts(text: string, where: string): Promise<{ client: string[]; ca: string[] }> {
  const { parse } = await import('yaml');
  let doc: any;
  try {
    doc = parse(text);
  } catch {
    throw new UserError(`${where} is not a kubeconfig (not YAML)`, { hint: `run init again to regenerate it` });
  }
  const b64 = (v: unknown, what: string) => {
    const pem = Buffer.from(String(v), 'base64').toString('utf8');
    return requirePem(`${where} ${what}`, pem, 'run init again to regenerate it');
  };
  const client = ((doc?.users ?? []) as any[]).map((u) => u?.user?.['client-certificate-data']).filter(Boolean).map((v) => b64(v, 'client-certificate-data'));
  const ca = ((doc?.clusters ?? []) as any[]).map((c) => c?.cluster?.['certificate-authority-data']).filter(Boolean).map((v) => b64(v, 'certificate-authority-data'));
  return { client, ca };
}

const decode = (v: string | undefined) => (v ? Buffer.from(v, 'base64').toString('utf8') : '');

/** Reads init's secrets from the host cluster; no karmada-cert secret means no Karmada there. */
export async function readSecrets(host: KubeClient, ns: string): Promise<{ secrets: SecretData; configSecrets: string[] }> {
  const noKarmada = (why: string) => new UserError(`no Karmada control plane in namespace ${ns} of the host cluster at ${host.server}: ${why}`, { hint: 'pass -n with the namespace init used, and --kubeconfig/--context of the host cluster' });
  if (!(await host.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) throw noKarmada(`namespace ${ns} not found`);
  const list = await host.list<K8sObject & { data?: Record<string, string> }>('v1', 'Secret', { namespace: ns });
  const byName = new Map(list.items.map((s) => [s.metadata.name, s]));
  if (!byName.has('karmada-cert')) throw noKarmada('secret karmada-cert not found');
  const secrets: SecretData = {};
  const configSecrets: string[] = [];
  for (const [name, s] of byName) {
    if (name === 'karmada-cert' || name === 'etcd-cert' || name === 'karmada-webhook-cert' || (name.endsWith('-config') && s.data?.['karmada.config'])) {
      secrets[name] = Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decode(v)]));
      if (name.endsWith('-config')) configSecrets.push(name);
    }
  }
  return { secrets, configSecrets: configSecrets.sort() };
}

/** Every copy of every certificate: files, secrets, kubeconfigs (in cluster and local). */
export async function collectSpecs(local: LocalState, ns: string, s: SecretData, configSecrets: string[]): Promise<CertSpec[]> {
  const copies = new Map<PkiName, CertCopy[]>(PKI_NAMES.map((n) => [n, []]));
  const add = (n: PkiName, where: string, pem: string | undefined) => {
    if (pem && pem.trim()) copies.get(n)!.push({ where, pem: requirePem(where, pem, `restore the secret with ${'init'} (re-running it is safe), or fix the value`) });
  };
  for (const n of PKI_NAMES) if (local.certs[n]) copies.get(n)!.push({ where: `file ${path.join(local.pkiDir, `${n}.crt`)}`, pem: local.certs[n]! });
  const sec = (name: string, key: string) => `secret ${ns}/${name}[${key}]`;
  for (const n of PKI_NAMES) add(n, sec('karmada-cert', `${n}.crt`), s['karmada-cert']?.[`${n}.crt`]);
  add('etcd-ca', sec('etcd-cert', 'etcd-ca.crt'), s['etcd-cert']?.['etcd-ca.crt']);
  add('etcd-server', sec('etcd-cert', 'etcd-server.crt'), s['etcd-cert']?.['etcd-server.crt']);
  add('karmada', sec('karmada-webhook-cert', 'tls.crt'), s['karmada-webhook-cert']?.['tls.crt']);
  const fromKubeconfig = async (text: string, where: string) => {
    const k = await kubeconfigCerts(text, where);
    for (const c of k.client) add('karmada', `${where} client-certificate`, c);
    for (const c of k.ca) add('ca', `${where} certificate-authority`, c);
  };
  for (const name of configSecrets) await fromKubeconfig(s[name]!['karmada.config'], sec(name, 'karmada.config'));
  if (local.kubeconfig) await fromKubeconfig(local.kubeconfig, `kubeconfig ${local.kubeconfigPath}`);
  const keyIn = (n: PkiName) => local.keys.has(n) || !!s['karmada-cert']?.[`${n}.key`]?.trim() || (n === 'etcd-ca' && !!s['etcd-cert']?.['etcd-ca.key']?.trim());
  return PKI_NAMES.map((n) => {
    const ca = (CA_NAMES as readonly string[]).includes(n);
    return { name: n, ca, issuer: ISSUER[n], copies: copies.get(n)!, ...(ca ? { keyPresent: keyIn(n) } : {}) };
  });
}

export interface CheckResult {
  report: Report;
  /** Where the certificates came from (for the stderr note). */
  sources: { pkiDir: string; pkiFiles: number; kubeconfig?: string; host: string; namespace: string; secrets: string[] };
}

/** check-expiration: reads everything, changes nothing. */
export async function checkExpiration(ctx: Context, o: CheckOptions, now = new Date()): Promise<CheckResult> {
  const pkiDir = path.resolve(ctx.cwd, o.pkiDir);
  const local = await readLocal(pkiDir, path.resolve(ctx.cwd, o.dataDir));
  const { connect } = await import('../kube/factory');
  const { client: host } = await connect(ctx, { path: o.kubeconfig, context: o.context, purpose: 'host cluster' });
  try {
    const { secrets, configSecrets } = await readSecrets(host, o.namespace);
    const specs = await collectSpecs(local, o.namespace, secrets, configSecrets);
    return {
      report: buildReport(specs, now),
      sources: { pkiDir, pkiFiles: Object.keys(local.certs).length, kubeconfig: local.kubeconfig ? local.kubeconfigPath : undefined, host: host.server, namespace: o.namespace, secrets: Object.keys(secrets).sort() },
    };
  } finally {
    host.close();
  }
}
