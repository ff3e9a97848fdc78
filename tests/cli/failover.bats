#!/usr/bin/env bats
# A shared inventory on a primary and a streaming standby (pg_basebackup -R, synchronous),
# started for each test: reads go to the standby, writes to the primary whatever the order of
# the URL's hosts; --primary and [database] read_url choose, and reads fall back to the primary
# when the server to read from does not answer.

load helpers
load carrier

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
  stop_fakes
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

# SQL on the first primary (port 5432), as the tests' own observer.
on_primary() { "$PG_BIN/psql" -X -At -h "$PG_DIR" -p 5432 -U "$PG_OWNER" -d numctl -c "$1"; }

# A session of the test's own holds the row of number $1 on the primary (until the server
# goes), so that a command changing it is caught with its writes under way: wait_for_blocked_write
# returns once a command waits for that row.
hold_row() {
  "$PG_BIN/psql" -X -q -h "$PG_DIR" -p 5432 -U "$PG_OWNER" -d numctl -c "BEGIN" \
    -c "SELECT 1 FROM numbers WHERE e164 = '$1' FOR UPDATE" -c "SELECT pg_sleep(300)" >/dev/null 2>&1 3>&- &
}
wait_for_blocked_write() {
  for _ in $(seq 1 1200); do
    [ "$(on_primary "SELECT count(*) FROM pg_stat_activity WHERE datname = 'numctl' AND wait_event_type = 'Lock'")" -ge 1 ] && return 0
    sleep 0.05
  done
  return 1
}

# The primary stops as a crash would, and the standby is promoted in its place, while the
# command numctl runs in the background (pid $1) is still going; its exit status in $rc.
fail_over_during() {
  "$NUMCTL_SOURCE_DIR/tests/pg/cluster" halt "$PG_DIR"
  "$NUMCTL_SOURCE_DIR/tests/pg/cluster" promote "$PG_DIR"
  rc=0
  wait "$1" || rc=$?
}

# What the inventory holds, and the audit rows of ACTION in it, copied to a SQLite file by
# migrate (which verifies the copy): "count distinct-numbers".
migrated_audit() {
  "$NUMCTL_BIN" migrate --to "$TEST_DIR/after.db" >/dev/null
  sqlite3 "$TEST_DIR/after.db" "SELECT count(*) || ' ' || count(DISTINCT number) FROM audit WHERE action = '$1'"
}

@test "the primary fails in the middle of a 50,000-number cancel: nothing changed, exit 5; the rerun after promotion cancels each once" {
  command -v sqlite3 >/dev/null || skip "sqlite3 is not installed (.ci/install-deps installs it)"
  "$NUMCTL_BUILD_DIR/tests/bench/numctl_bench_generate" 60000 7 >"$TEST_DIR/inventory.csv"
  numctl import "$TEST_DIR/inventory.csv" --trust-status --quiet
  numctl --primary list --status active --format plain | head -50000 >"$TEST_DIR/cancel.txt"
  [ "$(wc -l <"$TEST_DIR/cancel.txt")" -eq 50000 ]
  before=$(numctl --primary list --format csv)
  waiting=$(numctl --primary list --status to_be_cancelled --format plain | wc -l)

  hold_row "$(tail -1 "$TEST_DIR/cancel.txt")"
  "$NUMCTL_BIN" cancel - --quiet <"$TEST_DIR/cancel.txt" >"$TEST_DIR/out" 2>"$TEST_DIR/err" 3>&- &
  pid=$!
  wait_for_blocked_write
  fail_over_during "$pid"
  [ "$rc" -eq 5 ]
  grep -q "the database failed over during the command; nothing was changed: run it again" "$TEST_DIR/err"
  [ "$(numctl --primary list --format csv)" = "$before" ]

  # The same URL: the promoted standby answers read-write now.
  run_split cancel - --quiet <"$TEST_DIR/cancel.txt"
  [ "$status" -eq 0 ]
  numctl list --status to_be_cancelled --format plain | sort >"$TEST_DIR/after.txt"
  [ "$(sort "$TEST_DIR/cancel.txt" | comm -23 - "$TEST_DIR/after.txt" | wc -l)" -eq 0 ]
  [ "$(wc -l <"$TEST_DIR/after.txt")" -eq $((waiting + 50000)) ]
  [ "$(migrated_audit cancel)" = "50000 50000" ]
  # The copy holds what was committed, nothing more, nothing less.
  diff <(env -u NUMCTL_DATABASE_URL "$NUMCTL_BIN" --db "$TEST_DIR/after.db" list --format csv) <(numctl --primary list --format csv)
}

@test "the primary fails in the middle of a sweep releasing at Twilio: the rerun after promotion releases each number there exactly once" {
  command -v sqlite3 >/dev/null || skip "sqlite3 is not installed (.ci/install-deps installs it)"
  start_twilio
  bought_and_cancelled 300
  [ "$(fake_held | wc -l)" -eq 300 ]
  fake_control delay '{"seconds": 0.02}'
  NUMCTL_NOW=2026-03-01T00:00:00Z "$NUMCTL_BIN" sweep >"$TEST_DIR/out" 2>"$TEST_DIR/err" 3>&- &
  pid=$!
  for _ in $(seq 1 400); do [ "$(fake_count DELETE IncomingPhoneNumbers)" -ge 60 ] && break; sleep 0.02; done
  fail_over_during "$pid"
  [ "$rc" -eq 5 ]
  grep -q "the database failed over during the command; the step under way was rolled back, the steps committed before it stay: run it again to finish" "$TEST_DIR/err"
  [ -n "$(fake_held)" ]
  fake_control delay '{"seconds": 0}'

  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep
  [ "$status" -eq 0 ]
  [ -z "$(fake_held)" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 300 ]
  # One DELETE answered 204 per number: what the first sweep released is not released again.
  [ "$(deletes_per_number)" = "    300 1" ]
  [ "$(migrated_audit release)" = "300 300" ]
  diff <(env -u NUMCTL_DATABASE_URL "$NUMCTL_BIN" --db "$TEST_DIR/after.db" list --all --format csv) <(numctl --primary list --all --format csv)
}
