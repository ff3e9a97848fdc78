#!/usr/bin/env bats
# Prices and call records at the carriers: numctl against the stateful fakes of Twilio (Pricing
# API v1, Calls.json) and Telnyx (cost_information, detail records), and Prism on Twilio's own
# Pricing document.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

# calls N TO FROM DAY: N inbound calls to TO, one a minute from DAY at 10:00.
calls() {
  local n=$1 to=$2 from=$3 day=$4 items=""
  for i in $(seq 1 "$n"); do
    items+="${items:+,}{\"to\":\"$to\",\"from\":\"$from\",\"at\":\"${day}T10:$(printf %02d $((i % 60))):00Z\",\"direction\":\"inbound\"}"
  done
  fake_control calls "{\"calls\": [$items]}"
}

@test "Twilio: a purchase records the Pricing API's price; prices refresh reads one country at a time" {
  start_twilio
  fake_control prices '{"US": {"currency": "USD", "local": "1.15", "toll_free": "2.15"}}'
  numctl buy --country US --type local --count 2 >/dev/null
  n=$(numctl list --format plain | head -1)
  [ "$(numctl show "$n" --json | jq -r '.monthly_price + " " + .currency')" = "1.15 USD" ]
  [ "$(fake_count GET /v1/PhoneNumbers/Countries/US)" -eq 1 ]
  fake_control prices '{"US": {"currency": "USD", "local": "1.25", "toll_free": "2.15"}}'
  run numctl prices refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '.[0] | [.country, .type, .monthly_price, .changed]' <<<"$output")" = '["US","local","1.25",2]' ]
  [ "$(fake_count GET /v1/PhoneNumbers/Countries/US)" -eq 2 ]
  [ "$(sql "SELECT monthly_price || ' ' || currency FROM prices WHERE provider = 'twilio' AND type = 'local'")" = "125 USD" ]
  [ "$(numctl cost --json | jq -r '.[0].monthly_total')" = 2.50 ]
  run numctl buy --country US --type toll_free --max-price 2
  [ "$status" -eq 4 ]
  [[ "$output" == *'costs $2.15 a month, above --max-price $2.00'* ]]
  [ "$(fake_count POST IncomingPhoneNumbers.json)" -eq 2 ]
  # sync reads the prices too.
  fake_control prices '{"US": {"currency": "USD", "local": "1.05", "toll_free": "2.15"}}'
  run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"prices changed at the carrier: 2 numbers repriced"* ]]
  [ "$(numctl cost --json | jq -r '.[0].monthly_total')" = 2.10 ]
}

@test "Twilio: usage refresh reads Calls.json page by page, then goes on from where it stopped" {
  start_twilio
  numctl buy --country US --type local --count 2 >/dev/null
  mapfile -t held < <(numctl list --format plain)
  a=${held[0]} b=${held[1]}
  fake_control page_size '{"size": 2}'
  calls 5 "$a" +12025550199 2026-01-08
  calls 1 +14155550100 "$a" 2026-01-08  # to a number not ours: skipped
  run numctl usage refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '[.records, .added, .skipped_unknown, .read_until]' <<<"$output")" = '[6,5,1,"2026-01-08T10:05:00Z"]' ]
  [ "$(fake_count GET /Calls.json)" -eq 3 ]
  [ "$(numctl show "$a" --json | jq -r '[.last_inbound_at, .calls_in] | join(" ")')" = "2026-01-08T10:05:00Z 5" ]
  # The next refresh asks from the day it stopped at, and what it read before is not counted twice.
  calls 1 "$b" +12025550100 2026-01-09
  run numctl usage refresh --json
  [ "$(jq -c '[.added, .known, .skipped_unknown]' <<<"$output")" = '[1,5,1]' ]
  grep -q '"StartTime>": \["2026-01-08"\]' "$FAKE_LOG"
  [ "$(numctl show "$b" --json | jq -r .last_inbound_at)" = 2026-01-09T10:01:00Z ]
}

@test "a carrier refresh that fails midway stores nothing and keeps its place: the next one reads it all" {
  start_twilio
  numctl buy --country US --type local --count 1 >/dev/null
  n=$(numctl list --format plain)
  fake_control page_size '{"size": 2}'
  calls 5 "$n" +12025550199 2026-01-08
  fake_control fault '{"method": "GET", "path": "/Calls.json", "status": 500, "count": 100}'
  run numctl usage refresh
  [ "$status" -eq 6 ]
  [ "$(sql "SELECT count(*) FROM usage_days")" = 0 ]
  [ "$(sql "SELECT count(*) FROM usage_cursors")" = 0 ]
  [ "$(numctl show "$n" --json | jq -r '.last_inbound_at // "none"')" = none ]
  fake_control reset '{}'
  run numctl usage refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '[.records, .added]' <<<"$output")" = '[5,5]' ]
}

@test "Telnyx: cost_information prices the purchase; detail records are read 50 a page, resumed" {
  start_telnyx
  fake_control prices '{"US": {"currency": "USD", "local": "0.95"}}'
  numctl buy --country US --type local --count 1 >/dev/null
  n=$(numctl list --format plain)
  [ "$(numctl show "$n" --json | jq -r .monthly_price)" = 0.95 ]
  run numctl prices refresh --json
  [ "$(jq -c '.[0] | [.monthly_price, .changed]' <<<"$output")" = '["0.95",0]' ]
  calls 60 "$n" +12025550199 2026-01-08
  run numctl usage refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '[.records, .added]' <<<"$output")" = '[60,60]' ]
  [ "$(fake_count GET 'detail_records')" -eq 3 ]  # call-control: 2 pages; sip-trunking: 1
  grep -q 'filter\[record_type\]": \["call-control"\]' "$FAKE_LOG"
  [ "$(numctl show "$n" --json | jq -r .calls_in)" = 60 ]
  run numctl usage refresh --json
  [ "$(jq -c '[.added, .known]' <<<"$output")" = '[0,1]' ]
}

@test "usage refresh with an offline provider says to import the phone system's records" {
  numctl init >/dev/null
  run numctl usage refresh
  [ "$status" -eq 5 ]
  [[ "$output" == *"numctl usage import FILE"* ]]
}

@test "Prism, on Twilio's Pricing and REST API documents, finds the price and call requests valid" {
  start_twilio
  start_prism
  numctl buy --country US --type local --count 1 >/dev/null
  calls 2 "$(numctl list --format plain)" +12025550199 2026-01-08
  numctl prices refresh >/dev/null
  numctl usage refresh >/dev/null
  grep -q "/v1/PhoneNumbers/Countries/US" "$PRISM_LOG"
  grep -q "Calls.json" "$PRISM_LOG"
  [ -z "$(prism_violations)" ]
}

@test "Prism, on Telnyx's official OpenAPI document, finds the price and detail-record requests valid" {
  start_telnyx
  start_prism_telnyx
  numctl buy --country US --type local --count 1 >/dev/null
  calls 2 "$(numctl list --format plain)" +12025550199 2026-01-08
  numctl prices refresh >/dev/null
  numctl usage refresh >/dev/null
  grep -q "detail_records" "$PRISM_LOG"
  [ -z "$(prism_violations)" ]
}
