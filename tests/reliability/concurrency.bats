#!/usr/bin/env bats
# Eight processes make 200 mixed changes each to one inventory while two sweepers (two cron
# hosts) run in a loop: nothing fails with "database is locked" or a serialization error, no
# number is released twice, integrity holds, and the audit history replays to the final state.
# The same suite runs on PostgreSQL (reliability.concurrency.postgres).

load helpers

WORKERS=8
OPERATIONS=200
SWEEPERS=2

worker() {
  set +e  # refusals (exit 4) are expected results here, recorded in the log
  local id=$1 log=$2 i n team op
  RANDOM=$id
  for ((i = 0; i < OPERATIONS; i++)); do
    n=$(printf '+491512%07d' $((RANDOM % 120)))
    team=T$((RANDOM % 3))
    op=$((RANDOM % 9))
    case $op in
      0) numctl assign "$n" --team "$team" ;;
      1) numctl unassign "$n" ;;
      2) numctl flag "$n" --reason "worker $id" ;;
      3) numctl unflag "$n" ;;
      4) numctl cancel "$n" ;;
      5) numctl restore "$n" ;;
      6) numctl buy "$(printf '+491513%03d%04d' "$id" "$i")" --team "$team" ;;
      7) numctl_import_small "$id" "$i" ;;
      8) numctl assign "$n" --member "M$((RANDOM % 2))" ;;
    esac >/dev/null 2>>"$log.err"
    echo "$op $?" >>"$log"
  done
}

numctl_import_small() {
  printf 'number,team\n+491514%03d%04d,T1\n+491515%03d%04d,\n' "$1" "$2" "$1" "$2" > "$TEST_DIR/import-$1-$2.csv"
  numctl import "$TEST_DIR/import-$1-$2.csv"
}

teardown() {
  touch "$TEST_DIR/stop"
  wait
  rm -rf "$TEST_DIR"
}

@test "concurrent operators and a sweeping cron keep the database consistent" {
  numbers_csv 120 0 3 > "$TEST_DIR/seed.csv"
  numctl import "$TEST_DIR/seed.csv" >/dev/null
  numctl member add M0 --team T0
  numctl member add M1
  export NUMCTL_NOW=2026-01-10T12:00:00Z
  sweepers=()
  for ((s = 1; s <= SWEEPERS; s++)); do
    (set +e
     for ((round = 0; round < 5000; round++)); do
       [ -e "$TEST_DIR/stop" ] && break
       NUMCTL_NOW=2027-01-01T00:00:00Z numctl sweep >/dev/null 2>>"$TEST_DIR/sweep.err"
       echo "sweep $?" >>"$TEST_DIR/sweep$s.log"
     done) &
    sweepers+=($!)
  done
  pids=()
  for ((w = 1; w <= WORKERS; w++)); do
    worker "$w" "$TEST_DIR/worker$w.log" &
    pids+=($!)
  done
  wait "${pids[@]}"
  touch "$TEST_DIR/stop"
  wait "${sweepers[@]}"
  cat "$TEST_DIR"/worker*.log "$TEST_DIR"/sweep?.log > "$TEST_DIR/all.log"
  echo "operations: $(wc -l < "$TEST_DIR/all.log"), refused: $(grep -c " 4$" "$TEST_DIR/all.log")" >&3
  # Every command either worked (0) or was refused by a lifecycle rule (4).
  ! grep -vE ' (0|4)$' "$TEST_DIR/all.log"
  ! grep -qiE 'locked|busy|serializ|deadlock' "$TEST_DIR"/*.err
  # Each sweeper ran, and no number was released twice (two sweeps never act on one number).
  [ -s "$TEST_DIR/sweep1.log" ] && [ -s "$TEST_DIR/sweep2.log" ]
  # (nothing here buys a released number again, so each reaches cancelled at most once)
  [ -z "$(sql "SELECT number FROM audit WHERE to_status = 'cancelled' GROUP BY number HAVING count(*) > 1")" ]
  [ -n "$(sql "SELECT number FROM audit WHERE to_status = 'cancelled' LIMIT 1")" ]
  [ "$(wc -l < "$TEST_DIR/all.log")" -ge $((WORKERS * OPERATIONS)) ]
  [ "$(integrity)" = ok ]
  numctl log --json >"$TEST_DIR/log.json"
  numctl list --all --json >"$TEST_DIR/list.json"
  python3 "$BATS_TEST_DIRNAME/replay_audit.py" "$TEST_DIR/log.json" "$TEST_DIR/list.json"
}

@test "two processes buying the same number at the same instant: exactly one wins" {
  for round in $(seq 1 10); do
    n=$(printf '+491516%07d' "$round")
    numctl buy "$n" >/dev/null 2>&1 &
    a=$!
    numctl buy "$n" >/dev/null 2>&1 &
    b=$!
    ra=0 rb=0
    wait $a || ra=$?
    wait $b || rb=$?
    [ "$(echo "$ra $rb" | tr ' ' '\n' | sort | tr '\n' ' ')" = "0 4 " ] || { echo "round $round: exits $ra $rb"; return 1; }
  done
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'buy'")" -eq 10 ]
}
