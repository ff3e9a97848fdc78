#!/usr/bin/env bats
# A well-made Unix tool: init, help, --verbose/--quiet, suggestions, progress only on a terminal.

load helpers

@test "init writes a commented starter config and creates the database; refuses to overwrite" {
  run numctl init
  [ "$status" -eq 0 ]
  config=$XDG_CONFIG_HOME/numctl/config.toml
  [ -f "$config" ]
  on_postgres || [ -f "$NUMCTL_DB" ]
  grep -q '^# \[lifecycle\]' "$config"
  ! grep -q '^[a-z\[]' "$config"          # every setting commented out: defaults apply
  run numctl list
  [ "$status" -eq 0 ]
  echo "# mine" >> "$config"
  run_split init
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"already exists; pass --force"* ]]
  grep -q '^# mine' "$config"
  numctl init --force
  ! grep -q '^# mine' "$config"
}

@test "the starter config, uncommented, is the documented example and parses" {
  numctl --config "$TEST_DIR/c.toml" init
  sed -e 's/^# \([a-z_]* = \)/\1/' -e 's/^# \(\[.*\]\)$/\1/' "$TEST_DIR/c.toml" > "$TEST_DIR/live.toml"
  run numctl --config "$TEST_DIR/live.toml" --db "$TEST_DIR/x.db" buy '030 901820'
  [ "$status" -eq 0 ]
  [[ "$output" == *"pending"* ]]
}

@test "help COMMAND shows the command's help with examples" {
  run numctl help cancel
  [ "$status" -eq 0 ]
  [[ "$output" == *"Examples:"* && "$output" == *"--reason"* ]]
  run numctl help team add
  [[ "$output" == *"Create a team"* ]]
  run_split help cancl
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean 'cancel'"* ]]
}

@test "every command's --help has an example" {
  for command in list filter search stats show history available buy docs approve reject assign unassign flag unflag cancel restore replace sweep due import team member lifecycle init; do
    run numctl "$command" --help
    [[ "$output" == *"Example"* ]] || { echo "no example in: numctl $command --help"; return 1; }
  done
}

@test "--verbose names the config, database and actor on stderr; --quiet silences notes" {
  run_split --verbose team add Ops
  [[ "$stderr" == *"config: built-in defaults"* && "$stderr" == *"database: $NUMCTL_DB"* && "$stderr" == *"actor: alice"* ]]
  run_split --quiet team add Sales
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
}

@test "misspelt statuses and teams get a suggestion" {
  numctl team add Support
  run_split filter --status actve
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean 'active'"* ]]
  run_split filter --country Germany
  [[ "$stderr" == *"DE"* ]]
}

@test "progress appears on a terminal, never in a pipe or with --quiet" {
  python3 -c "
import sys
print('number')
for i in range(1500): print('+447400%06d' % (100000 + i))
" > "$TEST_DIR/big.csv"
  run_split import "$TEST_DIR/big.csv"
  [ "$status" -eq 0 ]
  [[ "$stderr" != *"importing"* ]]
  run env "$(inventory_at tty)" script -qec "$NUMCTL_BIN import $TEST_DIR/big.csv" /dev/null
  [[ "$output" == *"importing"*"1500/1500"* ]]
  run env "$(inventory_at quiet)" script -qec "$NUMCTL_BIN --quiet import $TEST_DIR/big.csv" /dev/null
  [[ "$output" != *"importing"* ]]
}

@test "global options before the command may have values that look like commands" {
  run numctl --actor cancel --db "$TEST_DIR/list" --format=TABLE team add Ops
  [ "$status" -eq 0 ]
  [ "$(sqlite3 "$TEST_DIR/list" "SELECT actor FROM audit WHERE action = 'team_add'")" = cancel ]
  run numctl -q --db "$TEST_DIR/list" help team
  [[ "$output" == *"Add, list, rename, merge or remove teams"* ]]
  # A flag takes no value: the word after it is the command, even one with subcommands.
  run_split --quiet --db "$TEST_DIR/list" team list
  [ "$status" -eq 0 ]
  [[ "$output" == *Ops* ]]
  run_split --quiet --db "$TEST_DIR/list" reputation list
  [ "$status" -eq 0 ]
  run_split --no-such-option list
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--no-such-option"* ]]
}

@test "output that cannot be written (a full disk) is exit 1 and said; a change names itself made; a closed pipe is SIGPIPE" {
  numctl buy +4915123456789 +4915123456790 > /dev/null
  run bash -c '"$NUMCTL_BIN" list --format csv > /dev/full'
  [ "$status" -eq 1 ]
  [ "$output" = "numctl: error: cannot write the output: No space left on device" ]
  run bash -c '"$NUMCTL_BIN" list --format json > /dev/full'
  [ "$status" -eq 1 ]
  [ "$(echo "$output" | jq -r .error.message)" = "cannot write the output: No space left on device" ]
  run bash -c '"$NUMCTL_BIN" cancel --help > /dev/full'
  [ "$status" -eq 1 ]
  [ "$output" = "numctl: error: cannot write the output: No space left on device" ]
  # The change was made (one transaction, committed before its report): the message says so.
  run bash -c '"$NUMCTL_BIN" cancel +4915123456789 --format plain > /dev/full'
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot write the output: No space left on device (the command itself ran to its end: numctl log shows what it changed)" ]]
  [ "$(numctl show +4915123456789 --format json | jq -r .status)" = to_be_cancelled ]
  # A reader that stops early ends numctl as SIGPIPE does, quietly, even where SIGPIPE is ignored.
  python3 -c 'print("number"); [print(f"+491512{i:07d}") for i in range(20000)]' > "$TEST_DIR/big.csv"
  numctl --quiet import "$TEST_DIR/big.csv" > /dev/null
  run bash -c 'trap "" PIPE; set -o pipefail; "$NUMCTL_BIN" list --format ndjson 2> "$0" | head -1 > /dev/null' "$TEST_DIR/stderr"
  [ "$status" -eq 141 ]
  [ ! -s "$TEST_DIR/stderr" ]
}
