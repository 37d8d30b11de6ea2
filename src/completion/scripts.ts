/**
 * Shell completion scripts. Each one asks the program itself for candidates through the hidden
 * `__complete` command (the protocol in protocol.ts, shared with cobra-based CLIs and kubectl's
 * plugin completion), so completion always matches the installed version's commands and flags.
 */
import { Directive } from './protocol';

/** A shell identifier derived from the program name (`kubectl-karmada` → `kubectl_karmada`). */
const ident = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

const header = (name: string, shell: string) =>
  `# ${shell} completion for ${name}\n# Load it into the current shell with: source <(${name} completion ${shell})\n`;

export function bashScript(name: string): string {
  const id = ident(name);
  return `${header(name, 'bash')}
__${id}_complete() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<< "$line"
    # A trailing space means the last word is complete: ask for the next one.
    if [[ $line == *[[:space:]] || \${#words[@]} -eq 0 ]]; then
        words+=("")
    fi
    local cur=\${words[\${#words[@]}-1]}
    local out directive
    out=$("\${words[0]}" __completeNoDesc "\${words[@]:1}" 2>/dev/null) || true
    directive=\${out##*:}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    out=\${out%:*}
    COMPREPLY=()
    if (( directive & ${Directive.Error} )); then
        return
    fi
    if (( directive & ${Directive.NoSpace} )) && [[ $(type -t compopt) == builtin ]]; then
        compopt -o nospace
    fi
    if (( directive & ${Directive.FilterDirs} )); then
        COMPREPLY=($(compgen -d -- "$cur"))
        return
    fi
    if (( directive & ${Directive.FilterFileExt} )); then
        local ext
        for ext in $out; do
            COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
        done
        COMPREPLY+=($(compgen -d -- "$cur"))
        return
    fi
    local c prefix=""
    # bash splits words at '=' and ':' (COMP_WORDBREAKS): replace only the part after the last one.
    if [[ $cur == *[=:]* ]]; then
        prefix=\${cur%"\${cur##*[=:]}"}
    fi
    while IFS= read -r c; do
        [[ -z $c ]] && continue
        [[ $c == "$cur"* ]] && COMPREPLY+=("\${c#"$prefix"}")
    done <<< "$out"
    if (( \${#COMPREPLY[@]} == 0 )) && (( directive & ${Directive.NoFileComp} )) && [[ $(type -t compopt) == builtin ]]; then
        compopt +o default
    fi
}

if [[ $(type -t compopt) == builtin ]]; then
    complete -o default -F __${id}_complete ${name}
else
    complete -o default -o nospace -F __${id}_complete ${name}
fi
`;
}

export function zshScript(name: string): string {
  const id = ident(name);
  return `#compdef ${name}
compdef _${id} ${name}
${header(name, 'zsh')}
_${id}() {
    local -a args lines completions
    local out directive line value desc
    args=("\${words[@]:1:$((CURRENT-1))}")
    out=$(\${words[1]} __complete "\${args[@]}" 2>/dev/null)
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    [[ $directive == <-> ]] || directive=0
    lines=("\${(@)lines[1,-2]}")
    if (( directive & ${Directive.Error} )); then
        return 1
    fi
    if (( directive & ${Directive.FilterDirs} )); then
        _path_files -/
        return
    fi
    if (( directive & ${Directive.FilterFileExt} )); then
        local ext
        for ext in "\${lines[@]}"; do _path_files -g "*.$ext"; done
        return
    fi
    for line in "\${lines[@]}"; do
        [[ -z $line ]] && continue
        value=\${line%%$'\\t'*}
        desc=\${line#*$'\\t'}
        [[ $desc == "$line" ]] && desc=""
        value=\${value//:/\\\\:}
        completions+=("$value\${desc:+:$desc}")
    done
    if (( \${#completions} > 0 )); then
        if (( directive & ${Directive.NoSpace} )); then
            _describe -t values 'completions' completions -S ''
        else
            _describe -t values 'completions' completions
        fi
    elif (( ! (directive & ${Directive.NoFileComp}) )); then
        _files
    fi
}

if [[ $funcstack[1] != _${id} ]]; then
    compdef _${id} ${name}
fi
`;
}

export function fishScript(name: string): string {
  const id = ident(name);
  return `${header(name, 'fish')}
function __${id}_complete
    set -l args (commandline -opc)
    set -e args[1]
    set -l out (command ${name} __complete $args (commandline -ct) 2>/dev/null)
    test (count $out) -gt 0; or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    string match -qr '^[0-9]+$' -- $directive; or set directive 0
    if test (math "$directive % 2") -eq 1
        return
    end
    if test (count $out) -eq 0; and test (math "floor($directive / ${Directive.NoFileComp}) % 2") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end

complete -c ${name} -f -a '(__${id}_complete)'
`;
}
