# bash completion for numctl. Subcommands and flags come from the binary itself
# (`numctl __complete`), numbers, teams and members from the database.

_numctl_values_flags=" --config --db --actor --region --format --color --status --type --country --team --member --sort --limit --offset --label --reason --count --contains --kind --file -o --output --with --now --input-format --graph "

_numctl() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local -a global=() path=()
  local i word
  # Find the command path (e.g. "team add") and the options that choose the database.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == --config || $word == --db ]]; then
      global+=("$word" "${COMP_WORDS[i+1]}")
    fi
    if [[ $_numctl_values_flags == *" $word "* ]]; then
      ((i++))
      continue
    fi
    [[ $word == -* ]] && continue
    if ((${#path[@]} == 0)) || { ((${#path[@]} == 1)) && [[ ${path[0]} == team || ${path[0]} == member || ${path[0]} == docs ]]; }; then
      path+=("$word")
    fi
  done

  local -a answers=()
  _numctl_ask() { mapfile -t answers < <(numctl "${global[@]}" __complete "$@" 2>/dev/null); }
  case $prev in
    --status) _numctl_ask statuses -- "$cur" ;;
    --type) _numctl_ask types -- "$cur" ;;
    --format) _numctl_ask formats -- "$cur" ;;
    --color) _numctl_ask colors -- "$cur" ;;
    --country | --region) _numctl_ask countries -- "$cur" ;;
    --team) _numctl_ask teams -- "$cur" ;;
    --member) _numctl_ask members -- "$cur" ;;
    --sort) _numctl_ask sorts -- "$cur" ;;
    --config | --db | --file | -o | --output)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
    *)
      if [[ $_numctl_values_flags == *" $prev "* ]]; then
        COMPREPLY=()
        return
      fi
      if [[ $cur == -* ]]; then
        _numctl_ask flags -- "${path[@]}" "$cur"
      elif ((${#path[@]} == 0)) || { ((${#path[@]} == 1)) && [[ ${path[0]} == team || ${path[0]} == member || ${path[0]} == docs ]]; }; then
        _numctl_ask commands -- "${path[@]}" "$cur"
      else
        case ${path[0]} in
          import)
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return ;;
          team | member)
            [[ ${path[1]} == remove ]] && _numctl_ask "${path[0]}s" -- "$cur" ;;
          *)
            # Which commands take numbers is the binary's command table.
            _numctl_ask operands -- "${path[0]}" "$cur" ;;
        esac
      fi ;;
  esac
  COMPREPLY=("${answers[@]}")
}

complete -o default -F _numctl numctl
