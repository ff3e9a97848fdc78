#!/usr/bin/env bats
# Reputation: feeds of readings, the policy that flags and unflags through the lifecycle table,
# and the views of the readings. The policy's defaults: flag_at 70, clear_below 30,
# clear_after 3, max_age_days 7.

load helpers

A=+12015550100
B=+12015550107
C=+12015550114

setup_file() { :; }

inventory() {
  numctl buy --type local "$A" "$B" "$C" >/dev/null
  numctl team add Sales >/dev/null
  numctl assign "$A" --team Sales >/dev/null
}

# feed NAME ROWS...: a CSV feed with number,score,source,checked_at,labels
feed() {
  local file=$TEST_DIR/$1
  shift
  { echo "number,score,source,checked_at,labels"; printf '%s\n' "$@"; } > "$file"
  echo "$file"
}

risk_set_by() { sql "SELECT risk_set_by FROM numbers WHERE e164 = '$1'"; }

@test "a fresh score at the threshold flags an active number, audited by reputation with what decided it" {
  inventory
  run numctl reputation import "$(feed f.csv "$A,70,hiya,2026-01-09T00:00:00Z,Scam Likely" "$B,69,hiya,2026-01-09T00:00:00Z,")"
  [ "$status" -eq 0 ]
  [[ "$output" == *"stored 2 readings"* ]]
  [[ "$output" == *"flagged +1 201-555-0100: reputation 70 (hiya): Scam Likely"* ]]
  [ "$(status_of "$A")" = high_risk ]
  [ "$(status_of "$B")" = active ]
  [ "$(sql "SELECT risk_reason FROM numbers WHERE e164 = '$A'")" = "reputation 70 (hiya): Scam Likely" ]
  run numctl log --action flag --json
  [ "$(jq -r '.[0].actor' <<<"$output")" = reputation ]
  [ "$(jq -c '.[0].details | {score, source, labels}' <<<"$output")" = '{"score":70,"source":"hiya","labels":"Scam Likely"}' ]
  # The assignment stays: a red number still rings for its team until someone replaces it.
  run numctl show "$A" --json
  [ "$(jq -r .team <<<"$output")" = Sales ]
}

@test "a risk level is scored by risk_scores; a stale reading is ignored by the policy" {
  inventory
  run numctl reputation import "$(feed f.csv "$A,,tns,2026-01-01T00:00:00Z," "$B,95,hiya,2026-01-02T00:00:00Z,")" 2>&1
  [ "$status" -eq 2 ]  # no score and no risk column
  printf 'number,risk,source,checked_at\n%s,high,tns,2026-01-09T00:00:00Z\n%s,high,tns,2026-01-02T00:00:00Z\n' "$A" "$B" > "$TEST_DIR/r.csv"
  run numctl reputation import "$TEST_DIR/r.csv"
  [ "$status" -eq 0 ]
  [ "$(status_of "$A")" = high_risk ]   # high = 90
  [ "$(status_of "$B")" = active ]      # 8 days old: stale
  [ "$(sql "SELECT score FROM reputation_readings r JOIN numbers n ON n.id = r.number_id WHERE e164 = '$A'")" = 90 ]
  # A policy with other scores reads the levels by them.
  printf '[reputation]\nrisk_scores = { high = 60 }\n' > "$TEST_DIR/c.toml"
  printf 'number,risk,source,checked_at\n%s,high,tns,2026-01-09T00:00:00Z\n' "$C" > "$TEST_DIR/c.csv"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run numctl reputation import "$TEST_DIR/c.csv"
  [ "$(status_of "$C")" = active ]
}

@test "hysteresis: a middle score keeps the flag; clear_after readings below clear_below unflag it" {
  inventory
  numctl reputation import "$(feed 1.csv "$A,82,hiya,2026-01-05T00:00:00Z,Scam Likely")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  numctl reputation import "$(feed 2.csv "$A,50,hiya,2026-01-06T00:00:00Z," "$A,20,hiya,2026-01-07T00:00:00Z," "$A,10,hiya,2026-01-08T00:00:00Z,")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]   # only two low readings since the flag, the last three include a 50
  run numctl reputation import "$(feed 3.csv "$A,5,hiya,2026-01-09T00:00:00Z,")"
  [[ "$output" == *"unflagged +1 201-555-0100"* ]]
  [ "$(status_of "$A")" = active ]
  [ "$(sql "SELECT count(*) FROM numbers WHERE e164 = '$A' AND risk_reason IS NULL")" = 1 ]
  # The old high reading does not flag it again; a newer one does.
  run numctl reputation apply
  [ "$(status_of "$A")" = active ]
  numctl reputation import "$(feed 4.csv "$A,75,tns,2026-01-10T00:00:00Z,Spam")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  run numctl history "$A" --json
  [ "$(jq -c '[.[] | select(.actor == "reputation") | .action]' <<<"$output")" = '["flag","unflag","flag"]' ]
}

@test "a number an operator flagged is never unflagged by the policy" {
  inventory
  numctl flag "$B" --reason "customer complaints" >/dev/null
  numctl reputation import "$(feed f.csv "$B,1,hiya,2026-01-08T00:00:00Z," "$B,2,hiya,2026-01-09T00:00:00Z," "$B,3,hiya,2026-01-10T00:00:00Z,")" >/dev/null
  [ "$(status_of "$B")" = high_risk ]
  [ "$(risk_set_by "$B")" = operator ]
  [ "$(sql "SELECT risk_reason FROM numbers WHERE e164 = '$B'")" = "customer complaints" ]
}

@test "a number an operator unflagged is re-flagged only by a reading newer than the unflag" {
  inventory
  numctl reputation import "$(feed f.csv "$A,90,hiya,2026-01-09T00:00:00Z,Scam Likely")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  NUMCTL_NOW=2026-01-10T13:00:00Z numctl unflag "$A" >/dev/null
  # The same reading again, and one older than the unflag from another source: nothing.
  NUMCTL_NOW=2026-01-10T14:00:00Z numctl reputation import "$(feed g.csv "$A,90,hiya,2026-01-09T00:00:00Z,Scam Likely" "$A,99,tns,2026-01-10T12:30:00Z,")" >/dev/null
  [ "$(status_of "$A")" = active ]
  NUMCTL_NOW=2026-01-10T14:00:00Z run numctl reputation apply --json
  [ "$(jq '.flagged | length' <<<"$output")" = 0 ]
  NUMCTL_NOW=2026-01-11T14:00:00Z numctl reputation import "$(feed h.csv "$A,88,hiya,2026-01-11T09:00:00Z,Scam Likely")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
}

@test "other statuses are never touched: pending, to_be_cancelled, cancelled" {
  numctl buy +4930901820 >/dev/null  # DE local: pending until documents are approved
  numctl buy --type local "$A" >/dev/null
  numctl cancel "$A" >/dev/null
  run numctl reputation import "$(feed f.csv "+4930901820,99,hiya,2026-01-09T00:00:00Z," "$A,99,hiya,2026-01-09T00:00:00Z,")"
  [ "$status" -eq 0 ]
  [[ "$output" == *"no number changed"* ]]
  [ "$(status_of +4930901820)" = pending ]
  [ "$(status_of "$A")" = to_be_cancelled ]
}

@test "a feed with bad rows names each by its line and stores nothing" {
  inventory
  before=$(db_checksum)
  cat > "$TEST_DIR/bad.csv" <<EOF2
number,score,source,checked_at,labels
$A,82,hiya,2026-01-09T00:00:00Z,ok
not a number,50,hiya,2026-01-09T00:00:00Z,
$B,101,hiya,2026-01-09T00:00:00Z,
$C,50,,2026-01-09T00:00:00Z,
$C,50,hiya,yesterday-ish,
$C,50,hiya,2027-01-09T00:00:00Z,
EOF2
  run_split reputation import "$TEST_DIR/bad.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"5 bad rows, nothing imported"* ]]
  [[ "$stderr" == *"line 3:"* && "$stderr" == *"line 4: score '101' is not a number from 0 to 100"* ]]
  [[ "$stderr" == *"line 5: no source"* && "$stderr" == *"line 6: checked_at 'yesterday-ish'"* ]]
  [[ "$stderr" == *"line 7: checked_at 2027-01-09T00:00:00Z is in the future"* ]]
  [ "$(db_checksum)" = "$before" ]
  # An unknown column is refused by name.
  printf 'number,scroe\n%s,50\n' "$A" > "$TEST_DIR/typo.csv"
  run_split reputation import "$TEST_DIR/typo.csv" --source hiya
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"unknown column 'scroe'"* ]]
}

@test "numbers not in the inventory are refused with their lines, or skipped with --skip-unknown" {
  inventory
  before=$(db_checksum)
  f=$(feed f.csv "$A,82,hiya,2026-01-09T00:00:00Z," "+12015550999,90,hiya,2026-01-09T00:00:00Z,")
  run_split reputation import "$f"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"line 3: +12015550999 is not in the inventory"* && "$stderr" == *"--skip-unknown"* ]]
  [ "$(db_checksum)" = "$before" ]
  run_split reputation import "$f" --skip-unknown --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '[.added, .skipped[0].number, .skipped[0].where]' <<<"$output")" = '[1,"+12015550999","line 3"]' ]
}

@test "JSON and NDJSON feeds, sniffed on stdin, with --source and numeric scores" {
  inventory
  printf '[{"number": "%s", "score": 91.6, "labels": "Scam Likely;Fraud", "carrier": "T-Mobile"}]' "$A" |
    numctl reputation import - --source first_orion >/dev/null
  run numctl reputation show "$A" --json
  [ "$(jq -c '.[0] | [.score, .source, .labels, .carrier, .band, .checked_at]' <<<"$output")" = '[91,"first_orion","Scam Likely;Fraud","T-Mobile","high","2026-01-10T12:00:00Z"]' ]
  printf '{"number": "%s", "risk": "LOW", "source": "tns", "checked_at": "2026-01-09T08:00:00Z"}\n' "$B" | numctl reputation import - >/dev/null
  run bash -c '"$NUMCTL_BIN" reputation list --format csv | tr -d "\r"'
  [ "${lines[0]}" = "number,checked_at,source,score,band,labels,carrier" ]
  [ "${lines[1]}" = "$A,2026-01-10T12:00:00Z,first_orion,91,high,Scam Likely;Fraud,T-Mobile" ]
  [ "${lines[2]}" = "$B,2026-01-09T08:00:00Z,tns,10,low,," ]
  run numctl reputation import - --source hiya <<<'[{"number": 5}]'
  [ "$status" -eq 2 ]
}

@test "--dry-run decides everything and changes nothing" {
  inventory
  before=$(db_checksum)
  run numctl reputation import "$(feed f.csv "$A,95,hiya,2026-01-09T00:00:00Z,Scam Likely")" --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"would be: flagged +1 201-555-0100"* ]]
  [ "$(db_checksum)" = "$before" ]
  numctl reputation import "$TEST_DIR/f.csv" --no-apply >/dev/null
  [ "$(status_of "$A")" = active ]
  before=$(db_checksum)
  run numctl reputation apply --dry-run --json
  [ "$(jq -r '.flagged[0].number' <<<"$output")" = "$A" ]
  [ "$(db_checksum)" = "$before" ]
  numctl reputation apply >/dev/null
  [ "$(status_of "$A")" = high_risk ]
}

@test "--replace replaces what the policy flagged, carrying the assignment over" {
  inventory
  run numctl reputation import "$(feed f.csv "$A,95,hiya,2026-01-09T00:00:00Z,Scam Likely")" --replace --json
  [ "$status" -eq 0 ]
  new=$(jq -r '.replaced[0].replaced_by' <<<"$output")
  [ -n "$new" ] && [ "$new" != null ]
  [ "$(status_of "$A")" = to_be_cancelled ]
  run numctl show "$new" --json
  [ "$(jq -r '.team, .status, .type, .country, .replaces' <<<"$output" | paste -sd' ')" = "Sales active local US $A" ]
  run numctl history "$new" --json
  [ "$(jq -r '.[0].actor' <<<"$output")" = reputation ]
}

@test "views: show's trend and risk keys, filter by risk and score, sort by risk, stats by band, due for stopped feeds" {
  inventory
  numctl reputation import "$(feed f.csv "$A,20,hiya,2026-01-06T00:00:00Z," "$A,40,hiya,2026-01-07T00:00:00Z," "$A,60,hiya,2026-01-08T00:00:00Z," "$A,82,hiya,2026-01-09T00:00:00Z,Scam Likely" "$B,50,tns,2026-01-09T00:00:00Z," "$C,5,tns,2025-12-01T00:00:00Z,")" >/dev/null
  run numctl show "$A"
  [[ "$output" == *"risk          82 high  ▂▄▅▇"* ]]
  [[ "$output" == *"  hiya        82 at 2026-01-09T00:00:00Z: Scam Likely"* ]]
  run numctl show "$A" --json
  [ "$(jq -c '[.risk_score, .risk_checked_at]' <<<"$output")" = '[82,"2026-01-09T00:00:00Z"]' ]
  run numctl show "$C" --json
  [ "$(jq -c '.risk_score' <<<"$output")" = null ]   # only a stale reading
  run numctl list --risk high --format plain
  [ "$output" = "$A" ]
  run numctl list --risk low,medium --format plain
  [ "$output" = "$B" ]
  run numctl filter --score-above 49 --score-below 83 --all --format plain
  [ "$(echo $output)" = "$A $B" ]
  run numctl list --sort risk:desc --format plain
  [ "$(echo $output)" = "$A $B $C" ]
  run numctl stats --json
  [ "$(jq -c .by_risk <<<"$output")" = '{"high":1,"medium":1}' ]
  run numctl stats
  [[ "$output" == *"By risk (fresh reputation readings)"* ]]
  # C's feed stopped a month ago; A's and B's readings turn stale within the week.
  run numctl due --within 1d --json
  [ "$(jq -c '[.[] | select(.event == "stale_reputation") | .number]' <<<"$output")" = "[\"$C\"]" ]
  run numctl due --json
  [ "$(jq -c '[.[] | select(.event == "stale_reputation") | .at]' <<<"$output")" = '["2025-12-08T00:00:00Z","2026-01-16T00:00:00Z","2026-01-16T00:00:00Z"]' ]
  run numctl list --risk severe
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown risk 'severe' (low, medium, high)"* ]]
}

@test "a feed imported twice stores each reading once; prune trims old readings" {
  inventory
  f=$(feed f.csv "$A,10,hiya,2025-05-01T00:00:00Z," "$A,20,hiya,2026-01-09T00:00:00Z,")
  numctl reputation import "$f" >/dev/null
  run numctl reputation import "$f"
  [[ "$output" == *"stored 0 readings (2 stored already)"* ]]
  run numctl reputation prune --older-than 180d --dry-run
  [[ "$output" == "would remove 1 readings checked before 2025-07-14T12:00:00Z" ]]
  [ "$(sql 'SELECT count(*) FROM reputation_readings')" = 2 ]
  run numctl reputation prune --older-than 180d --json
  [ "$(jq .removed <<<"$output")" = 1 ]
  [ "$(sql 'SELECT count(*) FROM reputation_readings')" = 1 ]
}

@test "a bad [reputation] section is a config error naming the line" {
  printf '[reputation]\nflag_at = 20\nclear_below = 30\n' > "$TEST_DIR/c.toml"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run numctl reputation apply
  [ "$status" -eq 5 ]
  [[ "$output" == *"c.toml:1:1: [reputation] clear_below (30) must not be above flag_at (20)"* ]]
  printf '[reputation]\nflag_at = 170\n' > "$TEST_DIR/c.toml"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run numctl reputation apply
  [ "$status" -eq 5 ]
  [[ "$output" == *"c.toml:2:11: 'flag_at' must be a whole number from 0 to 100"* ]]
}

@test "a reading dated ahead of the clock cannot undo an operator's later unflag; more than 5 minutes ahead is refused" {
  inventory
  numctl reputation import "$(feed f.csv "$A,90,hiya,2026-01-10T12:00:00Z,Scam Likely")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  # Three minutes ahead: read as checked now (12:00), so the operator's unflag a minute later stands.
  numctl reputation import "$(feed g.csv "$A,95,tns,2026-01-10T12:03:00Z,Spam")" >/dev/null
  NUMCTL_NOW=2026-01-10T12:01:00Z numctl unflag "$A" --reason 'verified with the carrier' >/dev/null
  NUMCTL_NOW=2026-01-10T12:02:00Z numctl reputation apply >/dev/null
  [ "$(status_of "$A")" = active ]
  run_split reputation import "$(feed h.csv "$A,95,tns,2026-01-11T12:00:00Z,Spam")"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"in the future"*"at most 5 minutes ahead"* ]]
}

@test "one source's low scores do not clear a flag while another source's fresh high score stands" {
  inventory
  numctl reputation import "$(feed f.csv "$A,85,hiya,2026-01-09T00:00:00Z,Scam Likely")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  numctl reputation import "$(feed g.csv "$A,20,tns,2026-01-09T01:00:00Z," "$A,20,tns,2026-01-09T02:00:00Z," "$A,20,tns,2026-01-09T03:00:00Z,")" >/dev/null
  [ "$(status_of "$A")" = high_risk ]
  # hiya agrees at last: every source's newest fresh reading is low now.
  numctl reputation import "$(feed h.csv "$A,10,hiya,2026-01-09T04:00:00Z,")" >/dev/null
  [ "$(status_of "$A")" = active ]
}

@test "a fractional score never crosses a threshold by rounding: 69.5 does not flag at flag_at 70" {
  inventory
  numctl reputation import "$(feed f.csv "$A,69.5,hiya,2026-01-09T00:00:00Z,Scam Likely" "$B,70.0,hiya,2026-01-09T00:00:00Z,")" >/dev/null
  [ "$(status_of "$A")" = active ]
  [ "$(status_of "$B")" = high_risk ]
}
