#!/usr/bin/env bats
# Storage faults: each gives a clear error with exit 5 and leaves the file as it was.

load helpers

sha() { sha256sum < "$1" | cut -c1-64; }

@test "a database location that cannot exist or be written: exit 5" {
  run_split --db /proc/numctl-missing/numbers.db team add Ops
  [ "$status" -eq 5 ]
  [[ "$stderr" == "numctl: error: cannot create directory /proc/numctl-missing"* ]]
  run_split --db /proc/numbers.db team add Ops
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"cannot create database /proc/numbers.db"* ]]
}

@test "disk full (file size limit) during an import: exit 5, nothing written" {
  numctl team add Ops
  numbers_csv 20000 > "$TEST_DIR/in.csv"
  before=$(db_checksum)
  # A file may grow by 64 KiB more; SIGXFSZ ignored so the write fails with EFBIG instead.
  run bash -c "trap '' XFSZ; ulimit -f \$(( \$(stat -c %s '$NUMCTL_DB') / 1024 + 64 )); exec '$NUMCTL_BIN' import '$TEST_DIR/in.csv'"
  [ "$status" -eq 5 ]
  [[ "$output" == *"numctl: error: cannot write to database"*"disk full"* ]]
  [ "$(integrity)" = ok ]
  [ "$(db_checksum)" = "$before" ]
}

@test "garbage in the database file: every command exits 5 and the file is untouched" {
  head -c 100000 /dev/urandom > "$NUMCTL_DB"
  before=$(sha "$NUMCTL_DB")
  for command in "list" "buy +447400100001" "sweep" "team add Ops" "import $NUMCTL_SOURCE_DIR/examples/numbers.csv"; do
    run_split $command
    [ "$status" -eq 5 ] || { echo "$command: exit $status"; return 1; }
    [[ "$stderr" == *"not a numctl database"* ]]
  done
  [ "$(sha "$NUMCTL_DB")" = "$before" ]
}

@test "a database from a newer numctl: every command exits 5 and the file is untouched" {
  numctl buy +447400100001
  sqlite3 "$NUMCTL_DB" 'PRAGMA user_version = 99'
  before=$(sha "$NUMCTL_DB")
  for command in "list" "cancel +447400100001" "sweep" "backup $TEST_DIR/copy.db"; do
    run_split $command
    [ "$status" -eq 5 ] || { echo "$command: exit $status"; return 1; }
    [[ "$stderr" == *"written by a newer numctl"* ]]
  done
  [ "$(sha "$NUMCTL_DB")" = "$before" ]
  [ ! -e "$TEST_DIR/copy.db" ]
}

@test "eight processes creating and migrating the same new database at once" {
  pids=()
  for i in $(seq 1 8); do
    "$NUMCTL_BIN" team add "T$i" >/dev/null 2>"$TEST_DIR/err$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  [ "$(sqlite3 "$NUMCTL_DB" 'PRAGMA user_version')" -eq 16 ]
  [ "$(sqlite3 "$NUMCTL_DB" 'SELECT count(*) FROM teams')" -eq 8 ]
  [ "$(integrity)" = ok ]
  [ -z "$(ls "$TEST_DIR" | grep '\.new-')" ]
  [ "$(stat -c %a "$NUMCTL_DB")" = 600 ]
}

@test "an empty file is adopted as a new database" {
  : > "$NUMCTL_DB"
  numctl team add Ops
  [ "$(sqlite3 "$NUMCTL_DB" 'PRAGMA journal_mode')" = wal ]
}
