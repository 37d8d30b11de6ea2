import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { UsageError } from '../errors';
import { CONNECTION_FLAGS, NAMESPACE_FLAG } from '../kubectl/flags';
import { printFlagDefs } from '../kubectl/printers/flag-defs';
import { MORE_CREATE_CHILDREN, MORE_SERVICE_CHILDREN } from './create-more';
import { DRY_RUN_FLAG, FILENAME_FLAG, OBJECT_FORMATS, RECURSIVE_FLAG, SELECTOR_FLAG, VALIDATE_FLAG } from './apply';

const CREATE_FLAGS: CliFlag[] = ([
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-create', usage: 'Name of the manager used to track field ownership.' },
  FILENAME_FLAG('create'),
  RECURSIVE_FLAG,
  { name: 'save-config', type: 'bool', default: false, usage: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
  SELECTOR_FLAG,
  VALIDATE_FLAG,
  NAMESPACE_FLAG,
  ...CONNECTION_FLAGS,
  ...printFlagDefs({ formats: OBJECT_FORMATS, only: ['output', 'show-managed-fields', 'template', 'allow-missing-template-keys'] }),
] as CliFlag[]).sort((a, b) => a.name.localeCompare(b.name));

/** The flags every `create <kind>` generator shares (kubectl's). */
const GENERATOR_FLAGS: CliFlag[] = CREATE_FLAGS.filter((f) => !['filename', 'recursive', 'selector'].includes(f.name));

const withFlags = (extra: CliFlag[]) => [...extra, ...GENERATOR_FLAGS].sort((a, b) => a.name.localeCompare(b.name));

const FROM_FILE: CliFlag = { name: 'from-file', type: 'stringSlice', default: [], usage: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.' };
const FROM_LITERAL: CliFlag = { name: 'from-literal', type: 'stringArray', default: [], usage: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)' };
const FROM_ENV_FILE: CliFlag = { name: 'from-env-file', type: 'stringSlice', default: [], usage: 'Specify the path to a file to read lines of key=val pairs to create a configmap.' };

async function dataFrom(flags: Record<string, unknown>, cwd: string) {
  const { collectData, MAX_DATA_FILE } = await import('../operate/create');
  const { readFileSync, statSync, readdirSync } = await import('node:fs');
  const path = await import('node:path');
  const abs = (p: string) => path.resolve(cwd, p);
  const read = Object.assign(
    (p: string) => {
      let st;
      try {
        st = statSync(abs(p));
      } catch {
        throw new UsageError(`error reading ${p}: no such file or directory`, { hint: 'check the path given with --from-file/--from-env-file' });
      }
      if (st.size > MAX_DATA_FILE) throw new UsageError(`${p} is larger than 1 MiB, the API server's object size limit`, { hint: 'store large data elsewhere (a volume, an image)' });
      return readFileSync(abs(p));
    },
    {
      isDir: (p: string) => {
        try {
          return statSync(abs(p)).isDirectory();
        } catch {
          return false;
        }
      },
      list: (p: string) => readdirSync(abs(p), { withFileTypes: true }).filter((e) => e.isFile() && /^[-._a-zA-Z0-9]+$/.test(e.name)).map((e) => e.name).sort(),
    },
  );
  const list = (k: string) => ((flags[k] as string[] | undefined) ?? []).filter(Boolean);
  return collectData({ literals: list('from-literal'), files: list('from-file'), envFiles: list('from-env-file') }, read);
}

const namespaceCreate: CommandSpec = {
  name: 'namespace',
  aliases: ['ns'],
  use: 'NAME [--dry-run=server|client|none]',
  short: 'Create a namespace with the specified name',
  long: 'Create a namespace with the specified name.',
  example: dedent(`
    # Create a new namespace named my-namespace
    {{program}} create namespace my-namespace`),
  flags: withFlags([]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { namespaceObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    return runCreateGenerator(inv, async (name) => namespaceObject(name));
  },
};

const configmapCreate: CommandSpec = {
  name: 'configmap',
  aliases: ['cm'],
  use: 'NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  short: 'Create a config map from a local file, directory or literal value',
  long: dedent(`
    Create a config map based on a file, directory, or specified literal value.

     A single config map may package one or more key/value pairs.

     When creating a config map based on a file, the key will default to the basename of the file, and the value will default to the file content.  If the basename is an invalid key, you may specify an alternate key.

     When creating a config map based on a directory, each file whose basename is a valid key in the directory will be packaged into the config map.  Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).`),
  example: dedent(`
    # Create a new config map named my-config based on folder bar
    {{program}} create configmap my-config --from-file=path/to/bar

    # Create a new config map named my-config with specified keys instead of file basenames on disk
    {{program}} create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt

    # Create a new config map named my-config with key1=config1 and key2=config2
    {{program}} create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2

    # Create a new config map named my-config from an env file
    {{program}} create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env`),
  flags: withFlags([FROM_ENV_FILE, FROM_FILE, FROM_LITERAL]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { configMapObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    const data = await dataFrom(inv.flags, inv.ctx.cwd);
    return runCreateGenerator(inv, async (name) => configMapObject(name, data));
  },
};

const secretGenericCreate: CommandSpec = {
  name: 'generic',
  use: 'NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  short: 'Create a secret from a local file, directory, or literal value',
  long: dedent(`
    Create a secret based on a file, directory, or specified literal value.

     A single secret may package one or more key/value pairs.

     When creating a secret based on a file, the key will default to the basename of the file, and the value will default to the file content. If the basename is an invalid key or you wish to chose your own, you may specify an alternate key.

     When creating a secret based on a directory, each file whose basename is a valid key in the directory will be packaged into the secret. Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).`),
  example: dedent(`
    # Create a new secret named my-secret with keys for each file in folder bar
    {{program}} create secret generic my-secret --from-file=path/to/bar

    # Create a new secret named my-secret with key1=supersecret and key2=topsecret
    {{program}} create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret

    # Create a new secret named my-secret from env files
    {{program}} create secret generic my-secret --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env`),
  flags: withFlags([
    { ...FROM_ENV_FILE, usage: 'Specify the path to a file to read lines of key=val pairs to create a secret.' },
    { ...FROM_FILE, usage: 'Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.' },
    { ...FROM_LITERAL, usage: 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)' },
    { name: 'type', type: 'string', default: '', usage: 'The type of secret to create' },
  ]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { secretObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    const data = await dataFrom(inv.flags, inv.ctx.cwd);
    return runCreateGenerator(inv, async (name) => secretObject(name, String(inv.flags.type ?? ''), data));
  },
};

async function readBounded(p: string, cwd: string, flag: string): Promise<Buffer> {
  const { readFileSync, statSync } = await import('node:fs');
  const path = await import('node:path');
  const abs = path.resolve(cwd, p);
  try {
    if (statSync(abs).size > 1024 * 1024) throw new UsageError(`${p} is larger than 1 MiB`, { hint: `check the file given with ${flag}` });
    return readFileSync(abs);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read file ${p}: no such file or not readable`, { hint: `check the path given with ${flag}` });
  }
}

const secretTlsCreate: CommandSpec = {
  name: 'tls',
  use: 'NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]',
  short: 'Create a TLS secret',
  long: dedent(`
    Create a TLS secret from the given public/private key pair.

     The public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.`),
  example: dedent(`
    # Create a new TLS secret named tls-secret with the given key pair
    {{program}} create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key`),
  flags: withFlags([
    { name: 'cert', type: 'string', default: '', usage: 'Path to PEM encoded public key certificate.' },
    { name: 'key', type: 'string', default: '', usage: 'Path to private key associated with given certificate.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { tlsSecretObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    const certPath = String(inv.flags.cert ?? '');
    const keyPath = String(inv.flags.key ?? '');
    if (!certPath || !keyPath) throw new UsageError('key and cert must be specified', { hint: 'give --cert=FILE and --key=FILE' });
    const [cert, key] = [await readBounded(certPath, inv.ctx.cwd, '--cert'), await readBounded(keyPath, inv.ctx.cwd, '--key')];
    return runCreateGenerator(inv, (name) => tlsSecretObject(name, cert, key, { certPath, keyPath }));
  },
};

const secretDockerRegistryCreate: CommandSpec = {
  name: 'docker-registry',
  use: 'NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--dry-run=server|client|none]',
  short: 'Create a secret for use with a Docker registry',
  long: dedent(`
    Create a new secret for use with Docker registries.

     Dockercfg secrets are used to authenticate against Docker registries.

     When using the Docker command line to push images, you can authenticate to a given registry by running: '$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.

     That produces a ~/.dockercfg file that is used by subsequent 'docker push' and 'docker pull' commands to authenticate to the registry. The email address is optional.`),
  example: dedent(`
    # If you do not already have a .dockercfg file, create a dockercfg secret directly
    {{program}} create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL`),
  flags: withFlags([
    { name: 'docker-email', type: 'string', default: '', usage: 'Email for Docker registry' },
    { name: 'docker-password', type: 'string', default: '', usage: 'Password for Docker registry authentication' },
    { name: 'docker-server', type: 'string', default: 'https://index.docker.io/v1/', usage: 'Server location for Docker registry' },
    { name: 'docker-username', type: 'string', default: '', usage: 'Username for Docker registry authentication' },
  ]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { dockerRegistrySecretObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    const f = inv.flags;
    const opts = { server: String(f['docker-server'] ?? 'https://index.docker.io/v1/'), username: String(f['docker-username'] ?? ''), password: String(f['docker-password'] ?? ''), email: String(f['docker-email'] ?? '') };
    return runCreateGenerator(inv, async (name) => dockerRegistrySecretObject(name, opts));
  },
};

const secretCreate: CommandSpec = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  long: 'Create a secret with specified type.',
  children: [secretDockerRegistryCreate, secretGenericCreate, secretTlsCreate],
};

const serviceAccountCreate: CommandSpec = {
  name: 'serviceaccount',
  aliases: ['sa'],
  use: 'NAME [--dry-run=server|client|none]',
  short: 'Create a service account with the specified name',
  long: 'Create a service account with the specified name.',
  example: dedent(`
    # Create a new service account named my-service-account
    {{program}} create serviceaccount my-service-account`),
  flags: withFlags([]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { serviceAccountObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    return runCreateGenerator(inv, async (name) => serviceAccountObject(name));
  },
};

const serviceClusterIPCreate: CommandSpec = {
  name: 'clusterip',
  use: 'NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]',
  short: 'Create a ClusterIP service',
  long: 'Create a ClusterIP service with the specified name.',
  example: dedent(`
    # Create a new ClusterIP service named my-cs
    {{program}} create service clusterip my-cs --tcp=5678:8080

    # Create a new ClusterIP service named my-cs (in headless mode)
    {{program}} create service clusterip my-cs --clusterip="None"`),
  flags: withFlags([
    { name: 'clusterip', type: 'string', default: '', usage: 'Assign your own ClusterIP or set to \'None\' for a \'headless\' service (no loadbalancing).' },
    { name: 'tcp', type: 'stringSlice', default: [], usage: 'Port pairs can be specified as \'<port>:<targetPort>\'.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { serviceObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create-more')]);
    const o = { tcp: ((inv.flags.tcp as string[] | undefined) ?? []).filter(Boolean), clusterIP: String(inv.flags.clusterip ?? '') };
    return runCreateGenerator(inv, async (name) => serviceObject(name, 'ClusterIP', o), { errorPrefix: 'failed to create ClusterIP service' });
  },
};

const serviceCreate: CommandSpec = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  long: 'Create a service using a specified subcommand.',
  children: [serviceClusterIPCreate, ...MORE_SERVICE_CHILDREN].sort((a, b) => a.name.localeCompare(b.name)),
};

const deploymentCreate: CommandSpec = {
  name: 'deployment',
  aliases: ['deploy'],
  use: 'NAME --image=image -- [COMMAND] [args...]',
  short: 'Create a deployment with the specified name',
  long: 'Create a deployment with the specified name.',
  example: dedent(`
    # Create a deployment named my-dep that runs the busybox image
    {{program}} create deployment my-dep --image=busybox

    # Create a deployment with a command
    {{program}} create deployment my-dep --image=busybox -- date

    # Create a deployment named my-dep that runs the nginx image with 3 replicas
    {{program}} create deployment my-dep --image=nginx --replicas=3

    # Create a deployment named my-dep that runs the busybox image and expose port 5701
    {{program}} create deployment my-dep --image=busybox --port=5701`),
  flags: withFlags([
    { name: 'image', type: 'stringSlice', default: [], usage: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
    { name: 'port', type: 'int', default: -1, usage: 'The containerPort that this deployment exposes.' },
    { name: 'replicas', shorthand: 'r', type: 'int', default: 1, usage: 'Number of replicas to create. Default is 1.' },
  ]),
  args: [0, -1],
  async run(inv) {
    const [{ runCreateGenerator }, { deploymentObject }] = await Promise.all([import('../operate/apply-command'), import('../operate/create')]);
    const [name, ...command] = inv.args;
    const images = ((inv.flags.image as string[] | undefined) ?? []).filter(Boolean);
    const obj = deploymentObject(name ?? 'x', { images, replicas: Number(inv.flags.replicas ?? 1), port: Number(inv.flags.port ?? -1), command });
    return runCreateGenerator({ ...inv, args: name === undefined ? [] : [name] }, async () => obj);
  },
};

export const createCommand: CommandSpec = {
  name: 'create',
  use: '-f FILENAME',
  short: 'Create a resource from a file or from stdin',
  long: dedent(`
    Create a resource from a file or from stdin.

     JSON and YAML formats are accepted.

     Every document of every file is read and checked before the first write: a bad document anywhere creates nothing.`),
  example: dedent(`
    # Create a pod using the data in pod.json
    {{program}} create -f ./pod.json

    # Create a pod based on the JSON passed into stdin
    cat pod.json | {{program}} create -f -`),
  flags: CREATE_FLAGS,
  args: [0, 0],
  children: [configmapCreate, deploymentCreate, namespaceCreate, secretCreate, serviceCreate, serviceAccountCreate, ...MORE_CREATE_CHILDREN].sort((a, b) => a.name.localeCompare(b.name)),
  async run(inv) {
    const { runApplyCommand } = await import('../operate/apply-command');
    return runApplyCommand(inv, 'create');
  },
};
