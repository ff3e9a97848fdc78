# The fake carriers the carrier suites start: on 127.0.0.1, a free port, stopped at teardown.

# start_fake KIND [CONFIG_KIND]: runs tests/fakes/KIND.py, writes a config pointing numctl at it.
# $FAKE is its base URL, $FAKE_LOG its request log (one JSON line a request).
start_fake() {
  FAKE_LOG=$TEST_DIR/$1.log
  python3 "$NUMCTL_SOURCE_DIR/tests/fakes/$1.py" --port-file "$TEST_DIR/$1.port" --log "$FAKE_LOG" &
  FAKE_PID=$!
  for _ in $(seq 1 100); do [ -s "$TEST_DIR/$1.port" ] && break; sleep 0.05; done
  FAKE=http://127.0.0.1:$(cat "$TEST_DIR/$1.port")
  export NUMCTL_CONFIG=$TEST_DIR/numctl.toml
  printf '[provider]\nkind = "%s"\nbase_url = "%s"\ntimeout_s = 2\n' "$1" "$FAKE" >"$NUMCTL_CONFIG"
}

# start_twilio, start_telnyx: the fake and its account's credentials in the environment.
start_twilio() {
  start_fake twilio
  export TWILIO_ACCOUNT_SID=AC00000000000000000000000000000001
  export TWILIO_AUTH_TOKEN=fake-auth-token-9f8e7d6c
  unset TWILIO_API_KEY TWILIO_API_SECRET
}

start_telnyx() {
  start_fake telnyx
  export TELNYX_API_KEY=KEY0123456789ABCDEF_fake_telnyx
}

# bought_and_cancelled COUNT [COUNTRY TYPE]: numbers bought at the fake for team Ops and
# cancelled; their grace ends 2026-02-09T12:00:00Z.
bought_and_cancelled() {
  numctl team add Ops >/dev/null
  numctl buy --country "${2:-US}" --type "${3:-local}" --count "$1" --team Ops --quiet >/dev/null
  numctl list --format plain | numctl cancel - --quiet >/dev/null
}

# sweep_killed_after COUNT PATH: a sweep (the fake slowed down) killed with SIGKILL once the
# fake has seen COUNT DELETEs on PATH.
sweep_killed_after() {
  fake_control delay '{"seconds": 0.01}'
  NUMCTL_NOW=2026-03-01T00:00:00Z "$NUMCTL_BIN" sweep >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do [ "$(fake_count DELETE "$2")" -ge "$1" ] && break; sleep 0.02; done
  kill -9 "$pid"
  wait "$pid" || true
  fake_control delay '{"seconds": 0}'
}

# The number of DELETE requests each released number got, as "COUNT" lines, one a number.
deletes_per_number() {
  jq -s -r '[.[] | select(.method == "DELETE" and .status == 204)] | group_by(.path) | .[] | length' "$FAKE_LOG" | sort | uniq -c
}

stop_fakes() {
  [ -z "${FAKE_PID:-}" ] || kill "$FAKE_PID" 2>/dev/null || true
  [ -z "${PRISM_PID:-}" ] || kill "$PRISM_PID" 2>/dev/null || true
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

# start_prism: Prism (installed by .ci/install-deps) in front of the Twilio fake, validating every
# request against Twilio's official OpenAPI documents (@twilio/cli-core): REST API 2010-04-01 and
# Regulatory Compliance v2 and Porting v1 (numbers.twilio.com) and Pricing v1 (pricing.twilio.com), merged into
# one (their paths do not collide).
# Request violations are logged as "Violation: request" and forwarded all the same. numctl's
# base_url points at Prism; a supporting document's file goes to the upload host
# (numbers-upload.twilio.com), whose multipart endpoint the documents do not describe: the fake
# checks it itself. Skips the test when Prism is not installed.
start_prism() {
  local tools=$NUMCTL_SOURCE_DIR/.ci/tools/node_modules
  [ -x "$tools/.bin/prism" ] || skip "Prism is not installed (.ci/install-deps installs it)"
  local api=$tools/@twilio/cli-core/src/services/twilio-api
  python3 - "$api/twilio_api_v2010.json" "$TEST_DIR/twilio_openapi.json" "$api/twilio_numbers_v2.json" \
    "$api/twilio_pricing_v1.json" "$api/twilio_numbers_v1.json" <<'PY'
import json
import sys

merged = json.load(open(sys.argv[1]))
for document in sys.argv[3:]:
    other = json.load(open(document))
    for path, item in other["paths"].items():
        item.pop("servers", None)
        merged["paths"][path] = item
    for key, value in other.get("components", {}).get("schemas", {}).items():
        merged["components"]["schemas"].setdefault(key, value)
json.dump(merged, open(sys.argv[2], "w"))
PY
  run_prism "$TEST_DIR/twilio_openapi.json"
  sed -i "s|^base_url = .*|base_url = \"$PRISM\"\nnumbers_upload_base_url = \"$FAKE\"|" "$NUMCTL_CONFIG"
}

# start_prism_telnyx: Prism in front of the Telnyx fake, on Telnyx's official OpenAPI document
# (../shared/carrier-apis/telnyx-spec3.yml; its paths omit the /v2 numctl calls, so a JSON copy
# with /v2 before each path is served). Skips the test when Prism or the document is absent.
start_prism_telnyx() {
  local tools=$NUMCTL_SOURCE_DIR/.ci/tools/node_modules
  local spec=$NUMCTL_SOURCE_DIR/../shared/carrier-apis/telnyx-spec3.yml
  [ -x "$tools/.bin/prism" ] || skip "Prism is not installed (.ci/install-deps installs it)"
  [ -f "$spec" ] || skip "Telnyx's OpenAPI document is not at ../shared/carrier-apis/telnyx-spec3.yml"
  python3 -c 'import yaml' 2>/dev/null || skip "PyYAML is not installed (.ci/install-deps installs python3-yaml)"
  python3 - "$spec" "$TEST_DIR/telnyx_openapi.json" <<'PY'
import json
import sys

import yaml

doc = yaml.load(open(sys.argv[1]), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
doc["paths"] = {"/v2" + path: item for path, item in doc["paths"].items()}
doc["servers"] = [{"url": "https://api.telnyx.com"}]
json.dump(doc, open(sys.argv[2], "w"), default=str)
PY
  run_prism "$TEST_DIR/telnyx_openapi.json"
  sed -i "s|^base_url = .*|base_url = \"$PRISM\"|" "$NUMCTL_CONFIG"
}

# run_prism DOCUMENT: Prism as a validating proxy to $FAKE on a free port; $PRISM its URL.
run_prism() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PRISM_LOG=$TEST_DIR/prism.log
  "$NUMCTL_SOURCE_DIR/.ci/tools/node_modules/.bin/prism" proxy -h 127.0.0.1 -p "$port" "$1" "$FAKE" >"$PRISM_LOG" 2>&1 &
  PRISM_PID=$!
  for _ in $(seq 1 900); do grep -q "Prism is listening" "$PRISM_LOG" && break; sleep 0.1; done
  grep -q "Prism is listening" "$PRISM_LOG"
  PRISM=http://127.0.0.1:$port
}

# The requests Prism found off the document (none: empty).
prism_violations() {
  grep -E 'Violation: request|Request terminated with error' "$PRISM_LOG" || true
}
