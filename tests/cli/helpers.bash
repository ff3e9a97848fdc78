# Shared set-up for the end-to-end suites: a private home, database and clock per test.

setup() {
  : "${NUMCTL_BIN:?set NUMCTL_BIN to the numctl binary}"
  TEST_DIR=$(mktemp -d)
  export HOME=$TEST_DIR/home XDG_CONFIG_HOME=$TEST_DIR/config XDG_DATA_HOME=$TEST_DIR/data
  mkdir -p "$HOME"
  export NUMCTL_DB=$TEST_DIR/numbers.db
  # NUMCTL_TEST_ENGINE=postgres: every test gets a fresh database of the cluster tests/pg/cluster
  # started (PG_DIR), through NUMCTL_DATABASE_URL; NUMCTL_DB is not set then.
  if [ "${NUMCTL_TEST_ENGINE:-sqlite}" = postgres ]; then
    : "${PG_DIR:?NUMCTL_TEST_ENGINE=postgres needs a cluster: eval \"\$(tests/pg/cluster start)\"}"
    unset NUMCTL_DB
    export NUMCTL_DATABASE_URL
    NUMCTL_DATABASE_URL=$("$NUMCTL_SOURCE_DIR/tests/pg/cluster" createdb "$PG_DIR" "t_${BATS_SUITE_TEST_NUMBER:-0}_$$_$RANDOM")
  fi
  export NUMCTL_NOW=2026-01-10T12:00:00Z
  export NUMCTL_ACTOR=alice
  unset NUMCTL_CONFIG NO_COLOR
  export COLUMNS=80
}

teardown() {
  rm -rf "$TEST_DIR"
}

on_postgres() { [ "${NUMCTL_TEST_ENGINE:-sqlite}" = postgres ]; }
# A test of the SQLite file itself (its permissions, its pragmas, corrupting it).
sqlite_only() { on_postgres && skip "a test of the SQLite file" || true; }

# One SQL statement against the inventory, whichever engine holds it; columns joined by |.
sql() {
  if on_postgres; then psql -X -q -tA -F'|' "$NUMCTL_DATABASE_URL" -c "$1"; else sqlite3 "$NUMCTL_DB" "$1"; fi
}

numctl() { "$NUMCTL_BIN" "$@"; }

# The environment (for env) of another inventory named NAME: its own SQLite file, or its own
# PostgreSQL database on the test cluster, created on first use.
inventory_at() {
  if on_postgres; then
    [ -f "$TEST_DIR/pg-$1" ] ||
      "$NUMCTL_SOURCE_DIR/tests/pg/cluster" createdb "$PG_DIR" "t_$1_$$_$RANDOM" > "$TEST_DIR/pg-$1"
    echo "NUMCTL_DATABASE_URL=$(cat "$TEST_DIR/pg-$1")"
  else
    echo "NUMCTL_DB=$TEST_DIR/$1.db"
  fi
}

# A fingerprint of every row of every table, to prove a failed command changed nothing.
db_checksum() {
  local query
  for query in "* FROM numbers ORDER BY id" "* FROM teams ORDER BY id" "* FROM members ORDER BY id" \
    "* FROM audit ORDER BY id" "id, kind, state FROM documents ORDER BY id" \
    "* FROM reputation_readings ORDER BY number_id, checked_at, source" "* FROM carrier_calls ORDER BY id" \
    "* FROM compliance_profiles ORDER BY id" "id, kind, sha256 FROM compliance_documents ORDER BY id" \
    "id, state, body, secrets FROM port_orders ORDER BY id" "* FROM port_numbers ORDER BY order_id, number" \
    "* FROM port_outs ORDER BY id" "* FROM addresses ORDER BY id"; do
    sql "SELECT $query"
  done | sha256sum
}

status_of() {
  sql "SELECT status FROM numbers WHERE e164 = '$1'"
}

# Runs numctl, keeping stdout and stderr apart ($output, $stderr).
run_split() {
  local err=$TEST_DIR/stderr
  run bash -c '"$NUMCTL_BIN" "$@" 2>"'"$err"'"' numctl "$@"
  stderr=$(cat "$err")
}

# run_split against another inventory: run_split_in NAME ARGS... (see inventory_at).
run_split_in() {
  local where
  where=$(inventory_at "$1")
  shift
  local err=$TEST_DIR/stderr
  run env "$where" bash -c '"$NUMCTL_BIN" "$@" 2>"'"$err"'"' numctl "$@"
  stderr=$(cat "$err")
}
