import { X509Certificate, createPrivateKey } from 'node:crypto';
import path from 'node:path';
import type { Context } from '../context';
import { UserError } from '../errors';
import type { KubeClient } from '../kube/client';
import type { K8sObject } from '../kube/types';
import { CA_NAMES, PKI_NAMES, readPki, writePki, type PkiBundle, type PkiName } from '../install/pki';
import { issueCertificate, issuerOf } from '../pki/x509';
import { writeFileAtomic } from '../util/fsx';
import { ISSUER, readSecrets, type CheckOptions, type SecretData } from './check';

export const LEAF_NAMES = PKI_NAMES.filter((n) => !(CA_NAMES as readonly string[]).includes(n));
export const RESTART_ANNOTATION = 'karmada.io/restartedAt';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface RenewOptions extends CheckOptions {
  names: PkiName[];
  validityMs: number;
  dryRun: boolean;
  waitTimeoutMs: number;
}

export interface RenewStep {
  step: string;
  detail: string;
}

/** The names of `renew all|<name>...`: leaves only (the CA is never changed). */
export function renewNames(args: string[]): PkiName[] {
  if (!args.length) throw new UserError('certs renew needs what to renew', { hint: `pass all, or one or more of ${LEAF_NAMES.join(', ')}` });
  if (args.includes('all')) return [...LEAF_NAMES];
  for (const a of args) {
    if ((CA_NAMES as readonly string[]).includes(a)) throw new UserError(`${a} is a CA: renew never changes a CA`, { hint: `renew the leaves it signs; to replace the CAs run init --rotate-ca` });
    if (!(LEAF_NAMES as string[]).includes(a)) throw new UserError(`unknown certificate "${a}"`, { hint: `pass all, or one or more of ${LEAF_NAMES.join(', ')}` });
  }
  return [...new Set(args)] as PkiName[];
}

/** Subject, SANs and usages of an existing certificate, as a request for issueCertificate. */
function requestOf(c: X509Certificate) {
  const parts = c.subject.split('\n');
  const cn = parts.find((p) => p.startsWith('CN='))?.slice(3) ?? '';
  const orgs = parts.filter((p) => p.startsWith('O=')).map((p) => p.slice(2));
  const sans = (c.subjectAltName ?? '').split(', ').filter(Boolean);
  const dns = sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  const ips = sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11));
  const eku = c.keyUsage ?? [];
  return { cn, orgs: orgs.length ? orgs : undefined, dns, ips, ...(eku.length ? { server: eku.includes(SERVER_AUTH), client: eku.includes(CLIENT_AUTH) } : {}) };
}

/** The PKI to renew from: the local files when the CAs are there, else the host cluster's secrets. */
function bundleFromSecrets(s: SecretData): PkiBundle {
  const out: PkiBundle = {};
  const kc = s['karmada-cert'] ?? {};
  for (const n of PKI_NAMES) if (kc[`${n}.crt`]) out[n] = { cert: kc[`${n}.crt`], key: kc[`${n}.key`] ?? '' };
  const ec = s['etcd-cert'] ?? {};
  if (ec['etcd-ca.crt'] && !out['etcd-ca']?.key) out['etcd-ca'] = { cert: ec['etcd-ca.crt'], key: ec['etcd-ca.key'] ?? '' };
  return out;
}

/** Re-issues the leaves with their CAs; checks everything first (nothing is written on a problem). */
export function reissue(b: PkiBundle, names: PkiName[], source: string, validityMs: number, now: Date): PkiBundle {
  const out: PkiBundle = {};
  for (const n of names) {
    const pair = b[n];
    if (!pair?.cert) {
      if (n.startsWith('etcd-') && !b['etcd-ca']?.key) continue; // external etcd: not ours
      throw new UserError(`${n}.crt is missing in ${source}`, { hint: 'run init again to issue it (re-running is safe)' });
    }
    const caName = ISSUER[n]!;
    const ca = b[caName];
    if (!ca?.cert) throw new UserError(`${caName}.crt is missing in ${source}: ${n} cannot be renewed`, { hint: `restore ${caName}.crt and ${caName}.key from a backup` });
    if (!ca.key) throw new UserError(`${caName}.key is missing in ${source}: ${n} cannot be renewed without the CA's private key`, { hint: `put ${caName}.key next to ${caName}.crt, or renew from the host cluster's secrets (pass --karmada-pki to an empty directory)` });
    let leaf: X509Certificate;
    let caCert: X509Certificate;
    try {
      leaf = new X509Certificate(pair.cert);
      caCert = new X509Certificate(ca.cert);
    } catch {
      throw new UserError(`${n}.crt or ${caName}.crt in ${source} is not a PEM certificate`, { hint: 'restore it from a backup or from the karmada-cert secret' });
    }
    try {
      if (!caCert.checkPrivateKey(createPrivateKey(ca.key))) throw new Error('mismatch');
    } catch {
      throw new UserError(`${caName}.key in ${source} is not the key of ${caName}.crt`, { hint: `restore ${caName}.key from a backup` });
    }
    if (!leaf.verify(caCert.publicKey)) throw new UserError(`${n}.crt in ${source} was not signed by ${caName}.crt: renewing it with that CA would change who trusts it`, { hint: `restore the ${caName} that signed it, or run init --rotate-ca to replace the CAs on purpose` });
    if (!pair.key) throw new UserError(`${n}.key is missing in ${source}`, { hint: 'run init again to issue a new pair (re-running is safe)' });
    try {
      if (!leaf.checkPrivateKey(createPrivateKey(pair.key))) throw new Error('mismatch');
    } catch {
      throw new UserError(`${n}.key in ${source} is not the key of ${n}.crt`, { hint: 'run init again to issue a new pair (re-running is safe)' });
    }
    const issuer = issuerOf(ca.cert, ca.key);
    const notAfter = new Date(Math.min(now.getTime() + validityMs, Date.parse(caCert.validTo)));
    const notBefore = issuer.notBefore.getTime() > now.getTime() ? now : issuer.notBefore;
    out[n] = { cert: issueCertificate(requestOf(leaf), pair.key, notBefore, notAfter, issuer).pem, key: pair.key };
  }
  return out;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

const spkiOf = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/**
 * A kubeconfig with every client certificate of the renewed key replaced by `newPem` (matched by public
 * key, not by bytes: a copy left behind by an interrupted run, or an older one, is replaced too).
 */
async function replaceClientCert(text: string, newPem: string): Promise<string | undefined> {
  const { parse, stringify } = await import('yaml');
  const doc = parse(text) as { users?: { user?: Record<string, string> }[] };
  const want = spkiOf(newPem);
  const newB64 = b64(newPem);
  let changed = false;
  for (const u of doc?.users ?? []) {
    const d = u?.user?.['client-certificate-data'];
    if (!d || d === newB64) continue;
    let spki = '';
    try {
      spki = spkiOf(Buffer.from(d, 'base64').toString());
    } catch {
      /* not a certificate of ours */
    }
    if (spki === want) {
      u.user!['client-certificate-data'] = newB64;
      changed = true;
    }
  }
  return changed ? stringify(doc, { lineWidth: 0 }) : undefined;
}

export interface RenewResult {
  source: string;
  renewed: { name: string; notAfter: string }[];
  steps: RenewStep[];
  dryRun: boolean;
}

/** certs renew: re-issue, write files and secrets, regenerate kubeconfigs, roll the workloads (etcd last), wait. */
export async function runRenew(ctx: Context, o: RenewOptions, report: (s: RenewStep) => void, now = new Date()): Promise<RenewResult> {
  const pkiDir = path.resolve(ctx.cwd, o.pkiDir);
  const { connect } = await import('../kube/factory');
  const { client: host } = await connect(ctx, { path: o.kubeconfig, context: o.context, purpose: 'host cluster' });
  const steps: RenewStep[] = [];
  const step = (s: string, d: string) => {
    const x = { step: s, detail: d };
    steps.push(x);
    report(x);
  };
  try {
    const { secrets, configSecrets } = await readSecrets(host, o.namespace);
    const local = await readPki(pkiDir);
    const useLocal = !!local?.ca?.cert;
    const source = useLocal ? pkiDir : `secret ${o.namespace}/karmada-cert`;
    const bundle = useLocal ? local! : bundleFromSecrets(secrets);
    const fresh = reissue(bundle, o.names, source, o.validityMs, now);
    const renewed = Object.entries(fresh).map(([name, p]) => ({ name, notAfter: new Date(new X509Certificate(p!.cert).validTo).toISOString() }));
    step('source', `renewing from ${source}${useLocal ? '' : ' (no local PKI under ' + pkiDir + ')'}`);
    for (const r of renewed) step('issue', `${r.name}.crt re-issued by ${ISSUER[r.name as PkiName]} (key kept), valid until ${r.notAfter}${o.dryRun ? ' (dry run: not written)' : ''}`);

    // Everything to write, computed before the first write.
    const patches: { name: string; data: Record<string, string> }[] = [];
    const kc: Record<string, string> = {};
    for (const [n, p] of Object.entries(fresh)) kc[`${n}.crt`] = b64(p!.cert);
    patches.push({ name: 'karmada-cert', data: kc });
    if (fresh['etcd-server'] && secrets['etcd-cert']) patches.push({ name: 'etcd-cert', data: { 'etcd-server.crt': b64(fresh['etcd-server'].cert) } });
    if (fresh.karmada && secrets['karmada-webhook-cert']) patches.push({ name: 'karmada-webhook-cert', data: { 'tls.crt': b64(fresh.karmada.cert) } });
    let localKubeconfig: string | undefined;
    const kubeconfigPath = path.join(path.resolve(ctx.cwd, o.dataDir), 'karmada-apiserver.config');
    if (fresh.karmada) {
      for (const name of configSecrets) {
        const text = await replaceClientCert(secrets[name]!['karmada.config'], fresh.karmada.cert);
        if (text) patches.push({ name, data: { 'karmada.config': b64(text) } });
      }
      const { readFile } = await import('node:fs/promises');
      const cur = await readFile(kubeconfigPath, 'utf8').catch(() => undefined);
      if (cur) localKubeconfig = await replaceClientCert(cur, fresh.karmada.cert);
    }
    for (const p of patches) step('secret', `secret ${o.namespace}/${p.name}: ${Object.keys(p.data).join(', ')}${o.dryRun ? ' (dry run)' : ''}`);
    if (useLocal) step('files', `${Object.keys(fresh).map((n) => `${n}.crt`).join(', ')} under ${pkiDir}${o.dryRun ? ' (dry run)' : ''}`);
    if (localKubeconfig) step('kubeconfig', `${kubeconfigPath}${o.dryRun ? ' (dry run)' : ''}`);

    // etcd last, unless its serving certificate has already expired: then nothing can reach it until
    // it restarts, and the API server would never become ready before it.
    const etcdExpired = !!bundle['etcd-server']?.cert && fresh['etcd-server'] !== undefined && Date.parse(new X509Certificate(bundle['etcd-server'].cert).validTo) <= now.getTime();
    const workloads = await rolloutTargets(host, o.namespace, etcdExpired);
    if (etcdExpired) step('order', 'etcd-server.crt has expired: etcd is restarted first');
    for (const w of workloads) step('restart', `${w.kind.toLowerCase()} ${o.namespace}/${w.metadata.name}${o.dryRun ? ' (dry run)' : ''}`);
    if (o.dryRun) return { source, renewed, steps, dryRun: true };

    // Files first: an interrupted run re-reads them and finishes the job (the CA never changes).
    if (useLocal) await writePki(pkiDir, Object.fromEntries(Object.entries(fresh).map(([n, p]) => [n, p])) as PkiBundle);
    for (const p of patches) await host.patch({ apiVersion: 'v1', kind: 'Secret', namespace: o.namespace, name: p.name }, { data: p.data }, 'merge');
    if (localKubeconfig) await writeFileAtomic(kubeconfigPath, localKubeconfig, 0o600);
    const stamp = now.toISOString();
    const { waitUntil, workloadReadiness } = await import('../kube/wait');
    for (const w of workloads) {
      const ref = { apiVersion: 'apps/v1', kind: w.kind, namespace: o.namespace, name: w.metadata.name };
      await host.patch(ref, { spec: { template: { metadata: { annotations: { [RESTART_ANNOTATION]: stamp } } } } }, 'merge');
      await waitUntil<K8sObject>(host, { apiVersion: 'apps/v1', kind: w.kind, namespace: o.namespace, name: w.metadata.name }, (objs) => {
        const r = objs[0] ? rolledOut(objs[0], workloadReadiness(objs[0] as never)) : { ready: false, detail: `${w.kind.toLowerCase()} ${w.metadata.name}: not found` };
        return { ready: r.ready, pending: [r.detail] };
      }, { timeoutMs: o.waitTimeoutMs, what: `${w.kind}(${o.namespace}/${w.metadata.name}) to restart`, hint: `re-running certs renew is safe; pods: kubectl -n ${o.namespace} get pods` });
      step('ready', `${w.kind.toLowerCase()} ${o.namespace}/${w.metadata.name} restarted and ready`);
    }
    return { source, renewed, steps, dryRun: false };
  } finally {
    host.close();
  }
}

/**
 * A restart is done when no pod of the old template is left (as `kubectl rollout status` waits):
 * readiness alone counts the old, still Ready pods of a rolling update — on the real harness renew
 * went on to etcd before the new karmada-apiserver pod was Ready.
 */
function rolledOut(w: K8sObject, r: { ready: boolean; detail: string }): { ready: boolean; detail: string } {
  const st = ((w as { status?: Record<string, unknown> }).status ?? {}) as { replicas?: number; updatedReplicas?: number; availableReplicas?: number; currentRevision?: string; updateRevision?: string };
  const updated = st.updatedReplicas ?? 0;
  if ((st.replicas ?? 0) > updated) return { ready: false, detail: `${r.detail}, ${(st.replicas ?? 0) - updated} old replicas pending termination` };
  if (w.kind === 'Deployment' && (st.availableReplicas ?? 0) < updated) return { ready: false, detail: `${r.detail}, ${st.availableReplicas ?? 0}/${updated} updated replicas available` };
  if (w.kind === 'StatefulSet' && st.updateRevision && st.currentRevision !== st.updateRevision) return { ready: false, detail: `${r.detail}, revision ${st.updateRevision} rolling out` };
  return r;
}

/** Workloads that mount init's certificates: Deployments first (karmada-apiserver first), the etcd StatefulSet last (first when etcdFirst). */
async function rolloutTargets(host: KubeClient, ns: string, etcdFirst = false): Promise<K8sObject[]> {
  const mounts = (w: K8sObject) => {
    const vols = ((w.spec as any)?.template?.spec?.volumes ?? []) as { secret?: { secretName?: string } }[];
    return vols.some((v) => v.secret?.secretName && ['karmada-cert', 'etcd-cert', 'karmada-webhook-cert'].includes(v.secret.secretName) || /-config$/.test(v.secret?.secretName ?? ''));
  };
  const deps = (await host.list<K8sObject>('apps/v1', 'Deployment', { namespace: ns })).items.filter(mounts);
  const sts = (await host.list<K8sObject>('apps/v1', 'StatefulSet', { namespace: ns })).items.filter(mounts);
  deps.sort((a, b) => (a.metadata.name === 'karmada-apiserver' ? -1 : b.metadata.name === 'karmada-apiserver' ? 1 : a.metadata.name.localeCompare(b.metadata.name)));
  const d = deps.map((x) => ({ ...x, kind: 'Deployment' }));
  const st = sts.map((x) => ({ ...x, kind: 'StatefulSet' }));
  return etcdFirst ? [...st, ...d] : [...d, ...st];
}
