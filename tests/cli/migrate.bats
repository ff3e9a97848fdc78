#!/usr/bin/env bats
# numctl migrate: a whole inventory with its history moved between databases and back, counts
# and checksums equal; targets that hold data refused; dry runs write nothing. On the PostgreSQL
# run (NUMCTL_TEST_ENGINE=postgres) the target is a PostgreSQL database of the test cluster;
# otherwise another SQLite file.

load helpers

# 100k by default, as the issue asks; the sanitizer run (make asan-test) uses 10k.
MIGRATE_NUMBERS=${MIGRATE_NUMBERS:-100000}

# A source inventory in a SQLite file whatever the engine under test: numbers in every status,
# teams, members, documents, reputation readings, carrier calls and their audit history.
source_inventory() {
  export SOURCE_DB=$TEST_DIR/source.db
  local src="NUMCTL_DB=$SOURCE_DB"
  python3 - "$MIGRATE_NUMBERS" > "$TEST_DIR/numbers.csv" <<'PY'
import sys
count = int(sys.argv[1])
print("number,team,label")
for i in range(count):
    team = f"T{i % 5}" if i % 3 else ""
    label = f"back\\slash {i}" if i % 1000 == 7 else ("Zürich ☎" if i % 1000 == 8 else "")
    print(f"+491512{i:07d},{team},\"{label}\"")
PY
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" --quiet import "$TEST_DIR/numbers.csv"
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" member add Mia --team T1
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" assign +4915120000001 --member Mia
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" flag +4915120000002 +4915120000003 --reason spam
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" replace +4915120000002
  printf '+4915120000%03d\n' $(seq 10 200) | env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" cancel - --reason 'office closed'
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" buy +4930123456
  printf '%%PDF-1.4\n\000\001\002\377binary\n' > "$TEST_DIR/proof.pdf"
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" docs submit +4930123456 --kind proof_of_address --file "$TEST_DIR/proof.pdf"
  { echo "number,score,source,checked_at,labels"
    for i in $(seq 300 1300); do printf '+491512%07d,%d,hiya,2026-01-0%dT00:00:00Z,Scam Likely\n' "$i" $((i % 100)) $((i % 9 + 1)); done
  } > "$TEST_DIR/feed.csv"
  env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" --quiet reputation import "$TEST_DIR/feed.csv"
  NUMCTL_NOW=2026-03-01T00:00:00Z env -u NUMCTL_DATABASE_URL "$src" "$NUMCTL_BIN" --quiet sweep
  # A carrier call settled long ago (the outbox is part of the inventory).
  sqlite3 "$SOURCE_DB" "INSERT INTO carrier_calls (kind, number, provider, provider_ref, action, details, state, attempts,
    created_at, settled_at) VALUES ('release', '+4915120000010', 'twilio', 'PN0123', 'release', '{}', 'done', 1,
    '2026-02-10T00:00:00Z', '2026-02-10T00:00:01Z')"
}

# The target of the engine under test: a new PostgreSQL database, or a SQLite file.
target_of() {
  if on_postgres; then "$NUMCTL_SOURCE_DIR/tests/pg/cluster" createdb "$PG_DIR" "m_$1_$$_$RANDOM"; else echo "$TEST_DIR/$1.db"; fi
}
at() {  # at TARGET numctl-args...: numctl against a target (URL or file)
  local where=$1
  shift
  if [[ $where == postgres* ]]; then
    env -u NUMCTL_DB NUMCTL_DATABASE_URL="$where" "$NUMCTL_BIN" "$@"
  else
    env -u NUMCTL_DATABASE_URL NUMCTL_DB="$where" "$NUMCTL_BIN" "$@"
  fi
}
shas() { python3 -c 'import json,sys; print("\n".join("%s %s %s" % (t["table"], t["rows"], t["sha256"]) for t in json.load(sys.stdin)["tables"]))'; }

@test "migrate moves an inventory with its history to the other engine and back: counts, checksums, listings equal" {
  source_inventory
  target=$(target_of there)
  at "$SOURCE_DB" migrate --to "$target" --json > "$TEST_DIR/out.json" 2> "$TEST_DIR/err"
  grep -q "every table's row count and checksum match" "$TEST_DIR/err"
  shas < "$TEST_DIR/out.json" > "$TEST_DIR/there.sha"
  cat "$TEST_DIR/there.sha" >&3
  grep -q "^numbers $((MIGRATE_NUMBERS + 2)) " "$TEST_DIR/there.sha"
  for table in teams members documents audit carrier_calls reputation_readings; do
    ! grep -q "^$table 0 " "$TEST_DIR/there.sha"
  done
  # And back into a new SQLite file: the same rows, table by table.
  at "$target" migrate --to "$TEST_DIR/back.db" --json | shas > "$TEST_DIR/back.sha"
  diff "$TEST_DIR/there.sha" "$TEST_DIR/back.sha"
  # What operators and scripts see is the same on all three.
  for where in "$SOURCE_DB" "$target" "$TEST_DIR/back.db"; do
    {
      at "$where" list --all --json
      at "$where" log --json --limit 100000
      at "$where" history +4915120000002 --json
      at "$where" show +4930123456 --json
      at "$where" reputation list --json
      at "$where" stats --json
      at "$where" search 0000123 --json
      at "$where" filter --team T1 --status active --limit 5 --json
    } | sha256sum
  done > "$TEST_DIR/views"
  [ "$(sort -u "$TEST_DIR/views" | wc -l)" -eq 1 ]
  # The copy keeps working: new ids follow the copied ones, search finds new numbers.
  at "$target" buy +4915129999999 --team T2
  at "$target" search 29999999 --format plain | grep -qx '+4915129999999'
  [ "$(at "$target" history +4915129999999 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["action"])')" = buy ]
}

@test "migrate refuses a target that holds data, names what it holds, and changes neither side" {
  source_inventory() { export SOURCE_DB=$TEST_DIR/source.db; env -u NUMCTL_DATABASE_URL NUMCTL_DB="$SOURCE_DB" "$NUMCTL_BIN" buy +4915123456789; }
  source_inventory
  target=$(target_of busy)
  at "$target" team add Sales
  at "$target" buy +4915120000042
  before=$(at "$target" list --all --json; at "$target" log --json)
  run at "$SOURCE_DB" migrate --to "$target"
  [ "$status" -eq 4 ]
  [[ $output == *"is not empty (rows: teams 1, numbers 1, audit 2)"* ]]
  [[ $output == *"Nothing was copied"* ]]
  [ "$(at "$target" list --all --json; at "$target" log --json)" = "$before" ]
  run at "$SOURCE_DB" migrate --to "$target" --dry-run
  [ "$status" -eq 4 ]
}

@test "a dry run reads the source and checks the target, and creates nothing" {
  env -u NUMCTL_DATABASE_URL NUMCTL_DB="$TEST_DIR/source.db" "$NUMCTL_BIN" buy +4915123456789
  target=$(target_of dry)
  run at "$TEST_DIR/source.db" migrate --to "$target" --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"numbers                       1  "* ]]
  [[ $output == *"would copy 2 rows"*"(a new inventory there); nothing was written"* ]]
  if on_postgres; then
    [ "$(psql -X -tA "$target" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" -eq 0 ]
  else
    [ ! -e "$target" ]
  fi
  # The real run then copies exactly what the dry run counted.
  at "$TEST_DIR/source.db" migrate --to "$target" --dry-run --json | shas > "$TEST_DIR/dry.sha"
  at "$TEST_DIR/source.db" migrate --to "$target" --json | shas > "$TEST_DIR/real.sha"
  diff "$TEST_DIR/dry.sha" "$TEST_DIR/real.sha"
}

@test "migrate explains a target it cannot use: itself, nothing given, an unreachable server" {
  numctl buy +4915123456789
  if on_postgres; then self=$NUMCTL_DATABASE_URL; else self=$NUMCTL_DB; fi
  run numctl migrate --to "$self"
  [ "$status" -eq 2 ]
  [[ $output == *"names the database numctl reads from"* ]]
  run numctl migrate --to -
  [ "$status" -eq 2 ]
  run numctl migrate
  [ "$status" -eq 2 ]
  [[ $output == *"--to is required"* ]]
  run numctl migrate --to "postgresql://numctl:s3cret-word@127.0.0.1:1/none?connect_timeout=2"
  [ "$status" -eq 5 ]
  [[ $output == *"cannot connect to PostgreSQL"* ]]
  [[ $output != *"s3cret-word"* ]]
}
