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

@test "at 80 columns list, boxes and team list fit, with CJK, emoji and combining names" {
  numctl team add '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl member add '😀 Zoë Ångström-Ñúñez de la Peña y Cortés' --team '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl buy +4915123456789 --member '😀 Zoë Ångström-Ñúñez de la Peña y Cortés' >/dev/null
  numctl buy +447400100001 --team '東京サポートチーム国際部門の皆さん' >/dev/null
  numctl buy +4930901820 >/dev/null
  numctl cancel +447400100001 >/dev/null
  for view in "list" "list --format boxes" "team list" "member list"; do
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
  [ "$(numctl log --json | jq -c '[.[] | select(.action != "team_add") | .action] | .[0:4]')" = '["member_move","team_rename","team_merge","set_label"]' ]
  run_split set +4915123456789
  [ "$status" -eq 2 ]
}
