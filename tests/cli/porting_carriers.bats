#!/usr/bin/env bats
# Porting at the carriers, against their stateful fakes: Telnyx porting orders (split per losing
# carrier, FOC windows, exceptions fixed by an update) and port-outs (answered, and seen by
# sync); Twilio's Porting API (a JSON request with its utility bill, per-number status and port
# date). A crash between the carrier making an order and numctl recording it never makes a
# second one. Prism checks every request against the carriers' own documents.

load helpers
load carrier

A=+13125550100
B=+13125550101

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

porting() { curl -sf "$FAKE/__control/porting"; }
port_in() {
  printf '%%PDF-1.4 letter of authorization\n' >"$TEST_DIR/loa.pdf"
  numctl port-in create "$@" --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' \
    --email ops@acme.example
}
telnyx_order() { fake_control porting_order "{\"number\": \"$1\", \"status\": \"$2\"${3:+, $3}}"; }
twilio_request() { fake_control port_in "{\"number\": \"$1\", \"status\": \"$2\"${3:+, $3}}"; }

@test "telnyx: an order split per losing carrier, each filled and confirmed; FOC confirmed, then ported: active with its team and the carrier's id" {
  start_telnyx
  numctl team add Support >/dev/null
  fake_control porting "{\"losing\": {\"$B\": \"Carrier B\"}}"
  run port_in $A $B --team Support --pin 123456 --account-number 99-1234 --requested-date 2027-01-05 --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.order == "port-1" and .status == "submitted" and (.carrier_orders | length) == 2 and .pin == "****56"' >/dev/null
  porting | jq -e --arg a "$A" '(.orders | length) == 2 and .confirms == 2 and
    all(.orders[]; .customer_reference == "port-1" and .end_user.admin.entity_name == "Acme Inc" and .end_user.admin.pin_passcode == "123456"
        and .end_user.location.postal_code == "62701" and (.documents.loa | length) == 36
        and .activation_settings.foc_datetime_requested == "2027-01-05T14:00:00Z")' >/dev/null
  # The secrets left the database once the carrier had them.
  [ -z "$(sql "SELECT id FROM port_orders WHERE secrets IS NOT NULL OR body LIKE '%123456%'")" ]
  telnyx_order $A foc-date-confirmed '"foc": "2026-01-15T14:00:00Z"'
  numctl port-in refresh >/dev/null
  run numctl due --within 7d --json
  echo "$output" | jq -e --arg a "$A" '[.[] | select(.event == "port_foc")] | length == 1 and .[0].number == $a' >/dev/null
  telnyx_order $A ported
  run numctl port-in refresh --json
  echo "$output" | jq -e --arg a "$A" '.completed == [$a]' >/dev/null
  numctl show $A --json | jq -e '.status == "active" and .team == "Support" and .provider == "telnyx" and (.provider_ref | test("^[0-9]+$"))' >/dev/null
  [ "$(status_of $B)" = porting_in ]
  numctl history $A --json | jq -e '.[-1].action == "port_complete" and .[-1].actor == "carrier"' >/dev/null
}

@test "telnyx: a carrier decides completion (not offered, refused by hand); an order sync cannot read fails it (exit 6)" {
  start_telnyx
  port_in $A >/dev/null
  run numctl show $A
  [[ "$output" != *"port-in complete"* ]]
  run_split port-in complete port-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"telnyx decides when a port completes: numctl port-in refresh reads it"* ]]
  fake_control fault '{"method": "GET", "path": "/v2/porting_orders/", "status": 500, "count": 10}'
  run_split sync
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"port-1"* ]]
  [ "$(status_of $A)" = porting_in ]
}

@test "telnyx: an exception is in due with its reason; port-in update fixes it and the port completes" {
  start_telnyx
  port_in $A >/dev/null
  telnyx_order $A exception '"details": [{"code": "LOCATION_MISMATCH", "description": "The service address does not match"}]'
  numctl port-in refresh >/dev/null
  numctl port-in show port-1 --json | jq -e '.status == "exception" and .reason == "LOCATION_MISMATCH: The service address does not match"' >/dev/null
  run numctl due
  [[ "$output" == *"port_exception"* ]]
  [[ "$output" == *"LOCATION_MISMATCH: The service address does not match; fix with numctl port-in update port-1"* ]]
  numctl port-in update port-1 --address '1 Main Street, Springfield, IL, 62701' >/dev/null
  porting | jq -e '.orders[0].end_user.location.street_address == "1 Main Street" and .orders[0].status.value == "in-process"' >/dev/null
  telnyx_order $A ported
  numctl port-in refresh >/dev/null
  [ "$(status_of $A)" = active ]
  numctl port-in show port-1 --json | jq -e '.status == "ported" and .reason == null' >/dev/null
}

@test "telnyx: port-in cancel cancels the carrier's orders; an order the carrier cancels turns its numbers cancelled" {
  start_telnyx
  port_in $A >/dev/null
  numctl port-in cancel port-1 >/dev/null
  porting | jq -e '.orders[0].status.value == "cancelled"' >/dev/null
  [ "$(status_of $A)" = cancelled ]
  port_in $B >/dev/null
  telnyx_order $B cancelled
  run numctl port-in refresh --json
  echo "$output" | jq -e --arg b "$B" '.failed == [$b]' >/dev/null
  [ "$(status_of $B)" = cancelled ]
}

@test "telnyx: kill -9 after the carrier cancelled the order, before numctl recorded it: refresh reads it, the number cancelled" {
  start_telnyx
  port_in $A >/dev/null
  fake_control fault '{"method": "POST", "path": "/actions/cancel", "stall": 10}'
  "$NUMCTL_BIN" port-in cancel port-1 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(porting | jq -r '.orders[0].status.value')" = cancelled ] && break; sleep 0.05; done
  kill -9 "$pid"
  wait "$pid" || true
  [ "$(status_of $A)" = porting_in ]
  run numctl port-in refresh --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e --arg a "$A" '.failed == [$a]' >/dev/null
  [ "$(status_of $A)" = cancelled ]
  [ "$(fake_count POST /actions/cancel)" -eq 1 ]
}

@test "telnyx: a number the carrier will not port is refused before anything is ordered" {
  start_telnyx
  fake_control porting "{\"not_portable\": {\"$B\": \"Rate center not portable\"}}"
  before=$(db_checksum)
  run_split port-in create $A $B --loa /dev/null --name x --address '1 Main St, Springfield, IL, 62701'
  printf '%%PDF-1.4\n' >"$TEST_DIR/loa.pdf"
  run_split port-in create $A $B --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"+13125550101 (Rate center not portable)"* ]]
  [ "$(db_checksum)" = "$before" ]
  porting | jq -e '.creates == 0' >/dev/null
}

@test "telnyx: kill -9 between the carrier making the order and numctl recording it, then refresh: one order, finished" {
  start_telnyx
  fake_control fault '{"method": "POST", "path": "/v2/porting_orders", "stall": 10}'
  printf '%%PDF-1.4 loa\n' >"$TEST_DIR/loa.pdf"
  "$NUMCTL_BIN" port-in create $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' \
    --pin 4321 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(porting | jq '.orders | length')" -eq 1 ] && break; sleep 0.05; done
  kill -9 "$pid"
  wait "$pid" || true
  numctl port-in show port-1 --json | jq -e '.status == "creating"' >/dev/null
  [ "$(sql "SELECT count(*) FROM port_orders WHERE secrets IS NOT NULL")" = 1 ]
  run numctl port-in refresh
  [ "$status" -eq 0 ]
  porting | jq -e '.creates == 1 and (.orders | length) == 1 and .orders[0].status.value == "submitted" and .orders[0].end_user.admin.pin_passcode == "4321"' >/dev/null
  numctl port-in show port-1 --json | jq -e '.status == "submitted"' >/dev/null
  [ "$(sql "SELECT count(*) FROM port_orders WHERE secrets IS NOT NULL")" = 0 ]
}

@test "telnyx: a port-out waiting for the account is in due and answered; one ported away is ported_out in sync, not drift" {
  start_telnyx
  fake_control offer '{"country": "US", "kind": "local", "numbers": ["+13125550100"]}'
  numctl buy $A --type local >/dev/null
  fake_control portouts "{\"requests\": [{\"id\": \"0f1e2d3c-0000-4000-8000-000000000001\", \"status\": \"pending\", \"phone_numbers\": [\"$A\"], \"carrier_name\": \"Other Telco\", \"foc_date\": \"2026-01-20T00:00:00Z\"}]}"
  numctl sync >/dev/null
  run numctl due --within 30d
  [[ "$output" == *"port_out_request"*"numctl port-out approve 0f1e2d3c-0000-4000-8000-000000000001 --reason TEXT"* ]]
  numctl port-out reject 0f1e2d3c-0000-4000-8000-000000000001 --reason 'Not authorized by Acme' >/dev/null
  porting | jq -e '.portouts[0].status == "rejected-pending" and .portouts[0].reason == "Not authorized by Acme"' >/dev/null
  numctl log --json | jq -e '[.[] | select(.action == "port_out_answer")] | length == 1' >/dev/null
  fake_control portouts "{\"requests\": [{\"id\": \"0f1e2d3c-0000-4000-8000-000000000002\", \"status\": \"ported\", \"phone_numbers\": [\"$A\"], \"carrier_name\": \"Other Telco\", \"foc_date\": \"2026-01-09T10:00:00Z\"}]}"
  run numctl sync --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e --arg a "$A" '.in_sync and .ported_out == [$a] and .missing == []' >/dev/null
  [ "$(status_of $A)" = ported_out ]
  numctl history $A --json | jq -e '.[-1].action == "port_out" and .[-1].at == "2026-01-09T10:00:00Z" and .[-1].details.to_carrier == "Other Telco"' >/dev/null
  [ "$(fake_count DELETE /v2/phone_numbers)" -eq 0 ]
}

@test "twilio: a JSON port-in request with the utility bill; per-number port date as FOC; Completed: active with the carrier's id" {
  start_twilio
  numctl team add Sales >/dev/null
  run_split port-in create $A --loa /dev/null --name x --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 2 ]
  printf '%%PDF-1.4 loa\n' >"$TEST_DIR/loa.pdf"
  run_split port-in create $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--email is required at twilio"* ]]
  run port_in $A $B --team Sales --pin 1234 --account-number 998877 --requested-date 2027-01-05 --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.status == "submitted" and .carrier_status == "In review" and .account_number == "****77"' >/dev/null
  porting | jq -e '.documents == 1 and .requests[0].losing_carrier_information.customer_name == "Acme Inc" and
    .requests[0].losing_carrier_information.address.zip == "62701" and .requests[0].target_port_in_date == "2027-01-05" and
    all(.requests[0].phone_numbers[]; .pin_given)' >/dev/null
  twilio_request $A "In progress" '"port_date": "2026-01-15T14:00:00Z"'
  numctl port-in refresh >/dev/null
  numctl port-in show port-1 --json | jq -e '.status == "foc_confirmed" and .foc_date == "2026-01-15T14:00:00Z"' >/dev/null
  twilio_request $A Completed
  numctl sync >/dev/null
  numctl show $A --json | jq -e '.status == "active" and .team == "Sales" and (.provider_ref | startswith("PN"))' >/dev/null
}

@test "twilio: Action Required is an exception with the losing carrier's reason; update is refused, cancel deletes the request" {
  start_twilio
  port_in $A >/dev/null
  twilio_request $A "Action Required" '"rejection_reason": "PIN is invalid"'
  numctl port-in refresh >/dev/null
  numctl port-in show port-1 --json | jq -e '.status == "exception" and .reason == "+13125550100: PIN is invalid"' >/dev/null
  run_split port-in update port-1 --pin 9999
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"twilio's API changes no port-in request once made: cancel it"* ]]
  numctl port-in cancel port-1 >/dev/null
  porting | jq -e '.requests[0].port_in_request_status == "Canceled"' >/dev/null
  [ "$(status_of $A)" = cancelled ]
}

@test "twilio: kill -9 while the request is made, then refresh finds it by its numbers: one request" {
  start_twilio
  fake_control fault '{"method": "POST", "path": "/v1/Porting/PortIn", "stall": 10}'
  printf '%%PDF-1.4 loa\n' >"$TEST_DIR/loa.pdf"
  "$NUMCTL_BIN" port-in create $A --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' \
    --email ops@acme.example >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(porting | jq '.requests | length')" -eq 1 ] && break; sleep 0.05; done
  kill -9 "$pid"
  wait "$pid" || true
  run numctl port-in refresh
  [ "$status" -eq 0 ]
  porting | jq -e '.creates == 1' >/dev/null
  numctl port-in show port-1 --json | jq -e '.status == "submitted" and (.carrier_orders[0].ref | startswith("KW"))' >/dev/null
}

@test "twilio: a number gone from the account is drift with a hint; port-out record makes it ported_out and sync agrees" {
  start_twilio
  fake_control offer "{\"country\": \"US\", \"kind\": \"local\", \"numbers\": [\"$A\"]}"
  numctl buy $A --type local >/dev/null
  numctl sync >/dev/null
  fake_control leave "{\"numbers\": [\"$A\"]}"
  run_split sync
  [ "$status" -eq 4 ]
  [[ "$output" == *"in service in the ledger, not held at the carrier (they no longer ring): 1"* ]]
  [[ "$stderr" == *"numctl port-out record NUMBER --date DATE"* ]]
  numctl port-out record $A --date 2026-01-09 --carrier 'Other Telco' >/dev/null
  run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"in sync"* ]]
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq 0 ]
}

@test "Prism, on Telnyx's official OpenAPI document, finds every porting request valid" {
  start_telnyx
  start_prism_telnyx
  fake_control porting "{\"losing\": {\"$B\": \"Carrier B\"}}"
  port_in $A $B --pin 1234 --requested-date 2027-01-05 >/dev/null
  telnyx_order $A exception '"details": [{"code": "PASSCODE_PIN_INVALID", "description": "PIN"}]'
  numctl port-in refresh >/dev/null
  numctl port-in update port-1 --pin 4321 >/dev/null
  telnyx_order $A ported
  fake_control portouts "{\"requests\": [{\"id\": \"0f1e2d3c-0000-4000-8000-000000000001\", \"status\": \"pending\", \"phone_numbers\": [\"$A\"]}]}"
  numctl port-in refresh >/dev/null
  numctl port-out approve 0f1e2d3c-0000-4000-8000-000000000001 --reason 'Customer asked for it' >/dev/null
  numctl port-in cancel port-1 >/dev/null
  [ "$(status_of $A)" = active ]
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 12 ]
  [ -z "$(prism_violations)" ]
}

@test "Prism, on Twilio's Porting document (twilio_numbers_v1.json), finds every porting request valid" {
  start_twilio
  start_prism
  port_in $A --pin 1234 --account-number 998877 --requested-date 2027-01-05 >/dev/null
  twilio_request $A "In progress" '"port_date": "2026-01-15T14:00:00Z"'
  numctl port-in refresh >/dev/null
  numctl port-in cancel port-1 >/dev/null
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 4 ]
  [ -z "$(prism_violations)" ]
}
