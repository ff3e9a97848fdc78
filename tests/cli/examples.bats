#!/usr/bin/env bats
# Every shipped example works: the demo, the config file, the import files, the cron line.

load helpers

@test "the demo tells its story end to end" {
  NUMCTL=$NUMCTL_BIN run "$NUMCTL_SOURCE_DIR/examples/demo.sh"
  [ "$status" -eq 0 ]
  [[ "$output" == *"sweep: 2 released, 0 expired"* ]]
  [[ "$output" == *"Member: Ada Lovelace (Sales)"* ]]
}

@test "examples/config.toml is accepted and its regulation applies" {
  run numctl --config "$NUMCTL_SOURCE_DIR/examples/config.toml" buy '01512 3456789' '030 901820'
  [ "$status" -eq 0 ]
  [[ "$output" == *"+49 30 901820 (DE, local): pending"* ]]
}

@test "the example import files import (the CSV, a migration, with --trust-status)" {
  # Row 2 says a German number is active: its documents are not in numctl, so the file's word
  # is taken only when the operator says they are held elsewhere.
  run_split import "$NUMCTL_SOURCE_DIR/examples/numbers.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"row 2: +49 30 901820 is active in the file, but DE asks for documents"*"--trust-status"* ]]
  run numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv"
  [ "$output" = "imported 3 numbers, 2 new teams, 1 new members" ]
  [ "$(numctl history +4930901820 --format json | jq -r '.[0].details.status_trusted')" = "documents held outside numctl" ]
  [ "$(numctl history +447400123456 --format json | jq -r '.[0].details.status_trusted')" = "null" ]
  run numctl import "$NUMCTL_SOURCE_DIR/examples/numbers.json"
  [ "$output" = "imported 2 numbers, 1 new teams" ]
  [ "$(numctl list --format plain | wc -l)" -eq 5 ]
}

@test "the crontab line runs" {
  numctl init >/dev/null
  line=$(grep -v '^#' "$NUMCTL_SOURCE_DIR/examples/cron/crontab" | grep numctl)
  cmd=${line#*numctl }
  cmd=${cmd%% >*}
  run numctl $cmd
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c .released)" = "[]" ]
}

scripts_setup() {
  mkdir -p "$TEST_DIR/bin"
  ln -s "$NUMCTL_BIN" "$TEST_DIR/bin/numctl"
  export PATH=$TEST_DIR/bin:$PATH
  numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv"
  numctl buy +447400100009 --team Support
}

@test "scripts/numbers-per-team.sh counts numbers per team" {
  scripts_setup
  run "$NUMCTL_SOURCE_DIR/examples/scripts/numbers-per-team.sh"
  [ "$status" -eq 0 ]
  [ "$output" = $'Support\t3\nSales\t1' ]
}

@test "scripts/releasing-this-week.sh lists numbers whose grace ends within 7 days" {
  scripts_setup
  NUMCTL_NOW=2026-01-01T00:00:00Z numctl cancel +447400100009
  numctl cancel +4930901820
  run env NUMCTL_NOW=2026-01-28T00:00:00Z "$NUMCTL_SOURCE_DIR/examples/scripts/releasing-this-week.sh"
  [ "$status" -eq 0 ]
  [ "$output" = $'+447400100009\t2026-01-31T00:00:00Z\tSupport' ]
}

@test "scripts/cancel-team-numbers.sh cancels a team's numbers in one batch" {
  scripts_setup
  run "$NUMCTL_SOURCE_DIR/examples/scripts/cancel-team-numbers.sh" Support
  [ "$status" -eq 0 ]
  [ "$(numctl filter --team Support --status to_be_cancelled --format plain | wc -l)" -eq 3 ]
  [ "$(numctl filter --team Sales --status active --format plain | wc -l)" -eq 1 ]
}
