import { X509Certificate } from 'node:crypto';

/** Pure logic of `certs check-expiration`: certificate copies in, kubeadm-style report out. */

export const WARN_WITHIN_MS = 30 * 24 * 3600 * 1000;

export interface CertCopy {
  /** e.g. `file /etc/karmada/pki/ca.crt`, `secret karmada-system/karmada-cert[ca.crt]`. */
  where: string;
  pem: string;
}

export interface CertSpec {
  name: string;
  ca: boolean;
  /** Name of the signing CA (leaves). */
  issuer?: string;
  copies: CertCopy[];
  /** CAs: whether a private key was found anywhere (kubeadm's EXTERNALLY MANAGED is its absence). */
  keyPresent?: boolean;
}

export interface CopyReport {
  where: string;
  notAfter: string;
  sha256: string;
}

export interface CertReport {
  name: string;
  where: string[];
  /** Earliest expiry of the copies (ISO 8601). */
  expires: string;
  residualMs: number;
  residual: string;
  certificateAuthority: string;
  copiesAgree: boolean;
  /** Leaves: the certificate verifies against its CA's public key; undefined when there is no CA copy. */
  signedByCa?: boolean;
  externallyManaged?: boolean;
  copies: CopyReport[];
  problems: string[];
}

export interface Report {
  checkedAt: string;
  certificates: CertReport[];
  certificateAuthorities: CertReport[];
  problems: string[];
}

/** k8s.io/apimachinery duration.ShortHumanDuration, kubeadm's RESIDUAL TIME. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** kubeadm's EXPIRES: Go layout "Jan 02, 2006 15:04 MST" in UTC. */
export function kubeadmTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Builds the report; the caller has already refused unreadable input (see check.ts). */
export function buildReport(specs: CertSpec[], now: Date, warnWithinMs = WARN_WITHIN_MS): Report {
  const parsed = new Map<string, X509Certificate>();
  const reports: (CertReport & { ca: boolean })[] = [];
  for (const s of specs) {
    const copies = s.copies.map((c) => ({ c, x: parse(c.pem) })).filter((e): e is { c: CertCopy; x: X509Certificate } => !!e.x);
    if (!copies.length) continue;
    parsed.set(s.name, copies[0].x);
    const notAfter = copies.map((e) => new Date(e.x.validTo)).sort((a, b) => a.getTime() - b.getTime())[0];
    const residualMs = notAfter.getTime() - now.getTime();
    const agree = copies.every((e) => e.x.fingerprint256 === copies[0].x.fingerprint256);
    const problems: string[] = [];
    if (residualMs <= 0) problems.push(`${s.name} has expired (${kubeadmTime(notAfter)})`);
    else if (residualMs < warnWithinMs) problems.push(`${s.name} expires in ${shortHumanDuration(residualMs)} (${kubeadmTime(notAfter)})`);
    if (!agree) {
      const first = copies[0].x.fingerprint256;
      problems.push(`${s.name}: copies differ: ${copies.filter((e) => e.x.fingerprint256 !== first).map((e) => e.c.where).join(', ')} differ from ${copies[0].c.where}`);
    }
    reports.push({
      ca: s.ca,
      name: s.name,
      where: copies.map((e) => e.c.where),
      expires: notAfter.toISOString(),
      residualMs,
      residual: shortHumanDuration(residualMs),
      certificateAuthority: s.issuer ?? '',
      copiesAgree: agree,
      ...(s.ca ? { externallyManaged: !s.keyPresent } : {}),
      copies: copies.map((e) => ({ where: e.c.where, notAfter: new Date(e.x.validTo).toISOString(), sha256: e.x.fingerprint256 })),
      problems,
    });
  }
  // Signatures: every copy of a leaf against the CA's first copy.
  for (const r of reports) {
    const s = specs.find((x) => x.name === r.name)!;
    if (!s.issuer) continue;
    const ca = parsed.get(s.issuer);
    if (!ca) continue;
    const bad = s.copies.filter((c) => {
      const x = parse(c.pem);
      return x && !x.verify(ca.publicKey);
    });
    r.signedByCa = bad.length === 0;
    if (bad.length) r.problems.push(`${r.name}: not signed by ${s.issuer}: ${bad.map((c) => c.where).join(', ')}`);
  }
  const strip = ({ ca: _ca, ...r }: CertReport & { ca: boolean }): CertReport => r;
  return {
    checkedAt: now.toISOString(),
    certificates: reports.filter((r) => !r.ca).map(strip),
    certificateAuthorities: reports.filter((r) => r.ca).map(strip),
    problems: reports.flatMap((r) => r.problems),
  };
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Short form of the locations: `file,karmada-cert,etcd-cert,8 kubeconfig secrets,kubeconfig` (-o json has them in full). */
function whereShort(where: string[]): string {
  const kubeconfigSecrets = new Set(where.filter((w) => /^secret [^/]+\/[^[]+\[karmada\.config\]/.test(w)).map((w) => w.replace(/\[.*$/, '')));
  const out: string[] = [];
  for (const w of where) {
    const short = w.startsWith('file ') ? 'file' : w.startsWith('kubeconfig ') ? 'kubeconfig' : /\[karmada\.config\]/.test(w) ? `${kubeconfigSecrets.size} kubeconfig secret${kubeconfigSecrets.size === 1 ? '' : 's'}` : w.replace(/^secret [^/]+\/([^[]+).*$/, '$1');
    if (!out.includes(short)) out.push(short);
  }
  return out.join(',');
}

/** kubeadm's two tables (certificates, then certificate authorities) with WHERE and COPIES added. */
export function formatReport(r: Report): string {
  const yes = (b: boolean | undefined) => (b ? 'yes' : 'no');
  const certs = table(
    ['CERTIFICATE', 'WHERE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'COPIES AGREE', 'SIGNED BY CA'],
    r.certificates.map((c) => [c.name, whereShort(c.where), kubeadmTime(new Date(c.expires)), c.residual, c.certificateAuthority, yes(c.copiesAgree), c.signedByCa === undefined ? '-' : yes(c.signedByCa)]),
  );
  const cas = table(
    ['CERTIFICATE AUTHORITY', 'WHERE', 'EXPIRES', 'RESIDUAL TIME', 'COPIES AGREE', 'EXTERNALLY MANAGED'],
    r.certificateAuthorities.map((c) => [c.name, whereShort(c.where), kubeadmTime(new Date(c.expires)), c.residual, yes(c.copiesAgree), yes(c.externallyManaged)]),
  );
  return `${certs}\n${cas}`;
}
