# The fake carriers the carrier suites start: on 127.0.0.1, a free port, stopped at teardown.

# start_twilio: runs tests/fakes/twilio.py, writes a config pointing numctl at it, and exports
# the credentials. $FAKE is its base URL, $FAKE_LOG its request log (one JSON line a request).
start_twilio() {
  FAKE_LOG=$TEST_DIR/twilio.log
  python3 "$NUMCTL_SOURCE_DIR/tests/fakes/twilio.py" --port-file "$TEST_DIR/twilio.port" --log "$FAKE_LOG" &
  FAKE_PID=$!
  for _ in $(seq 1 100); do [ -s "$TEST_DIR/twilio.port" ] && break; sleep 0.05; done
  FAKE=http://127.0.0.1:$(cat "$TEST_DIR/twilio.port")
  export TWILIO_ACCOUNT_SID=AC00000000000000000000000000000001
  export TWILIO_AUTH_TOKEN=fake-auth-token-9f8e7d6c
  unset TWILIO_API_KEY TWILIO_API_SECRET
  export NUMCTL_CONFIG=$TEST_DIR/numctl.toml
  cat >"$NUMCTL_CONFIG" <<TOML
[provider]
kind = "twilio"
base_url = "$FAKE"
timeout_s = 2
TOML
}

stop_fakes() {
  [ -z "${FAKE_PID:-}" ] || kill "$FAKE_PID" 2>/dev/null || true
}

# fake_control PATH JSON: a fault, a delay, numbers the account holds already.
fake_control() {
  curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$FAKE/__control/$1" >/dev/null
}

# The numbers the fake account holds, one a line.
fake_held() {
  curl -sf "$FAKE/__control/state" | jq -r '.held | keys[]'
}

# How many requests of METHOD whose path contains TEXT got STATUS ("" for any).
fake_count() {
  jq -s --arg m "$1" --arg p "$2" --arg s "${3:-}" \
    '[.[] | select(.method == $m and (.path | contains($p)) and ($s == "" or (.status | tostring) == $s))] | length' "$FAKE_LOG"
}
