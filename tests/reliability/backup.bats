#!/usr/bin/env bats
# Backups: consistent copies while writers are active.

load helpers

@test "backup while writers run is consistent and restorable" {
  numctl_import() { numbers_csv "$@" > "$TEST_DIR/in.csv"; numctl import "$TEST_DIR/in.csv" >/dev/null; }
  numctl_import 2000 0 4
  # Writers: flag/unflag and assign in a loop while three backups are taken.
  (for i in $(seq 1 30); do
     numctl flag +4915120000001 >/dev/null 2>&1; numctl unflag +4915120000001 >/dev/null 2>&1
     numctl assign +4915120000002 --team T$((i % 4)) >/dev/null 2>&1
   done) &
  writer=$!
  for n in 1 2 3; do numctl backup "$TEST_DIR/copy$n.db"; done
  wait $writer
  for n in 1 2 3; do
    [ "$(sqlite3 "$TEST_DIR/copy$n.db" 'PRAGMA integrity_check')" = ok ]
    [ "$(stat -c %a "$TEST_DIR/copy$n.db")" = 600 ]
    [ "$(NUMCTL_DB=$TEST_DIR/copy$n.db numctl list --format plain | wc -l)" -eq 2000 ]
    # Every status in the copy is explained by its own audit history.
    [ "$(sqlite3 "$TEST_DIR/copy$n.db" "SELECT count(*) FROM numbers n WHERE n.status <> (SELECT to_status FROM audit a WHERE a.number = n.e164 AND a.to_status IS NOT NULL ORDER BY a.id DESC LIMIT 1)")" -eq 0 ]
  done
  NUMCTL_DB=$TEST_DIR/copy3.db run numctl show +4915120000002 --json
  [ "$status" -eq 0 ]
}

@test "backup never overwrites a file" {
  numctl team add Ops
  echo keep > "$TEST_DIR/existing.db"
  run_split backup "$TEST_DIR/existing.db"
  [ "$status" -eq 4 ]
  [ "$(cat "$TEST_DIR/existing.db")" = keep ]
}
