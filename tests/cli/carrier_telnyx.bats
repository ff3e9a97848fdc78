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
  echo "$output" | jq -e '.[0].locality == "Hackensack" and .[0].capabilities == ["voice", "sms"] and .[0].monthly_price == "1.15" and .[0].currency == "USD"' >/dev/null
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
  # The carrier's verdict, recorded as the carrier's act.
  numctl history +447400000107 --json | jq -e '.[-1].action == "carrier_approve" and .[-1].actor == "carrier" and (.[-1].details.carrier_order | startswith("completed"))' >/dev/null
  # A failed order withdraws the number.
  run numctl buy +447400000121
  [ "$(status_of +447400000121)" = pending ]
  fake_control complete '{"status": "failure"}'
  run numctl sync
  [ "$(status_of +447400000121)" = cancelled ]
}

@test "sweep releases at Telnyx once each; a failure stays owed and goes out with the next sweep; a number gone counts as released" {
  start_telnyx
  bought_and_cancelled 3
  fake_control fault '{"method": "DELETE", "status": 500, "count": 100, "code": 10007, "message": "Unexpected error"}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep
  [ "$status" -eq 6 ]
  [[ "$stderr" == *"Telnyx answered 500 (code 10007)"* ]]
  fake_control reset '{}'
  # One number Telnyx no longer holds: asked for first (never deleted blind), it counts as released.
  id=$(curl -sf "$FAKE/__control/state" | jq -r '.held | to_entries[0].value')
  curl -sf -X DELETE -H "Authorization: Bearer $TELNYX_API_KEY" "$FAKE/v2/phone_numbers/$id" >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ -z "$(fake_held)" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 3 ]
  [ "$(fake_count DELETE phone_numbers 200)" -eq 3 ]  # two by the sweep, one above
  [ "$(fake_count DELETE phone_numbers 404)" -eq 0 ]
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

# Two US numbers bought at Telnyx, the first for team Ops; Number Reputation monitors both and a
# third the inventory does not hold.
fresh_checks() {
  jq -s '[.[] | select(.path | startswith("/v2/reputation/numbers/")) | select(.query.fresh == ["true"])] | length' "$FAKE_LOG"
}

reputation_numbers() {
  numctl team add Ops >/dev/null
  numctl buy --country US --type local --count 2 --quiet >/dev/null
  mapfile -t held < <(fake_held)
  numctl assign "${held[0]}" --team Ops >/dev/null
  fake_control reputation '{"numbers": {
    "'"${held[0]}"'": {"spam_risk": "high", "spam_category": "Scam Likely", "maturity_score": 40, "last_refreshed_at": "2026-01-09T06:00:00Z"},
    "'"${held[1]}"'": {"spam_risk": "low", "spam_category": null, "last_refreshed_at": "2026-01-09T06:00:00Z"},
    "+12015550999": null}}'
}

@test "reputation refresh reads Telnyx's cached readings of every monitored number and applies the policy" {
  start_telnyx
  reputation_numbers
  run_split reputation refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '[.added, .known, (.flagged | map(.number)), .skipped[0].number]' <<<"$output")" = "[2,0,[\"${held[0]}\"],\"+12015550999\"]" ]
  [ "$(status_of "${held[0]}")" = high_risk ]
  [ "$(status_of "${held[1]}")" = active ]
  [ "$(sql "SELECT risk_reason FROM numbers WHERE e164 = '${held[0]}'")" = "reputation 90 (telnyx): Scam Likely" ]
  run numctl reputation show "${held[0]}" --json
  [ "$(jq -c '.[0] | [.source, .risk, .score, .checked_at]' <<<"$output")" = '["telnyx","high",90,"2026-01-09T06:00:00Z"]' ]
  # Cached: nothing billed.
  [ "$(fresh_checks)" -eq 0 ]
  # The same cached readings again add nothing.
  run numctl reputation refresh --json
  [ "$(jq -c '[.added, .known]' <<<"$output")" = '[0,2]' ]
}

@test "reputation refresh NUMBER --fresh asks Telnyx for a live check of that number only" {
  start_telnyx
  reputation_numbers
  fake_control reputation '{"numbers": {"'"${held[1]}"'": {"spam_risk": "low", "last_refreshed_at": "2026-01-01T00:00:00Z"}},
                            "fresh": {"'"${held[1]}"'": {"spam_risk": "high", "spam_category": "Telemarketing"}}}'
  NUMCTL_NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ) run numctl reputation refresh "${held[1]}" --fresh --json
  [ "$status" -eq 0 ]
  [ "$(fresh_checks)" -eq 1 ]
  [ "$(jq -c '.flagged | map(.labels)' <<<"$output")" = '["Telemarketing"]' ]
  # A number Telnyx does not monitor, and a number outside the US, are said and skipped.
  printf 'number\n+4930901820\n' | numctl import - >/dev/null
  run numctl reputation refresh "${held[0]}" +4930901820 --json
  [ "$(jq -r '.skipped[] | .reason' <<<"$output")" = "not monitored by Telnyx Number Reputation (associate it with your enterprise first)
Telnyx Number Reputation checks US numbers only" ]
  [ "$(fake_count GET /v2/reputation/numbers/%2B49)" -eq 0 ]
}

@test "reputation refresh waits out a 429 and retries; a wrong key is exit 5 and changes nothing" {
  start_telnyx
  reputation_numbers
  fake_control fault '{"method": "GET", "path": "/v2/reputation/numbers", "status": 429, "retry_after": 0, "count": 1}'
  run numctl reputation refresh --json
  [ "$status" -eq 0 ]
  [ "$(fake_count GET /v2/reputation/numbers 429)" -eq 1 ]
  [ "$(jq .added <<<"$output")" -eq 2 ]
  before=$(db_checksum)
  TELNYX_API_KEY=KEYwrong0000000000 run_split reputation refresh
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"Telnyx answered 401 (code 10009)"* && "$stderr" != *"KEYwrong0000000000"* ]]
  fake_control fault '{"method": "GET", "path": "/v2/reputation/numbers", "status": 503, "count": 9}'
  run_split reputation refresh
  [ "$status" -eq 6 ]
  [ "$(db_checksum)" = "$before" ]
}

@test "reputation refresh needs Telnyx: another provider is a config error that says what to do" {
  numctl init >/dev/null 2>&1
  run_split reputation refresh
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"reputation refresh reads Telnyx Number Reputation, and the provider is catalog"* ]]
  [[ "$stderr" == *"numctl reputation import"* ]]
}
