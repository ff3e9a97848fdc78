#!/usr/bin/env bats
# What numbers cost and which ones nobody uses, with the offline providers: prices from
# [prices], buy --max-price, spend by team now and over a past month (prorated by day), call
# records imported from a phone system's export, and the idle numbers they reveal.

load helpers

A=+12015550100
B=+12015550107
C=+12015550114
T=+18002300001

setup_file() { :; }

priced() {
  cat > "$TEST_DIR/config.toml" <<EOF
[lifecycle]
cancellation_grace_days = 5
[prices.US]
currency = "USD"
local = "1.20"
toll_free = "2.00"
[prices.JP]
currency = "JPY"
local = "500"
[usage]
report_above = "2.00"
EOF
  export NUMCTL_CONFIG=$TEST_DIR/config.toml
}

@test "a number bought records its monthly price from [prices]: show, JSON, CSV" {
  priced
  numctl buy --type local "$A" >/dev/null
  run numctl show "$A"
  [[ "$output" == *"cost          \$1.20 / month"* ]]
  [ "$(numctl show "$A" --json | jq -r '[.monthly_price, .currency] | join(" ")')" = "1.20 USD" ]
  [ "$(sql "SELECT monthly_price FROM numbers WHERE e164 = '$A'")" = 120 ]
  run numctl list --format csv --columns number,monthly_price,currency
  [[ "$output" == *"+12015550100,1.20,USD"* ]]
  numctl buy +81312345678 >/dev/null
  [ "$(numctl show +81312345678 --json | jq -r .monthly_price)" = 500 ]
  [ "$(sql "SELECT monthly_price FROM numbers WHERE e164 = '+81312345678'")" = 500 ]
}

@test "available and buy --dry-run show the price; --max-price refuses a dearer number, naming its price" {
  priced
  run numctl available --country US --type toll_free --limit 1
  [[ "$output" == *'$2.00'* ]]
  run numctl buy --country US --type toll_free --dry-run
  [[ "$output" == *'$2.00 a month'* ]]
  run numctl buy --country US --type toll_free --max-price 1.50
  [ "$status" -eq 4 ]
  [[ "$output" == *'costs $2.00 a month, above --max-price $1.50'* ]]
  [ "$(numctl list --json | jq length)" -eq 0 ]
  run numctl buy --type local "$A" --max-price 1.20
  [ "$status" -eq 0 ]
  # No price known: a cap cannot be checked, so it refuses.
  run numctl buy +4930123456 --max-price 5
  [ "$status" -eq 4 ]
  [[ "$output" == *"monthly price is not known"* ]]
}

@test "cost --by team matches the table computed by hand, per currency, cancelled numbers not billed" {
  priced
  numctl team add Sales >/dev/null
  numctl team add Support >/dev/null
  numctl member add Ada --team Support >/dev/null
  numctl buy --type local "$A" "$B" --team Sales >/dev/null
  numctl buy "$T" --member Ada >/dev/null
  numctl buy --type local "$C" +81312345678 >/dev/null
  numctl cancel "$C" >/dev/null  # to_be_cancelled: still billed
  run numctl cost --by team --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '.' <<<"$output")" = '[{"team":"Sales","currency":"USD","count":2,"monthly_total":"2.40"},{"team":"Support","currency":"USD","count":1,"monthly_total":"2.00"},{"team":null,"currency":"JPY","count":1,"monthly_total":"500"},{"team":null,"currency":"USD","count":1,"monthly_total":"1.20"}]' ]
  run numctl cost
  [[ "$output" == *"total per month: ¥500, \$5.60"* ]]
  run numctl stats
  [[ "$output" == *'Cost in USD: $5.60 a month'* ]]
  [ "$(numctl stats --json | jq -r .monthly_cost.JPY)" = 500 ]
}

@test "cost --month prorates by day: a number bought and released mid-month counts for the days it was held" {
  priced
  numctl team add Sales >/dev/null
  NUMCTL_NOW=2026-02-20T09:00:00Z numctl buy --type local "$B" --team Sales >/dev/null
  NUMCTL_NOW=2026-03-10T09:00:00Z numctl buy --type local "$A" --team Sales >/dev/null
  NUMCTL_NOW=2026-03-15T09:00:00Z numctl cancel "$A" >/dev/null
  NUMCTL_NOW=2026-03-20T09:00:00Z numctl sweep >/dev/null
  [ "$(status_of "$A")" = cancelled ]
  # March has 31 days: B all of them, A the 10th to the 20th (11 days). 120 * (31 + 11) / 31 = 162.6
  export NUMCTL_NOW=2026-04-02T00:00:00Z
  run numctl cost --by team --month 2026-03 --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '.' <<<"$output")" = '[{"team":"Sales","currency":"USD","count":2,"monthly_total":"1.63","month":"2026-03"}]' ]
  # February: B from the 20th, 9 days of 28. 120 * 9 / 28 = 38.6
  [ "$(numctl cost --month 2026-02 --json | jq -r '.[0].monthly_total')" = 0.39 ]
  run numctl cost --month 2026-05
  [ "$status" -eq 2 ]
  [[ "$output" == *"has not begun"* ]]
  run numctl cost --month 2026-3
  [ "$status" -eq 2 ]
  run numctl cost --by region
  [ "$status" -eq 2 ]
  [[ "$output" == *"--by takes team, member, country, type or status"* ]]
}

@test "usage import: good rows stored, bad ones named by their line, twice changes nothing, strangers counted" {
  priced
  numctl buy --type local "$A" "$B" >/dev/null
  cat > "$TEST_DIR/calls.csv" <<EOF
number,at,direction,from,duration_s
$A,2026-01-08T10:00:00Z,inbound,+12025550199,30
$A,2026-01-09T10:00:00Z,inbound,+12025550199,12
$B,2026-01-09T11:00:00Z,outbound,,60
+14155550100,2026-01-09T11:00:00Z,inbound,,5
EOF
  run numctl usage import "$TEST_DIR/calls.csv"
  [ "$status" -eq 0 ]
  [[ "$output" == *"read 4 call records"*"3 new, 0 stored already"* ]]
  [[ "$output" == *"skipped 1 records of numbers not in the inventory"* ]]
  [ "$(numctl show "$A" --json | jq -r '[.last_inbound_at, .calls_in] | join(" ")')" = "2026-01-09T10:00:00Z 2" ]
  [ "$(numctl show "$B" --json | jq -r '[.last_inbound_at // "none", .last_outbound_at] | join(" ")')" = "none 2026-01-09T11:00:00Z" ]
  run numctl usage import "$TEST_DIR/calls.csv" --json
  [ "$(jq -c '[.added, .known]' <<<"$output")" = '[0,3]' ]
  [ "$(numctl show "$A" --json | jq -r .calls_in)" = 2 ]
  # A bad file: every bad row named by its line (the header is line 1), nothing stored.
  cat > "$TEST_DIR/bad.csv" <<EOF
number,at,direction
$A,2026-01-09T12:00:00Z,inbound
not-a-number,2026-01-09T12:00:00Z,inbound
$B,yesterday,inbound
$B,2026-01-09T12:00:00Z,sideways
EOF
  run numctl usage import "$TEST_DIR/bad.csv"
  [ "$status" -eq 2 ]
  [[ "$output" == *"line 3: 'not-a-number' is not a phone number"* ]]
  [[ "$output" == *"line 4: 'yesterday' is not an ISO 8601 time"* ]]
  [[ "$output" == *"line 5: direction 'sideways'"* ]]
  [ "$(numctl show "$A" --json | jq -r .last_inbound_at)" = 2026-01-09T10:00:00Z ]
  # NDJSON from stdin, with a switch's to/from.
  printf '{"to":"%s","from":"+12025550123","started_at":"2026-01-10T08:00:00Z","direction":"inbound"}\n' "$B" |
    numctl usage import - >/dev/null
  [ "$(numctl show "$B" --json | jq -r .last_inbound_at)" = 2026-01-10T08:00:00Z ]
  [ "$(numctl log --action usage_import --json | jq length)" -eq 3 ]
  # A file that is not there, or a header without a time, is refused; nothing changes.
  run numctl usage import "$TEST_DIR/missing.csv"
  [ "$status" -eq 2 ]
  [[ "$output" == *"cannot read"*"missing.csv"* ]]
  printf 'number,direction\n%s,inbound\n' "$A" | { run numctl usage import -; [ "$status" -eq 2 ]; [[ "$output" == *"no 'at' column (or 'started_at')"* ]]; }
  [ "$(numctl log --action usage_import --json | jq length)" -eq 3 ]
}

@test "idle lists silent numbers oldest first, with the saving; its plain output pipes into cancel" {
  priced
  numctl team add Sales >/dev/null
  NUMCTL_NOW=2025-09-01T00:00:00Z numctl buy --type local "$A" --team Sales >/dev/null
  NUMCTL_NOW=2025-08-01T00:00:00Z numctl buy --type local "$B" >/dev/null
  NUMCTL_NOW=2025-08-01T00:00:00Z numctl buy --type local "$C" >/dev/null
  NUMCTL_NOW=2025-08-01T00:00:00Z numctl buy "$T" >/dev/null
  NUMCTL_NOW=2026-01-10T00:00:00Z numctl buy --type local +12015550121 >/dev/null  # too new to be idle
  printf 'number,at\n%s,2025-09-15T00:00:00Z\n%s,2026-01-05T00:00:00Z\n' "$A" "$C" > "$TEST_DIR/c.csv"
  numctl usage import "$TEST_DIR/c.csv" >/dev/null
  # B and T never rang since 2025-08-01; A's last call was 2025-09-15; C rang 5 days ago.
  run numctl idle --days 90 --format plain
  [ "${lines[*]}" = "$B $T $A" ]
  run numctl idle --days 90
  [[ "$output" == *"3 idle numbers; releasing them saves \$4.40 a month"* ]]
  [[ "$output" == *"2025-08-01 (never)"* ]]
  [ "$(numctl idle --team Sales --format plain)" = "$A" ]
  [ "$(numctl idle --min-price 1.50 --format plain)" = "$T" ]
  run numctl list --idle-days 90 --sort last_call --json
  [ "$(jq -r 'map(.number) | join(" ")' <<<"$output")" = "$B $T $A" ]
  # due mentions them: $4.40 a month is above [usage] report_above (2.00).
  run numctl due --json
  [ "$(jq -r '.[] | select(.event == "idle_numbers") | .action' <<<"$output")" = "3 numbers without an inbound call for 90 days cost \$4.40 a month: numctl idle" ]
  numctl idle --format plain | numctl cancel - --reason "idle 90 days" >/dev/null
  [ "$(status_of "$B")" = to_be_cancelled ]
  [ "$(status_of "$C")" = active ]
  run numctl idle --format plain
  [ -z "$output" ]
}

@test "prices refresh applies [prices] to the numbers held, audited; import carries a price in from elsewhere" {
  priced
  numctl buy --type local "$A" "$B" >/dev/null
  sed -i 's/local = "1.20"/local = "1.35"/' "$TEST_DIR/config.toml"
  run numctl prices refresh --json
  [ "$status" -eq 0 ]
  [ "$(jq -c '.[] | select(.country == "US") | [.monthly_price, .changed]' <<<"$output")" = '["1.35",2]' ]
  [ "$(numctl show "$A" --json | jq -r .monthly_price)" = 1.35 ]
  [ "$(numctl log --action price --json | jq length)" -eq 2 ]
  run numctl prices refresh --json
  [ "$(jq -c '.[0].changed' <<<"$output")" = 0 ]
  # A price without its currency is refused, naming the row.
  printf 'number,type,monthly_price\n+12015550128,local,1.00\n' > "$TEST_DIR/bad.csv"
  run numctl import "$TEST_DIR/bad.csv"
  [ "$status" -eq 2 ]
  [[ "$output" == *"monthly_price and currency go together"* ]]
  # Export, import into another inventory: the price goes with the number.
  sqlite_only
  numctl list --json > "$TEST_DIR/export.json"
  NUMCTL_DB=$TEST_DIR/other.db numctl import "$TEST_DIR/export.json" >/dev/null
  [ "$(NUMCTL_DB=$TEST_DIR/other.db numctl show "$A" --json | jq -r '.monthly_price + " " + .currency')" = "1.35 USD" ]
}

@test "a [prices] table that is not a price list is refused with its line" {
  printf '[prices.US]\ncurrency = "USD"\nlocal = 1.20\n' > "$TEST_DIR/c.toml"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run numctl list
  [ "$status" -eq 5 ]
  [[ "$output" == *"c.toml:3"* ]]
  printf '[prices.US]\nlocal = "1.20"\n' > "$TEST_DIR/c.toml"
  NUMCTL_CONFIG=$TEST_DIR/c.toml run numctl list
  [ "$status" -eq 5 ]
  [[ "$output" == *"needs currency"* ]]
}
