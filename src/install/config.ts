import { readTextBounded } from '../util/fsx';
import { parseAllDocuments } from 'yaml';
import { shown } from '../util/validate';
import { UserError } from '../errors';

type Any = Record<string, any>;

/**
 * `--config` (KarmadaInitConfig, init.md §3), merged into the flag values: like the reference, a value
 * set in the file (non-empty, non-zero) wins over the flag; unlike it, unknown keys are reported.
 */
export async function mergeInitConfig(file: string, flags: Record<string, unknown>): Promise<{ flags: Record<string, unknown>; warnings: string[] }> {
  let text: string;
  try {
    text = await readTextBounded(file, { limit: 4 << 20, what: 'karmada init configuration (--config)' });
  } catch (e) {
    throw new UserError(`failed to load karmada init configuration: ${(e as Error).message}`, { hint: 'check the path given with --config' });
  }
  // Only the first YAML document is decoded, as the reference's decoder does; a trailing `---` is fine.
  const docs = parseAllDocuments(text);
  const doc = Array.isArray(docs) ? docs[0] : docs;
  const err = doc?.errors[0];
  if (err) throw new UserError(`failed to load karmada init configuration: ${file} line ${err.linePos?.[0]?.line ?? '?'}: ${shownLine(err.message.split('\n')[0])}`);
  let raw: unknown;
  try {
    raw = doc ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  } catch (e) {
    throw new UserError(`failed to load karmada init configuration: ${file}: ${shownLine((e as Error).message.split('\n')[0])}`);
  }
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw new UserError(`failed to load karmada init configuration: ${file} is not a YAML mapping (got ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`})`, { hint: 'start the file with apiVersion: config.karmada.io/v1alpha1 and kind: KarmadaInitConfig' });
  const cfg = (raw ?? {}) as Any;
  if (!cfg.apiVersion || !cfg.kind) throw new UserError('failed to load karmada init configuration: kind and apiVersion is mandatory', { hint: 'start the file with apiVersion: config.karmada.io/v1alpha1 and kind: KarmadaInitConfig' });
  if (cfg.kind !== 'KarmadaInitConfig') throw new UserError('failed to load karmada init configuration: no KarmadaInitConfig kind was found in the YAML file');
  if (cfg.apiVersion !== 'config.karmada.io/v1alpha1') throw new UserError(`failed to load karmada init configuration: invalid Group or Version: expected group "config.karmada.io" and version "v1alpha1", got ${cfg.apiVersion}`);
  const warnings: string[] = [];
  checkTypes(cfg.spec ?? {}, SPEC, 'spec', warnings);
  const spec = lowerKeys(cfg.spec ?? {});
  const out = { ...flags };
  const set = (flag: string, v: unknown) => {
    if (v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length)) return;
    out[flag] = v;
  };
  const image = (c: Any | undefined) => (c?.repository && c?.tag ? `${c.repository}:${c.tag}` : undefined);
  const extra = (flag: string, c: Any | undefined) => {
    const args = (c?.extraargs ?? []) as { name?: string; value?: string }[];
    if (!args.length) return;
    args.forEach((a, i) => {
      if (!a?.name) throw new UserError(`failed to parse karmada init configuration: the extra args[${i}] name is empty`);
    });
    const merged = new Map<string, string>();
    for (const a of (out[flag] as string[] | undefined) ?? []) {
      const [k, ...v] = a.replace(/^--/, '').split('=');
      merged.set(k, v.join('='));
    }
    for (const a of args) merged.set(a.name!, a.value ?? '');
    out[flag] = [...merged].map(([k, v]) => (v ? `--${k}=${v}` : `--${k}`));
  };
  const h = spec.hostcluster ?? {};
  set('kubeconfig', h.kubeconfig);
  set('context', h.context);
  set('host-cluster-domain', h.domain);
  const im = spec.images ?? {};
  set('kube-image-tag', im.kubeimagetag);
  set('kube-image-registry', im.kubeimageregistry);
  set('kube-image-mirror-country', im.kubeimagemirrorcountry);
  set('private-image-registry', im.privateregistry?.registry);
  set('image-pull-policy', im.imagepullpolicy);
  set('image-pull-secrets', im.imagepullsecrets);
  set('wait-component-ready-timeout', spec.waitcomponentreadytimeout);
  const ce = spec.certificates ?? {};
  set('ca-cert-file', ce.cacertfile);
  set('ca-key-file', ce.cakeyfile);
  set('cert-external-dns', (ce.externaldns ?? []).join(','));
  set('cert-external-ip', (ce.externalip ?? []).join(','));
  set('cert-validity-period', ce.validityperiod);
  const etcd = spec.etcd ?? {};
  if (etcd.local) {
    const l = etcd.local;
    set('etcd-image', image(l));
    set('etcd-data', l.datapath);
    set('etcd-pvc-size', l.pvcsize);
    set('etcd-storage-mode', l.storagemode);
    set('storage-classes-name', l.storageclassesname);
    set('etcd-replicas', l.replicas);
    set('etcd-node-selector-labels', Object.entries(l.nodeselectorlabels ?? {}).map(([k, v]) => `${k}=${v}`).join(','));
    extra('etcd-extra-args', l);
  } else if (etcd.external) {
    const x = etcd.external;
    set('external-etcd-servers', (x.endpoints ?? []).join(','));
    set('external-etcd-ca-cert-path', x.cafile);
    set('external-etcd-client-cert-path', x.certfile);
    set('external-etcd-client-key-path', x.keyfile);
    set('external-etcd-key-prefix', x.keyprefix);
  }
  const comp = spec.components ?? {};
  const a = comp.karmadaapiserver;
  if (a) {
    set('karmada-apiserver-image', image(a));
    set('karmada-apiserver-replicas', a.replicas);
    set('karmada-apiserver-advertise-address', a.advertiseaddress);
    set('port', a.networking?.port);
    set('namespace', a.networking?.namespace);
    extra('karmada-apiserver-extra-args', a);
  }
  for (const [key, flag] of [['karmadacontrollermanager', 'karmada-controller-manager'], ['karmadascheduler', 'karmada-scheduler'], ['karmadawebhook', 'karmada-webhook'], ['karmadaaggregatedapiserver', 'karmada-aggregated-apiserver'], ['kubecontrollermanager', 'karmada-kube-controller-manager']] as const) {
    const c = comp[key];
    if (!c) continue;
    set(`${flag}-image`, image(c));
    set(`${flag}-replicas`, c.replicas);
    extra(`${flag}-extra-args`, c);
  }
  set('crds', spec.karmadacrds);
  set('karmada-data', spec.karmadadatapath);
  set('karmada-pki', spec.karmadapkipath);
  return { flags: out, warnings };
}

/** The reference decodes case-insensitively; keys are matched lower-cased. */
function lowerKeys(v: any): any {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), k.toLowerCase() === 'nodeselectorlabels' ? x : lowerKeys(x)]));
  return v;
}

const shownLine = (m: string) => shown(m, 200).slice(1, -1);

/** The type of each KarmadaInitConfig field (keys lower-cased: the reference matches them case-insensitively). */
type Schema = 'string' | 'int32' | 'duration' | 'strings' | 'stringMap' | 'object' | 'objects' | 'extraArgs' | { [key: string]: Schema };
const COMMON: Record<string, Schema> = { repository: 'string', tag: 'string', replicas: 'int32', resources: 'object', nodeselector: 'stringMap', tolerations: 'objects', affinity: 'object', extraargs: 'extraArgs' };
const SPEC: Schema = {
  hostcluster: { apiendpoint: 'string', kubeconfig: 'string', context: 'string', domain: 'string', secretref: { namespace: 'string', name: 'string' } },
  etcd: {
    local: { ...COMMON, datapath: 'string', pvcsize: 'string', nodeselectorlabels: 'stringMap', storagemode: 'string', storageclassesname: 'string' },
    external: { endpoints: 'strings', cafile: 'string', certfile: 'string', keyfile: 'string', keyprefix: 'string' },
  },
  images: { imagepullpolicy: 'string', imagepullsecrets: 'strings', kubeimagemirrorcountry: 'string', kubeimageregistry: 'string', kubeimagetag: 'string', privateregistry: { registry: 'string' } },
  components: {
    karmadaapiserver: { ...COMMON, advertiseaddress: 'string', networking: { namespace: 'string', port: 'int32' }, serviceannotations: 'stringMap' },
    karmadaaggregatedapiserver: COMMON,
    kubecontrollermanager: COMMON,
    karmadacontrollermanager: COMMON,
    karmadascheduler: COMMON,
    karmadawebhook: COMMON,
  },
  karmadacrds: 'string',
  karmadadatapath: 'string',
  karmadapkipath: 'string',
  certificates: { cacertfile: 'string', cakeyfile: 'string', externaldns: 'strings', externalip: 'strings', validityperiod: 'duration' },
  waitcomponentreadytimeout: 'int32',
};

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'number' ? (Number.isInteger(v) ? 'an integer' : 'a number') : `a ${typeof v}`);

/** Field by field, as the reference's strict JSON decoding would: a wrong type is an error naming its path; unknown fields are ignored (reported as warnings). */
function checkTypes(v: unknown, schema: Schema, at: string, warnings: string[]): void {
  if (v === null || v === undefined) return; // null leaves the zero value, as in Go
  const bad = (want: string) => new UserError(`failed to load karmada init configuration: ${at}: expected ${want}, got ${kindOf(v)}`, { hint: `fix ${at} in the --config file` });
  if (typeof schema === 'object') {
    if (typeof v !== 'object' || Array.isArray(v)) throw bad('a mapping');
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const sub = schema[k.toLowerCase()];
      if (sub === undefined) warnings.push(`--config: unknown field ${at}.${shownLine(k)} ignored`);
      else checkTypes(x, sub, `${at}.${k}`, warnings);
    }
    return;
  }
  switch (schema) {
    case 'string':
    case 'duration':
      if (typeof v !== 'string') throw bad(schema === 'duration' ? 'a duration string such as 8760h' : 'a string');
      return;
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad('an integer');
      if (v < -(2 ** 31) || v > 2 ** 31 - 1) throw new UserError(`failed to load karmada init configuration: ${at}: ${v} is out of range for a 32-bit integer`, { hint: `fix ${at} in the --config file` });
      return;
    case 'strings':
      if (!Array.isArray(v)) throw bad('a list of strings');
      v.forEach((x, i) => checkTypes(x, 'string', `${at}[${i}]`, warnings));
      return;
    case 'stringMap':
      if (typeof v !== 'object' || Array.isArray(v)) throw bad('a mapping of strings');
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) checkTypes(x, 'string', `${at}.${shownLine(k)}`, warnings);
      return;
    case 'object':
      if (typeof v !== 'object' || Array.isArray(v)) throw bad('a mapping');
      return;
    case 'objects':
      if (!Array.isArray(v)) throw bad('a list');
      v.forEach((x, i) => checkTypes(x, 'object', `${at}[${i}]`, warnings));
      return;
    case 'extraArgs':
      if (!Array.isArray(v)) throw bad('a list of {name, value}');
      v.forEach((x, i) => checkTypes(x, { name: 'string', value: 'string' }, `${at}[${i}]`, warnings));
      return;
  }
}
