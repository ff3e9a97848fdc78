# bash completion for numctl. Subcommands and flags come from the binary itself
# (`numctl __complete`), numbers, teams and members from the database.

_numctl_values_flags=" --config --db --actor --region --format --color --status --type --country --team --member --sort --limit --offset --label --reason --count --contains --kind --file -o --output --with --now --input-format --graph --source --older-than --since --until --within --risk --score-above --score-below --compliance --end-user --field --document --loa --invoice --name --address --email --pin --account-number --requested-date --number --date --carrier --street --city --postal-code --customer-name --contact --emergency --emergency-address "

_numctl() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local -a global=() path=() operands=()
  local i word
  # The word as the command will receive it: without an opening quote or backslashes
  # ("EMEA\ O" and "'EMEA O" ask for teams starting "EMEA O"); answers are quoted back the same way.
  local quote=
  if [[ $cur == \'* || $cur == \"* ]]; then
    quote=${cur:0:1}
    cur=${cur:1}
  else
    cur=${cur//\\/}
  fi
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
    if ((${#path[@]} == 0)) || { ((${#path[@]} == 1)) && [[ ${path[0]} == team || ${path[0]} == member || ${path[0]} == docs || ${path[0]} == reputation || ${path[0]} == provider || ${path[0]} == compliance || ${path[0]} == prices || ${path[0]} == usage || ${path[0]} == port-in || ${path[0]} == port-out || ${path[0]} == address || ${path[0]} == emergency || ${path[0]} == cnam ]]; }; then
      path+=("$word")
    else
      operands+=("$word")
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
    --kind) _numctl_ask kinds -- "${operands[0]}" "$cur" ;;  # what that number still needs
    --sort) _numctl_ask sorts -- "$cur" ;;
    --compliance) _numctl_ask profiles -- "$cur" ;;
    --emergency-address) _numctl_ask addresses -- "$cur" ;;
    --emergency) COMPREPLY=($(compgen -W "registered pending failed none" -- "$cur")); return ;;
    --address) [[ ${path[0]} == emergency ]] && _numctl_ask addresses -- "$cur" ;;  # port-in's is free text
    --document) _numctl_ask document_kinds -- "${operands[0]}" "$cur" ;;  # KIND= the carrier names
    --config | --db | --file | -o | --output | --loa | --invoice)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
    *)
      if [[ $_numctl_values_flags == *" $prev "* ]]; then
        COMPREPLY=()
        return
      fi
      if [[ $cur == -* ]]; then
        _numctl_ask flags -- "${path[@]}" "$cur"
      elif ((${#path[@]} == 0)) || { ((${#path[@]} == 1)) && [[ ${path[0]} == team || ${path[0]} == member || ${path[0]} == docs || ${path[0]} == reputation || ${path[0]} == provider || ${path[0]} == compliance || ${path[0]} == prices || ${path[0]} == usage || ${path[0]} == port-in || ${path[0]} == port-out || ${path[0]} == address || ${path[0]} == emergency || ${path[0]} == cnam ]]; }; then
        _numctl_ask commands -- "${path[@]}" "$cur"
      else
        case ${path[0]} in
          import)
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return ;;
          usage)
            [[ ${path[1]} == import ]] && mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return ;;
          reputation)
            if [[ ${path[1]} == import ]]; then
              mapfile -t COMPREPLY < <(compgen -f -- "$cur")
              return
            fi
            [[ ${path[1]} == show || ${path[1]} == refresh ]] && _numctl_ask operands -- "${path[@]}" "$cur" ;;
          team | member)
            [[ ${path[1]} == remove || ${path[1]} == rename || ${path[1]} == merge || ${path[1]} == move || ${path[1]} == set ]] &&
              _numctl_ask "${path[0]}s" -- "$cur" ;;
          *)
            # Which commands take numbers, and in which statuses, is the binary's to say.
            _numctl_ask operands -- "${path[@]}" "$cur" ;;
        esac
      fi ;;
  esac
  COMPREPLY=()
  local answer
  for answer in "${answers[@]}"; do
    if [[ -n $quote ]]; then
      COMPREPLY+=("$quote$answer$quote")
    else
      COMPREPLY+=("$(printf '%q' "$answer")")
    fi
  done
}

complete -o default -F _numctl numctl
