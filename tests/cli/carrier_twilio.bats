#!/usr/bin/env bats
# Numbers at Twilio: numctl against a stateful fake of Twilio's REST API on 127.0.0.1.

load helpers
load carrier

setup_file() { :; }

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

@test "provider check: the account answers, credentials masked; a wrong token is exit 5 and never shown" {
  start_twilio
  run_split provider check
  [ "$status" -eq 0 ]
  [[ "$output" == "twilio at $FAKE: account AC00…0001 (numctl test account), active; authenticated as AC00…0001 with a secret from the environment" ]]
  [[ "$output$stderr" != *"$TWILIO_AUTH_TOKEN"* ]]
  TWILIO_AUTH_TOKEN=wrong-token-123456 run_split provider check --json
  [ "$status" -eq 5 ]
  [[ "$stderr" != *"wrong-token-123456"* ]]
  echo "$stderr" | jq -e '.error.code == "config" and .error.carrier_status == "401" and .error.carrier_code == "20003"' >/dev/null
}

@test "credentials from a private file only; a file others can read is refused" {
  start_twilio
  printf 'TWILIO_ACCOUNT_SID=%s\nexport TWILIO_AUTH_TOKEN="%s"\n' "$TWILIO_ACCOUNT_SID" "$TWILIO_AUTH_TOKEN" >"$TEST_DIR/twilio.env"
  chmod 644 "$TEST_DIR/twilio.env"
  echo "credentials_file = \"$TEST_DIR/twilio.env\"" >>"$NUMCTL_CONFIG"
  unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
  run_split provider check
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"can be read by others than its owner; chmod 600"* ]]
  chmod 600 "$TEST_DIR/twilio.env"
  run numctl provider check
  [ "$status" -eq 0 ]
  [[ "$output" == *"with a secret from $TEST_DIR/twilio.env" ]]
}

@test "available and buy go through Twilio; the ledger records the carrier's sid, the fake holds the number" {
  start_twilio
  numctl team add Sales >/dev/null
  run numctl available --country US --type local --limit 3 --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq length)" -eq 3 ]
  echo "$output" | jq -e '.[0].locality == "Hackensack, NJ" and .[0].capabilities == ["voice", "sms"] and .[0].monthly_price == null' >/dev/null
  run numctl buy --country US --type local --count 2 --team Support
  [ "$status" -eq 3 ]  # no team Support yet: nothing is ordered
  [ "$(fake_count POST IncomingPhoneNumbers)" -eq 0 ]
  numctl team add Support >/dev/null
  run numctl buy --country US --type local --count 2 --team Support --json
  [ "$status" -eq 0 ]
  [ "$(fake_held | wc -l)" -eq 2 ]
  for n in $(fake_held); do
    numctl show "$n" --json | jq -e '.provider == "twilio" and (.provider_ref | startswith("PN")) and .team == "Support"' >/dev/null
  done
  n=$(fake_held | head -1)
  numctl history "$n" --json | jq -e '.[0].details.provider_ref | startswith("PN")' >/dev/null
  [ "$(sqlite3 "$NUMCTL_DB" "SELECT count(*) FROM carrier_calls WHERE kind = 'order' AND state = 'done'")" -eq 2 ]
}
