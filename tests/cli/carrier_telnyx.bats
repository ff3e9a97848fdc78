#!/usr/bin/env bats
# Numbers at Telnyx: numctl against a stateful fake of Telnyx's API v2 on 127.0.0.1.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

@test "provider check with a bearer key, masked; a wrong key is exit 5 with Telnyx's words" {
  start_telnyx
  run numctl provider check
  [ "$status" -eq 0 ]
  [ "$output" = "telnyx at $FAKE: API key KEY0…lnyx from the environment; balance 300.00 USD" ]
  TELNYX_API_KEY=KEYwrong0000000000 run_split provider check
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"Telnyx answered 401 (code 10009) while checking the credentials: Authentication failed"* ]]
  [[ "$stderr" != *"KEYwrong0000000000"* ]]
}

@test "available shows Telnyx's locality, features and monthly cost; buy records the phone number id" {
  start_telnyx
  numctl team add Ops >/dev/null
  run numctl available --country US --type local --limit 2 --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.[0].locality == "Hackensack" and .[0].capabilities == ["voice", "sms"] and .[0].monthly_price == "1.00" and .[0].currency == "USD"' >/dev/null
  run numctl buy --country US --type local --count 2 --team Ops
  [ "$status" -eq 0 ]
  [ "$(fake_held | wc -l)" -eq 2 ]
  for n in $(fake_held); do
    numctl show "$n" --json | jq -e '.status == "active" and .provider == "telnyx" and (.provider_ref | test("^[0-9]+$"))' >/dev/null
  done
}

@test "an order Telnyx has not completed keeps its number pending (approve waits); sync settles it either way" {
  start_telnyx
  numctl team add Ops >/dev/null
  fake_control pending '{"countries": ["GB"]}'
  run numctl buy +447400000107 +447400000114 --team Ops
  [ "$status" -eq 0 ]
  [ "$(status_of +447400000107)" = pending ]
  numctl history +447400000107 --json | jq -e '.[0].details.carrier_order | startswith("open at telnyx")' >/dev/null
  run_split approve +447400000107
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"its order at telnyx is not complete yet; numctl sync asks the carrier and settles it"* ]]
  run numctl sync
  [ "$(status_of +447400000107)" = pending ]  # still pending at Telnyx
  fake_control complete '{"status": "success"}'
  run numctl sync
  [ "$status" -eq 0 ]
  [ "$(status_of +447400000107)" = active ]  # GB asks for no documents: ready now
  numctl show +447400000107 --json | jq -e '(.provider_ref | test("^[0-9]+$")) and .team == "Ops"' >/dev/null
  numctl history +447400000107 --json | jq -e '.[-1].action == "approve" and (.[-1].details.carrier_order | startswith("completed"))' >/dev/null
  # A failed order withdraws the number.
  run numctl buy +447400000121
  [ "$(status_of +447400000121)" = pending ]
  fake_control complete '{"status": "failure"}'
  run numctl sync
  [ "$(status_of +447400000121)" = cancelled ]
}

@test "sweep releases at Telnyx once each; a failure stays owed and goes out with the next sweep; 404 counts as released" {
  start_telnyx
  bought_and_cancelled 3
  fake_control fault '{"method": "DELETE", "status": 500, "count": 100, "code": 10007, "message": "Unexpected error"}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"Telnyx answered 500 (code 10007)"* ]]
  fake_control reset '{}'
  # One number Telnyx no longer holds: a 404, which is what was wanted.
  id=$(curl -sf "$FAKE/__control/state" | jq -r '.held | to_entries[0].value')
  curl -sf -X DELETE -H "Authorization: Bearer $TELNYX_API_KEY" "$FAKE/v2/phone_numbers/$id" >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ -z "$(fake_held)" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 3 ]
  [ "$(fake_count DELETE phone_numbers 200)" -eq 3 ]  # two by the sweep, one above
  [ "$(fake_count DELETE phone_numbers 404)" -eq 1 ]
}

@test "sync with Telnyx pages through the account's numbers (250 a page) and adopts them into a new inventory" {
  start_telnyx
  numbers=$(for i in $(seq 0 299); do printf '"+4474001%05d",' $((100 + i * 7)); done)
  fake_control hold "{\"numbers\": [${numbers%,}]}"
  run numctl sync --json
  [ "$status" -eq 4 ]
  [ "$(echo "$output" | jq '.unknown | length')" -eq 300 ]  # two pages of 250
  run numctl sync --adopt
  [ "$status" -eq 0 ]
  [ "$(numctl list --format plain | wc -l)" -eq 300 ]
}

@test "kill -9 in the middle of a 200-number sweep at Telnyx, then a rerun: one DELETE per number" {
  start_telnyx
  bought_and_cancelled 200 GB mobile
  sweep_killed_after 60 phone_numbers
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -lt 200 ]
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ -z "$(fake_held)" ]
  [ "$(jq -s -r '[.[] | select(.method == "DELETE")] | group_by(.path) | map(length) | unique | join(",")' "$FAKE_LOG")" = "1" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 200 ]
}
