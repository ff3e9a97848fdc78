#!/usr/bin/env bats
# Text and secrets that cross the carrier boundary: what a carrier writes reaches the terminal as
# one line, a password in base_url is never printed, credentials never travel in clear text.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

@test "a carrier's error text with escape sequences and a newline cannot forge a line on the terminal" {
  start_twilio
  fake_control fault '{"method": "GET", "path": "/Accounts/", "status": 400, "code": 21999, "count": 5,
    "message": "bad\u001b[2J\u001b]0;owned\u0007\nnumctl: error: forged line"}'
  run_split provider check
  [ "$status" -eq 6 ]
  [ "$(printf '%s\n' "$stderr" | grep -c '^numctl: error:')" -eq 1 ]
  [[ "$stderr" != *$'\e'* && "$stderr" != *$'\a'* ]]
  [[ "$stderr" == *"bad?[2J?]0;owned??numctl: error: forged line"* ]]
}

@test "a password in base_url is masked in provider check and --verbose" {
  start_twilio
  sed -i "s|base_url = \"http://|base_url = \"http://proxyuser:Pr0xy-secret@|" "$NUMCTL_CONFIG"
  run_split -v provider check
  [[ "$output$stderr" != *"Pr0xy-secret"* ]]
  [[ "$output$stderr" == *"http://proxyuser:***@127.0.0.1:"* ]]
  run_split -v team add Ops
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"provider: twilio at http://proxyuser:***@127.0.0.1:"* ]]
  [[ "$stderr" != *"Pr0xy-secret"* ]]
}

@test "http:// is for loopback only; another host needs https:// or allow_insecure_http, which is warned about" {
  export NUMCTL_CONFIG=$TEST_DIR/numctl.toml TWILIO_ACCOUNT_SID=AC00000000000000000000000000000001 TWILIO_AUTH_TOKEN=t
  printf '[provider]\nkind = "twilio"\nbase_url = "http://api.carrier.example"\n' >"$NUMCTL_CONFIG"
  run_split provider check
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"clear text over http:// to api.carrier.example: use https://"* ]]
  for loopback in http://127.0.0.1:9 http://localhost:9 'http://[::1]:9' https://api.carrier.example; do
    printf '[provider]\nkind = "twilio"\nbase_url = "%s"\n' "$loopback" >"$NUMCTL_CONFIG"
    run_split team add "T$RANDOM"
    [ "$status" -eq 0 ]
  done
  printf '[provider]\nkind = "twilio"\nbase_url = "http://api.carrier.example"\nallow_insecure_http = true\n' >"$NUMCTL_CONFIG"
  run_split -v team add Ops
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"warning: credentials go to api.carrier.example in clear text"* ]]
}

@test "a Retry-After beyond the retry budget fails at once and says why and when to retry" {
  start_twilio
  fake_control fault '{"method": "GET", "path": "/Accounts/", "status": 429, "retry_after": 3600, "count": 1}'
  SECONDS=0
  run_split provider check
  [ "$status" -eq 6 ]
  [ "$SECONDS" -lt 5 ]
  [[ "$stderr" == *"the carrier asked to wait 3600 s, longer than numctl's retry budget: try again after 20"* ]]
}
