#!/usr/bin/env bats
# The operator's day: what a new operator ran into, each an end-to-end scenario.

load helpers

@test "filters naming an unknown team or member exit 3 with a suggestion; --country UK suggests GB" {
  numctl team add Support >/dev/null
  numctl member add 'Grace Hopper' --team Support >/dev/null
  run_split filter --team Suport
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no team named 'Suport'; did you mean 'Support'?"* ]]
  run_split stats --member 'Grace Hoper'
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"did you mean 'Grace Hopper'?"* ]]
  run_split filter --country UK
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean GB"* ]]
  run_split available --country UK
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean GB"* ]]
  run_split filter --country XX
  [ "$status" -eq 2 ]
  run numctl filter --team support --format plain
  [ "$status" -eq 0 ]
}

# The widest line of stdin in terminal cells (East Asian wide and emoji 2, combining marks 0).
max_cells() {
  python3 -c '
import sys, unicodedata, re
def cells(s):
    s = re.sub(r"\x1b\[[0-9;]*m", "", s)
    n = 0
    for c in s:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"): continue
        n += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return n
print(max((cells(l.rstrip("\n")) for l in sys.stdin), default=0))'
}

@test "at 80 columns list, boxes, team list, member list and stats fit, with CJK, emoji and combining names" {
  numctl team add '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl member add '😀 Zoë Ångström-Ñúñez de la Peña y Cortés' --team '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl buy +4915123456789 --member '😀 Zoë Ångström-Ñúñez de la Peña y Cortés' >/dev/null
  numctl buy +447400100001 --team '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl buy +4930901820 >/dev/null
  numctl cancel +447400100001 >/dev/null
  for view in "list" "list --format boxes" "team list" "member list" "stats"; do
    out=$(COLUMNS=80 numctl $view)
    [ "$(echo "$out" | max_cells)" -le 80 ]
  done
  # The due dates: a pending order's expiry, a cancelled number's release.
  out=$(COLUMNS=80 numctl list)
  [[ "$out" == *"pending"*"2026-02-09"* ]]
  [[ "$out" == *"to_be_cancelled 2026-02-09"* ]]
}

@test "--columns and --no-header choose what table, csv and plain show" {
  numctl team add Sales >/dev/null
  numctl buy +4915123456789 --team Sales --label 'Berlin desk' >/dev/null
  [ "$(numctl list --columns number,status,team,label --format csv --no-header)" = $'+4915123456789,active,Sales,Berlin desk\r' ]
  [ "$(numctl list --columns number,label --format plain)" = $'+4915123456789\tBerlin desk' ]
  run numctl list --columns number,label
  [ "${lines[0]}" = "  NUMBER             LABEL" ]
  [[ "${lines[1]}" == *"+49 1512 3456789   Berlin desk" ]]
  run_split list --columns number,lable
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"unknown column 'lable'; did you mean 'label'?"* ]]
}

@test "due lists releases and expiries soonest first with what to do; stats counts them" {
  numctl team add Sales >/dev/null
  numctl buy +4915123456789 --team Sales >/dev/null
  numctl buy +4930901820 >/dev/null                      # pending, expires 2026-02-09T12:00:00Z
  NUMCTL_NOW=2026-01-05T00:00:00Z numctl cancel +4915123456789 >/dev/null   # releases 2026-02-04
  run numctl due
  [ "$status" -eq 0 ]
  [ "$output" = "" ] || [[ "$output" != *"+49"* ]]
  NUMCTL_NOW=2026-02-01T00:00:00Z run numctl due --within 10d --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c '[.[] | [.number, .event, .at, .action]]')" = '[["+4915123456789","release","2026-02-04T00:00:00Z","numctl restore +4915123456789 to keep it"],["+4930901820","expire","2026-02-09T12:00:00Z","numctl docs submit +4930901820 --kind proof_of_address --file PATH"]]' ]
  NUMCTL_NOW=2026-02-01T00:00:00Z run numctl due --within 5d --format plain
  [ "$output" = "+4915123456789" ]
  NUMCTL_NOW=2026-02-01T00:00:00Z run numctl stats --json
  [ "$(echo "$output" | jq -c .due_within_7_days)" = '{"releasing":1,"expiring":0}' ]
  run_split due --within soon
  [ "$status" -eq 2 ]
}

@test "log shows the inventory-wide audit newest first, filtered, in every format" {
  NUMCTL_NOW=2026-01-08T10:00:00Z numctl team add Sales >/dev/null
  NUMCTL_NOW=2026-01-09T10:00:00Z NUMCTL_ACTOR=bob numctl buy +4915123456789 --team Sales >/dev/null
  NUMCTL_NOW=2026-01-10T09:00:00Z numctl cancel +4915123456789 >/dev/null
  run numctl log --json
  [ "$(echo "$output" | jq -c '[.[].action]')" = '["cancel","buy","team_add"]' ]
  run numctl log --since yesterday --json
  [ "$(echo "$output" | jq -c '[.[].action]')" = '["cancel","buy"]' ]
  run numctl log --since 2026-01-09 --until 2026-01-10 --format ndjson
  [ "$(echo "$output" | jq -r .actor)" = bob ]
  [ "$(numctl log --team Sales --format csv --no-header | wc -l)" -eq 2 ]
  [ "$(numctl log --number '+49 1512 3456789' --action CANCEL --format json | jq length)" -eq 1 ]
  [ "$(numctl log --limit 1 --format csv | sed -n 2p | cut -d, -f3,4)" = "cancel,+4915123456789" ]
  run_split log --since lastweek
  [ "$status" -eq 2 ]
}

@test "every command honours --format or refuses it; --json with another --format is a conflict; names ignore case" {
  numctl buy +4915123456789 +4930901820 >/dev/null
  [ "$(numctl history +4915123456789 --format csv | head -1)" = $'at,actor,action,from,to,details\r' ]
  [ "$(numctl lifecycle --json | jq -r '.[0].action')" = buy ]
  [ "$(numctl list --format JSON | jq length)" -eq 2 ]
  for refused in "stats --format csv" "docs list +4930901820 --format csv" "team add Ops --json" "show +4915123456789 --format boxes" "history +4915123456789 --format plain"; do
    run_split $refused
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"does not write"*"(it writes"* ]]
  done
  [ "$(numctl team list --format plain)" = "" ]
  run_split list --json --format csv
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"two formats"* ]]
  run numctl available --country DE --type local --limit 1 --json
  [ "$(echo "$output" | jq -r '.[0] | [.display, .status] | join(" ")')" = "+49 30 100001 pending" ]
}

@test "a format a command does not write is refused before it acts: sweep and docs submit change nothing" {
  NUMCTL_NOW=2026-01-05T00:00:00Z numctl buy +4915123456789 +4930901820 >/dev/null
  NUMCTL_NOW=2026-01-05T00:00:00Z numctl cancel +4915123456789 >/dev/null   # releases 2026-02-04
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep --format csv
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"numctl sweep does not write csv"* ]]
  [ "$(numctl show +4915123456789 --json | jq -r .status)" = to_be_cancelled ]
  [ "$(numctl history +4915123456789 --json | jq -r '.[].action' | grep -c release)" -eq 0 ]
  echo lease > "$BATS_TEST_TMPDIR/lease.pdf"
  run_split docs submit +4930901820 --kind proof_of_address --file "$BATS_TEST_TMPDIR/lease.pdf" --format plain
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"numctl docs submit does not write plain"* ]]
  [ "$(numctl docs list +4930901820 --json | jq '.documents | length')" -eq 0 ]
}

@test "an empty stdin is nothing to do: exit 0, a note, under pipefail" {
  numctl buy +4915123456789 >/dev/null
  run bash -o pipefail -c '"$NUMCTL_BIN" filter --status high_risk --format plain | "$NUMCTL_BIN" cancel -'
  [ "$status" -eq 0 ]
  [[ "$output" == *"nothing to do"* ]]
  [ "$(status_of +4915123456789)" = active ]
}

@test "numbers: keypad letters, full-width digits, and extensions get their own answers" {
  run numctl buy '1-800-FLOWERS' --region US --json
  [ "$(echo "$output" | jq -r '.[0].number')" = "+18003569377" ]
  run numctl show '＋４９　１５１２　３４５６７８９'
  [ "$status" -eq 3 ]
  [[ "$output" == *"+4915123456789 is not in the inventory"* ]]
  for typed in '+1 201 555 0123 x12' '+12015550123;ext=12' '+49 1512 3456789 ext. 4'; do
    run_split buy "$typed" --type local
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"extensions are not part of a number"* ]]
  done
}

@test "edits: set --label/--no-label, team rename, team merge, member move; audited, with --dry-run" {
  numctl team add Sales >/dev/null
  numctl team add Legacy >/dev/null
  numctl member add Ada --team Legacy >/dev/null
  numctl buy +4915123456789 --team Legacy >/dev/null
  numctl buy +447400100001 --member Ada >/dev/null
  numctl set +4915123456789 +447400100001 --label 'Berlin desk' >/dev/null
  [ "$(numctl show +447400100001 --json | jq -r .label)" = 'Berlin desk' ]
  echo +447400100001 | numctl set - --no-label >/dev/null
  [ "$(numctl show +447400100001 --json | jq -r .label)" = null ]
  before=$(db_checksum)
  numctl team merge Legacy Sales --dry-run 2>/dev/null
  [ "$(db_checksum)" = "$before" ]
  run numctl team merge Legacy Sales
  [[ "$output" == *"merged team 'Legacy' into 'Sales': 1 numbers, 1 members"* ]]
  [ "$(numctl filter --team Sales --format plain | wc -l)" -eq 2 ]
  run_split team list --json
  [ "$(echo "$output" | jq -c '[.[].name]')" = '["Sales"]' ]
  numctl team rename Sales 'EMEA Ops' >/dev/null
  [ "$(numctl show +4915123456789 --json | jq -r .team)" = 'EMEA Ops' ]
  numctl team add Support >/dev/null
  run_split team rename Support 'EMEA Ops'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"team merge"* ]]
  numctl member move Ada --team Support >/dev/null
  [ "$(numctl show +447400100001 --json | jq -r .team)" = Support ]
  [ "$(numctl log --json | jq -c '[.[] | select(.action != "team_add" and .action != "assign") | .action] | .[0:4]')" = '["member_move","team_rename","team_merge","set_label"]' ]
  # The number routed to the team itself has a row for each change of its team: history replays to it.
  [ "$(numctl history +4915123456789 --json | jq -c '[.[] | select(.action == "assign") | .details.team]')" = '["Sales","EMEA Ops"]' ]
  run_split set +4915123456789
  [ "$status" -eq 2 ]
}

@test "import reads what list exports (csv, json, ndjson on stdin, sniffed); derived keys are checked" {
  numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv" >/dev/null
  numctl flag +4930901820 --reason spam >/dev/null
  numctl cancel +447400123456 >/dev/null
  numctl list --all --format csv >"$TEST_DIR/all.csv"
  numctl list --all --format json >"$TEST_DIR/all.json"
  # Into an empty inventory: the same listing comes back, in CSV and through jq as NDJSON.
  copy=$(inventory_at copy) ndjson=$(inventory_at ndjson) array=$(inventory_at array)
  env "$copy" "$NUMCTL_BIN" import --trust-status "$TEST_DIR/all.csv" >/dev/null
  diff <(env "$copy" "$NUMCTL_BIN" list --all --format csv) "$TEST_DIR/all.csv"
  run bash -c "jq -c '.[]' '$TEST_DIR/all.json' | env '$ndjson' '$NUMCTL_BIN' import --trust-status -"
  [ "$status" -eq 0 ]
  diff <(env "$ndjson" "$NUMCTL_BIN" list --all --format json) "$TEST_DIR/all.json"
  run bash -c "env '$array' '$NUMCTL_BIN' import --trust-status - <'$TEST_DIR/all.json'"
  [ "$status" -eq 0 ]
  # A display or country that is not the number's is a bad row, not trusted.
  sed 's/US,local/FR,local/' "$TEST_DIR/all.csv" >"$TEST_DIR/bad.csv"
  run_split_in bad import --trust-status "$TEST_DIR/bad.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"country 'FR' does not match the number +1 201-555-0123 (US)"* ]]
  printf 'number,display\n+12015550123,+1 201-555-0124\n' >"$TEST_DIR/display.csv"
  run_split_in bad import "$TEST_DIR/display.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"display '+1 201-555-0124' is not the number +1 201-555-0123"* ]]
  [ "$(env "$(inventory_at bad)" "$NUMCTL_BIN" list --all --format plain 2>/dev/null | wc -l)" -eq 0 ]
  # A view column names what it is.
  numctl list --all --columns number,due --format csv >"$TEST_DIR/view.csv"
  run_split_in bad import "$TEST_DIR/view.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"'due' is a column of the view, not data"* ]]
}

@test "import --on-conflict: fail by default, skip keeps, update changes what differs through the lifecycle, audited" {
  numctl import --trust-status "$NUMCTL_SOURCE_DIR/examples/numbers.csv" >/dev/null
  numctl list --all --format csv >"$TEST_DIR/all.csv"
  before=$(db_checksum)
  run_split import --trust-status "$TEST_DIR/all.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"is already in the inventory (import with --on-conflict skip or update"* ]]
  [[ "$stderr" == *"(the same for 2 more: row 3, row 4)"* ]]
  run numctl import --trust-status --on-conflict skip "$TEST_DIR/all.csv"
  [ "$status" -eq 0 ]
  [[ "$output" == "imported 0 numbers, 3 unchanged" ]]
  [ "$(db_checksum)" = "$before" ]
  # Another system's view: the US number is no longer risky and unassigned, the GB one is
  # cancelled, the label of the DE one changed; plus a new number.
  {
    echo 'number,status,team,member,label'
    echo '+12015550123,active,,,'
    echo '+447400123456,to_be_cancelled,Support,Ada Lovelace,'
    echo '+4930901820,active,Sales,,Berlin HQ'
    echo '+447400123457,active,Sales,,'
  } >"$TEST_DIR/sync.csv"
  run numctl import --trust-status --on-conflict update --dry-run "$TEST_DIR/sync.csv"
  [ "$status" -eq 0 ]
  [ "$(db_checksum)" = "$before" ]
  run numctl import --trust-status --on-conflict update "$TEST_DIR/sync.csv"
  [ "$status" -eq 0 ]
  [[ "$output" == "imported 1 numbers, updated 3, 0 unchanged" ]]
  [ "$(status_of +12015550123)" = active ]
  [ "$(status_of +447400123456)" = to_be_cancelled ]
  run numctl show +12015550123 --json
  [[ "$output" == *'"team":null'* && "$output" == *'"label":null'* ]]
  run numctl log --number +12015550123 --format csv
  [[ "$output" == *",unflag,"* && "$output" == *",unassign,"* && "$output" == *",set_label,"* ]]
  run numctl log --number +447400123456 --format csv
  [[ "$output" == *",cancel,"* ]]
  # A change the lifecycle has no action for is refused, naming what is allowed; nothing changes.
  before=$(db_checksum)
  printf 'number,status\n+447400123456,pending\n' >"$TEST_DIR/odd.csv"
  run_split import --on-conflict update "$TEST_DIR/odd.csv"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"+44 7400 123456 is to_be_cancelled; an import cannot make it pending (allowed from here: assign, unassign, restore"* ]]
  [ "$(db_checksum)" = "$before" ]
  # A key absent leaves the field alone.
  printf '{"number":"+4930901820","label":"Berlin"}\n' | numctl import --on-conflict update - >/dev/null
  run numctl show +4930901820 --json
  [[ "$output" == *'"team":"Sales"'* && "$output" == *'"label":"Berlin"'* ]]
}

@test "batch errors: one reason said once with a count; JSON lists offenders; the exit code ignores argument order" {
  for n in 100001 100002 100003 100004 100005; do numctl buy +447400$n >/dev/null; done
  numctl cancel +447400100001 +447400100002 +447400100003 +447400100004 >/dev/null
  run_split flag +447400100001 +447400100002 +447400100003 +447400100004 +447400100005
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"4 of 5 numbers refused, nothing changed: +44 7400 100001 is to_be_cancelled: flag is not allowed"*"(the same for 3 more: +44 7400 100002, +44 7400 100003, +44 7400 100004)"* ]]
  [ "$(grep -o 'is to_be_cancelled' <<<"$stderr" | wc -l)" -eq 1 ]
  run_split flag +447400100001 +447400109999 --json
  [ "$status" -eq 3 ]
  echo "$stderr" | jq -e '.error.code == "not_found" and (.error.offenders | length) == 2' >/dev/null
  echo "$stderr" | jq -e '.error.offenders[0].number == "+44 7400 100001" and (.error.offenders[0].reason | contains("to_be_cancelled"))' >/dev/null
  run_split flag +447400109999 +447400100001
  [ "$status" -eq 3 ]
}

@test "approve, reject and docs submit take several numbers and -; a long batch on a terminal is one line" {
  numctl buy +4930100001 +4930100002 +4930100003 >/dev/null
  printf 'lease' >"$TEST_DIR/lease.pdf"
  run numctl docs submit +4930100001 +4930100002 --kind proof_of_address --file "$TEST_DIR/lease.pdf"
  [ "$status" -eq 0 ]
  [[ "$output" == *"for 2 numbers"* ]]
  run numctl reject +4930100001 +4930100002 --reason blurry
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | wc -l)" -eq 2 ]
  numctl filter --status pending --format plain | numctl docs submit - --kind proof_of_address --file "$TEST_DIR/lease.pdf" >/dev/null
  run bash -c '"$NUMCTL_BIN" filter --status pending --format plain | "$NUMCTL_BIN" approve -'
  [ "$status" -eq 0 ]
  [ "$(status_of +4930100003)" = active ]
  [ "$(echo "$output" | wc -l)" -eq 3 ]
  # Thirty numbers cancelled on a terminal: one line with the date; --verbose lists each.
  numctl buy --country GB --type mobile --count 30 >/dev/null
  run script -qec "'$NUMCTL_BIN' filter --country GB --format plain | '$NUMCTL_BIN' cancel -" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"cancelled 30 numbers; they release on 2026-02-09"* ]]
  [ "$(echo "$output" | grep -c .)" -eq 1 ]
  run script -qec "'$NUMCTL_BIN' filter --country GB --format plain | '$NUMCTL_BIN' restore - --verbose" /dev/null
  [ "$(echo "$output" | grep -c 'restored +44')" -eq 30 ]
  run bash -c '"$NUMCTL_BIN" filter --country GB --format plain | "$NUMCTL_BIN" flag - --quiet'
  [ "$output" = "flagged 30 numbers high_risk" ]
  # Not on a terminal, each number has its line (scripts read them).
  run bash -c '"$NUMCTL_BIN" filter --country GB --format plain | "$NUMCTL_BIN" unflag -'
  [ "$(echo "$output" | wc -l)" -eq 30 ]
}

@test "usage errors teach: unknown options and subcommands get suggestions, a repeated flag says so, help points to the command" {
  run_split list --staus active
  [ "$status" -eq 2 ]
  [ "$stderr" = "numctl: error: unknown option '--staus' for numctl list; did you mean '--status'? (see numctl list --help)" ]
  run_split team ad Foo
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"unknown subcommand 'ad' for numctl team; did you mean 'add'? (subcommands: add, remove, rename, merge, set, list)"* ]]
  run_split team
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"numctl team needs a subcommand: add, remove"* ]]
  run_split list --limit 3 --limit 4
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--limit is given 2 times; it takes one value (give it once) (see numctl list --help)"* ]]
  run_split assign
  [[ "$stderr" == *"(see numctl assign --help)"* ]]
  run_split lst
  [[ "$stderr" == *"unknown command 'lst'; did you mean 'list'?"* ]]
  # Each command's help shows the global options it honours.
  run numctl list --help
  [[ "$output" == *"Global options"*"--db"*"--format"*"--json"* ]]
  [[ "$output" == *"--region"* ]]
  run numctl lifecycle --help
  [[ "$output" == *"--format"* && "$output" != *"--db"* ]]
  # help with no argument lists the commands; help team add is numctl team add's usage.
  run numctl help
  [ "$status" -eq 0 ]
  [[ "$output" == *"Usage: numctl"* && "$output" == *"buy"* && "$output" == *"sweep"* ]]
  run numctl help team add
  [[ "$output" == *"Usage: numctl team add"* ]]
}

@test "a missing \$NUMCTL_CONFIG suggests numctl init; init writes its header once and says where" {
  NUMCTL_CONFIG="$TEST_DIR/missing.toml" run_split list
  [ "$status" -eq 5 ]
  [ -z "$output" ]
  [[ "$stderr" == *"no config file at $TEST_DIR/missing.toml (named by \$NUMCTL_CONFIG): create it with numctl init"* ]]
  NUMCTL_CONFIG="$TEST_DIR/missing.toml" run_split init
  [ "$status" -eq 0 ]
  [[ "$output$stderr" == *"wrote $TEST_DIR/missing.toml"* ]]
  [ "$(grep -c 'numctl configuration' "$TEST_DIR/missing.toml")" -eq 1 ]
  [ "$(grep -c 'numctl init' "$TEST_DIR/missing.toml")" -eq 1 ]
  NUMCTL_CONFIG="$TEST_DIR/missing.toml" run numctl list
  [ "$status" -eq 0 ]
}

@test "search: a leading + anchors the country code; a (0) trunk prefix is left out" {
  numctl buy +12015550123 --type local >/dev/null
  numctl buy +18005550100 +442079460000 +447400123456 >/dev/null
  run numctl search +1 --format plain
  [ "$output" = $'+12015550123\n+18005550100' ]
  run numctl search '+1 8' --format plain
  [ "$output" = "+18005550100" ]
  run numctl search '+44 (0)20 7946' --format plain
  [ "$output" = "+442079460000" ]
  run numctl search 0044 --format plain
  [ "$output" = $'+442079460000\n+447400123456' ]
  # Without +, anywhere in the digits, as before.
  run numctl search 44 --format plain
  [ "$output" = $'+442079460000\n+447400123456' ]
  run numctl search 1 --country GB --format plain
  [ "$output" = "+447400123456" ]
}
