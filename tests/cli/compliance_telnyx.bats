#!/usr/bin/env bats
# Regulated numbers at Telnyx (order first): requirements read from the carrier, a requirement
# group built and submitted at the stateful Telnyx fake, orders held until Telnyx approves.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

group_status() { fake_control requirement_group "{\"name\": \"acme-de\", \"status\": \"$1\", \"declined\": [${2:-}]}"; }
fake_compliance() { curl -sf "$FAKE/__control/compliance"; }

create_group() {
  printf '%%PDF-1.4 lease of Acme GmbH\n' >"$TEST_DIR/lease.pdf"
  numctl compliance create acme-de --country DE --type local --field business_name='Acme GmbH' "$@"
}

@test "requirements come from Telnyx with their names folded (Business Name -> business_name)" {
  start_telnyx
  run numctl regulations --country DE --type local --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.[0].source == "telnyx" and ([.[0].requirements[] | [.kind, .name]] == [["field", "business_name"], ["document", "proof_of_address"]])' >/dev/null
  run numctl regulations --country GB --type mobile
  [[ "$output" == "telnyx requires nothing for GB numbers"* ]]
}

@test "create names what is missing; the group holds the answers and the uploaded document's id; submit sends it for approval" {
  start_telnyx
  run create_group
  [ "$status" -eq 0 ]
  [[ "$output" == *"created acme-de (DE local at telnyx): draft (telnyx unapproved)"* ]]
  [[ "$output" == *"missing: proof_of_address"* ]]
  run_split compliance submit acme-de
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"requirement group acme-de still misses proof_of_address"* ]]
  numctl compliance update acme-de --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null
  fake_compliance | jq -e '.documents == 1 and (.groups | length) == 1 and .groups[0].values["Business Name"] == "Acme GmbH" and (.groups[0].values["Proof of Address"] | length) == 36' >/dev/null
  run numctl compliance submit acme-de
  [ "$status" -eq 0 ]
  [[ "$output" == *"in_review (telnyx pending-approval)"* ]]
  fake_compliance | jq -e '.groups[0].status == "pending-approval" and .groups[0].customer_reference == "numctl-1 acme-de"' >/dev/null
}

@test "the order is placed with the group and held pending; declined: the reason everywhere; fixed, approved: sync makes it active" {
  start_telnyx
  numctl team add Ops >/dev/null
  run_split buy +49309010100 --team Ops
  [ "$status" -eq 4 ]  # no requirement group: refused before any order
  [[ "$stderr" == *"need an approved requirement group"* ]]
  [ "$(fake_count POST number_orders)" -eq 0 ]
  create_group --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  run numctl buy +49309010100 --team Ops
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010100)" = pending ]
  group=$(numctl compliance show acme-de --json | jq -r .carrier_ref)
  jq -s -e --arg g "$group" '[.[] | select(.method == "POST" and .path == "/v2/number_orders")][0].form.phone_numbers[0].requirement_group_id == $g' "$FAKE_LOG" >/dev/null
  run_split approve +49309010100
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"its regulatory review belongs to telnyx (acme-de is in_review)"* ]]
  group_status declined '"Proof of Address"'
  run numctl sync
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010100)" = pending ]
  numctl show +49309010100 --json | jq -e '.compliance_status == "rejected" and .compliance_reason == "declined by Telnyx: proof_of_address declined"' >/dev/null
  COLUMNS=160 run numctl list
  [[ "${lines[1]}" == *"pending"*"declined by Telnyx: proof_of_address declined"* ]]
  run numctl due
  [[ "$output" == *"documents rejected by the carrier: declined by Telnyx: proof_of_address declined, fix with numctl compliance update acme-de"* ]]
  # Fixed and sent again; Telnyx approves and completes the order it held.
  printf '%%PDF-1.4 a newer lease\n' >"$TEST_DIR/lease2.pdf"
  numctl compliance update acme-de --document proof_of_address="$TEST_DIR/lease2.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  group_status approved
  run numctl sync --json
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010100)" = active ]
  numctl show +49309010100 --json | jq -e '(.provider_ref | test("^[0-9]+$")) and .team == "Ops" and .compliance_status == "approved" and .compliance_reason == null' >/dev/null
  numctl history +49309010100 --json | jq -e '.[-1].action == "carrier_approve" and .[-1].actor == "carrier" and .[-1].details.compliance == "acme-de"' >/dev/null
  [ "$(fake_held)" = "+49309010100" ]
}

@test "kill -9 between creating the requirement group at Telnyx and recording it, then refresh: exactly one group" {
  start_telnyx
  printf '%%PDF-1.4 lease\n' >"$TEST_DIR/lease.pdf"
  fake_control fault '{"method": "POST", "path": "/v2/requirement_groups", "stall": 10}'
  "$NUMCTL_BIN" compliance create acme-de --country DE --type local --field business_name='Acme GmbH' \
    --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(fake_compliance | jq '.groups | length')" -eq 1 ] && break; sleep 0.05; done
  kill -9 "$pid"
  wait "$pid" || true
  numctl compliance show acme-de --json | jq -e '.status == "creating"' >/dev/null
  run numctl compliance refresh
  [ "$status" -eq 0 ]
  fake_compliance | jq -e '(.groups | length) == 1 and .documents == 1' >/dev/null
  numctl compliance show acme-de --json | jq -e --arg g "$(fake_compliance | jq -r '.groups[0].id')" '.status == "draft" and .carrier_ref == $g and .missing == []' >/dev/null
}

@test "Prism, on Telnyx's official OpenAPI document, finds every request of the compliance flow valid" {
  start_telnyx
  start_prism_telnyx
  numctl regulations --country DE --type local --refresh >/dev/null
  create_group >/dev/null
  numctl compliance update acme-de --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 >/dev/null
  group_status approved
  numctl compliance refresh >/dev/null
  [ "$(status_of +49309010100)" = active ]
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 8 ]
  [ -z "$(prism_violations)" ]
  # And it does judge: a request off the document is reported.
  curl -s -H "Authorization: Bearer $TELNYX_API_KEY" -H 'Content-Type: application/json' -X POST -d '{"country_code": "DE"}' "$PRISM/v2/requirement_groups" >/dev/null
  grep -q 'Violation: request' "$PRISM_LOG"
}

@test "docs submit on a number Telnyx holds adds the document to its requirement group there; docs get still reads it" {
  start_telnyx
  create_group --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 >/dev/null
  group_status declined '"Proof of Address"'
  numctl compliance refresh >/dev/null
  printf '%%PDF-1.4 the lease, signed\n' >"$TEST_DIR/signed.pdf"
  run_split docs submit +49309010100 --kind proof_of_address --file "$TEST_DIR/signed.pdf"
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"added to acme-de at telnyx: numctl compliance submit acme-de"* ]]
  fake_compliance | jq -e '.documents == 2' >/dev/null
  # The group's answer for the document is the new upload now.
  new=$(jq -s -r '[.[] | select(.method == "POST" and .path == "/v2/documents")][-1] | .status' "$FAKE_LOG")
  [ "$new" = 200 ]
  [ "$(jq -s '[.[] | select(.method == "PATCH" and (.path | startswith("/v2/requirement_groups/")))] | length' "$FAKE_LOG")" -ge 1 ]
  numctl docs get +49309010100 --kind proof_of_address -o "$TEST_DIR/copy.pdf"
  cmp "$TEST_DIR/copy.pdf" "$TEST_DIR/signed.pdf"
  # Submitted for review again, it cannot change until the carrier decides.
  numctl compliance submit acme-de >/dev/null
  run_split docs submit +49309010100 --kind proof_of_address --file "$TEST_DIR/signed.pdf"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"is in_review at telnyx: a document goes to a profile still in draft or rejected"* ]]
}
