import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';

/** The host-cluster flags of init/deinit (same names, defaults and meaning) and the local paths init wrote. */
const HOST_FLAGS: CliFlag[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', default: 'karmada-system', usage: 'namespace where Karmada components are installed.' },
  { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the host cluster kubeconfig file.' },
  { name: 'context', type: 'string', default: '', usage: 'The name of the kubeconfig context to use' },
  { name: 'karmada-data', shorthand: 'd', type: 'string', default: '/etc/karmada', usage: 'Karmada data path used by init (its karmada-apiserver.config is checked).' },
  { name: 'karmada-pki', type: 'string', default: '/etc/karmada/pki', usage: 'Karmada pki path used by init.' },
];

const checkExpiration: CommandSpec = {
  name: 'check-expiration',
  short: 'Check certificates expiration for a Karmada control plane',
  long: dedent(`
    Checks expiration for the certificates of a Karmada control plane installed by init: the files
    under --karmada-pki, the certificates in the host cluster's secrets (karmada-cert, etcd-cert,
    karmada-webhook-cert and the client certificates embedded in the component kubeconfig secrets) and
    the client certificate of the local karmada kubeconfig. Every copy of a certificate is compared
    with the others, and every leaf is verified against its CA.

    Exit status: 0 when every certificate is valid for more than 30 days, all copies agree and every
    leaf verifies against its CA; 2 when one does not (the findings are printed on stderr); 1 on an
    error. Suitable for a cron job or a monitoring probe.`),
  example: dedent(`
    # Check the certificates of the control plane in karmada-system
    {{program}} certs check-expiration

    # As a monitoring probe: mail when something needs attention
    {{program}} certs check-expiration --kubeconfig /root/.kube/config >/dev/null 2>/tmp/certs || mail -s "karmada certificates" ops < /tmp/certs

    # Machine-readable
    {{program}} certs check-expiration -o json`),
  flags: [...HOST_FLAGS, { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml.', complete: () => ['json', 'yaml'] }],
  args: [0, 0],
  async run({ ctx, flags }) {
    const { runCheckExpiration } = await import('../certs/command');
    return runCheckExpiration(ctx, flags);
  },
};

const renew: CommandSpec = {
  name: 'renew',
  use: 'all|CERTIFICATE...',
  short: 'Renew the leaf certificates of a Karmada control plane with its existing CAs',
  long: dedent(`
    Re-issues leaf certificates (karmada, apiserver, front-proxy-client, etcd-server, etcd-client) with
    the existing CAs: same subject, SANs, usages and key, a new validity of --cert-validity-period. The
    PKI is read from --karmada-pki, or from the host cluster's karmada-cert secret when the local files
    are gone (the source is reported). The files are written atomically (keys 0600), then the
    secrets, the kubeconfigs that embed the karmada client certificate (component kubeconfig secrets
    and the local karmada-apiserver.config); then every Deployment that mounts them is restarted and
    waited for, the etcd StatefulSet last (a rolling update: one member at a time). The CAs are never
    changed. Re-running is safe: an interrupted renewal is finished by the next run.`),
  example: dedent(`
    # Renew every leaf certificate
    {{program}} certs renew all

    # See what would change
    {{program}} certs renew all --dry-run

    # Renew only the API server's serving certificate, valid for 90 days
    {{program}} certs renew apiserver --cert-validity-period 2160h`),
  flags: [
    ...HOST_FLAGS,
    { name: 'cert-validity-period', type: 'duration', default: '8760h0m0s', usage: 'the validity period of the renewed certificates (e.g 8760h0m0s, that is 365 days); never past the CA.' },
    { name: 'wait-component-ready-timeout', type: 'int', default: 120, usage: 'Wait for each restarted component to be ready, in seconds. 0 means wait forever' },
    { name: 'dry-run', type: 'bool', default: false, usage: 'List what would be renewed, written and restarted; change nothing.' },
    { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml (the source, the renewed certificates and every step).', complete: () => ['json', 'yaml'] },
  ],
  args: [0, -1],
  completeArgs: () => ['all', 'karmada', 'apiserver', 'front-proxy-client', 'etcd-server', 'etcd-client'],
  async run({ ctx, flags, args }) {
    const { runRenewCommand } = await import('../certs/command');
    return runRenewCommand(ctx, args, flags);
  },
};

export const certsCommand: CommandSpec = {
  name: 'certs',
  short: 'Commands related to handling Karmada control plane certificates',
  long: 'Commands related to handling the certificates of a Karmada control plane installed by init.',
  children: [checkExpiration, renew],
};
