#!/usr/bin/env bats
# Hostile and bad input, table-driven: each case gets its documented exit code and a one-line
# message, and a checksum of the database shows nothing changed.

load helpers

prepare() {
  numctl team add Sales
  numctl buy +447400100001 +447400100002 +4930123456 >/dev/null
  numctl cancel +447400100002 >/dev/null
  numctl buy +447400100003 >/dev/null
  numctl flag +447400100003 >/dev/null
  cd "$TEST_DIR"
  : > empty.csv
  : > empty.pdf
  printf 'phone\n+447400100005\n' > nocol.csv
  printf 'number,team\n+447400100005,Sales,extra\n' > extra.csv
  printf 'number,colour\n+447400100005,red\n' > unknowncol.csv
  printf '[{"number": "+447400100005"' > bad.json
  printf '{"number": "+447400100005"}' > obj.json
  printf '[{"number": 447400100005}]' > numtype.json
  printf '{"number":"+447400100005"}\n{oops\n' > bad.ndjson
  printf 'number\n+447400100005\n' > numbers.txt
  printf 'number,bought_at\n+447400100005,yesterday\n' > baddate.csv
  printf 'number,bought_at\n+447400100005,2026-13-45\n' > baddate2.csv
  printf 'number,status\n+447400100005,paused\n' > badstatus.csv
  printf 'number\n+447400100005\n+44 7400 100005\n' > dup.csv
  printf 'number\n+447400100001\n' > existing.csv
  printf 'number,label\n+447400100005,"unterminated\n' > quote.csv
  printf 'number,type\n+12015550123,fax\n' > badtype.csv
  printf 'number,team\n+447400100005,"Sa\x01les"\n' > ctrlteam.csv
  printf '\xef\xbb\xbfnumber\r\n+49 1\r\n' > bomcrlf.csv
  printf '[lifecycle]\ncancellation_grace_days = = 3\n' > bad.toml
  printf '[lifecycle]\ngrace = 3\n' > unknownkey.toml
  printf '[lifecycle]\ncancellation_grace_days = "thirty"\n' > wrongtype.toml
  printf '[lifecycle]\ncancellation_grace_days = -4\n' > negative.toml
  printf 'default_region = "Germany"\n' > region.toml
  printf '[provider]\nkind = "carrier-x"\n' > provider.toml
  head -c 3000 /dev/urandom > binary.toml
  printf 'number,score,source\n+447400100001,high,hiya\n' > rep-score.csv
  printf 'number,risk,source\n+447400100001,severe,hiya\n' > rep-risk.csv
  printf 'number,score\n+447400100001,80\n' > rep-nosource.csv
  printf 'number,score,source\n+447400100009,80,hiya\n' > rep-unknown.csv
  printf 'number,score,source,checked_at\n+447400100001,80,hiya,2031-01-01\n' > rep-future.csv
  printf '[{"number": "+447400100001", "score": [80]}]' > rep-array.json
  printf '[reputation]\nflag_at = 20\nclear_below = 40\n' > rep-gap.toml
  printf '[reputation]\nrisk_scores = { severe = 99 }\n' > rep-scores.toml
}

@test "at least 50 bad inputs: documented exit code, one-line message, nothing changed" {
  prepare
  local failures=0 tried=0 expected description command before
  while IFS='|' read -r expected description command; do
    [[ -z $expected || $expected == \#* ]] && continue
    tried=$((tried + 1))
    before=$(db_checksum)
    local code=0
    (eval "$command") >"$TEST_DIR/out" 2>"$TEST_DIR/err" || code=$?
    local lines
    lines=$(wc -l < "$TEST_DIR/err")
    if [[ $code != "$expected" ]]; then
      echo "FAIL [$description]: exit $code, expected $expected: $(head -c 300 "$TEST_DIR/err")"; failures=$((failures + 1))
    elif [[ $lines -ne 1 ]] || ! grep -q '^numctl: error: ' "$TEST_DIR/err"; then
      echo "FAIL [$description]: stderr is not one 'numctl: error:' line: $(head -c 300 "$TEST_DIR/err")"; failures=$((failures + 1))
    elif [[ $(db_checksum) != "$before" ]]; then
      echo "FAIL [$description]: the database changed"; failures=$((failures + 1))
    fi
  done <<'CASES'
# exit|what|command
2|invalid number|numctl buy '+49 1'
2|letters|numctl buy hello
2|over-long number|numctl buy '+4930123456789012345678'
2|200 digits|numctl buy "+$(printf '1%.0s' {1..200})"
2|unknown calling code|numctl buy '+999 123456'
2|national form without region|numctl buy '030 123456'
2|unknown region|numctl buy '030 123456' --region XX
2|SQL fragment as number|numctl buy "+4930'; DROP TABLE numbers;--"
2|arabic-indic digits|numctl buy '+٤٩٣٠١٢٣٤٥٦'
2|control character in number|numctl buy $'+4930\x01123456'
2|empty number|numctl buy ''
2|type contradicts the number|numctl buy +4915123456789 --type local
2|ambiguous type missing|numctl buy +12015550123
3|unknown number|numctl show +4930999999
2|show garbage|numctl show 'abc'
2|count zero|numctl buy --country DE --type mobile --count 0
2|count negative|numctl buy --country DE --type mobile --count -5
2|unknown country to buy|numctl buy --country XX --type mobile
2|unknown type to buy|numctl buy --country DE --type fax
2|numbers and --country together|numctl buy +447400100009 --country GB --type mobile
2|contains letters|numctl available --country DE --contains abc
2|filter without criteria|numctl filter
2|unknown status|numctl filter --status purple
2|unknown type|numctl filter --type fax
2|country by name|numctl filter --country Germany
2|country as digits|numctl filter --country 49
2|unknown sort field|numctl list --sort colour
2|unknown sort direction|numctl list --sort number:sideways
2|negative limit|numctl list --limit -1
2|limit not a number|numctl list --limit many
2|search without digits|numctl search abc
2|unknown format|numctl list --format xml
2|unknown colour mode|numctl list --color sometimes
2|assigned and unassigned|numctl filter --assigned --unassigned
2|team name with escape sequence|numctl team add $'Sales\x1b[31m'
2|empty team name|numctl team add ''
2|over-long team name|numctl team add "$(printf 'x%.0s' {1..300})"
4|duplicate team|numctl team add sales
3|assign to unknown team|numctl assign +447400100001 --team Nobody
3|assign to unknown member|numctl assign +447400100001 --member Nobody
2|label with control character|numctl buy +447400100009 --label $'a\x07b'
2|over-long label|numctl buy +447400100009 --label "$(printf 'x%.0s' {1..600})"
2|reason with control character|numctl flag +447400100001 --reason $'spam\x1b[2Jx'
2|import empty file|numctl import empty.csv
2|import without number column|numctl import nocol.csv
2|import row with extra field|numctl import extra.csv
2|import unknown column|numctl import unknowncol.csv
2|import truncated JSON|numctl import bad.json
2|import JSON object, not array|numctl import obj.json
2|import number as JSON number|numctl import numtype.json
2|import NDJSON with a bad line|numctl import bad.ndjson
2|import unknown extension|numctl import numbers.txt
2|import date that is not a date|numctl import baddate.csv
2|import date out of range|numctl import baddate2.csv
2|import unknown status|numctl import badstatus.csv
2|import unknown type|numctl import badtype.csv
2|import same number twice|numctl import dup.csv
2|import number already owned|numctl import existing.csv
2|import unterminated quote|numctl import quote.csv
2|reputation score that is a word|numctl reputation import rep-score.csv
2|reputation unknown risk level|numctl reputation import rep-risk.csv
2|reputation row without a source|numctl reputation import rep-nosource.csv
3|reputation of a number not owned|numctl reputation import rep-unknown.csv
2|reputation checked in the future|numctl reputation import rep-future.csv
2|reputation score as a JSON array|numctl reputation import rep-array.json
2|reputation filter by unknown band|numctl list --risk severe
2|reputation score above 100|numctl list --score-above 101
5|reputation thresholds without a gap|numctl --config rep-gap.toml reputation apply
5|reputation unknown risk level in config|numctl --config rep-scores.toml reputation apply
2|reputation prune without an age|numctl reputation prune --older-than soon
5|reputation refresh without Telnyx|numctl reputation refresh
2|import team with control character|numctl import ctrlteam.csv
2|import BOM and CRLF with a bad number|numctl import bomcrlf.csv
2|import missing file|numctl import /nonexistent/numbers.csv
2|import from stdin without format|numctl import - < existing.csv
2|sweep at a non-date|numctl sweep --now yesterday
2|sweep at an impossible date|numctl sweep --now 2026-02-30T00:00:00Z
2|NUMCTL_NOW garbage|NUMCTL_NOW=garbage numctl buy +447400100009
2|document file missing|numctl docs submit +4930123456 --kind proof_of_address --file /nonexistent
2|document file empty|numctl docs submit +4930123456 --kind proof_of_address --file empty.pdf
2|document kind not required|numctl docs submit +4930123456 --kind passport --file numbers.txt
2|reject without reason|numctl reject +4930123456 --reason ''
4|approve without documents|numctl approve +4930123456
4|cancel a number under cancellation|numctl cancel +447400100002
4|flag a pending number|numctl flag +4930123456
2|stdin dash mixed with numbers|numctl cancel - +447400100001
2|replace into another country|numctl replace +447400100003 --with +4915123456789
2|replace with an invalid number|numctl replace +447400100003 --with '+44 1'
4|replace an active number|numctl replace +447400100001
5|malformed TOML|numctl --config bad.toml list
5|unknown config key|numctl --config unknownkey.toml list
5|config value of the wrong type|numctl --config wrongtype.toml list
5|negative grace period|numctl --config negative.toml list
5|default_region not a code|numctl --config region.toml list
5|unknown provider|numctl --config provider.toml list
5|binary config file|numctl --config binary.toml list
5|config file missing|numctl --config /nonexistent/config.toml list
2|unknown command|numctl frobnicate
2|unknown option|numctl list --colour never
CASES
  echo "tried $tried bad inputs, $failures failed" >&3
  [ "$tried" -ge 50 ]
  [ "$failures" -eq 0 ]
}

@test "hostile strings are stored and shown literally" {
  numctl team add "Robert'); DROP TABLE numbers;--"
  numctl buy +447400100001 --team "Robert'); DROP TABLE numbers;--" --label 'Zürich 東京 📞 "quoted" \back'
  run numctl show +447400100001 --json
  [ "$(echo "$output" | jq -r .team)" = "Robert'); DROP TABLE numbers;--" ]
  [ "$(echo "$output" | jq -r .label)" = 'Zürich 東京 📞 "quoted" \back' ]
  run numctl list --format csv
  [[ "$output" == *'"Zürich 東京 📞 ""quoted"" \back"'* ]]
  [ "$(sql 'SELECT count(*) FROM numbers')" -eq 1 ]
}

@test "control characters in stored text never reach the terminal raw" {
  numctl import /dev/stdin --input-format ndjson <<< '{"number":"+447400100001","label":"ok"}'
  sql "UPDATE numbers SET label = 'evil' || $(on_postgres && echo chr || echo char)(27) || '[2J'"
  run numctl list --format boxes
  [[ "$output" != *$'\e[2J'* ]]
  run numctl list --json
  [ "$(echo "$output" | jq -r '.[0].label')" = $'evil\e[2J' ]
}
