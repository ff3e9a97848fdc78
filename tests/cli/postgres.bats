#!/usr/bin/env bats
# What only the PostgreSQL engine has: its connection (masked password, a wrong one, a server
# gone), its schema version, pg_dump instead of backup, the trigram index. Runs under
# tests/pg/with-cluster (NUMCTL_TEST_ENGINE=postgres); skipped otherwise.

load helpers

setup() {
  on_postgres_env || skip "PostgreSQL only (tests/pg/with-cluster)"
  TEST_DIR=$(mktemp -d)
  export HOME=$TEST_DIR/home XDG_CONFIG_HOME=$TEST_DIR/config XDG_DATA_HOME=$TEST_DIR/data
  mkdir -p "$HOME"
  unset NUMCTL_DB NUMCTL_CONFIG NO_COLOR
  export NUMCTL_NOW=2026-01-10T12:00:00Z NUMCTL_ACTOR=alice COLUMNS=80
  export NUMCTL_DATABASE_URL
  NUMCTL_DATABASE_URL=$("$NUMCTL_SOURCE_DIR/tests/pg/cluster" createdb "$PG_DIR" "p_${BATS_SUITE_TEST_NUMBER}_$$")
}
on_postgres_env() { [ "${NUMCTL_TEST_ENGINE:-}" = postgres ] && [ -n "${PG_DIR:-}" ]; }

@test "--verbose names the engine and the server, never the password" {
  # The socket trusts the owner, so any password does; it must not be shown.
  NUMCTL_DATABASE_URL="$NUMCTL_DATABASE_URL&password=right-password" run_split -v team add Ops
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"database: PostgreSQL at postgresql:///"*"&password=***"* ]]
  [[ "$stderr" == *"connected to postgresql "*"@$PG_DIR:"* ]]
  [[ "$stderr" != *"right-password"* ]]
}

@test "a wrong password is exit 5 and never echoed; PGPASSWORD and the URL alike" {
  NUMCTL_DATABASE_URL="postgresql:///numctl?host=$PG_DIR&user=numctl_pw&password=wrong-secret" run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"cannot connect to PostgreSQL"*"password authentication failed"* ]]
  [[ "$stderr" != *"wrong-secret"* ]]
  PGPASSWORD=wrong-secret NUMCTL_DATABASE_URL="postgresql:///numctl?host=$PG_DIR&user=numctl_pw" run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" != *"wrong-secret"* ]]
}

@test "path and url together are a config error; NUMCTL_DB and NUMCTL_DATABASE_URL too; --db means a file" {
  printf '[database]\npath = "x.db"\nurl = "postgresql:///x"\n' > "$TEST_DIR/c.toml"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"[database] has both path (a SQLite file) and url (PostgreSQL): keep one"* ]]
  NUMCTL_DB=$TEST_DIR/x.db run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"both NUMCTL_DB (a SQLite file) and NUMCTL_DATABASE_URL (PostgreSQL) are set"* ]]
  run numctl --db "$TEST_DIR/file.db" team add Ops
  [ "$status" -eq 0 ]
  [ -f "$TEST_DIR/file.db" ]
}

@test "an empty database is an inventory only once a command creates one; a newer schema is refused untouched" {
  run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"no numctl inventory in the PostgreSQL database"*"numctl init"* ]]
  numctl team add Ops >/dev/null
  [ "$(sql 'SELECT version FROM numctl_schema')" = 8 ]
  # A version 1 inventory (before compliance, prices, call records, porting and emergency
  # addresses) is brought forward in place by the next command.
  sql "DROP INDEX numbers_undated_orders; DROP INDEX numbers_status; CREATE INDEX numbers_status ON numbers (status, type);
       CREATE INDEX numbers_filter ON numbers (country, type, status); DROP TABLE numctl_commits;
       ALTER TABLE numbers DROP COLUMN emergency_address, DROP COLUMN emergency_status, DROP COLUMN cnam;
       ALTER TABLE teams DROP COLUMN emergency_address; DROP TABLE addresses;
       DROP TABLE port_numbers, port_orders, port_outs;
       ALTER TABLE numbers DROP CONSTRAINT numbers_status_check;
       ALTER TABLE numbers ADD CONSTRAINT numbers_status_check
         CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled'));
       DROP TABLE prices, usage_calls, usage_days, usage_cursors;
       ALTER TABLE numbers DROP COLUMN monthly_price, DROP COLUMN currency, DROP COLUMN last_inbound_at,
         DROP COLUMN last_outbound_at;
       DROP TABLE compliance_documents, compliance_profiles, regulations; ALTER TABLE numbers DROP COLUMN compliance;
       ALTER TABLE carrier_calls DROP CONSTRAINT carrier_calls_kind_check;
       ALTER TABLE carrier_calls ADD CONSTRAINT carrier_calls_kind_check CHECK (kind IN ('order', 'release'));
       UPDATE numctl_schema SET version = 1" >/dev/null
  numctl team add Sales >/dev/null
  [ "$(sql 'SELECT version FROM numctl_schema')" = 8 ]
  # Version 8: one index for filters, stats and cost.
  [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'numbers_filter'")" = 0 ]
  [[ "$(sql "SELECT indexdef FROM pg_indexes WHERE indexname = 'numbers_status'")" == *"(status, type, country, currency, monthly_price)"* ]]
  [ "$(sql "SELECT count(*) FROM addresses")" = 0 ]
  [ "$(sql "SELECT count(*) FROM port_orders")" = 0 ]
  [ "$(sql "SELECT count(*) FROM compliance_profiles")" = 0 ]
  [ "$(sql "SELECT count(*) FROM usage_days")" = 0 ]
  numctl team remove Sales >/dev/null
  sql 'UPDATE numctl_schema SET version = 99'
  before=$(db_checksum)
  run_split team add Sales
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"written by a newer numctl (schema version 99"*"not modified"* ]]
  [ "$(db_checksum)" = "$before" ]
}

@test "backup refuses and names pg_dump" {
  numctl team add Ops >/dev/null
  run_split backup "$TEST_DIR/copy.db"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"pg_dump"* ]]
  [ ! -e "$TEST_DIR/copy.db" ]
}

@test "search goes through the trigram index" {
  numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv" >/dev/null
  sql 'SET enable_seqscan = off; EXPLAIN SELECT id FROM numbers n WHERE n.search_text LIKE '"'"'%901%'"'"'' > "$TEST_DIR/plan"
  grep -q "numbers_digits" "$TEST_DIR/plan"
  run numctl search 0901 --format plain
  [ "$status" -eq 0 ]
  [ -n "$output" ]
}

@test "the server stopped mid-command is exit 5, and nothing is half-applied once it is back" {
  numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv" >/dev/null
  numctl list --format plain > "$TEST_DIR/all"
  before=$(db_checksum)
  # Another writer holds numctl's writer lock; the cancel starts its transaction and waits.
  psql -X -q "$NUMCTL_DATABASE_URL" -c "BEGIN; SELECT version FROM numctl_schema FOR UPDATE; SELECT pg_sleep(30); COMMIT" \
    >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")" -ge 1 ] && break
    sleep 0.05
  done
  "$NUMCTL_BIN" cancel - < "$TEST_DIR/all" > "$TEST_DIR/out" 2> "$TEST_DIR/err" &
  local cancel=$!
  for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -ge 1 ] && break
    sleep 0.05
  done
  "$NUMCTL_SOURCE_DIR/tests/pg/cluster" halt "$PG_DIR"
  local code=0
  wait "$cancel" || code=$?
  wait || true
  "$NUMCTL_SOURCE_DIR/tests/pg/cluster" resume "$PG_DIR"
  [ "$code" -eq 5 ]
  grep -q "PostgreSQL" "$TEST_DIR/err"
  [ "$(wc -l < "$TEST_DIR/err")" -eq 1 ]
  [ "$(db_checksum)" = "$before" ]
  run numctl cancel - < "$TEST_DIR/all"
  [ "$status" -eq 0 ]
}

@test "a bulk import larger than the inventory rebuilds its indexes and keys, the same as before" {
  indexes() {
    sql "SELECT indexdef FROM pg_indexes WHERE tablename IN ('numbers', 'audit') ORDER BY 1"
    sql "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('numbers'::regclass, 'audit'::regclass) ORDER BY 1"
  }
  numctl team add Sales > /dev/null
  numctl buy +4915123456789 --team Sales > /dev/null
  before=$(indexes)
  [ "$(echo "$before" | grep -c gin_trgm_ops)" -eq 1 ]
  # 12,000 numbers into an inventory of one: the temporary-table path, indexes built after.
  python3 -c 'print("number,team"); [print(f"+491512{i:07d},T{i % 3}") for i in range(12000)]' > "$TEST_DIR/big.csv"
  numctl --quiet import "$TEST_DIR/big.csv" > /dev/null
  [ "$(indexes)" = "$before" ]
  [ "$(numctl search 120011234 --format plain)" = +4915120011234 ]
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" -eq 12000 ]
  # Vacuumed and analysed once committed: planner statistics, and a visibility map for the
  # index-only scans of stats and filters.
  [ "$(sql "SELECT reltuples::bigint FROM pg_class WHERE relname = 'numbers'")" -eq 12001 ]
  [ "$(sql "SELECT relallvisible > 0 FROM pg_class WHERE relname = 'numbers'")" = t ]
  # A second import of those rows names them and changes nothing, indexes included.
  run numctl import "$TEST_DIR/big.csv"
  [ "$status" -eq 2 ]
  [[ "$output" == *"12000 of 12000 rows are bad"*"already in the inventory"* ]]
  [ "$(indexes)" = "$before" ]
  [ "$(sql "SELECT count(*) FROM numbers")" -eq 12001 ]
  # Into an empty inventory, straight through COPY: the same end state.
  export NUMCTL_DATABASE_URL
  NUMCTL_DATABASE_URL=$("$NUMCTL_SOURCE_DIR/tests/pg/cluster" createdb "$PG_DIR" "p_empty_$$")
  numctl team add Sales > /dev/null
  numctl --quiet import "$TEST_DIR/big.csv" > /dev/null
  [ "$(indexes)" = "$before" ]
  [ "$(numctl search 120011234 --format plain)" = +4915120011234 ]
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" -eq 12000 ]
  ! sql "SELECT 1 FROM numbers n LEFT JOIN teams t ON t.id = n.team_id WHERE n.team_id IS NOT NULL AND t.id IS NULL" | grep -q 1
}

@test "a keyword/value string with spaces around = keeps its password masked in --verbose and in errors" {
  local socket=${NUMCTL_DATABASE_URL#*host=}
  socket=${socket%%&*}
  local db=${NUMCTL_DATABASE_URL#postgresql:///}
  db=${db%%\?*}
  local user=${NUMCTL_DATABASE_URL#*user=}
  user=${user%%&*}
  NUMCTL_DATABASE_URL="host=$socket dbname=$db user=$user password = Sekr3t-kv" run_split -v team add Ops
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"database: PostgreSQL at "*"password=***"* ]]
  [[ "$stderr$output" != *"Sekr3t-kv"* ]]
  # A wrong database: libpq's message is masked too.
  NUMCTL_DATABASE_URL="host=$socket dbname=no_such_db_here user=$user password = Sekr3t-kv" run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"cannot connect to PostgreSQL"* ]]
  [[ "$stderr$output" != *"Sekr3t-kv"* ]]
}

@test "a URI libpq cannot read is never quoted back, password included" {
  NUMCTL_DATABASE_URL="postgresql://u:Sekr3t-uri@[bad/db?bogus=1" run_split -v list
  [ "$status" -eq 5 ]
  [[ "$stderr$output" != *"Sekr3t-uri"* ]]
}

@test "migrate to PostgreSQL names legacy text it cannot store; --repair-text copies it with U+FFFD, audited" {
  local src=$TEST_DIR/legacy.db
  env -u NUMCTL_DATABASE_URL NUMCTL_DB="$src" "$NUMCTL_BIN" buy +4915123456789 --label 'Desk' >/dev/null
  sqlite3 "$src" "UPDATE numbers SET label = CAST(X'4465736BFF' AS TEXT) WHERE e164 = '+4915123456789'"
  run_split --db "$src" migrate --to "$NUMCTL_DATABASE_URL"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"numbers, row +4915123456789, column label: text that is not UTF-8"*"--repair-text"* ]]
  [ "$(psql -X -q -tA "$NUMCTL_DATABASE_URL" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'numbers'")" = 0 ] ||
    [ "$(psql -X -q -tA "$NUMCTL_DATABASE_URL" -c "SELECT count(*) FROM numbers")" = 0 ]
  # A dry run says what it would repair and writes nothing.
  run_split --db "$src" migrate --to "$NUMCTL_DATABASE_URL" --repair-text --dry-run
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"would repair numbers, row +4915123456789, column label"* ]]
  [ "$(psql -X -q -tA "$NUMCTL_DATABASE_URL" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'numbers'")" = 0 ] ||
    [ "$(psql -X -q -tA "$NUMCTL_DATABASE_URL" -c "SELECT count(*) FROM numbers")" = 0 ]
  run_split --db "$src" migrate --to "$NUMCTL_DATABASE_URL" --repair-text
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"repaired numbers, row +4915123456789, column label"* ]]
  [ "$(numctl show +4915123456789 --json | jq -r .label)" = "Desk�" ]
  [ "$(numctl log --action repair_text --json | jq -r '.[0].details.column')" = label ]
}
