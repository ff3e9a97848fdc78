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
  echo "$output" | jq -e '.[0].locality == "Hackensack, NJ" and .[0].capabilities == ["voice", "sms"] and .[0].monthly_price == "1.15" and .[0].currency == "USD"' >/dev/null
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
  [ "$(sql "SELECT count(*) FROM carrier_calls WHERE kind = 'order' AND state = 'done'")" -eq 2 ]
}

@test "sweep releases at Twilio: one DELETE each, cancelled only once Twilio confirmed; audited with the sid" {
  start_twilio
  bought_and_cancelled 3
  run numctl sweep --dry-run --now 2026-03-01T00:00:00Z --json
  [ "$(echo "$output" | jq '.released | length')" -eq 3 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq 0 ]
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq '.released | length')" -eq 3 ]
  [ "$(fake_held | wc -l)" -eq 0 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 204)" -eq 3 ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 3 ]
  n=$(numctl list --all --format plain | head -1)
  numctl history "$n" --json | jq -e '.[-1].action == "release" and .[-1].details.carrier == "released" and (.[-1].details.provider_ref | startswith("PN"))' >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep --json
  [ "$output" = '{"released":[],"expired":[],"owed":[],"dry_run":false}' ]
  [ "$(fake_count DELETE IncomingPhoneNumbers)" -eq 3 ]
}

@test "a release Twilio refuses stays owed: exit 6 naming it, the number keeps its status; the next sweep releases it" {
  start_twilio
  bought_and_cancelled 2
  fake_control fault '{"method": "DELETE", "status": 500, "count": 100}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split sweep
  [ "$status" -eq 6 ]
  [[ "$output" == *"sweep: 0 released, 0 expired, 2 still owed by the carrier"* ]]
  [[ "$stderr" == *"2 releases still owed at the carrier (the next sweep retries them): +1 201-555-0100: Twilio answered 500 (code 20500) while releasing +12015550100"* ]]
  [ "$(numctl list --status to_be_cancelled --format plain | wc -l)" -eq 2 ]
  [ "$(sql "SELECT count(*) FROM carrier_calls WHERE kind = 'release' AND state = 'owed' AND last_error LIKE '%500%'")" -eq 2 ]
  fake_control reset '{}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 204)" -eq 2 ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 2 ]
}

@test "429 waits for Retry-After; a 4xx is not retried and carries Twilio's code; a 404 on release counts as released" {
  start_twilio
  bought_and_cancelled 1
  fake_control fault '{"method": "DELETE", "status": 429, "retry_after": 1, "count": 1, "code": 20429, "message": "Too Many Requests"}'
  start=$(date +%s)
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ $(( $(date +%s) - start )) -ge 1 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 429)" -eq 1 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 204)" -eq 1 ]
  # The carrier no longer holds a number (released elsewhere): 404, which is what was wanted.
  numctl buy --country US --type local --quiet >/dev/null
  n=$(numctl list --status active --format plain)
  curl -sf -X DELETE -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" "$FAKE/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/IncomingPhoneNumbers/$(numctl show "$n" --json | jq -r .provider_ref).json"
  numctl cancel "$n" --quiet >/dev/null
  NUMCTL_NOW=2026-04-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  numctl history "$n" --json | jq -e '.[-1].details.carrier == "not held by the carrier any more"' >/dev/null
  # A buy Twilio refuses (a number it does not offer): exit 6 with its code, nothing in the ledger.
  run_split buy +12125550199 --type local --json
  [ "$status" -eq 6 ]
  echo "$stderr" | jq -e '.error.code == "carrier" and (.error.offenders[0].reason | contains("(code 21422)"))' >/dev/null
  [ "$(fake_count POST IncomingPhoneNumbers 400)" -eq 1 ]
  run numctl show +12125550199
  [ "$status" -eq 3 ]
}

@test "per-country order settings: Germany needs a bundle; one configured by hand (bundle_sid) is ordered with, active" {
  start_twilio
  run_split buy +49309010100 --json
  [ "$status" -eq 4 ]  # regulated at Twilio, and no bundle: refused before any order
  echo "$stderr" | jq -e '.error.message | contains("need an approved bundle") and contains("numctl compliance create")' >/dev/null
  [ "$(fake_count POST IncomingPhoneNumbers)" -eq 0 ]
  cat >>"$NUMCTL_CONFIG" <<'TOML'
[provider.countries.DE]
address_sid = "AD00000000000000000000000000000001"
bundle_sid = "BU00000000000000000000000000000001"
TOML
  run numctl buy +49309010100
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010100)" = active ]  # Twilio sold it with the bundle: its review is done
  jq -s -e '[.[] | select(.method == "POST" and .status == 201)][0].form | .AddressSid == "AD00000000000000000000000000000001" and .BundleSid == "BU00000000000000000000000000000001"' "$FAKE_LOG" >/dev/null
}

@test "an imported number (no sid) is looked up by number before it is released" {
  start_twilio
  fake_control hold '{"numbers": ["+12015550211"]}'
  printf 'number,type,status\n+12015550211,local,active\n' >"$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  numctl cancel +12015550211 --quiet >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 0 ]
  [ "$(fake_count GET IncomingPhoneNumbers.json)" -ge 1 ]
  [ "$(fake_count DELETE IncomingPhoneNumbers 204)" -eq 1 ]
  [ -z "$(fake_held)" ]
}

@test "kill -9 in the middle of a 1,000-number sweep, then a rerun: every number released at Twilio exactly once" {
  start_twilio
  bought_and_cancelled 1000
  [ "$(fake_held | wc -l)" -eq 1000 ]
  sweep_killed_after 200 IncomingPhoneNumbers
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -lt 1000 ]
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep --json
  [ "$status" -eq 0 ]
  [ -z "$(fake_held)" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 1000 ]
  # One DELETE per number, never two: the calls the killed sweep had made are found settled by
  # looking the number up.
  [ "$(deletes_per_number)" = "   1000 1" ]
  # Any other DELETE repeated a request the killed sweep had in flight: answered 404, released.
  [ "$(jq -s '[.[] | select(.method == "DELETE" and .status != 204 and .status != 404)] | length' "$FAKE_LOG")" -eq 0 ]
  [ "$(sql "SELECT count(*) FROM carrier_calls WHERE kind = 'release' AND state = 'done'")" -eq 1000 ]
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'release'")" -eq 1000 ]
}

@test "kill -9 in the middle of a 100-number buy: the next command finds every number Twilio holds in the ledger" {
  start_twilio
  numctl team add Ops >/dev/null
  "$NUMCTL_BIN" buy --country GB --type mobile --count 100 --team Ops >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(fake_count POST IncomingPhoneNumbers 201)" -ge 40 ] && break; sleep 0.01; done
  kill -9 "$pid"
  wait "$pid" || true
  held=$(fake_held | wc -l)
  [ "$held" -ge 40 ]
  [ "$held" -lt 100 ]
  run numctl sweep
  [ "$status" -eq 0 ]
  # Every number the account holds is in the ledger, once, routed as the order asked.
  diff <(fake_held | sort) <(numctl list --format plain | sort)
  [ "$(numctl filter --team Ops --format plain | wc -l)" -eq "$held" ]
  [ "$(sql "SELECT count(*) FROM carrier_calls WHERE kind = 'order' AND state IN ('owed', 'calling')")" -eq 0 ]
}

@test "libcurl is loaded only by commands that talk to the carrier" {
  start_twilio
  numctl team add Ops >/dev/null
  for command in "--version" "list" "filter --status active" "team list"; do
    ! LD_DEBUG=libs "$NUMCTL_BIN" $command 2>&1 >/dev/null | grep -q 'calling init: .*libcurl' || { echo "$command loads libcurl"; return 1; }
  done
  LD_DEBUG=libs "$NUMCTL_BIN" provider check 2>&1 >/dev/null | grep -q 'calling init: .*libcurl'
}

@test "show and due say what the carrier still owes" {
  start_twilio
  bought_and_cancelled 1
  n=$(numctl list --format plain)
  fake_control fault '{"method": "DELETE", "status": 503, "count": 100, "message": "Service Unavailable"}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 6 ]
  run numctl show "$n"
  [[ "$output" == *"owed          release at twilio since "*", 1 attempts; last: Twilio answered 503"*"(numctl sweep retries it)"* ]]
  numctl show "$n" --json | jq -e '.carrier_owed[0].kind == "release" and .carrier_owed[0].attempts == 1' >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl due --json
  echo "$output" | jq -e --arg n "$n" 'map(select(.number == $n and .event == "release_owed")) | length == 1' >/dev/null
}

@test "sync: three lists, exit 4 while they differ; --adopt and --release-orphans make them agree, audited" {
  start_twilio
  numctl team add Ops >/dev/null
  numctl buy --country US --type local --count 3 --quiet >/dev/null
  numbers=($(numctl list --format plain))
  gone=${numbers[1]} orphan=${numbers[2]}
  # At the carrier only: bought elsewhere on the account.
  fake_control hold '{"numbers": ["+447400100107", "+447400100114"]}'
  # In the ledger only: released at the carrier by someone else.
  curl -sf -X DELETE -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" "$FAKE/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/IncomingPhoneNumbers/$(numctl show "$gone" --json | jq -r .provider_ref).json"
  # Released in the ledger, still billed: marked cancelled in the database by a failed migration.
  sql "UPDATE numbers SET status = 'cancelled', previous_status = 'active' WHERE e164 = '$orphan'"
  before=$(db_checksum)
  run numctl sync --json
  [ "$status" -eq 4 ]
  echo "$output" | jq -e '(.unknown | map(.number)) == ["+447400100107", "+447400100114"]' >/dev/null
  echo "$output" | jq -e --arg g "$gone" '(.missing | map(.number)) == [$g]' >/dev/null
  echo "$output" | jq -e --arg o "$orphan" '(.orphans | map(.number)) == [$o] and .in_sync == false' >/dev/null
  [ "$(db_checksum)" = "$before" ]
  run numctl sync --adopt --release-orphans --dry-run
  [ "$status" -eq 4 ]
  [ "$(db_checksum)" = "$before" ]
  [ "$(fake_held | wc -l)" -eq 4 ]
  run numctl sync --adopt --release-orphans
  [ "$status" -eq 4 ]  # the number that no longer rings is a person's to decide
  [[ "$output" == *"held at the carrier, not in the ledger (adopted): 2"* ]]
  [[ "$output" == *"in service in the ledger, not held at the carrier (they no longer ring): 1"* ]]
  numctl show +447400100107 --json | jq -e '.status == "active" and .provider == "twilio" and .team == null' >/dev/null
  numctl history +447400100107 --json | jq -e '.[0].details.adopted | contains("sync --adopt")' >/dev/null
  ! fake_held | grep -q "$orphan"
  numctl history "$orphan" --json | jq -e '.[-1].action == "carrier_release"' >/dev/null
  numctl cancel "$gone" --quiet >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null  # a 404: released already
  run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"in sync"* ]]
}

@test "two sweeps at once never release a number twice; two buys of one number place one order" {
  start_twilio
  bought_and_cancelled 200
  fake_control delay '{"seconds": 0.005}'
  NUMCTL_NOW=2026-03-01T00:00:00Z "$NUMCTL_BIN" sweep >/dev/null 2>"$TEST_DIR/a.err" &
  a=$!
  NUMCTL_NOW=2026-03-01T00:00:00Z "$NUMCTL_BIN" sweep >/dev/null 2>"$TEST_DIR/b.err" &
  b=$!
  wait "$a"
  wait "$b"
  [ "$(deletes_per_number)" = "    200 1" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 200 ]
  [ "$(sql "SELECT count(*) FROM audit WHERE action = 'release'")" -eq 200 ]
  fake_control delay '{"seconds": 0}'
  n=$(numctl available --country GB --type mobile --limit 1 --format plain)
  "$NUMCTL_BIN" buy "$n" >/dev/null 2>&1 &
  a=$!
  "$NUMCTL_BIN" buy "$n" >/dev/null 2>&1 &
  b=$!
  wait "$a" || true
  wait "$b" || true
  [ "$(fake_count POST IncomingPhoneNumbers 201)" -eq 201 ]  # 200 above, one here
  [ "$(numctl list --format plain | grep -c "$n")" -eq 1 ]
}

@test "every request numctl makes conforms to Twilio's OpenAPI document (paths, parameter names and types, auth)" {
  start_twilio
  numctl team add Ops >/dev/null
  numctl provider check >/dev/null
  numctl available --country US --type local --area-code 201 --locality Hackensack --capability voice,sms --contains 55 --limit 2 >/dev/null
  numctl available --country US --type toll_free --limit 1 >/dev/null
  numctl buy --country US --type local --count 3 --team Ops >/dev/null
  fake_control hold '{"numbers": ["+447400100107"]}'
  numctl list --format plain | numctl cancel - >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  numctl sync --adopt >/dev/null || true
  # The log holds every request; none broke the document.
  [ "$(jq -s '[.[] | select(.conformance != null)] | length' "$FAKE_LOG")" -eq 0 ]
  [ "$(jq -s 'length' "$FAKE_LOG")" -ge 10 ]
  # And the check can fail: a request off the document is reported.
  run curl -s -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" "$FAKE/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/IncomingPhoneNumbers.json?Color=red"
  [[ "$output" == *"query parameter Color is not documented"* ]]
}

@test "replace at Twilio: the new number is ordered there first, then the old one enters its grace; a refusal changes nothing" {
  start_twilio
  numctl team add Ops >/dev/null
  numctl buy --country GB --type mobile --count 2 --team Ops --quiet >/dev/null
  numbers=($(numctl list --format plain))
  numctl flag "${numbers[@]}" --quiet >/dev/null
  run numctl replace "${numbers[0]}" --json
  [ "$status" -eq 0 ]
  new=$(echo "$output" | jq -r .new.number)
  [ "$(fake_held | grep -c "$new")" -eq 1 ]
  numctl show "$new" --json | jq -e --arg old "${numbers[0]}" '.replaces == $old and .team == "Ops" and .provider == "twilio" and (.provider_ref | startswith("PN"))' >/dev/null
  numctl show "${numbers[0]}" --json | jq -e --arg new "$new" '.status == "to_be_cancelled" and .replaced_by == $new' >/dev/null
  # Twilio refuses the order: the high-risk number stays as it was.
  fake_control fault '{"method": "POST", "status": 400, "code": 21422, "message": "PhoneNumber requested is not available"}'
  run_split replace "${numbers[1]}"
  [ "$status" -eq 6 ]
  [ "$(status_of "${numbers[1]}")" = high_risk ]
  [ "$(fake_held | wc -l)" -eq 3 ]
}

@test "Prism, on Twilio's official OpenAPI document, finds every request numctl makes valid" {
  start_twilio
  start_prism
  numctl team add Ops >/dev/null
  numctl provider check >/dev/null
  numctl available --country US --type local --area-code 201 --locality Hackensack --capability voice,sms --contains 55 --limit 2 >/dev/null
  numctl buy --country US --type local --count 2 --team Ops >/dev/null
  numctl buy --country GB --type mobile --count 1 --team Ops >/dev/null
  numctl list --format plain | numctl cancel - >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  numctl sync >/dev/null
  # Every request reached the fake through Prism, and Prism found no request off the document.
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 9 ]
  ! grep -E 'Violation: request|Request terminated with error' "$PRISM_LOG"
  # And Prism does judge: a request off the document is reported.
  curl -s -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" "$PRISM/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/AvailablePhoneNumbers/US/Local.json?AreaCode=abc" >/dev/null
  grep -q 'Violation: request.*must be integer' "$PRISM_LOG"
}

@test "available as a table shows locality and capabilities; plain stays E.164 for piping into buy" {
  start_twilio
  numctl team add Ops >/dev/null
  run numctl available --country GB --type mobile --limit 2
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"NUMBER"*"LOCALITY"*"CAPABILITIES"*"MONTHLY"* ]]
  [[ "${lines[1]}" == *"+44 7400 000100"*"mobile"*"active"*"London"*"voice,sms"*"—"* ]]
  run bash -c '"$NUMCTL_BIN" available --country GB --type mobile --limit 1 --format plain | "$NUMCTL_BIN" buy -'
  [ "$status" -eq 0 ]
  [ "$(fake_held)" = "+447400000100" ]
}

@test "a hanging answer past the timeout and a dropped connection are retried; the token is nowhere in the database" {
  start_twilio
  numctl team add Ops >/dev/null
  fake_control fault '{"method": "POST", "hang": 3, "count": 1}'
  fake_control fault '{"method": "GET", "path": "IncomingPhoneNumbers", "drop": true, "count": 1}'
  run numctl buy --country US --type local --team Ops
  [ "$status" -eq 0 ]
  # The first order hung past timeout_s (2 s) and was sent again; the fake never served the
  # hanging one, so the retry bought the number once.
  [ "$(jq -s '[.[] | select(.status == "hang")] | length' "$FAKE_LOG")" -eq 1 ]
  [ "$(fake_count POST IncomingPhoneNumbers 201)" -eq 1 ]
  # sync's listing met a dropped connection and tried again.
  run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"in sync"* ]]
  [ "$(jq -s '[.[] | select(.status == "drop")] | length' "$FAKE_LOG")" -eq 1 ]
  ! grep -q "$TWILIO_AUTH_TOKEN" "$NUMCTL_DB"
  ! grep -rq "$TWILIO_AUTH_TOKEN" "$TEST_DIR"/*.db* 2>/dev/null
}

@test "releases a sweep could not make are made by the next sync too" {
  start_twilio
  bought_and_cancelled 2
  fake_control fault '{"method": "DELETE", "status": 502, "count": 100}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep
  [ "$status" -eq 6 ]
  fake_control reset '{}'
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"released 2 numbers an earlier sweep still owed"* ]]
  [ -z "$(fake_held)" ]
  [ "$(numctl list --all --status cancelled --format plain | wc -l)" -eq 2 ]
}

@test "--verbose names the provider and where its credentials come from, never the secret" {
  start_twilio
  numctl team add Ops >/dev/null
  run_split --verbose buy --country US --type local
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"provider: twilio at $FAKE, credentials from the environment"* ]]
  [[ "$stderr$output" != *"$TWILIO_AUTH_TOKEN"* ]]
}
