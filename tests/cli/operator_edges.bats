#!/usr/bin/env bats
# What the operator is told and typed: after a deadline the rules offer only what they allow now,
# documents cannot revive an expired order, the quiet, help, label and log options say and store
# what they mean, tables fit the terminal, and names compare without case in every script.

load helpers

DE_LOCAL=+4930901820
doc() { printf '%%PDF proof' > "$TEST_DIR/proof.pdf"; echo "$TEST_DIR/proof.pdf"; }

@test "after release_at, show no longer offers restore, due names the sweep, and the refusal does not contradict itself" {
  numctl buy +4915123456789 >/dev/null
  numctl cancel +4915123456789 >/dev/null
  run numctl show +4915123456789 --format json
  echo "$output" | jq -e '.allowed_actions | index("restore")' >/dev/null
  export NUMCTL_NOW=2026-03-01T00:00:00Z
  run numctl show +4915123456789 --format json
  echo "$output" | jq -e '.allowed_actions | index("restore") | not' >/dev/null
  run numctl due --format json
  [[ "$output" != *"numctl restore"* ]]
  [[ "$output" == *"the next numctl sweep releases it"* ]]
  run_split restore +4915123456789
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"grace period ended at 2026-02-09T12:00:00Z; the next numctl sweep releases it"* ]]
  [[ "$stderr" != *"not reached"* ]]
}

@test "an expired pending order takes no more documents: nothing revives it" {
  numctl buy "$DE_LOCAL" >/dev/null
  export NUMCTL_NOW=2026-03-01T00:00:00Z
  before=$(db_checksum)
  run_split docs submit "$DE_LOCAL" --kind proof_of_address --file "$(doc)"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"the order expired at 2026-02-09T12:00:00Z"*"buy the number again"* ]]
  [ "$(db_checksum)" = "$before" ]
  run_split approve "$DE_LOCAL"
  [ "$status" -eq 4 ]
  run numctl show "$DE_LOCAL" --format json
  echo "$output" | jq -e '(.allowed_actions | index("docs submit") | not) and (.allowed_actions | index("approve") | not)' >/dev/null
  numctl sweep >/dev/null
  [ "$(status_of "$DE_LOCAL")" = cancelled ]
}

@test "sweep --quiet prints the summary only" {
  numctl buy +4915123456789 +4915123456788 >/dev/null
  numctl cancel +4915123456789 +4915123456788 >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split --quiet sweep
  [ "$status" -eq 0 ]
  [ "$output" = "sweep: 2 released, 0 expired" ]
}

@test "log: limits out of range and misspelt actions are usage errors with the closest action" {
  numctl team add Ops >/dev/null
  for limit in 99999999999999999999 -1 1000000001; do
    run_split log --limit "$limit"
    [ "$status" -eq 2 ]
  done
  run_split log --action flg
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean 'flag'?"* ]]
  run_split log --action team_add --limit 5
  [ "$status" -eq 0 ]
  [[ "$output" == *team_add* ]]
}

@test "help names every team and member subcommand; unflag takes a reason; an empty label is no label, set twice is one change" {
  run numctl help
  [[ "$output" == *"Add, list, rename, merge or remove teams"* ]]
  [[ "$output" == *"Add, list, move or remove members"* ]]
  numctl buy +4915123456789 >/dev/null
  numctl flag +4915123456789 --reason spam >/dev/null
  numctl unflag +4915123456789 --reason 'carrier cleared it' >/dev/null
  [[ "$(sql "SELECT details FROM audit WHERE action = 'unflag'")" == *'"unflag_reason":"carrier cleared it"'* ]]
  numctl set +4915123456789 --label 'Desk' >/dev/null
  numctl set +4915123456789 --label 'Desk' >/dev/null
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'set_label'")" -eq 1 ]
  numctl set +4915123456789 --label '' >/dev/null
  run numctl show +4915123456789 --format json
  echo "$output" | jq -e '.label == null' >/dev/null
}

# on_terminal ARGS...: numctl on a pseudo-terminal 80 columns wide (script(1)); its screen text.
on_terminal() {
  local command
  printf -v command '%q ' "$NUMCTL_BIN" "$@"
  COLUMNS=80 script -qfec "$command" /dev/null | tr -d '\r'
}

@test "on an 80-column terminal, due, log and reputation list cut their last column instead of wrapping" {
  command -v script >/dev/null || skip "script(1) is not installed"
  numctl buy +4915123456789 >/dev/null
  numctl cancel +4915123456789 --reason "$(printf 'a very long reason %.0s' {1..10})" >/dev/null
  printf 'number,score,source,checked_at,labels\n+4915123456789,90,hiya,2026-01-01T00:00:00Z,%s\n' \
    "$(printf 'Scam Likely %.0s' {1..10})" >"$TEST_DIR/feed.csv"
  numctl reputation import "$TEST_DIR/feed.csv" >/dev/null
  for command in "due --days 60" "log" "reputation list"; do
    run on_terminal $command
    [ "$status" -eq 0 ]
    while IFS= read -r line; do
      [ "$(printf '%s' "$line" | sed 's/\x1b\[[0-9;]*m//g' | wc -m)" -le 80 ] || { echo "too wide in $command: $line"; return 1; }
    done <<<"$output"
  done
  run on_terminal reputation list
  [[ "$output" == *"SCORE BAND"* ]]
  [[ "$output" == *" 90 high"* ]]
  NUMCTL_NOW=2026-01-20T00:00:00Z run on_terminal due --days 7
  [[ "$output" != *"stale_reputati…"* ]]
}

@test "team and member names compare without case beyond ASCII: no twin teams, renames cannot collide" {
  numctl team add 'Ventes Équipe' >/dev/null
  run_split team add 'ventes équipe'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"already exists"* ]]
  numctl buy +4915123456789 --team 'VENTES ÉQUIPE' >/dev/null
  [ "$(numctl show +4915123456789 --json | jq -r .team)" = 'Ventes Équipe' ]
  numctl team add Support >/dev/null
  run_split team rename Support 'ventes ÉQUIPE'
  [ "$status" -eq 4 ]
  numctl member add 'Zoë' >/dev/null
  run_split member add 'ZOË'
  [ "$status" -eq 4 ]
  [ "$(numctl team list --json | jq length)" -eq 2 ]
}
