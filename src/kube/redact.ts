/** Redaction of secrets in logged requests and responses: tokens, keys, Secret data, kubeconfigs. */
const SECRET_KEYS = /^(token|password|secret|key|.*\.key|tls\.key|token-secret|client-key-data|client-certificate-data|private.*|.*kubeconfig.*|karmada\.config)$/i;

export function redactHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k] = /^(authorization|cookie|x-remote-.*)$/i.test(k) ? '<redacted>' : v;
  return out;
}

/** Deep copy with every secret-looking value replaced; Secret `data`/`stringData` values always redacted. */
export function redactBody(body: unknown): unknown {
  const walk = (v: unknown, key: string, parentIsSecretData: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key, false));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const isSecret = o.kind === 'Secret';
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) {
        const secretMap = isSecret && (k === 'data' || k === 'stringData');
        out[k] = secretMap && x && typeof x === 'object'
          ? Object.fromEntries(Object.keys(x as object).map((kk) => [kk, '<redacted>']))
          : walk(x, k, false);
      }
      return out;
    }
    if (typeof v === 'string' && (parentIsSecretData || SECRET_KEYS.test(key))) return '<redacted>';
    if (typeof v === 'string' && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return '<redacted>';
    return v;
  };
  return walk(body, '', false);
}
