#!/usr/bin/env bats
# Porting with the offline providers: a port-in order recorded and completed by hand, numbers
# porting_in assigned ahead of the cut-over, a cancelled order, a port-out recorded; and what the
# lifecycle's surfaces (list, show, stats, filters, due, history) say of the two new statuses.

load helpers

A=+13125550100
B=+13125550101
C=+13125550102

loa() { printf '%%PDF-1.4 letter of authorization\n' >"$TEST_DIR/loa.pdf"; }

port_in() {
  loa
  numctl port-in create "$@" --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
}

@test "port-in create records the order and its numbers porting_in, assigned ahead of the cut-over; JSON names the order" {
  numctl team add Support >/dev/null
  run_split port-in create $A $B --loa /dev/null --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' --team Support
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"/dev/null"* ]]
  run port_in $A $B --team Support --pin 123456 --account-number 99-1234 --requested-date 2026-02-01 --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.order == "port-1" and .provider == "catalog" and .status == "submitted" and
    ([.numbers[] | [.number, .status, .team]] == [["+13125550100", "porting_in", "Support"], ["+13125550101", "porting_in", "Support"]]) and
    .pin == "****56" and .account_number == "*****34" and .loa == "loa.pdf" and .requested_date == "2026-02-01"' >/dev/null
  # The secrets are stored nowhere in the clear (the offline provider has no carrier to give them to).
  [ -z "$(sql "SELECT id FROM port_orders WHERE body LIKE '%123456%' OR secrets IS NOT NULL")" ]
  [ "$(status_of $A)" = porting_in ]
  numctl history $A --json | jq -e '.[-1].action == "port_in" and .[-1].to == "porting_in" and .[-1].details.order == "port-1"' >/dev/null
  # Listed with their dot and filtered by status; not billed yet.
  run numctl list --status porting_in --format plain
  [ "$output" = "$(printf '%s\n%s' $A $B)" ]
  numctl stats --json | jq -e '.by_status.porting_in == 2' >/dev/null
  numctl cost --json | jq -e 'length == 0 or (map(.count) | add) == 0' >/dev/null
}

@test "a number held, twice on the line, or invalid is refused, every offender named, nothing written" {
  numctl buy $C --type local >/dev/null
  before=$(db_checksum)
  run_split port-in create $C $A 12345 --loa /dev/null --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 2 ]
  loa
  run_split port-in create $C $A +1999 --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"+1999"* ]]
  run_split port-in create $C $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"+1 312-555-0102 is held already (status active)"* ]]
  run_split port-in create $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address 'Springfield'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *'--address must read "STREET, CITY, REGION, POSTAL CODE[, COUNTRY]"'* ]]
  run_split port-in create $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' --requested-date 2026-13-01
  [ "$status" -eq 2 ]
  [ "$(db_checksum)" = "$before" ]
}

@test "port-in complete: the numbers arrive active with their team (one at a time, then the rest); due lists nothing left" {
  numctl team add Support >/dev/null
  port_in $A $B --team Support >/dev/null
  run numctl port-in complete port-1 --number $A
  [ "$status" -eq 0 ]
  [ "$(status_of $A)" = active ]
  [ "$(status_of $B)" = porting_in ]
  numctl show $A --json | jq -e '.team == "Support" and .activated_at != null' >/dev/null
  numctl port-in complete port-1 >/dev/null
  [ "$(status_of $B)" = active ]
  numctl port-in show port-1 --json | jq -e '.status == "ported"' >/dev/null
  run_split port-in list
  [ -z "$output" ]
  [[ "$stderr" == *"no port-in order is open"* ]]
  numctl port-in list --all --json | jq -e 'length == 1 and .[0].order == "port-1"' >/dev/null
  run_split port-in complete port-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"port-1 is ported already"* ]]
  numctl history $A --json | jq -e '.[-1].action == "port_complete" and .[-1].from == "porting_in" and .[-1].to == "active"' >/dev/null
}

@test "a port-in to a country that asks for documents arrives pending" {
  cat >"$TEST_DIR/config.toml" <<'TOML'
[regulation.US]
local = ["proof_of_address"]
TOML
  export NUMCTL_CONFIG=$TEST_DIR/config.toml
  port_in $A >/dev/null
  numctl port-in complete port-1 >/dev/null
  [ "$(status_of $A)" = pending ]
}

@test "port-in cancel: numbers not arrived turn cancelled; an unknown order exits 3; only port-in create may start one" {
  port_in $A $B >/dev/null
  run_split port-in cancel port-9
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no port-in order port-9"* ]]
  numctl port-in cancel port-1 >/dev/null
  [ "$(status_of $A)" = cancelled ]
  [ "$(status_of $B)" = cancelled ]
  # A porting number refuses what needs it in service.
  port_in $C >/dev/null
  run_split cancel $C
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"+1 312-555-0102 is porting_in: cancel is not allowed (allowed: assign, unassign, set, port-in complete, port-in cancel)"* ]]
  # A cancelled number may be ported in again.
  run port_in $A
  [ "$status" -eq 0 ]
  [ "$(status_of $A)" = porting_in ]
}

@test "port-out record: ported_out with the date, out of listings and cost, kept with its history; buy refused, port-in allowed" {
  numctl buy $A --type local >/dev/null
  run_split port-out record $A --date 2026-01-11
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"in the future"* ]]
  numctl port-out record $A --date 2026-01-09 --carrier 'Other Telco' >/dev/null
  [ "$(status_of $A)" = ported_out ]
  numctl history $A --json | jq -e '.[-1].action == "port_out" and .[-1].at == "2026-01-09T00:00:00Z" and .[-1].details.to_carrier == "Other Telco"' >/dev/null
  run numctl list --format plain
  [ -z "$output" ]
  run numctl list --all --format plain
  [ "$output" = "$A" ]
  run_split buy $A --type local
  [ "$status" -eq 4 ]
  run_split port-out record $A
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"is ported_out: port-out record is not allowed (allowed: port-in create)"* ]]
  port_in $A >/dev/null
  [ "$(status_of $A)" = porting_in ]
}

@test "lifecycle and the dots legend show both statuses; completion offers the orders" {
  run numctl lifecycle
  [[ "$output" == *"porting_in"* ]] && [[ "$output" == *"ported_out"* ]]
  port_in $A >/dev/null
  run numctl __complete operands port-in show ""
  [ "$output" = "port-1" ]
  run numctl list --status blue --format plain
  [ "$output" = "$A" ]
}

@test "import refuses porting_in (an order is needed) and keeps ported_out as history; show names a number's order" {
  printf 'number,type,status\n%s,local,porting_in\n' $A >"$TEST_DIR/in.csv"
  before=$(db_checksum)
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"porting_in is the status of a number on a port-in order: numctl port-in create records the order"* ]]
  [ "$(db_checksum)" = "$before" ]
  printf 'number,type,status,release_at\n%s,local,ported_out,2026-01-05T00:00:00Z\n' $B >"$TEST_DIR/out.csv"
  numctl import "$TEST_DIR/out.csv" >/dev/null
  [ "$(status_of $B)" = ported_out ]
  port_in $C >/dev/null
  run numctl show $C
  [[ "$output" == *"port-in       port-1 (submitted)"* ]]
  [[ "$output" == *"port-in complete"* ]]
}
