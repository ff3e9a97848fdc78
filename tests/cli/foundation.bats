#!/usr/bin/env bats
# Foundation: storage, list/show/import, teams, output formats, errors and exit codes.

load helpers

seed() {
  numctl team add Sales
  numctl member add Bob --team Sales
  numctl buy +4915123456789 --team Sales --label 'Berlin, HQ'
  numctl buy +447400100001 --member Bob
  numctl buy --country US --type toll_free --count 1
}

@test "--version answers without touching any database" {
  run numctl --version
  [ "$status" -eq 0 ]
  [[ "$output" == "numctl "* ]]
  [ ! -e "$NUMCTL_DB" ]
}

@test "--help documents exit codes and lists commands" {
  run numctl --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"4 refused by the lifecycle rules"* ]]
  [[ "$output" == *"import"* && "$output" == *"sweep"* ]]
}

@test "the database is created private with its directory" {
  sqlite_only
  export NUMCTL_DB=$TEST_DIR/deep/dir/numbers.db
  run numctl init
  [ "$status" -eq 0 ]
  [ "$(stat -c %a "$NUMCTL_DB")" = 600 ]
}

@test "a missing database is exit 5 for every command but init, buy, import, team add and member add" {
  sqlite_only
  export NUMCTL_DB=$TEST_DIR/numbrs.db
  # available looks before anything is bought: an empty inventory, and no file made.
  run_split available --country DE
  [ "$status" -eq 0 ]
  [ ! -e "$NUMCTL_DB" ]
  for command in list "show +4930901820" stats sweep "history +4930901820" "cancel +4930901820" \
                 "team list" "member list" "team remove Ops" "backup $TEST_DIR/b.db"; do
    run_split $command
    [ "$status" -eq 5 ]
    [[ "$stderr" == *"no database at $TEST_DIR/numbrs.db: create one with numctl init"* ]]
    [ ! -e "$NUMCTL_DB" ]
    [ ! -e "$TEST_DIR/b.db" ]
  done
  numctl team add Ops
  [ -f "$NUMCTL_DB" ]
  rm "$NUMCTL_DB"*
  numctl member add Ada
  [ -f "$NUMCTL_DB" ]
}

@test "the default database lives under XDG_DATA_HOME" {
  sqlite_only
  unset NUMCTL_DB
  numctl team add Ops
  [ -f "$XDG_DATA_HOME/numctl/numbers.db" ]
}

@test "list in JSON has every key, in order, with nulls" {
  seed
  run_split list --format json
  [ "$status" -eq 0 ]
  keys=$(echo "$output" | jq -c '.[0] | keys_unsorted')
  [ "$keys" = '["number","display","country","type","status","team","member","label","risk_reason","bought_at","release_at","expires_at","replaced_by","replaces","provider","provider_ref","compliance","compliance_status","compliance_reason","monthly_price","currency","last_inbound_at","last_outbound_at","emergency_address","emergency_status","cnam"]' ]
  [ "$(echo "$output" | jq length)" -eq 3 ]
  row=$(echo "$output" | jq -c '.[] | select(.number == "+4915123456789")')
  [ "$(echo "$row" | jq -r .display)" = "+49 1512 3456789" ]
  [ "$(echo "$row" | jq -r .country)" = DE ]
  [ "$(echo "$row" | jq -r .type)" = mobile ]
  [ "$(echo "$row" | jq -r .status)" = active ]
  [ "$(echo "$row" | jq -r .team)" = Sales ]
  [ "$(echo "$row" | jq -r .member)" = null ]
  [ "$(echo "$row" | jq -r .label)" = "Berlin, HQ" ]
  [ "$(echo "$row" | jq -r .bought_at)" = 2026-01-10T12:00:00Z ]
  [ "$(echo "$row" | jq -r .release_at)" = null ]
  bob=$(echo "$output" | jq -c '.[] | select(.member == "Bob")')
  [ "$(echo "$bob" | jq -r .team)" = Sales ]
}

@test "ndjson streams one object a line; --json is --format json" {
  seed
  run numctl list --format ndjson
  [ "${#lines[@]}" -eq 3 ]
  for line in "${lines[@]}"; do echo "$line" | jq -e .number >/dev/null; done
  run numctl list --json
  [ "$(echo "$output" | jq length)" -eq 3 ]
}

@test "csv has the header of the JSON keys and quotes fields per RFC 4180" {
  seed
  run numctl list --format csv
  [ "${lines[0]}" = $'number,display,country,type,status,team,member,label,risk_reason,bought_at,release_at,expires_at,replaced_by,replaces,provider,provider_ref,compliance,compliance_status,compliance_reason,monthly_price,currency,last_inbound_at,last_outbound_at,emergency_address,emergency_status,cnam\r' ]
  [[ "$output" == *'"Berlin, HQ"'* ]]
  [ "${#lines[@]}" -eq 4 ]
}

@test "plain prints E.164 numbers only, sorted by number" {
  seed
  run numctl list --format plain
  [ "${lines[1]}" = "+447400100001" ]
  [ "${lines[2]}" = "+4915123456789" ]
}

@test "table and boxes show dot, number, country, type, status and assignee" {
  seed
  run numctl list
  [[ "$output" == *"● +49 1512 3456789"*"DE"*"mobile"*"active"*"Sales"* ]]
  [[ "$output" == *"Bob (Sales)"* ]]
  run numctl list --format boxes
  [[ "$output" == *"╭"* && "$output" == *"Germany · mobile"* && "$output" == *"Team: Sales"* ]]
  [[ "$output" == *"Member: Bob (Sales)"* ]]
}

@test "colour only when asked or on a terminal; NO_COLOR wins over auto" {
  seed
  run numctl list
  [[ "$output" != *$'\e['* ]]
  run numctl list --color always
  [[ "$output" == *$'\e[32m●'* ]]
  NO_COLOR=1 run numctl list --color auto
  [[ "$output" != *$'\e['* ]]
}

@test "list hides cancelled numbers unless --all; sort, limit and offset page through" {
  seed
  numctl buy +4930123456
  numctl cancel +4930123456
  run numctl list --format plain
  [ "${#lines[@]}" -eq 3 ]
  [[ "$output" != *"+4930123456"* ]]
  run numctl list --format plain --all
  [ "${#lines[@]}" -eq 4 ]
  run numctl list --format plain --sort number:desc --limit 2 --offset 1
  [ "${lines[0]}" = "+447400100001" ]
  [ "${lines[1]}" = "+18002300001" ]
  [ "${#lines[@]}" -eq 2 ]
  run numctl list --sort colour
  [ "$status" -eq 2 ]
}

@test "show prints every field and the actions allowed now" {
  seed
  run numctl show '+49 1512 3456789'
  [ "$status" -eq 0 ]
  [[ "$output" == *"Germany"* && "$output" == *"Sales"* && "$output" == *"actions       assign, unassign, flag, cancel"* ]]
  run numctl show +4915123456789 --json
  [ "$(echo "$output" | jq -c .allowed_actions)" = '["assign","unassign","flag","cancel","set","emergency set","cnam set"]' ]
}

@test "national numbers need --region or default_region" {
  run_split buy '01512 3456789'
  [ "$status" -eq 2 ]
  [[ "$stderr" == "numctl: error: "*"--region"* ]]
  run numctl buy '01512 3456789' --region DE
  [ "$status" -eq 0 ]
  run numctl flag '01512 3456789' --region de
  [ "$status" -eq 0 ]
  printf 'default_region = "DE"\n' > "$TEST_DIR/c.toml"
  run numctl --config "$TEST_DIR/c.toml" show '01512 3456789'
  [ "$status" -eq 0 ]
}

@test "an invalid number is refused with exit 2 and nothing is written" {
  seed
  before=$(db_checksum)
  run_split buy '+49 1'
  [ "$status" -eq 2 ]
  [[ "$stderr" == "numctl: error: '+49 1' is too short to be a phone number" ]]
  [ "$(db_checksum)" = "$before" ]
}

@test "exit 3 for an unknown number, 4 for a refusal, JSON errors with --format json" {
  seed
  run_split show +4930999999
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"not in the inventory"* ]]
  run_split buy +4915123456789 --format json
  [ "$status" -eq 4 ]
  [ "$(echo "$stderr" | jq -r .error.code)" = refused ]
  [[ "$(echo "$stderr" | jq -r .error.message)" == *"already owned"* ]]
}

@test "a malformed config is refused with file, line and column, exit 5" {
  printf '[lifecycle]\ncancellation_grace_days = = 3\n' > "$TEST_DIR/bad.toml"
  run_split --config "$TEST_DIR/bad.toml" list
  [ "$status" -eq 5 ]
  [[ "$stderr" == "numctl: error: $TEST_DIR/bad.toml:2:"* ]]
  NUMCTL_CONFIG=$TEST_DIR/bad.toml run numctl list
  [ "$status" -eq 5 ]
}

@test "the config's database path is relative to the config file; --db overrides it" {
  sqlite_only
  unset NUMCTL_DB
  mkdir -p "$TEST_DIR/etc"
  printf '[database]\npath = "inventory.db"\n' > "$TEST_DIR/etc/config.toml"
  numctl --config "$TEST_DIR/etc/config.toml" team add Ops
  [ -f "$TEST_DIR/etc/inventory.db" ]
  numctl --config "$TEST_DIR/etc/config.toml" --db "$TEST_DIR/other.db" team add Ops
  [ -f "$TEST_DIR/other.db" ]
}

@test "an unwritable database location is exit 5 with a clear message" {
  touch "$TEST_DIR/file"
  run_split --db "$TEST_DIR/file/numbers.db" init
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"cannot create database $TEST_DIR/file/numbers.db"* ]]
  run_split --db /proc/numctl-test/numbers.db team add Ops
  [ "$status" -eq 5 ]
}

@test "--db and NUMCTL_DB name a SQLite file: a server's URL or another scheme is refused, no file made" {
  sqlite_only
  cd "$TEST_DIR"
  run_split --db "postgresql://numctl@db.example/numctl" team add Ops
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--db names a SQLite file, not a PostgreSQL server"*"NUMCTL_DATABASE_URL"* ]]
  NUMCTL_DB="host=/run/postgresql dbname=numctl" run_split list
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"NUMCTL_DB names a SQLite file"* ]]
  run_split --db "sqlite:///srv/numbers.db" team add Ops
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"'sqlite://...' is not a database numctl opens"* ]]
  [ ! -e "$TEST_DIR/postgresql:" ] && [ ! -e "$TEST_DIR/sqlite:" ]
  run_split --db "$TEST_DIR/plain.db" team add Ops
  [ "$status" -eq 0 ]
}

@test "a database from a newer numctl is refused and not modified" {
  sqlite_only
  seed
  sql "PRAGMA user_version = 42"
  before=$(sha256sum < "$NUMCTL_DB")
  run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"newer numctl"* ]]
  [ "$(sha256sum < "$NUMCTL_DB")" = "$before" ]
}

@test "a corrupt database file is exit 5 and left as it was" {
  sqlite_only
  head -c 8192 /dev/urandom > "$NUMCTL_DB"
  before=$(sha256sum < "$NUMCTL_DB")
  run_split list
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"not a numctl database"* ]]
  [ "$(sha256sum < "$NUMCTL_DB")" = "$before" ]
}

@test "import CSV creates teams and members and records the audit" {
  cat > "$TEST_DIR/in.csv" <<'CSV'
number,type,status,team,member,label,bought_at
+49 1512 3456789,,active,Sales,,Main line,2024-05-01T09:30:00Z
+1 201 555 0123,local,high_risk,Support,Carol,,
+44 7400 100001,,pending,,,,
CSV
  run numctl import "$TEST_DIR/in.csv"
  [ "$status" -eq 0 ]
  [[ "$output" == "imported 3 numbers, 2 new teams, 1 new members" ]]
  run numctl list --json
  [ "$(echo "$output" | jq -r '.[] | select(.number=="+12015550123") | .member + "/" + .team + "/" + .status')" = "Carol/Support/high_risk" ]
  [ "$(echo "$output" | jq -r '.[] | select(.number=="+4915123456789") | .bought_at')" = 2024-05-01T09:30:00Z ]
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'import' AND actor = 'alice'")" -eq 3 ]
}

@test "each imported row's audit entry names its type, team, member and label as written" {
  cat > "$TEST_DIR/in.csv" <<'CSV'
number,type,team,member,label
+49 1512 3456789,,Sales,,"Berlin, ""HQ"""
+1 201 555 0123,local,Support,Carol,
+44 7400 100001,,,,
CSV
  numctl import "$TEST_DIR/in.csv"
  run numctl history +4915123456789 --format json
  [ "$(echo "$output" | jq -c '.[0].details')" = '{"type":"mobile","team":"Sales","label":"Berlin, \"HQ\""}' ]
  run numctl history +12015550123 --format json
  [ "$(echo "$output" | jq -c '.[0].details')" = '{"type":"local","team":"Support","member":"Carol"}' ]
  run numctl history +447400100001 --format json
  [ "$(echo "$output" | jq -c '.[0].details')" = '{"type":"mobile"}' ]
}

@test "import with one bad row among good ones imports nothing and names the row" {
  printf 'number,team\n+4915123456789,Sales\n+49 1,Sales\n+447400100001,Ops\n' > "$TEST_DIR/in.csv"
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"row 3"* ]]
  [ "$(sql 'SELECT count(*) FROM numbers')" -eq 0 ]
  [ "$(sql 'SELECT count(*) FROM teams')" -eq 0 ]
}

@test "import of a number already owned is a bad row" {
  seed
  before=$(db_checksum)
  printf '[{"number":"+44 7400 100001"}]' > "$TEST_DIR/in.json"
  run_split import "$TEST_DIR/in.json"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"index 0"* || "$stderr" == *"row 0"* ]]
  [ "$(db_checksum)" = "$before" ]
}

@test "import reads JSON and NDJSON from a file or stdin; --dry-run writes nothing" {
  printf '[{"number":"+4915123456789","team":"Sales"}]' > "$TEST_DIR/in.json"
  run numctl import --dry-run "$TEST_DIR/in.json"
  [ "$output" = "would import 1 numbers, 1 new teams" ]
  [ "$(sql 'SELECT count(*) FROM numbers')" -eq 0 ]
  numctl import "$TEST_DIR/in.json"
  printf '{"number":"+447400100001"}\n{"number":"+447400100002"}\n' | numctl import - --input-format ndjson
  [ "$(sql 'SELECT count(*) FROM numbers')" -eq 3 ]
}

@test "teams and members list their numbers; removing a holder is refused" {
  seed
  run numctl team list --json
  [ "$(echo "$output" | jq -c '.[] | select(.name=="Sales") | [.numbers, .members]')" = "[2,1]" ]
  run numctl member list --json
  [ "$(echo "$output" | jq -c '.[0] | [.name, .team, .numbers]')" = '["Bob","Sales",1]' ]
  run_split team remove Sales
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"still holds 2 numbers"* ]]
  run numctl member remove Bob
  [ "$status" -eq 4 ]
  run numctl team remove Nobody
  [ "$status" -eq 3 ]
  numctl unassign +447400100001
  numctl member remove Bob
  run numctl member list --json
  [ "$output" = "[]" ]
}

@test "a misspelt command gets a suggestion" {
  run_split lsit
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean 'list'"* ]]
}

@test "the number schema is one: csv's header is json's keys, show adds its detail keys after them" {
  numctl buy +4915123456789 --label 'Berlin, desk' >/dev/null
  header=$(numctl list --format csv | head -1 | tr -d '\r')
  keys=$(numctl list --json | jq -r '.[0] | keys_unsorted | join(",")')
  [ "$header" = "$keys" ]
  show_keys=$(numctl show +4915123456789 --json | jq -r 'keys_unsorted | join(",")')
  [[ "$show_keys" == "$keys,previous_status,activated_at,cancel_requested_at,cancel_reason,allowed_actions,carrier_owed,risk_score,risk_checked_at,calls_in,calls_out" ]]
  numctl list --format csv | grep -q '"Berlin, desk"'
}

@test "team and member lists render in every format from one set of rows" {
  numctl team add 'EMEA Ops' >/dev/null
  numctl member add 'Ada Lovelace' --team 'EMEA Ops' >/dev/null
  numctl member add Grace >/dev/null
  run numctl team list --format csv
  [ "${lines[0]}" = $'name,numbers,members\r' ]
  [ "${lines[1]}" = $'EMEA Ops,0,1\r' ]
  run numctl team list --format ndjson
  [ "$output" = '{"name":"EMEA Ops","numbers":0,"members":1}' ]
  run numctl member list --format plain
  [ "${lines[0]}" = "Ada Lovelace" ]
  run numctl member list
  [[ "${lines[2]}" == "Grace"*"—"* ]]
  run numctl member list --json
  [ "$(echo "$output" | jq -r '.[1].team')" = null ]
}
