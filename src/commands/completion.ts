import type { CommandSpec } from './spec';
import { UsageError } from '../errors';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const completionCommand: CommandSpec = {
  name: 'completion',
  short: 'Output shell completion code for the specified shell (bash, zsh, fish)',
  use: 'SHELL',
  long: `Output shell completion code for the specified shell (bash, zsh, fish).

The shell code must be evaluated to provide interactive completion of {{program}} commands.
This can be done by sourcing it from the .bash_profile.

Note for zsh users: zsh completions are only supported in versions of zsh >= 5.2.`,
  example: `  # Installing bash completion on Linux
  ## If bash-completion is not installed on Linux, install the 'bash-completion' package
  ## via your distribution's package manager.
  ## Load the {{program}} completion code for bash into the current shell
  source <({{program}} completion bash)
  ## Write bash completion code to a file and source it from .bash_profile
  {{program}} completion bash > ~/.kube/completion.bash.inc
  printf "
  # {{program}} shell completion
  source '$HOME/.kube/completion.bash.inc'
  " >> $HOME/.bash_profile
  source $HOME/.bash_profile

  # Load the {{program}} completion code for zsh[1] into the current shell
  source <({{program}} completion zsh)
  # Set the {{program}} completion code for zsh[1] to autoload on startup
  {{program}} completion zsh > "\${fpath[1]}/_{{program}}"

  # Load the {{program}} completion code for fish[2] into the current shell
  {{program}} completion fish | source
  # Set the {{program}} completion code for fish[2] to autoload on startup
  {{program}} completion fish > ~/.config/fish/completions/{{program}}.fish`,
  args: [0, -1],
  completeArgs: (_ctx, args) => (args.length ? [] : [...SHELLS]),
  async run({ ctx, args }) {
    const see = `See '${ctx.program} completion -h' for help and examples`;
    if (args.length === 0) throw new UsageError('Shell not specified.', { hint: see });
    if (args.length > 1) throw new UsageError('Too many arguments. Expected only the shell type.', { hint: see });
    const shell = args[0];
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`Unsupported shell type "${shell}".`, { hint: see });
    const scripts = await import('../completion/scripts');
    const gen = shell === 'bash' ? scripts.bashScript : shell === 'zsh' ? scripts.zshScript : scripts.fishScript;
    ctx.stdout.write(gen(ctx.invokedAs));
  },
};
