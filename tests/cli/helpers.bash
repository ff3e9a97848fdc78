# Shared set-up for the end-to-end suites: a private home, database and clock per test.

setup() {
  : "${NUMCTL_BIN:?set NUMCTL_BIN to the numctl binary}"
  TEST_DIR=$(mktemp -d)
  export HOME=$TEST_DIR/home XDG_CONFIG_HOME=$TEST_DIR/config XDG_DATA_HOME=$TEST_DIR/data
  mkdir -p "$HOME"
  export NUMCTL_DB=$TEST_DIR/numbers.db
  export NUMCTL_NOW=2026-01-10T12:00:00Z
  export NUMCTL_ACTOR=alice
  unset NUMCTL_CONFIG NO_COLOR
  export COLUMNS=80
}

teardown() {
  rm -rf "$TEST_DIR"
}

numctl() { "$NUMCTL_BIN" "$@"; }

# A fingerprint of every row of every table, to prove a failed command changed nothing.
db_checksum() {
  sqlite3 "$NUMCTL_DB" "SELECT 'n', * FROM numbers; SELECT 't', * FROM teams; SELECT 'm', * FROM members; SELECT 'a', * FROM audit; SELECT 'd', id, kind, state FROM documents; SELECT 'r', * FROM reputation_readings;" | sha256sum
}

status_of() {
  sqlite3 "$NUMCTL_DB" "SELECT status FROM numbers WHERE e164 = '$1'"
}

# Runs numctl, keeping stdout and stderr apart ($output, $stderr).
run_split() {
  local err=$TEST_DIR/stderr
  run bash -c '"$NUMCTL_BIN" "$@" 2>"'"$err"'"' numctl "$@"
  stderr=$(cat "$err")
}
