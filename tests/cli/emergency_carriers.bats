#!/usr/bin/env bats
# Emergency addresses and caller ID at the carriers, against their stateful fakes: Telnyx's
# address validation (a suggested correction taken only when asked), enable_emergency and its
# provisioning status, CNAM listings; Twilio's Addresses (AutoCorrectAddress), EmergencyAddressSid
# and emergency_address_status, and its refusal of per-number CNAM. Registrations go through the
# outbox: a lost answer or an unreachable carrier neither loses nor repeats a call. Prism checks
# every request against the carriers' own documents.

load helpers
load carrier

emergency() { curl -sf "$FAKE/__control/emergency"; }
hq() {
  numctl address add HQ --street '100 Main St' --city Springfield --region IL --postal-code 62701 --country US \
    --customer-name 'Acme Inc' --contact 'Ada Lovelace' "$@"
}
registration() { fake_control emergency "{\"number\": \"$1\", \"status\": \"$2\"}"; }

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

@test "telnyx: a suggested correction is shown and refused without --accept-suggestion; taken with it, created once" {
  start_telnyx
  fake_control address_validation '{"mode": "suggest"}'
  before=$(db_checksum)
  run_split address add HQ --street '100 Main St' --city Springfield --region IL --postal-code 62701 --country US \
    --customer-name 'Acme Inc' --contact 'Ada Lovelace'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *'telnyx suggests "100 MAIN ST, Springfield, IL, 62701, US" for "100 Main St, Springfield, IL, 62701, US"'* ]]
  [[ "$stderr" == *"--accept-suggestion"* ]]
  [ "$(db_checksum)" = "$before" ]
  emergency | jq -e '.creates == 0' >/dev/null
  # The answer of the creation is lost: numctl finds what it made, and makes nothing twice.
  fake_control fault '{"method": "POST", "path": "/v2/addresses", "lose": true}'
  run hq --accept-suggestion --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.street == "100 MAIN ST" and .state == "validated" and .provider == "telnyx" and (.provider_ref | length) > 0' >/dev/null
  emergency | jq -e '.creates == 1 and .addresses[0].customer_reference == "numctl:HQ" and .addresses[0].first_name == "Ada"
    and .addresses[0].last_name == "Lovelace" and .addresses[0].business_name == "Acme Inc"' >/dev/null
  fake_control address_validation '{"mode": "invalid"}'
  run_split address add Depot --street '1 Nowhere' --city X --region IL --postal-code 00000 --country US \
    --customer-name 'Acme Inc' --contact 'Ada Lovelace'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"telnyx cannot validate the address of Depot: street_address not found"* ]]
}

@test "telnyx: a batch from stdin is pending, then registered or failed as the carrier says; due shows the failure with its fix" {
  start_telnyx
  hq >/dev/null
  numctl buy --country US --type local --count 3 >/dev/null
  numctl list --format plain | numctl emergency set - --address HQ >/dev/null
  numctl list --format json | jq -e 'all(.[]; .emergency_address == "HQ" and .emergency_status == "pending")' >/dev/null
  emergency | jq -e '.enables == 3 and all(.numbers[]; .emergency_enabled and .emergency_status == "provisioning")' >/dev/null
  first=$(numctl list --format plain | sed -n 1p)
  second=$(numctl list --format plain | sed -n 2p)
  registration "$first" active
  registration "$second" provisioning-failed
  run numctl emergency refresh --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '(.changed | length) == 2' >/dev/null
  [ "$(sql "SELECT emergency_status FROM numbers WHERE e164 = '$first'")" = registered ]
  [ "$(sql "SELECT emergency_status FROM numbers WHERE e164 = '$second'")" = failed ]
  numctl history "$second" --json | jq -e '.[-1].action == "emergency_status" and .[-1].actor == "telnyx"' >/dev/null
  numctl due --json | jq -e --arg n "$second" '[.[] | select(.event == "emergency_failed")] | length == 1 and .[0].number == $n
    and (.[0].action | test("numctl emergency set"))' >/dev/null
  numctl due --json | jq -e '[.[] | select(.event == "emergency_pending")] | length == 1' >/dev/null
  # sync reads the rest.
  third=$(numctl list --format plain | sed -n 3p)
  registration "$third" active
  numctl sync --format json | jq -e --arg n "$third" '.emergency_changed == [$n]' >/dev/null
  numctl emergency gaps --format plain | grep -qx -- "$second"
}

@test "telnyx: an unreachable carrier leaves the registration owed (exit 6); emergency refresh sends it once" {
  start_telnyx
  hq >/dev/null
  number=$(numctl buy --country US --type local --format plain)
  fake_control fault '{"method": "POST", "path": "/actions/enable_emergency", "status": 503, "count": 20}'
  run_split emergency set "$number" --address HQ
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"owed: numctl emergency refresh sends it"* ]]
  [ "$(sql "SELECT state FROM carrier_calls WHERE kind = 'emergency'")" = owed ]
  run_split emergency set "$number" --address HQ
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"still open: numctl emergency refresh settles it"* ]]
  fake_control reset '{}'
  numctl emergency refresh >/dev/null
  emergency | jq -e '.enables == 1' >/dev/null
  [ "$(sql "SELECT state FROM carrier_calls WHERE kind = 'emergency'")" = done ]
}

@test "telnyx: a team's default address registers a number bought for it right away; address remove refused while used" {
  start_telnyx
  hq >/dev/null
  numctl team add Support >/dev/null
  numctl team set Support --emergency-address HQ >/dev/null
  number=$(numctl buy --country US --type local --team Support --format plain)
  emergency | jq -e '.enables == 1' >/dev/null
  numctl show "$number" --json | jq -e '.emergency_address == "HQ" and .emergency_status == "pending"' >/dev/null
  run_split address remove HQ
  [ "$status" -eq 4 ]
  emergency | jq -e '(.addresses | length) == 1' >/dev/null
  numctl emergency clear "$number" >/dev/null
  emergency | jq -e 'all(.numbers[]; .emergency_enabled == false)' >/dev/null
  numctl team set Support --no-emergency-address >/dev/null
  numctl address remove HQ >/dev/null
  emergency | jq -e '(.addresses | length) == 0' >/dev/null
}

@test "telnyx: cnam set is checked before any call, then listed on the number; cnam clear removes it" {
  start_telnyx
  number=$(numctl buy --country US --type local --format plain)
  run_split cnam set "$number" --name 'ACME SUPPORT TEAM'
  [ "$status" -eq 2 ]
  run_split cnam set "$number" --name 'ACME-SUPPORT'
  [ "$status" -eq 2 ]
  emergency | jq -e '.cnam == 0' >/dev/null
  numctl cnam set "$number" --name 'ACME SUPPORT' >/dev/null
  emergency | jq -e '.cnam == 1 and ([.numbers[] | select(.cnam_listing_enabled and .cnam_listing_details == "ACME SUPPORT")] | length) == 1' >/dev/null
  numctl show "$number" --json | jq -e '.cnam == "ACME SUPPORT"' >/dev/null
  numctl cnam clear "$number" >/dev/null
  emergency | jq -e 'all(.numbers[]; .cnam_listing_enabled == false)' >/dev/null
}

@test "twilio: an address Twilio would correct is refused unless --accept-suggestion lets it; registration pending, then registered or failed" {
  start_twilio
  fake_control address_validation '{"mode": "suggest"}'
  run_split address add HQ --street '100 Main St' --city Springfield --region IL --postal-code 62701 --country US \
    --customer-name 'Acme Inc'
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"21629"* ]]
  [ -z "$(sql "SELECT name FROM addresses")" ]
  run hq --accept-suggestion --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.street == "100 MAIN ST" and (.provider_ref | startswith("AD"))' >/dev/null
  emergency | jq -e '.creates == 1 and .addresses[0].friendly_name == "HQ" and .addresses[0].emergency_enabled' >/dev/null
  numctl buy --country US --type local --count 2 >/dev/null
  numctl list --format plain | numctl emergency set - --address HQ >/dev/null
  emergency | jq -e '.updates == 2 and all(.numbers[]; .emergency_address_status == "pending-registration" and .emergency_status == "Active")' >/dev/null
  first=$(numctl list --format plain | sed -n 1p)
  second=$(numctl list --format plain | sed -n 2p)
  registration "$first" registered
  registration "$second" registration-failure
  numctl emergency refresh >/dev/null
  numctl show "$first" --json | jq -e '.emergency_status == "registered"' >/dev/null
  numctl show "$second" --json | jq -e '.emergency_status == "failed"' >/dev/null
  numctl due --json | jq -e '[.[] | select(.event == "emergency_failed")] | length == 1' >/dev/null
}

@test "twilio: cnam set is refused with Twilio's reason (exit 4), no call made and nothing written" {
  start_twilio
  number=$(numctl buy --country US --type local --format plain)
  before=$(db_checksum)
  calls=$(wc -l <"$FAKE_LOG")
  run_split cnam set "$number" --name 'ACME SUPPORT'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"Twilio lists caller ID names (CNAM) through its Trust Hub"* ]]
  [ "$(db_checksum)" = "$before" ]
  [ "$(wc -l <"$FAKE_LOG")" -eq "$calls" ]
}

@test "Prism, on Telnyx's official document, finds every address, emergency and CNAM request valid" {
  start_telnyx
  start_prism_telnyx
  fake_control address_validation '{"mode": "suggest"}'
  hq --accept-suggestion >/dev/null
  number=$(numctl buy --country US --type local --format plain)
  numctl emergency set "$number" --address HQ >/dev/null
  numctl emergency refresh >/dev/null
  numctl cnam set "$number" --name 'ACME SUPPORT' >/dev/null
  numctl emergency clear "$number" >/dev/null
  numctl address remove HQ >/dev/null
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 8 ]
  [ -z "$(prism_violations)" ]
}

@test "Prism, on Twilio's document (twilio_api_v2010.json), finds every address and registration request valid" {
  start_twilio
  start_prism
  hq >/dev/null
  number=$(numctl buy --country US --type local --format plain)
  numctl emergency set "$number" --address HQ >/dev/null
  numctl emergency refresh >/dev/null
  numctl emergency clear "$number" >/dev/null
  numctl address remove HQ >/dev/null
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 6 ]
  [ -z "$(prism_violations)" ]
}
