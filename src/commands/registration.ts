import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { KARMADA_VERSION } from '../version';
import { CLUSTER_NS_FLAG, KARMADA_KUBECONFIG_FLAGS } from './clusters';

const OUTPUT: CliFlag = { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml.', complete: () => ['json', 'yaml'] };

const tokenCreate: CommandSpec = {
  name: 'create',
  use: '[TOKEN]',
  short: 'Create bootstrap tokens on the server',
  long: dedent(`
    This command will create a bootstrap token for you.
    You can specify the usages for this token, the "time to live" and an optional human friendly description.

    This should be a securely generated random token of the form "[a-z0-9]{6}.[a-z0-9]{16}"; omit it to have one generated.
    With --print-register-command the CA and server are read before the token is created, so a failure leaves no token behind.`),
  example: dedent(`
    # Create a token and print the full register command
    {{program}} token create --print-register-command --kubeconfig /etc/karmada/karmada-apiserver.config`),
  flags: [
    { name: 'print-register-command', type: 'bool', default: false, usage: 'Instead of printing only the token, print the full \'karmadactl register\' flag needed to register the member cluster using the token.' },
    { name: 'ttl', type: 'duration', default: '24h0m0s', usage: "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire" },
    { name: 'usages', type: 'stringSlice', default: ['signing', 'authentication'], usage: 'Describes the ways in which this token can be used. You can pass --usages multiple times or provide a comma separated list of options. Valid options: [signing,authentication]' },
    { name: 'groups', type: 'stringSlice', default: ['system:bootstrappers:karmada:default-cluster-token'], usage: 'Extra groups that this token will authenticate as when used for authentication. Must match "\\\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\\\z"' },
    { name: 'description', type: 'string', default: '', usage: 'A human friendly description of how this token is used.' },
    ...KARMADA_KUBECONFIG_FLAGS,
  ],
  args: [0, 1],
  async run({ ctx, flags, args }) {
    const { createToken } = await import('../registration/token');
    const { karmadaTarget } = await import('../clusters/common');
    const { parseGoDuration } = await import('../util/duration');
    const { UsageError } = await import('../errors');
    let ttlMs: number;
    const ttl = String(flags.ttl ?? '24h');
    try {
      ttlMs = ttl.startsWith('-') ? -parseGoDuration(ttl.slice(1)) : parseGoDuration(ttl);
    } catch (e) {
      throw new UsageError(`invalid argument "${ttl}" for "--ttl" flag: ${(e as Error).message}`, { hint: 'e.g. --ttl 24h, or 0 for no expiry' });
    }
    await createToken(ctx, karmadaTarget(flags), { token: args[0], ttlMs, usages: flags.usages as string[], groups: flags.groups as string[], description: String(flags.description ?? ''), printRegisterCommand: Boolean(flags['print-register-command']) });
  },
};

const tokenList: CommandSpec = {
  name: 'list',
  short: 'List bootstrap tokens on the server',
  long: 'This command will list all bootstrap tokens for you.',
  flags: [...KARMADA_KUBECONFIG_FLAGS, OUTPUT],
  args: [0, 0],
  async run({ ctx, flags }) {
    const { runTokenList } = await import('../registration/token');
    const { karmadaTarget } = await import('../clusters/common');
    const { parseOutputFormat } = await import('../ui/output');
    await runTokenList(ctx, karmadaTarget(flags), parseOutputFormat(flags.output));
  },
};

const tokenDelete: CommandSpec = {
  name: 'delete',
  use: '[token-value] ...',
  short: 'Delete bootstrap tokens on the server',
  long: dedent(`
    This command will delete a list of bootstrap tokens for you.

    The [token-value] is the full Token of the form "[a-z0-9]{6}.[a-z0-9]{16}" or the
    Token ID of the form "[a-z0-9]{6}" to delete.`),
  flags: [...KARMADA_KUBECONFIG_FLAGS],
  args: [0, -1],
  async run({ ctx, flags, args }) {
    const { runTokenDelete } = await import('../registration/token');
    const { karmadaTarget } = await import('../clusters/common');
    await runTokenDelete(ctx, karmadaTarget(flags), args);
  },
};

export const tokenCommand: CommandSpec = {
  name: 'token',
  short: 'Manage bootstrap tokens for joining member clusters to Karmada',
  long: dedent(`
    This command manages bootstrap tokens. It is optional and needed only for advanced use cases.

    In short, bootstrap tokens are used for establishing bidirectional trust between a client and a server.
    A bootstrap token can be used when a client (for example a member cluster that is about to join control plane) needs
    to trust the server it is talking to. Then a bootstrap token with the "signing" usage can be used.
    bootstrap tokens can also function as a way to allow short-lived authentication to the API Server
    (the token serves as a way for the API Server to trust the client), for example for doing the TLS Bootstrap.

    What is a bootstrap token more exactly?
     - It is a Secret in the kube-system namespace of type "bootstrap.kubernetes.io/token".
     - A bootstrap token must be of the form "[a-z0-9]{6}.[a-z0-9]{16}". The former part is the public token ID,
       while the latter is the Token Secret and it must be kept private at all circumstances!
     - The name of the Secret must be named "bootstrap-token-(token-id)".

    This command is same as 'kubeadm token', but it will create tokens that are used by member clusters.`),
  example: dedent(`
    # Create a token and print the full register command
    {{program}} token create --print-register-command

    # List tokens
    {{program}} token list

    # Delete a token
    {{program}} token delete abcdef`),
  children: [tokenCreate, tokenDelete, tokenList],
};

export const registerCommand: CommandSpec = {
  name: 'register',
  use: '[karmada-apiserver-endpoint]',
  short: 'Register a cluster to Karmada control plane with Pull mode',
  long: dedent(`
    Register a cluster to Karmada control plane with Pull mode.

    The endpoint may be given as HOST:PORT or https://HOST:PORT. Re-running register converges; when it
    fails, what it created is removed again.`),
  example: dedent(`
    # Register cluster into karmada control plane with Pull mode.
    # If '--cluster-name' isn't specified, the cluster entry of the kubeconfig context in use is taken as the cluster name
    {{program}} register 192.168.1.2:6443 --token=<token> --discovery-token-ca-cert-hash=<ca-cert-hash>

    # Register cluster into karmada control plane with Pull mode, with the cluster name given
    {{program}} register 192.168.1.2:6443 --token=<token> --discovery-token-ca-cert-hash=<ca-cert-hash> --cluster-name=member3

    # Register cluster into karmada control plane with Pull mode without CA verification (not recommended)
    {{program}} register 192.168.1.2:6443 --token=<token> --discovery-token-unsafe-skip-ca-verification=true`),
  flags: [
    { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the kubeconfig file of the member cluster.' },
    { name: 'context', type: 'string', default: '', usage: 'Name of the kubeconfig context of the member cluster.' },
    { name: 'namespace', shorthand: 'n', type: 'string', default: 'karmada-system', usage: 'Namespace the karmada-agent component deployed.' },
    { name: 'cluster-name', type: 'string', default: '', usage: 'The name of member cluster in the control plane; if not specified, the cluster entry of the kubeconfig context in use is taken (and refused when it is "kubernetes").' },
    CLUSTER_NS_FLAG,
    { name: 'cluster-provider', type: 'string', default: '', usage: 'Provider of the joining cluster. The Karmada scheduler can use this information to spread workloads across providers for higher availability.' },
    { name: 'cluster-region', type: 'string', default: '', usage: 'The region of the joining cluster. The Karmada scheduler can use this information to spread workloads across regions for higher availability.' },
    { name: 'cluster-zones', type: 'stringSlice', default: [], usage: 'The zones of the joining cluster. The Karmada scheduler can use this information to spread workloads across zones for higher availability.' },
    { name: 'enable-cert-rotation', type: 'bool', default: false, usage: 'Enable means controller would rotate certificate for karmada-agent when the certificate is about to expire.' },
    { name: 'token', type: 'string', default: '', usage: 'For token-based discovery, the token used to validate cluster information fetched from the API server.' },
    { name: 'discovery-token-ca-cert-hash', type: 'stringSlice', default: [], usage: 'For token-based discovery, validate that the root CA public key matches this hash (format: "<type>:<value>").' },
    { name: 'discovery-token-unsafe-skip-ca-verification', type: 'bool', default: false, usage: 'For token-based discovery, allow joining without --discovery-token-ca-cert-hash pinning.' },
    { name: 'discovery-timeout', type: 'duration', default: '5m0s', usage: 'The timeout to discovery karmada apiserver client.' },
    { name: 'approval-timeout', type: 'duration', default: '', usage: 'How long to wait for each certificate signing request to be approved and signed (default: --discovery-timeout).' },
    { name: 'rollout-timeout', type: 'duration', default: '', usage: 'How long to wait for the karmada-agent rollout (default: --discovery-timeout).' },
    { name: 'karmada-agent-image', type: 'string', default: `docker.io/karmada/karmada-agent:${KARMADA_VERSION}`, usage: 'Karmada agent image.' },
    { name: 'private-image-registry', type: 'string', default: '', usage: 'Private image registry for the karmada-agent image when --karmada-agent-image is not given.' },
    { name: 'karmada-agent-replicas', type: 'int', default: 1, usage: 'Karmada agent replicas.' },
    { name: 'cert-expiration-seconds', type: 'int', default: 31536000, usage: 'The expiration time of certificate.' },
    { name: 'key-algorithm', type: 'string', default: 'rsa-3072', usage: 'Private key algorithm of the agent certificate: rsa-3072 or ecdsa-p256.', complete: () => ['rsa-3072', 'ecdsa-p256'] },
    { name: 'dry-run', type: 'bool', default: false, usage: 'Run only the pre-flight checks on the member cluster (reads); nothing is written.' },
    { name: 'proxy-server-address', type: 'string', default: '', usage: 'Address of the proxy server that is used to proxy to the cluster.' },
    OUTPUT,
  ],
  args: [0, -1],
  async run({ ctx, flags, args, explicit }) {
    const { registerOptionsFromFlags, runRegister, printRegisterResult } = await import('../registration/register');
    const o = registerOptionsFromFlags(args, flags, explicit);
    await printRegisterResult(ctx, await runRegister(ctx, o), o.output);
  },
};

export const unregisterCommand: CommandSpec = {
  name: 'unregister',
  use: 'CLUSTER_NAME',
  short: 'Remove a pull mode cluster from Karmada control plane',
  long: dedent(`
    Unregister removes a member cluster from Karmada, it will clean up the cluster object in the control plane and Karmada resources in the member cluster.

    Files on this machine are never deleted.`),
  example: dedent(`
    # Unregister cluster from karmada control plane
    {{program}} unregister CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG> [--cluster-context=<CONTEXT>]

    # Unregister cluster from karmada control plane with timeout
    {{program}} unregister CLUSTER_NAME --cluster-kubeconfig=<KUBECONFIG> --wait=2m

    # Unregister cluster from karmada control plane, manually specify the location of the karmada config
    {{program}} unregister CLUSTER_NAME --karmada-config=<KARMADA_CONFIG> [--karmada-context=<CONTEXT>] --cluster-kubeconfig=<KUBECONFIG> [--cluster-context=<CONTEXT>]`),
  flags: [
    { name: 'cluster-kubeconfig', type: 'string', default: '', usage: 'KubeConfig of the unregistering member cluster.' },
    { name: 'cluster-context', type: 'string', default: '', usage: 'Context of the unregistering member cluster.' },
    { name: 'karmada-config', type: 'string', default: '', usage: 'Path of the karmada config file; without it the agent\'s own credentials are used and the control-plane RBAC is listed for manual clean-up.' },
    { name: 'karmada-context', type: 'string', default: '', usage: 'Context in the karmada config file.' },
    { name: 'namespace', shorthand: 'n', type: 'string', default: 'karmada-system', usage: 'Namespace of the karmada-agent component deployed.' },
    { name: 'agent-name', type: 'string', default: 'karmada-agent', usage: 'Deployment name of the karmada-agent component.' },
    CLUSTER_NS_FLAG,
    { name: 'wait', type: 'duration', default: '1m0s', usage: 'wait for the unjoin command execution process(default 60s), if there is no success after this time, timeout will be returned.' },
    { name: 'force', type: 'bool', default: false, usage: 'Remove the cluster finalizer when the deletion does not finish within --wait (needs --karmada-config), and tolerate errors on the member side.' },
    { name: 'dry-run', type: 'bool', default: false, usage: 'Read the clusters and show what would be deleted; nothing is deleted or changed.' },
    OUTPUT,
  ],
  args: [0, -1],
  async run({ ctx, flags, args }) {
    const { unregisterOptionsFromFlags, runUnregister, printUnregisterResult } = await import('../registration/unregister');
    const o = unregisterOptionsFromFlags(args, flags);
    await printUnregisterResult(ctx, await runUnregister(ctx, o), o.output);
  },
};
