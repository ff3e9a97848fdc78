#!/usr/bin/env bats
# kill -9 in the middle of large writes: the database stays intact and each operation is
# applied entirely or not at all.

load helpers

# PID must be numctl itself (started as "$NUMCTL_BIN" ... &), not a shell around it.
# Kills PID with SIGKILL once the database's write-ahead log passes BYTES, i.e. in the middle
# of its write transaction. Fails if the process ended before that.
kill_mid_write() {
  local pid=$1 bytes=$2 size
  while kill -0 "$pid" 2>/dev/null; do
    size=$(stat -c %s "$NUMCTL_DB-wal" 2>/dev/null || echo 0)
    if ((size > bytes)); then
      kill -9 "$pid"
      wait "$pid" 2>/dev/null || true
      echo "killed at WAL size $size" >&3
      return 0
    fi
    sleep 0.02
  done
  echo "process $pid ended before it could be killed mid-write" >&3
  return 1
}

count() { sqlite3 "$NUMCTL_DB" "SELECT count(*) FROM numbers WHERE $1"; }

# Runs numctl and kills it with SIGKILL as it makes its Nth write to the write-ahead log. A batch
# held in the page cache writes nothing there until it commits, and its commit is over in tens
# of milliseconds, too fast to catch by watching the file; the Nth write is always inside it.
# Prints the size the log had reached, to show the commit was under way.
kill_at_write() {
  local n=$1
  shift
  strace -f -qq -o /dev/null -P "$NUMCTL_DB-wal" -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when="$n" \
    -- "$NUMCTL_BIN" "$@" \
    >/dev/null 2>&1 || true
  stat -c %s "$NUMCTL_DB-wal" 2>/dev/null || echo 0
}

@test "kill -9 during a 300k-row import leaves nothing imported and an intact file" {
  numctl team add Ops
  numbers_csv 300000 0 40 > "$TEST_DIR/big.csv"
  "$NUMCTL_BIN" import "$TEST_DIR/big.csv" >/dev/null 2>&1 &
  kill_mid_write $! 4000000
  [ "$(integrity)" = ok ]
  [ "$(count 1)" -eq 0 ]
  [ "$(sqlite3 "$NUMCTL_DB" "SELECT count(*) FROM audit WHERE action = 'import'")" -eq 0 ]
  [ "$(sqlite3 "$NUMCTL_DB" "SELECT count(*) FROM teams")" -eq 1 ]
  # The database still works, and the same import then succeeds entirely.
  numctl import "$TEST_DIR/big.csv" >/dev/null
  [ "$(count 1)" -eq 300000 ]
}

@test "kill -9 during a 50k bulk cancel and during a large sweep: all or nothing" {
  numbers_csv 50000 0 10 > "$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  numctl list --format plain > "$TEST_DIR/numbers.txt"
  wal=$(kill_at_write 1000 cancel - < "$TEST_DIR/numbers.txt")
  echo "killed at WAL size $wal" >&3
  ((wal > 1000000))
  [ "$(integrity)" = ok ]
  [ "$(count "status = 'to_be_cancelled'")" -eq 0 ]
  [ "$(count "status = 'active'")" -eq 50000 ]

  numctl --quiet cancel - < "$TEST_DIR/numbers.txt" >/dev/null
  [ "$(count "status = 'to_be_cancelled'")" -eq 50000 ]
  before=$(sqlite3 "$NUMCTL_DB" 'SELECT count(*) FROM audit')
  wal=$(kill_at_write 1000 sweep --now 2027-01-01T00:00:00Z --force-time)
  echo "killed at WAL size $wal" >&3
  ((wal > 1000000))
  [ "$(integrity)" = ok ]
  [ "$(count "status = 'cancelled'")" -eq 0 ]
  [ "$(sqlite3 "$NUMCTL_DB" 'SELECT count(*) FROM audit')" -eq "$before" ]
  numctl sweep --now 2027-01-01T00:00:00Z --force-time >/dev/null
  [ "$(count "status = 'cancelled'")" -eq 50000 ]
}
