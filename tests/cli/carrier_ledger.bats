#!/usr/bin/env bats
# The ledger and the carrier agree: what numctl withdraws, expires or keeps is what the carrier
# releases or keeps, against the stateful Twilio fake.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

germany_orders() {
  cat >>"$NUMCTL_CONFIG" <<'TOML'
[provider.countries.DE]
address_sid = "AD00000000000000000000000000000001"
TOML
}

@test "cancelling a pending number the carrier holds owes its release; the next sweep releases it there once" {
  start_twilio
  germany_orders
  numctl buy +49309010100 >/dev/null
  [ "$(fake_held)" = "+49309010100" ]
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
