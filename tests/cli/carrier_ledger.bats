#!/usr/bin/env bats
# The ledger and the carrier agree: what numctl withdraws, expires or keeps is what the carrier
# releases or keeps, against the stateful Twilio fake.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

@test "cancelling a pending number the carrier holds owes its release; the next sweep releases it there once" {
  start_twilio
  # A German number the carrier holds while its review is open (imported from the carrier's records).
  fake_control hold '{"numbers": ["+49309010100"]}'
  sid=$(curl -sf "$FAKE/__control/state" | jq -r '.held["+49309010100"]')
  printf 'number,type,status,provider,provider_ref\n+49309010100,local,pending,twilio,%s\n' "$sid" >"$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  [ "$(status_of +49309010100)" = pending ]
  run_split cancel +49309010100
  [ "$status" -eq 0 ]
  [[ "$output" == *"the pending order is withdrawn; the next numctl sweep releases it at twilio"* ]]
  [ "$(status_of +49309010100)" = cancelled ]
  run numctl due --format json
  [[ "$output" == *"release_owed"* ]]
  run_split sweep
  [ "$status" -eq 0 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 204)" -eq 1 ]
  [ -z "$(fake_held)" ]
  [ "$(sql "SELECT count(*) FROM audit WHERE number = '+49309010100' AND action = 'carrier_release'")" -eq 1 ]
  # Nothing is owed any more: another sweep calls the carrier for nothing.
  numctl sweep >/dev/null
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq 1 ]
}

@test "an owed release is never made for a number the ledger no longer has on its way out" {
  start_twilio
  numctl buy --country US --type local >/dev/null
  n=$(numctl list --format plain)
  numctl cancel "$n" >/dev/null
  # The carrier refuses the release: it stays owed.
  fake_control fault '{"method": "DELETE", "status": 500, "count": 10}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 6 ]
  fake_control reset '{}'
  # The number is taken back into use by a corrected ledger (an import that sets it active).
  printf 'number,type,status\n%s,local,active\n' "$n" >"$TEST_DIR/fix.csv"
  numctl import "$TEST_DIR/fix.csv" --on-conflict update >/dev/null
  [ "$(status_of "$n")" = active ]
  deletes=$(fake_count DELETE IncomingPhoneNumbers)
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq "$deletes" ]
  [ "$(fake_held)" = "$n" ]
  [ "$(status_of "$n")" = active ]
  [ "$(sql "SELECT state FROM carrier_calls WHERE number = '$n' AND kind = 'release'")" = failed ]
}

@test "available reads the carrier before any inventory exists; an offer that is not a valid number is left out and counted" {
  start_twilio
  fake_control offer '{"country": "US", "kind": "toll_free", "numbers": ["+18001000052"]}'
  run_split available --country US --type toll_free --limit 3 --format plain
  [ "$status" -eq 0 ]
  # No inventory yet: an empty one, and no file made by looking.
  [ ! -e "$NUMCTL_DB" ]
  [ "$(printf '%s\n' "$output" | wc -l)" -ge 1 ]
  [[ "$output" != *"+18001000052"* ]]
  [[ "$stderr" == *"left out 1 offer of twilio that are not valid phone numbers"* ]]
  # The operator's own input is still exit 2.
  run_split buy +18001000052 --type toll_free
  [ "$status" -eq 2 ]
}

@test "an order whose answer is lost, retried and refused as not available, is settled by asking the carrier" {
  start_twilio
  fake_control fault '{"method": "POST", "path": "IncomingPhoneNumbers", "lose": true, "count": 1}'
  run_split buy --country US --type local --json
  [ "$status" -eq 0 ]
  n=$(fake_held)
  [ -n "$n" ]
  [ "$(status_of "$n")" = active ]
  [ "$(sql "SELECT state FROM carrier_calls WHERE number = '$n' AND kind = 'order'")" = done ]
}

@test "an order the carrier never answers, nor its look-up, is reported as unknown and left for sync" {
  start_twilio
  fake_control fault '{"method": "POST", "path": "IncomingPhoneNumbers", "lose": true, "count": 10}'
  fake_control fault '{"method": "GET", "path": "IncomingPhoneNumbers.json", "status": 503, "count": 10}'
  run_split buy --country US --type local
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"1 with an unknown outcome"*"numctl sync asks the carrier and settles it"* ]]
  [[ "$stderr" != *"1 failed"* ]]
  fake_control reset '{}'
  n=$(fake_held)
  [ -n "$n" ]
  run_split sync
  [ "$(status_of "$n")" = active ]
}

@test "reputation import --replace goes on past a refused order, names it, and replace finishes the work" {
  start_twilio
  numctl buy --country GB --type mobile --count 2 --quiet >/dev/null
  numbers=($(numctl list --format plain))
  printf 'number,score,source,checked_at\n%s,95,hiya,2026-01-10T00:00:00Z\n%s,96,hiya,2026-01-10T00:00:00Z\n' \
    "${numbers[0]}" "${numbers[1]}" >"$TEST_DIR/feed.csv"
  fake_control fault '{"method": "POST", "status": 400, "code": 21422, "message": "PhoneNumber requested is not available"}'
  run_split reputation import "$TEST_DIR/feed.csv" --replace
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"replaced 1 of 2 numbers"*"the carrier refused 1"*"numctl replace finishes the work"* ]]
  [ "$(numctl filter --status to_be_cancelled --format plain | wc -l)" -eq 1 ]
  left=$(numctl filter --status high_risk --format plain)
  [ -n "$left" ]
  numctl replace "$left" >/dev/null
  [ "$(numctl filter --status to_be_cancelled --format plain | wc -l)" -eq 2 ]
}

@test "an imported provider_ref that is another number's is refused, and a release never reaches that number" {
  start_twilio
  numctl buy --country US --type toll_free >/dev/null
  tollfree=$(numctl list --format plain)
  sid=$(numctl show "$tollfree" --json | jq -r .provider_ref)
  fake_control hold '{"numbers": ["+12025550199", "+12025550188"]}'
  # The reference of a number in the ledger: refused at import, naming both.
  printf 'number,type,provider,provider_ref\n+12025550199,local,twilio,%s\n' "$sid" >"$TEST_DIR/in.csv"
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"provider_ref $sid names both"*"+12025550199"* ]]
  run numctl show +12025550199
  [ "$status" -eq 3 ]
  # The reference of a number the account holds outside the ledger: the release checks it first.
  other=$(curl -sf "$FAKE/__control/state" | jq -r '.held["+12025550188"]')
  printf 'number,type,provider,provider_ref\n+12025550199,local,twilio,%s\n' "$other" >"$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  numctl cancel +12025550199 >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"not released: the ledger's reference $other for +12025550199 is not the carrier's"* ]]
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq 0 ]
  [ "$(fake_held | grep -c -e "$tollfree" -e +12025550188)" -eq 2 ]
  [ "$(status_of "$tollfree")" = active ]
  [ "$(status_of +12025550199)" = to_be_cancelled ]
}

@test "Telnyx: an order cancelled here before the carrier completed it is released there once it completes" {
  start_telnyx
  fake_control pending '{"countries": ["GB"]}'
  numctl buy +447400000107 >/dev/null
  [ "$(status_of +447400000107)" = pending ]
  run_split cancel +447400000107
  [ "$status" -eq 0 ]
  [ "$(status_of +447400000107)" = cancelled ]
  fake_control complete '{"status": "success"}'
  run_split sync
  [ -z "$(fake_held)" ]
  [ "$(fake_count DELETE phone_numbers 200)" -eq 1 ]
  [ "$(status_of +447400000107)" = cancelled ]
  [ "$(sql "SELECT count(*) FROM carrier_calls WHERE number = '+447400000107' AND state IN ('owed', 'calling')")" -eq 0 ]
}
