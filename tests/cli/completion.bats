#!/usr/bin/env bats
# Shell completion: bash driven through COMP_WORDS, fish through `complete -C`, zsh parsed.

load helpers


complete_bash() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _numctl
  echo "${COMPREPLY[*]}"
}

prepare() {
  mkdir -p "$TEST_DIR/bin"
  ln -s "$NUMCTL_BIN" "$TEST_DIR/bin/numctl"
  export PATH=$TEST_DIR/bin:$PATH
  numctl team add Sales
  numctl team add Support
  numctl member add Ada
  numctl buy +447400100001 +447400100002 +4915123456789
  source "$NUMCTL_SOURCE_DIR/completions/numctl.bash"
}

@test "bash completes commands, subcommands and flags from the binary" {
  prepare
  [ "$(complete_bash numctl li)" = "list lifecycle" ]
  [ "$(complete_bash numctl team '')" = "add remove rename merge set list" ]
  [ "$(complete_bash numctl docs s)" = "submit" ]
  [ "$(complete_bash numctl list --st)" = "--status" ]
  [ "$(complete_bash numctl buy --cou)" = "--country --count" ]
}

@test "bash completes flag values: statuses, types, formats, countries" {
  prepare
  [ "$(complete_bash numctl filter --status to)" = "to_be_cancelled" ]
  [ "$(complete_bash numctl filter --type t)" = "toll_free" ]
  [ "$(complete_bash numctl list --format n)" = "ndjson" ]
  [ "$(complete_bash numctl filter --country g)" = "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY" ]
}

@test "bash completes numbers, teams and members from the database" {
  prepare
  [ "$(complete_bash numctl cancel +4474)" = "+447400100001 +447400100002" ]
  [ "$(complete_bash numctl assign +447400100001 --team S)" = "Sales Support" ]
  [ "$(complete_bash numctl assign +447400100001 --member '')" = "Ada" ]
  [ "$(complete_bash numctl team remove Su)" = "Support" ]
  numctl cancel +447400100002
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep
  [ "$(complete_bash numctl show +4474)" = "+447400100001" ]
}

@test "bash completion follows --db to another database" {
  prepare
  other=$TEST_DIR/other.db
  NUMCTL_DB=$other numctl buy +4930123456
  [ "$(complete_bash numctl --db "$other" show +49)" = "+4930123456" ]
}

@test "fish completes the same answers" {
  command -v fish >/dev/null || skip "fish is not installed"
  prepare
  run fish -c "source '$NUMCTL_SOURCE_DIR/completions/numctl.fish'; complete -C 'numctl li'; complete -C 'numctl cancel +4474'; complete -C 'numctl list --status h'"
  [ "$output" = $'lifecycle\nlist\n+447400100001\n+447400100002\nhigh_risk' ]
}

@test "zsh completion parses" {
  command -v zsh >/dev/null || skip "zsh is not installed"
  zsh -n "$NUMCTL_SOURCE_DIR/completions/_numctl"
}

@test "__complete is hidden from --help and stays quiet on errors" {
  run numctl --help
  [[ "$output" != *"__complete"* ]]
  run_split --db /proc/none/x.db __complete numbers -- +1
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
}

@test "multi-word teams and members are quoted back: bash and fish" {
  prepare
  numctl team add 'EMEA Ops'
  numctl member add 'Grace Hopper' --team 'EMEA Ops'
  [ "$(complete_bash numctl assign +447400100001 --team EM)" = 'EMEA\ Ops' ]
  [ "$(complete_bash numctl assign +447400100001 --team 'EMEA\ O')" = 'EMEA\ Ops' ]
  [ "$(complete_bash numctl assign +447400100001 --team "'EMEA O")" = "'EMEA Ops'" ]
  [ "$(complete_bash numctl assign +447400100001 --member Gr)" = 'Grace\ Hopper' ]
  [ "$(complete_bash numctl team rename EM)" = 'EMEA\ Ops' ]
  command -v fish >/dev/null || skip "fish is not installed"
  run fish -c "source '$NUMCTL_SOURCE_DIR/completions/numctl.fish'; complete -C 'numctl assign +447400100001 --team EMEA\ O'; complete -C 'numctl filter --member Gr'"
  [ "$output" = $'EMEA Ops\nGrace Hopper' ]
}

@test "numbers are offered only where the lifecycle allows the command; docs submit --kind offers what is missing" {
  prepare
  numctl cancel +447400100002
  numctl flag +447400100001
  [ "$(complete_bash numctl restore +)" = "+447400100002" ]
  [ "$(complete_bash numctl replace +)" = "+447400100001" ]
  [ "$(complete_bash numctl unflag +44)" = "+447400100001" ]
  [ "$(complete_bash numctl flag +)" = "+4915123456789" ]
  [ "$(complete_bash numctl show +44)" = "+447400100001 +447400100002" ]
  numctl buy +4930123456
  [ "$(complete_bash numctl docs submit +)" = "+4930123456" ]
  [ "$(complete_bash numctl approve +)" = "+4930123456" ]
  [ "$(complete_bash numctl docs submit +4930123456 --kind '')" = "proof_of_address" ]
  command -v fish >/dev/null || skip "fish is not installed"
  run fish -c "source '$NUMCTL_SOURCE_DIR/completions/numctl.fish'; complete -C 'numctl restore +'; complete -C 'numctl docs submit +4930123456 --kind p'"
  [ "$output" = $'+447400100002\nproof_of_address' ]
}
