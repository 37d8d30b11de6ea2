import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile, chmod, mkdtemp, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { nodes } from '../support/apiserver';
import { startKarmadaHost, type KarmadaHost } from '../support/karmada-host';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const LEAVES = ['karmada', 'apiserver', 'front-proxy-client', 'etcd-server', 'etcd-client'];
const CAS = ['ca', 'front-proxy-ca', 'etcd-ca'];

/** Host-side state that check-expiration must never change. */
function snapshot(e: KarmadaHost): string {
  return JSON.stringify(e.host.store.list('v1', 'Secret', 'karmada-system').map((s) => [s.metadata.name, s.metadata.resourceVersion, s.data]));
}

describe('certs check-expiration against an init install', () => {
  let env: KarmadaHost;
  const check = (extra: string[] = []) => runCli(['certs', 'check-expiration', ...env.flags().filter((_, i, a) => !['--port', '--wait-component-ready-timeout'].includes(a[i]) && !['--port', '--wait-component-ready-timeout'].includes(a[i - 1])), ...extra]);

  beforeAll(async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    // Leaves valid for 2 hours: every leaf is "expiring" at once.
    const r = await runCli(['init', ...env.flags(['--crds', CRDS, '--key-algorithm', 'ecdsa-p256', '--cert-validity-period', '2h'])]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
  }, 120_000);
  afterAll(async () => env?.close());

  it('short-lived leaves: kubeadm-style tables, each leaf named with its CA, exit 2, warnings on stderr, nothing changed', async () => {
    const before = snapshot(env);
    const r = await check();
    expect(r.code).toBe(2);
    const [certs, cas] = r.stdout.split('\n\n');
    const certRows = certs.trim().split('\n');
    expect(certRows[0]).toMatch(/^CERTIFICATE\s+WHERE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+COPIES AGREE\s+SIGNED BY CA$/);
    expect(certRows.slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual([...LEAVES].sort());
    for (const l of certRows.slice(1)) {
      expect(l).toMatch(/ (1h|59m|2h) /); // residual of a 2h certificate
      expect(l).toMatch(/ yes\s+yes$/);
    }
    expect(certRows.find((l) => l.startsWith('karmada '))).toMatch(/^karmada\s+file,karmada-cert,karmada-webhook-cert,8 kubeconfig secrets,kubeconfig\s/);
    expect(certRows.find((l) => l.startsWith('etcd-server '))).toMatch(/\setcd-ca\s/);
    const caRows = cas.trim().split('\n');
    expect(caRows[0]).toMatch(/^CERTIFICATE AUTHORITY\s+WHERE\s+EXPIRES\s+RESIDUAL TIME\s+COPIES AGREE\s+EXTERNALLY MANAGED$/);
    expect(caRows.slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual([...CAS].sort());
    for (const l of caRows.slice(1)) expect(l).toMatch(/ (9y|10y) .*yes\s+no$/);
    for (const n of LEAVES) expect(r.stderr).toMatch(new RegExp(`warning: ${n} expires in (1h|59m|2h)`));
    expect(snapshot(env)).toBe(before);
  });

  it('-o json: every copy with its fingerprint; expiry equals the file certificate\'s notAfter', async () => {
    const r = await check(['-o', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    const karmada = j.certificates.find((c: any) => c.name === 'karmada');
    const file = new X509Certificate(await readFile(path.join(env.dir, 'pki', 'karmada.crt')));
    expect(karmada.expires).toBe(new Date(file.validTo).toISOString());
    expect(karmada.copies.length).toBeGreaterThanOrEqual(4);
    expect(new Set(karmada.copies.map((c: any) => c.sha256))).toEqual(new Set([file.fingerprint256]));
    expect(karmada.copies.map((c: any) => c.where)).toContain(`kubeconfig ${path.join(env.dir, 'data', 'karmada-apiserver.config')} client-certificate`);
    expect(j.certificateAuthorities.map((c: any) => c.name).sort()).toEqual([...CAS].sort());
    expect(j.problems.length).toBe(LEAVES.length);
    const y = await check(['-o', 'yaml']);
    expect(y.stdout).toMatch(/^checkedAt: /);
  });

  it('a secret copy that differs from the file is a finding naming both places', async () => {
    const s = env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-webhook-cert')!;
    const saved = s.data['tls.crt'];
    const other = env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-cert')!.data['apiserver.crt'];
    env.host.store.put({ ...s, data: { ...s.data, 'tls.crt': other } });
    try {
      const r = await check(['-o', 'json']);
      expect(r.code).toBe(2);
      const karmada = JSON.parse(r.stdout).certificates.find((c: any) => c.name === 'karmada');
      expect(karmada.copiesAgree).toBe(false);
      expect(r.stderr).toContain(`warning: karmada: copies differ: secret karmada-system/karmada-webhook-cert[tls.crt] differ from file ${path.join(env.dir, 'pki', 'karmada.crt')}`);
    } finally {
      const cur = env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-webhook-cert')!;
      env.host.store.put({ ...cur, data: { ...cur.data, 'tls.crt': saved } });
    }
  });

  it('a leaf signed by another CA is a finding (SIGNED BY CA no)', async () => {
    const { issueCertificate } = await import('../../src/pki/x509');
    const { generateKeyPairSync } = await import('node:crypto');
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const selfSigned = issueCertificate({ cn: 'front-proxy-client' }, key, new Date(Date.now() - 60_000), new Date(Date.now() + 400 * 86_400_000)).pem;
    const file = path.join(env.dir, 'pki', 'front-proxy-client.crt');
    const saved = await readFile(file, 'utf8');
    await writeFile(file, selfSigned);
    try {
      const r = await check();
      expect(r.code).toBe(2);
      expect(r.stdout.split('\n').find((l) => l.startsWith('front-proxy-client '))).toMatch(/\sno\s+no$/);
      expect(r.stderr).toContain(`warning: front-proxy-client: not signed by front-proxy-ca: file ${file}`);
    } finally {
      await writeFile(file, saved);
    }
  });

  it('no local PKI (files gone): the host cluster\'s copies are checked; a CA without a key anywhere is externally managed', async () => {
    const r = await check(['--karmada-pki', path.join(env.dir, 'nope'), '-o', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.sources.pkiFiles).toBe(0);
    expect(j.certificates.map((c: any) => c.name).sort()).toEqual([...LEAVES].sort());
    expect(j.certificateAuthorities.every((c: any) => c.externallyManaged === false)).toBe(true); // keys are in karmada-cert
  });

  it('bad input: no Karmada in the namespace, a non-PEM secret value, a non-PEM file, an unreadable file: one line, exit 1, nothing changed', async () => {
    const one = (r: { code: number; stderr: string; stdout: string }) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    expect(one(await check(['-n', 'elsewhere']))).toMatch(/^error: no Karmada control plane in namespace elsewhere of the host cluster at https:\/\/127\.0\.0\.1:\d+: namespace elsewhere not found; pass -n/);
    env.host.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } });
    expect(one(await check(['-n', 'empty']))).toMatch(/^error: no Karmada control plane in namespace empty .*: secret karmada-cert not found; /);

    const s = env.host.store.get('v1', 'Secret', 'karmada-system', 'etcd-cert')!;
    env.host.store.put({ ...s, data: { ...s.data, 'etcd-server.crt': Buffer.from('garbage').toString('base64') } });
    const before2 = snapshot(env);
    expect(one(await check())).toBe('error: secret karmada-system/etcd-cert[etcd-server.crt] is not a PEM certificate; restore the secret with init (re-running it is safe), or fix the value');
    expect(snapshot(env)).toBe(before2);
    const cur = env.host.store.get('v1', 'Secret', 'karmada-system', 'etcd-cert')!;
    env.host.store.put({ ...cur, data: { ...cur.data, 'etcd-server.crt': s.data['etcd-server.crt'] } });
    const before = snapshot(env);

    env.host.faults.add({ method: 'GET', path: /\/namespaces\/karmada-system\/secrets$/, status: 403, times: 1 });
    expect(one(await check())).toMatch(/^error: .*Forbidden/);
    env.host.faults.clear();

    const pki = await mkdtemp(path.join(os.tmpdir(), 'kc-certs-pki-'));
    await cp(path.join(env.dir, 'pki'), pki, { recursive: true });
    await writeFile(path.join(pki, 'ca.crt'), 'not a certificate');
    expect(one(await check(['--karmada-pki', pki]))).toBe(`error: file ${path.join(pki, 'ca.crt')} is not a PEM certificate; restore it from the karmada-cert secret, or remove it to check the host cluster's copies only`);
    if (process.getuid?.() !== 0) {
      await rm(path.join(pki, 'ca.crt'));
      await cp(path.join(env.dir, 'pki', 'ca.crt'), path.join(pki, 'ca.crt'));
      await chmod(path.join(pki, 'apiserver.crt'), 0);
      expect(one(await check(['--karmada-pki', pki]))).toBe(`error: ${path.join(pki, 'apiserver.crt')}: permission denied; run as a user who can read --karmada-pki and --karmada-data`);
    }
    expect(one(await runCli(['certs', 'check-expiration', '-o', 'wide']))).toMatch(/^error: unable to match a printer suitable for the output format "wide"/);
    expect(snapshot(env)).toBe(before);
  });
});

describe('certs renew against an init install', () => {
  let env: KarmadaHost;
  const hostFlags = () => ['--kubeconfig', env.kubeconfigPath, '-d', path.join(env.dir, 'data'), '--karmada-pki', path.join(env.dir, 'pki')];
  const pkiFiles = async (dir = path.join(env.dir, 'pki')) => Object.fromEntries(await Promise.all([...LEAVES, ...CAS].flatMap((n) => ['crt', 'key'].map(async (e) => [`${n}.${e}`, await readFile(path.join(dir, `${n}.${e}`), 'utf8')] as const))));
  const secretText = (name: string, key: string) => Buffer.from(env.host.store.get('v1', 'Secret', 'karmada-system', name)!.data[key], 'base64').toString();

  beforeAll(async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    const r = await runCli(['init', ...env.flags(['--crds', CRDS, '--key-algorithm', 'ecdsa-p256', '--cert-validity-period', '2h'])]);
    expect(r.code).toBe(0);
  }, 120_000);
  afterAll(async () => env?.close());

  it('bad input: a CA without its key, a leaf its CA did not sign, a CA or unknown name: one line, exit 1, nothing changed', async () => {
    const before = snapshot(env);
    const files = await pkiFiles();
    const one = (r: { code: number; stderr: string }) => {
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    const pki = await mkdtemp(path.join(os.tmpdir(), 'kc-renew-pki-'));
    await cp(path.join(env.dir, 'pki'), pki, { recursive: true });
    await rm(path.join(pki, 'front-proxy-ca.key'));
    const flagsWith = (dir: string) => hostFlags().map((f) => (f === path.join(env.dir, 'pki') ? dir : f));
    expect(one(await runCli(['certs', 'renew', 'all', ...flagsWith(pki)]))).toBe(`error: front-proxy-ca.key is missing in ${pki}: front-proxy-client cannot be renewed without the CA's private key; put front-proxy-ca.key next to front-proxy-ca.crt, or renew from the host cluster's secrets (pass --karmada-pki to an empty directory)`);

    const pki2 = await mkdtemp(path.join(os.tmpdir(), 'kc-renew-pki-'));
    await cp(path.join(env.dir, 'pki'), pki2, { recursive: true });
    const { issueCertificate } = await import('../../src/pki/x509');
    const k = files['apiserver.key'];
    await writeFile(path.join(pki2, 'apiserver.crt'), issueCertificate({ cn: 'karmada-apiserver' }, k, new Date(Date.now() - 60_000), new Date(Date.now() + 86_400_000)).pem);
    expect(one(await runCli(['certs', 'renew', 'apiserver', ...flagsWith(pki2)]))).toBe(`error: apiserver.crt in ${pki2} was not signed by ca.crt: renewing it with that CA would change who trusts it; restore the ca that signed it, or run init --rotate-ca to replace the CAs on purpose`);

    expect(one(await runCli(['certs', 'renew', 'ca', ...hostFlags()]))).toBe('error: ca is a CA: renew never changes a CA; renew the leaves it signs; to replace the CAs run init --rotate-ca');
    expect(one(await runCli(['certs', 'renew', 'kubelet', ...hostFlags()]))).toMatch(/^error: unknown certificate "kubelet"; pass all, or one or more of karmada, apiserver/);
    expect(one(await runCli(['certs', 'renew', ...hostFlags()]))).toMatch(/^error: certs renew needs what to renew; pass all/);
    expect(one(await runCli(['certs', 'renew', 'all', ...hostFlags(), '-n', 'elsewhere']))).toMatch(/^error: no Karmada control plane in namespace elsewhere/);
    expect(snapshot(env)).toBe(before);
    expect(await pkiFiles()).toEqual(files);
  });

  it('--dry-run lists the leaves, secrets, kubeconfigs and workloads, and changes nothing', async () => {
    const before = snapshot(env);
    const files = await pkiFiles();
    const kc = await readFile(path.join(env.dir, 'data', 'karmada-apiserver.config'), 'utf8');
    const r = await runCli(['certs', 'renew', 'all', '--dry-run', ...hostFlags()]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`dry run: would renew ${LEAVES.join(', ')} from ${path.join(env.dir, 'pki')}; nothing was changed\n`);
    for (const n of LEAVES) expect(r.stderr).toContain(`[renew] issue: ${n}.crt re-issued`);
    expect(r.stderr).toContain('[renew] secret: secret karmada-system/karmada-cert: karmada.crt, apiserver.crt, front-proxy-client.crt, etcd-server.crt, etcd-client.crt (dry run)');
    expect(r.stderr).toContain('[renew] secret: secret karmada-system/karmada-webhook-cert: tls.crt (dry run)');
    expect(r.stderr).toContain('[renew] restart: deployment karmada-system/karmada-apiserver (dry run)');
    expect(r.stderr.trim().split('\n').pop()).toBe('[renew] restart: statefulset karmada-system/etcd (dry run)');
    expect(snapshot(env)).toBe(before);
    expect(await pkiFiles()).toEqual(files);
    expect(await readFile(path.join(env.dir, 'data', 'karmada-apiserver.config'), 'utf8')).toBe(kc);
    const j = JSON.parse((await runCli(['certs', 'renew', 'apiserver', '--dry-run', '-o', 'json', ...hostFlags()])).stdout);
    expect(j).toMatchObject({ dryRun: true, source: path.join(env.dir, 'pki'), renewed: [{ name: 'apiserver' }] });
    expect(j.steps.filter((x: any) => x.step === 'restart').length).toBeGreaterThanOrEqual(7);
    expect(snapshot(env)).toBe(before);
  });

  it('renew all: leaves re-issued (same subject, SANs, key), CAs byte-for-byte unchanged, every copy updated, workloads restarted, check clean; a re-run is safe', async () => {
    const first = await pkiFiles();
    const r = await runCli(['certs', 'renew', 'all', ...hostFlags()]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const second = await pkiFiles();
    for (const n of CAS) for (const e of ['crt', 'key']) expect(second[`${n}.${e}`]).toBe(first[`${n}.${e}`]);
    for (const n of LEAVES) {
      expect(second[`${n}.key`]).toBe(first[`${n}.key`]);
      expect(second[`${n}.crt`]).not.toBe(first[`${n}.crt`]);
      const a = new X509Certificate(first[`${n}.crt`]);
      const b = new X509Certificate(second[`${n}.crt`]);
      expect(b.subject).toBe(a.subject);
      expect(b.subjectAltName).toBe(a.subjectAltName);
      expect(b.keyUsage).toEqual(a.keyUsage);
      expect(b.issuer).toBe(a.issuer);
      expect(Date.parse(b.validTo) - Date.now()).toBeGreaterThan(364 * 86_400_000);
      expect(secretText('karmada-cert', `${n}.crt`)).toBe(second[`${n}.crt`]);
    }
    expect(secretText('karmada-webhook-cert', 'tls.crt')).toBe(second['karmada.crt']);
    expect(secretText('etcd-cert', 'etcd-server.crt')).toBe(second['etcd-server.crt']);
    for (const c of CAS) expect(secretText('karmada-cert', `${c}.crt`)).toBe(first[`${c}.crt`]);
    const { statSync } = await import('node:fs');
    for (const n of LEAVES) expect(statSync(path.join(env.dir, 'pki', `${n}.key`)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(env.dir, 'data', 'karmada-apiserver.config')).mode & 0o777).toBe(0o600);
    const kc = await readFile(path.join(env.dir, 'data', 'karmada-apiserver.config'), 'utf8');
    expect(kc).toContain(Buffer.from(second['karmada.crt']).toString('base64'));
    expect(secretText('karmada-scheduler-config', 'karmada.config')).toContain(Buffer.from(second['karmada.crt']).toString('base64'));
    for (const name of ['karmada-apiserver', 'karmada-webhook', 'kube-controller-manager']) {
      expect(env.host.store.get('apps/v1', 'Deployment', 'karmada-system', name)!.spec.template.metadata.annotations?.['karmada.io/restartedAt']).toBeTruthy();
    }
    expect(env.host.store.get('apps/v1', 'StatefulSet', 'karmada-system', 'etcd')!.spec.template.metadata.annotations?.['karmada.io/restartedAt']).toBeTruthy();
    expect(r.stdout).toBe(`renewed ${LEAVES.join(', ')} from ${path.join(env.dir, 'pki')}; the CAs are unchanged\n`);
    expect(r.stderr).toContain('[renew] ready: statefulset karmada-system/etcd restarted and ready');

    const clean = await runCli(['certs', 'check-expiration', ...hostFlags()]);
    expect(clean.stderr).not.toContain('warning:');
    expect(clean.code).toBe(0);

    const again = await runCli(['certs', 'renew', 'all', ...hostFlags()]);
    expect(again.code).toBe(0);
    expect((await runCli(['certs', 'check-expiration', ...hostFlags()])).code).toBe(0);
    const third = await pkiFiles();
    for (const n of CAS) expect(third[`${n}.crt`]).toBe(first[`${n}.crt`]);
  }, 120_000);

  it('an interrupted renewal (a secret write refused half-way) is finished by the next run: every copy agrees again', async () => {
    env.host.faults.add({ method: 'PATCH', path: /\/secrets\/karmada-scheduler-config$/, status: 403, times: 1 });
    const broken = await runCli(['certs', 'renew', 'all', ...hostFlags()]);
    env.host.faults.clear();
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim().split('\n').pop()).toMatch(/^error: .*Forbidden/);
    const half = await runCli(['certs', 'check-expiration', ...hostFlags()]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('warning: karmada: copies differ: secret karmada-system/karmada-scheduler-config[karmada.config] client-certificate');
    const done = await runCli(['certs', 'renew', 'all', ...hostFlags()]);
    expect(done.code).toBe(0);
    const clean = await runCli(['certs', 'check-expiration', ...hostFlags()]);
    expect(clean.stderr).not.toContain('warning:');
    expect(clean.code).toBe(0);
  }, 120_000);

  it('an already expired etcd-server certificate: etcd is restarted first (the API server cannot reach it before)', async () => {
    const files = await pkiFiles();
    const { issueCertificate, issuerOf } = await import('../../src/pki/x509');
    const old = new X509Certificate(files['etcd-server.crt']);
    const dns = old.subjectAltName!.split(', ').filter((x) => x.startsWith('DNS:')).map((x) => x.slice(4));
    const expired = issueCertificate({ cn: 'karmada-etcd-server', dns, ips: ['127.0.0.1'] }, files['etcd-server.key'], new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 86_400_000), issuerOf(files['etcd-ca.crt'], files['etcd-ca.key'])).pem;
    await writeFile(path.join(env.dir, 'pki', 'etcd-server.crt'), expired);
    const c = await runCli(['certs', 'check-expiration', ...hostFlags()]);
    expect(c.code).toBe(2);
    expect(c.stdout.split('\n').find((l) => l.startsWith('etcd-server '))).toContain('<invalid>');
    const r = await runCli(['certs', 'renew', 'etcd-server', ...hostFlags()]);
    expect(r.code).toBe(0);
    const restarts = r.stderr.split('\n').filter((l) => l.startsWith('[renew] restart: '));
    expect(restarts[0]).toBe('[renew] restart: statefulset karmada-system/etcd');
    expect(r.stderr).toContain('[renew] order: etcd-server.crt has expired: etcd is restarted first');
    expect((await runCli(['certs', 'check-expiration', ...hostFlags()])).code).toBe(0);
  }, 120_000);

  it('from the host cluster\'s secrets alone when the local PKI is gone (source named); the local files are not created', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'kc-renew-empty-'));
    const flags = hostFlags().map((f) => (f === path.join(env.dir, 'pki') ? empty : f));
    const r = await runCli(['certs', 'renew', 'apiserver', ...flags]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('renewed apiserver from secret karmada-system/karmada-cert; the CAs are unchanged\n');
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(empty)).toEqual([]);
    // The local file is now older than the secret: check-expiration reports the disagreement.
    const c = await runCli(['certs', 'check-expiration', ...hostFlags()]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('warning: apiserver: copies differ');
  }, 120_000);
});
