#!/usr/bin/env bats
# A shared inventory on a primary and a streaming standby (pg_basebackup -R, synchronous),
# started for each test: reads go to the standby, writes to the primary whatever the order of
# the URL's hosts; --primary and [database] read_url choose, and reads fall back to the primary
# when the server to read from does not answer.

load helpers

setup() {
  : "${NUMCTL_BIN:?set NUMCTL_BIN to the numctl binary}"
  TEST_DIR=$(mktemp -d)
  export HOME=$TEST_DIR/home XDG_CONFIG_HOME=$TEST_DIR/config XDG_DATA_HOME=$TEST_DIR/data
  mkdir -p "$HOME"
  export NUMCTL_NOW=2026-01-10T12:00:00Z NUMCTL_ACTOR=alice COLUMNS=80
  unset NUMCTL_CONFIG NO_COLOR NUMCTL_DB
  local started
  started=$("$NUMCTL_SOURCE_DIR/tests/pg/cluster" start) || skip "no PostgreSQL server here (.ci/install-deps installs it)"
  eval "$started"
  "$NUMCTL_SOURCE_DIR/tests/pg/cluster" standby "$PG_DIR"
  # The standby first: a write must still reach the primary.
  export NUMCTL_DATABASE_URL="postgresql:///numctl?host=$PG_DIR,$PG_DIR&port=5433,5432&user=$PG_OWNER"
  export NUMCTL_TEST_ENGINE=postgres
}

teardown() {
  [ -z "${PG_DIR:-}" ] || "$NUMCTL_SOURCE_DIR/tests/pg/cluster" stop "$PG_DIR"
  rm -rf "$TEST_DIR"
}


@test "reads are served by the standby and writes by the primary, whatever the hosts' order; --primary and read_url choose" {
  run_split --verbose team add Ops
  [ "$status" -eq 0 ]
  [[ "$stderr" == *":5432/numctl (primary)"* ]]
  run_split --verbose team list
  [[ "$stderr" == *":5433/numctl (standby)"* ]]
  [[ "$output" == *"Ops"* ]]
  run_split --verbose --primary team list
  [[ "$stderr" == *":5432/numctl (primary)"* ]]
  # [database] read_url names the server to read from; when it does not answer, reads fall back.
  export NUMCTL_CONFIG=$TEST_DIR/numctl.toml
  printf '[database]\nurl = "postgresql:///numctl?host=%s&port=5432&user=%s"\nread_url = "postgresql:///numctl?host=%s&port=5433&user=%s"\n' \
    "$PG_DIR" "$PG_OWNER" "$PG_DIR" "$PG_OWNER" >"$NUMCTL_CONFIG"
  unset NUMCTL_DATABASE_URL
  run_split --verbose team list
  [[ "$stderr" == *":5433/numctl (standby)"* ]]
  printf '[database]\nurl = "postgresql:///numctl?host=%s&port=5432&user=%s"\nread_url = "postgresql:///numctl?host=%s&port=5999&user=%s"\n' \
    "$PG_DIR" "$PG_OWNER" "$PG_DIR" "$PG_OWNER" >"$NUMCTL_CONFIG"
  run_split --verbose team list
  [ "$status" -eq 0 ]
  [[ "$stderr" == *":5432/numctl (primary)"* ]]
}
