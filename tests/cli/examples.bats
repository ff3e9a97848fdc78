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

@test "the example import files import" {
  run numctl import "$NUMCTL_SOURCE_DIR/examples/numbers.csv"
  [ "$output" = "imported 3 numbers, 2 new teams, 1 new members" ]
  run numctl import "$NUMCTL_SOURCE_DIR/examples/numbers.json"
  [ "$output" = "imported 2 numbers, 1 new teams" ]
  [ "$(numctl list --format plain | wc -l)" -eq 5 ]
}

@test "the crontab line runs" {
  line=$(grep -v '^#' "$NUMCTL_SOURCE_DIR/examples/cron/crontab" | grep numctl)
  cmd=${line#*numctl }
  cmd=${cmd%% >*}
  run numctl $cmd
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c .released)" = "[]" ]
}
