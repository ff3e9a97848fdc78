#!/usr/bin/env bats
# Deadlines and what the operator is told: after a deadline the rules offer only what they allow
# now, documents cannot revive an expired order, and the quiet, help, label and log options say
# and store what they mean.

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
