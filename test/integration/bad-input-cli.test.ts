import { describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';

/**
 * Bad command lines, as a new user types them: each is refused with exit code 1, exactly one
 * `error:` line on stderr that names the problem, nothing on stdout, no internal text, and no raw
 * control character. Nothing here reaches a cluster: the environment has no kubeconfig at all.
 */
const ESC = '\u001b';
const HUGE = 'x'.repeat(100_000);

const cases: [string, string[], RegExp][] = [
  // unknown commands
  ['unknown command', ['gte', 'pods'], /^error: unknown command "gte" for "karmadactl"$/m],
  ['unknown command with a suggestion', ['jion', 'member1'], /unknown command "jion" for "karmadactl"\n\nDid you mean this\?\n\tjoin\n$/],
  ['unknown command, other case', ['INIT'], /unknown command "INIT" for "karmadactl"\n\nDid you mean this\?\n(\t\w+\n)*\tinit\n/],
  ['unknown command after a flag and its value', ['--kubeconfig', '/etc/karmada/karmada-apiserver.config', 'jion', 'm'], /unknown command "jion" for "karmadactl"/],
  ['unknown command after -v', ['-v', '3', 'versoin'], /unknown command "versoin".*\n\nDid you mean this\?\n\tversion/],
  ['unknown command before an unknown flag', ['jion', '--bogus'], /unknown command "jion"/],
  ['unknown subcommand of addons', ['addons', 'enabel', 'karmada-search'], /unknown command "enabel" for "karmadactl addons"\n\nDid you mean this\?\n\tenable/],
  ['unknown subcommand of token', ['token', 'remove', 'abcdef'], /unknown command "remove" for "karmadactl token"/],
  ['unknown help topic', ['help', 'nope'], /unknown help topic "nope" for "karmadactl"/],
  ['a command name after --', ['--', 'init'], /unknown command "init" for "karmadactl"; words after "--" are arguments/],
  ['an empty word', [''], /^error: unknown command "" for "karmadactl"$/m],
  ['a lone dash', ['-'], /unknown command "-" for "karmadactl"/],
  // unknown flags, in every position
  ['unknown flag at the root', ['--bogus'], /^error: unknown flag: --bogus\nSee 'karmadactl --help' for usage\.$/m],
  ['unknown flag before the command', ['--bogus', 'version'], /unknown flag: --bogus\nSee 'karmadactl version --help' for usage\./],
  ['unknown flag after the command', ['version', '--bogus'], /unknown flag: --bogus\nSee 'karmadactl version --help'/],
  ['unknown flag between arguments', ['join', '--bogus', 'member1'], /unknown flag: --bogus\nSee 'karmadactl join --help'/],
  ['unknown flag with a value', ['join', 'member1', '--bogus=1'], /unknown flag: --bogus\n/],
  ['unknown flag of a nested command', ['token', 'create', '--bogus'], /unknown flag: --bogus\nSee 'karmadactl token create --help'/],
  ['unknown flag of addons enable', ['addons', 'enable', 'karmada-search', '--nope'], /unknown flag: --nope\nSee 'karmadactl addons enable --help'/],
  ['another command\'s flag', ['cordon', '--cluster-kubeconfig', 'x', 'member1'], /unknown flag: --cluster-kubeconfig\nSee 'karmadactl cordon --help'/],
  ['unknown flag with underscores', ['init', '--crds_x', 'y'], /unknown flag: --crds_x/],
  ['unknown shorthand', ['init', '-Z'], /unknown shorthand flag: 'Z' in -Z/],
  ['unknown shorthand in a group', ['version', '-sx'], /unknown shorthand flag: 's' in -sx/],
  ['unknown shorthand after a bool shorthand', ['addons', 'disable', 'all', '-fZ'], /unknown shorthand flag: 'Z' in -Z/],
  ['three dashes', ['join', '---x'], /bad flag syntax: ---x/],
  ['a flag without a name', ['join', '--=x'], /bad flag syntax: --=x/],
  // missing values
  ['--crds without its value', ['init', '--crds'], /^error: flag needs an argument: --crds\nSee 'karmadactl init --help' for usage\.$/m],
  ['-o without its value', ['version', '-o'], /flag needs an argument: 'o' in -o/],
  ['a value flag last', ['join', 'member1', '--cluster-kubeconfig'], /flag needs an argument: --cluster-kubeconfig/],
  ['-v without its value', ['-v'], /flag needs an argument: 'v' in -v/],
  ['--v without its value', ['version', '--v'], /flag needs an argument: --v\n/],
  ['--wait without its value', ['unjoin', 'member1', '--wait'], /flag needs an argument: --wait/],
  ['-C without its value', ['addons', 'list', '-C'], /flag needs an argument: 'C' in -C/],
  ['-n without its value', ['deinit', '-n'], /flag needs an argument: 'n' in -n/],
  // bad ints
  ['a word for an int', ['init', '--etcd-replicas', 'three'], /invalid argument "three" for "--etcd-replicas" flag: strconv\.ParseInt: parsing "three": invalid syntax/],
  ['a fraction for an int', ['init', '--karmada-apiserver-replicas=1.5'], /invalid argument "1\.5" for "--karmada-apiserver-replicas" flag/],
  ['an empty int', ['init', '--etcd-replicas', ''], /invalid argument "" for "--etcd-replicas" flag/],
  ['a word for -v', ['-v', 'x', 'version'], /invalid argument "x" for "-v, --v" flag/],
  ['an int out of range', ['init', '--karmada-apiserver-replicas', '99999999999999999999'], /value out of range/],
  ['an exponent for an int', ['register', '1.2.3.4:5443', '--cert-expiration-seconds', '1e9'], /invalid argument "1e9" for "--cert-expiration-seconds" flag/],
  ['a dash for an int', ['addons', 'enable', 'karmada-search', '--karmada-search-replicas', '-'], /invalid argument "-" for "--karmada-search-replicas" flag/],
  // bad bools
  ['maybe for a bool', ['version', '--short=maybe'], /invalid argument "maybe" for "--short" flag: strconv\.ParseBool: parsing "maybe": invalid syntax/],
  ['yes for a bool', ['join', 'member1', '--dry-run=yes'], /invalid argument "yes" for "--dry-run" flag/],
  ['2 for a bool', ['init', '--dry-run=2'], /invalid argument "2" for "--dry-run" flag/],
  ['on for a bool', ['unjoin', 'member1', '--force=on'], /invalid argument "on" for "--force" flag/],
  ['a bool shorthand with a bad value', ['addons', 'disable', 'all', '-f=nope'], /invalid argument "nope" for "-f, --force" flag/],
  // bad durations
  ['an unknown unit', ['unjoin', 'member1', '--wait', '5x'], /invalid argument "5x" for "--wait" flag: time: invalid duration "5x"/],
  ['an empty duration', ['unjoin', 'member1', '--wait='], /invalid argument "" for "--wait" flag/],
  ['a word for a duration', ['token', 'create', '--ttl', 'forever'], /invalid argument "forever" for "--ttl" flag/],
  ['days are not a Go unit', ['deinit', '--timeout', '1d'], /invalid argument "1d" for "--timeout" flag/],
  ['a duration beyond Go\'s range', ['register', '1.2.3.4:5443', '--discovery-timeout', '99999999999h'], /invalid argument "99999999999h" for "--discovery-timeout" flag: time: invalid duration/],
  ['a number without a unit', ['unjoin', 'member1', '--wait', '90'], /invalid argument "90" for "--wait" flag/],
  // bad lists
  ['a bare quote in a list', ['join', 'member1', '--cluster-zones', 'a"b'], /invalid argument "a\\"b" for "--cluster-zones" flag: parse error on line 1, column 2: bare " in non-quoted-field/],
  ['an unterminated quote in a list', ['token', 'create', '--usages', '"signing'], /invalid argument "\\"signing" for "--usages" flag: parse error/],
  // too many / too few arguments
  ['init takes no arguments', ['init', 'extra'], /init takes no arguments, got 1; See 'karmadactl init -h'/],
  ['token list takes no arguments', ['token', 'list', 'x'], /list takes no arguments, got 1/],
  ['token create takes one', ['token', 'create', 'a', 'b'], /create accepts at most 1 argument, got 2/],
  ['completion without a shell', ['completion'], /Shell not specified/],
  ['completion with two shells', ['completion', 'bash', 'zsh'], /Too many arguments/],
  ['completion for an unknown shell', ['completion', 'tcsh'], /Unsupported shell type "tcsh"/],
  ['join without a name', ['join'], /cluster name is required/],
  ['unjoin without a name', ['unjoin'], /cluster name is required/],
  ['cordon without a name', ['cordon'], /cluster name is required/],
  ['taint without anything', ['taint'], /one or more resources must be specified/],
  ['taint without a taint', ['taint', 'clusters'], /at least one taint update is required/],
  ['taint of another resource', ['taint', 'nodes', 'm', 'a=b:NoSchedule'], /invalid resource type nodes/],
  ['register without an endpoint', ['register'], /accepts 1 arg\(s\), received 0/],
  ['unregister without a name', ['unregister'], /cluster name is required/],
  ['addons enable without a name', ['addons', 'enable'], /addonNames must be not be null/],
  ['an unknown addon', ['addons', 'enable', 'nonsense'], /addon nonsense is not be supported now/],
  // `--` cases
  ['a flag after -- is an argument', ['init', '--', '--dry-run'], /init takes no arguments, got 1/],
  ['an argument after -- counts', ['token', 'list', '--', 'x'], /list takes no arguments, got 1/],
  ['--help after -- is no help', ['--', '--help'], /unknown command "--help" for "karmadactl"; words after "--" are arguments/],
  ['-- then an unknown flag is an argument', ['token', 'list', '--', '--bogus'], /list takes no arguments, got 1/],
  // hostile or huge input
  ['ESC in a command name', [`jion${ESC}[2J`], /unknown command "jion\\x1b\[2J" for "karmadactl"/],
  ['ESC in an int value', ['init', '--etcd-replicas', `${ESC}[31mred`], /invalid argument "\\x1b\[31mred" for "--etcd-replicas" flag/],
  ['OSC and BEL in a bool value', ['version', `--short=${ESC}]0;title\u0007`], /invalid argument "\\x1b]0;title\\x07" for "--short" flag/],
  ['a newline in a value', ['unjoin', 'member1', '--wait', '1s\nerror: fake'], /invalid argument "1s\\nerror: fake" for "--wait" flag/],
  ['C1 CSI in a value', ['unjoin', 'member1', '--wait', '\u009b2J'], /invalid argument "\\x9b2J" for "--wait" flag/],
  ['bidi override in a command', ['jo\u202ein'], /unknown command "jo\\u202ein"/],
  ['a huge command name', [HUGE], /unknown command "x{80}…\(100000 chars\)" for "karmadactl"/],
  ['a huge unknown flag', ['join', 'member1', `--${HUGE}`], /unknown flag: --x{78}…\(100002 chars\)/],
  ['a huge int value', ['init', '--etcd-replicas', HUGE], /invalid argument "x{80}…\(100000 chars\)" for "--etcd-replicas" flag/],
  ['a huge output format', ['version', '-o', HUGE], /--output must be 'yaml' or 'json', got 'x+…\(100002 chars\)/],
  ['a huge taint', ['taint', 'clusters', 'm', `${HUGE}=v:NoSchedule`], /invalid taint spec/],
];

const INTERNAL = /Cannot read properties|is not a function|undefined|NaN|ENOENT|EISDIR|ENOTDIR|at .*\(.*:\d+:\d+\)/;
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe(`bad command lines (${cases.length} cases)`, () => {
  const home = path.join(os.tmpdir(), 'karmadactl-bad-input-no-home');
  it.each(cases)('%s', async (_name, argv, names) => {
    const r = await runCli(argv, { env: {}, homedir: home });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
    expect(r.stderr.startsWith('error: ')).toBe(true);
    expect(r.stderr).toMatch(names);
    expect(r.stderr).not.toMatch(INTERNAL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.length).toBeLessThan(1200);
  });
  it('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});
