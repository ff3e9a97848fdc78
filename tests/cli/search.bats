#!/usr/bin/env bats
# Search, filter and stats: every criterion, aliases, OR/AND semantics, paging, counts.

load helpers

seed() {
  numctl team add Sales
  numctl team add Support
  numctl member add Ada --team Sales
  numctl member add Solo
  numctl buy +4930123456 --team Sales                     # DE local: pending
  numctl buy +4915123456789 --member Ada                  # DE mobile: active, Sales via Ada
  numctl buy +447400100001 --team Support                 # GB mobile
  numctl buy +442079460018 --member Solo                  # GB local
  numctl buy +18002300001 --type toll_free                # US toll free, unassigned
  numctl buy +12015550123 --type local                    # US local, unassigned
  numctl flag +447400100001
  numctl cancel +442079460018
}

plain() { numctl "$@" --format plain | LC_ALL=C sort | tr '\n' ' '; }

@test "filter needs a criterion" {
  run_split filter
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"at least one criterion"* ]]
}

@test "each criterion alone" {
  seed
  [ "$(plain filter --status pending)" = "+4930123456 " ]
  [ "$(plain filter --type toll_free)" = "+18002300001 " ]
  [ "$(plain filter --country us)" = "+12015550123 +18002300001 " ]
  [ "$(plain filter --unassigned)" = "+12015550123 +18002300001 " ]
  [ "$(plain filter --assigned)" = "+442079460018 +447400100001 +4915123456789 +4930123456 " ]
  [ "$(plain filter --team Sales)" = "+4915123456789 +4930123456 " ]
  [ "$(plain filter --member Solo)" = "+442079460018 " ]
}

@test "aliases: hyphens, colours and case" {
  seed
  [ "$(plain filter --status RED)" = "+447400100001 " ]
  [ "$(plain filter --status high-risk)" = "+447400100001 " ]
  [ "$(plain filter --status yellow)" = "+4930123456 " ]
  [ "$(plain filter --status to-be-cancelled)" = "+442079460018 " ]
  [ "$(plain filter --type toll-free)" = "+18002300001 " ]
  [ "$(plain filter --status green --country de)" = "+4915123456789 " ]
}

@test "values within a flag are OR-ed, flags are AND-ed" {
  seed
  [ "$(plain filter --country DE,GB --type mobile)" = "+447400100001 +4915123456789 " ]
  [ "$(plain filter --status active,pending --country DE)" = "+4915123456789 +4930123456 " ]
  [ "$(plain filter --country US --assigned)" = "" ]
}

@test "unknown values are refused listing the valid ones" {
  seed
  run_split filter --status purple
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"valid: pending, active, high_risk, to_be_cancelled, cancelled"* ]]
  run numctl filter --type fax
  [ "$status" -eq 2 ]
  run numctl filter --country Germany
  [ "$status" -eq 2 ]
}

@test "search by international, national and partial digits" {
  seed
  [ "$(plain search '+49 30 123456')" = "+4930123456 " ]
  [ "$(plain search 0049-30-12)" = "+4930123456 " ]
  [ "$(plain search '030 123')" = "+4930123456 " ]
  [ "$(plain search '(201) 555')" = "+12015550123 " ]
  [ "$(plain search 555)" = "+12015550123 " ]
  [ "$(plain search 0800 --country US)" = "" ]
  [ "$(plain search 74)" = "+447400100001 " ]
  [ "$(plain search 100001)" = "+447400100001 " ]
  run numctl search abc
  [ "$status" -eq 2 ]
}

@test "search combines with criteria; cancelled only with --all" {
  seed
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep
  [ "$(plain search 44)" = "+447400100001 " ]
  [ "$(plain search 44 --all)" = "+442079460018 +447400100001 " ]
  [ "$(plain search 1 --country US --type local)" = "+12015550123 " ]
}

@test "sort, limit and offset" {
  seed
  run numctl list --format plain --sort country --limit 2
  [ "${lines[0]}" = "+4915123456789" ]
  [ "${lines[1]}" = "+4930123456" ]
  run numctl filter --country DE,US --sort number:desc --offset 1 --limit 2 --format plain
  [ "${lines[0]}" = "+4915123456789" ]
  [ "${lines[1]}" = "+18002300001" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "stats match counts computed independently with sqlite3" {
  seed
  run numctl stats --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq .total)" = "$(sql "SELECT count(*) FROM numbers WHERE status <> 'cancelled'")" ]
  for s in active pending high_risk to_be_cancelled; do
    expected=$(sql "SELECT count(*) FROM numbers WHERE status = '$s'")
    [ "$(echo "$output" | jq ".by_status.$s // 0")" = "$expected" ]
  done
  for c in DE GB US; do
    expected=$(sql "SELECT count(*) FROM numbers WHERE country = '$c' AND status <> 'cancelled'")
    [ "$(echo "$output" | jq ".by_country.$c")" = "$expected" ]
  done
  [ "$(echo "$output" | jq .by_type.mobile)" -eq 2 ]
  [ "$(echo "$output" | jq .by_team.Sales)" -eq 2 ]
  [ "$(echo "$output" | jq '.by_team["(no team)"]')" -eq 3 ]
  run numctl stats --country DE --json
  [ "$(echo "$output" | jq .total)" -eq 2 ]
  run numctl stats
  [[ "$output" == *"Numbers: 6"* && "$output" == *"GB United Kingdom"* ]]
}
