#!/usr/bin/env bats
# Lifecycle: every allowed transition, a refusal of every disallowed one, and the full story.

load helpers

DE_MOBILE=+4915123456789   # active on purchase
DE_LOCAL=+4930123456       # pending: DE asks for proof_of_address for local numbers
GB_MOBILE=+447400100001

doc() { printf '%%PDF proof' > "$TEST_DIR/proof.pdf"; echo "$TEST_DIR/proof.pdf"; }

# Asserts that a command is refused with exit 4 and that the database did not change.
refused() {
  local before
  before=$(db_checksum)
  run_split "$@"
  [ "$status" -eq 4 ] || { echo "expected exit 4 from: $*; got $status: $stderr"; return 1; }
  [ "$(db_checksum)" = "$before" ] || { echo "database changed by: $*"; return 1; }
}

@test "buy: active without regulation, pending with it, and the output says which documents" {
  run numctl buy $DE_MOBILE
  [[ "$output" == *"active"* ]]
  run numctl buy $DE_LOCAL
  [[ "$output" == *"pending"*"documents required: proof_of_address"* ]]
  [ "$(status_of $DE_LOCAL)" = pending ]
}

@test "buy from the catalog by country and type; available pipes into buy -" {
  numctl init >/dev/null
  run numctl available --country GB --type mobile --limit 3 --format plain
  [ "${#lines[@]}" -eq 3 ]
  numctl available --country GB --type mobile --limit 2 --format plain | numctl buy -
  [ "$(sql "SELECT count(*) FROM numbers WHERE country='GB' AND type='mobile'")" -eq 2 ]
  run numctl available --country GB --type mobile --limit 3 --format plain
  [[ "$output" != *"$(sql 'SELECT e164 FROM numbers LIMIT 1')"* ]]
  run numctl buy --country US --type toll_free --count 2 --contains 555 --json
  [ "$(echo "$output" | jq length)" -eq 2 ]
  [ "$(echo "$output" | jq -r '.[0].number' | grep -c 555)" -eq 1 ]
  run numctl available --country XX
  [ "$status" -eq 2 ]
}

@test "buying an owned number is exit 4" {
  numctl buy $DE_MOBILE
  refused buy $DE_MOBILE
  [[ "$stderr" == *"already owned"* ]]
}

@test "pending: submit documents, reject keeps it pending, approve only when complete" {
  numctl buy $DE_LOCAL
  refused approve $DE_LOCAL
  [[ "$stderr" == *"missing proof_of_address"* ]]
  run numctl docs submit $DE_LOCAL --kind passport --file "$(doc)"
  [ "$status" -eq 2 ]
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)"
  numctl reject $DE_LOCAL --reason 'address does not match'
  [ "$(status_of $DE_LOCAL)" = pending ]
  run numctl docs list $DE_LOCAL --json
  [ "$(echo "$output" | jq -r '.documents[0].state')" = rejected ]
  [ "$(echo "$output" | jq -r '.missing[0]')" = proof_of_address ]
  refused approve $DE_LOCAL
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)"
  numctl approve $DE_LOCAL
  [ "$(status_of $DE_LOCAL)" = active ]
  numctl docs get $DE_LOCAL --kind proof_of_address -o "$TEST_DIR/copy.pdf"
  cmp "$TEST_DIR/copy.pdf" "$(doc)"
}

@test "pending: cancel withdraws the order at once; flag, replace and restore are refused" {
  numctl buy $DE_LOCAL
  refused flag $DE_LOCAL
  refused replace $DE_LOCAL
  refused restore $DE_LOCAL
  refused unflag $DE_LOCAL
  numctl cancel $DE_LOCAL
  [ "$(status_of $DE_LOCAL)" = cancelled ]
}

@test "active: assign, unassign, flag and cancel; approve, unflag, replace and restore are refused" {
  numctl team add Support
  numctl buy $DE_MOBILE
  numctl assign $DE_MOBILE --team Support
  [ "$(numctl show $DE_MOBILE --json | jq -r .team)" = Support ]
  numctl unassign $DE_MOBILE
  [ "$(numctl show $DE_MOBILE --json | jq -r .team)" = null ]
  refused approve $DE_MOBILE
  refused unflag $DE_MOBILE
  refused replace $DE_MOBILE
  refused restore $DE_MOBILE
  refused reject $DE_MOBILE --reason x
  numctl flag $DE_MOBILE --reason spam
  [ "$(status_of $DE_MOBILE)" = high_risk ]
  [ "$(numctl show $DE_MOBILE --json | jq -r .risk_reason)" = spam ]
  numctl unflag $DE_MOBILE
  [ "$(status_of $DE_MOBILE)" = active ]
  run numctl cancel $DE_MOBILE --reason closing
  [[ "$output" == *"still receives calls until 2026-02-09T12:00:00Z"* ]]
  [ "$(status_of $DE_MOBILE)" = to_be_cancelled ]
}

@test "high_risk: assign, unflag, cancel and replace allowed; flag refused" {
  numctl buy $GB_MOBILE
  numctl flag $GB_MOBILE
  refused flag $GB_MOBILE
  numctl team add Ops
  numctl assign $GB_MOBILE --team Ops
  numctl cancel $GB_MOBILE
  numctl restore $GB_MOBILE
  [ "$(status_of $GB_MOBILE)" = high_risk ]
}

@test "to_be_cancelled: restore, and routing its calls while it still rings; cancelled: only buy again" {
  numctl buy $DE_MOBILE
  numctl cancel $DE_MOBILE
  for action in flag unflag cancel replace approve; do refused $action $DE_MOBILE; done
  [[ "$stderr" == *"is to_be_cancelled: approve is not allowed (allowed: assign, unassign, restore, set, emergency set, cnam set)"* ]]
  numctl team add Ops
  numctl assign $DE_MOBILE --team Ops
  [ "$(numctl show $DE_MOBILE --json | jq -r .team)" = Ops ]
  numctl team add Sales
  numctl filter --team Ops --format plain | numctl assign - --team Sales
  numctl team remove Ops
  numctl unassign $DE_MOBILE
  [ "$(status_of $DE_MOBILE)" = to_be_cancelled ]
  NUMCTL_NOW=2026-02-09T12:00:00Z numctl sweep
  [ "$(status_of $DE_MOBILE)" = cancelled ]
  for action in flag cancel restore unassign; do refused $action $DE_MOBILE; done
  numctl buy $DE_MOBILE
  [ "$(status_of $DE_MOBILE)" = active ]
}

@test "unknown team or member is exit 3 with a suggestion" {
  numctl team add Support
  numctl buy $DE_MOBILE
  run_split assign $DE_MOBILE --team Suport
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"did you mean 'Support'"* ]]
  run numctl assign $DE_MOBILE --member Nobody
  [ "$status" -eq 3 ]
}

@test "batches are all-or-nothing and name every offender" {
  numctl buy $DE_MOBILE $GB_MOBILE $DE_LOCAL
  numctl cancel $GB_MOBILE
  before=$(db_checksum)
  run_split flag $DE_MOBILE $GB_MOBILE $DE_LOCAL +4930999999
  [ "$status" -eq 3 ]  # not found wins over refused, whatever the order
  [[ "$stderr" == *"3 of 4 numbers refused, nothing changed"* ]]
  [[ "$stderr" == *"+44 7400 100001 is to_be_cancelled"* && "$stderr" == *"+49 30 123456 is pending"* && "$stderr" == *"+4930999999 is not in the inventory"* ]]
  [ "$(db_checksum)" = "$before" ]
}

@test "numbers from stdin with -, and --dry-run changes nothing" {
  numctl buy $DE_MOBILE $GB_MOBILE
  before=$(db_checksum)
  run numctl list --format plain
  printf '%s\n' "${lines[@]}" | numctl cancel - --dry-run
  [ "$(db_checksum)" = "$before" ]
  # Blank lines, comments, indentation and CRLF line ends are read past; the last line needs no
  # line end.
  printf '# to cancel\r\n\n  %s\r\n\t# %s\n%s' $DE_MOBILE $GB_MOBILE $DE_MOBILE | numctl --quiet flag - > /dev/null
  [ "$(status_of $DE_MOBILE)" = high_risk ]
  [ "$(status_of $GB_MOBILE)" = active ]
  numctl unflag $DE_MOBILE > /dev/null
  numctl list --format plain | numctl cancel -
  [ "$(status_of $DE_MOBILE)" = to_be_cancelled ]
  [ "$(status_of $GB_MOBILE)" = to_be_cancelled ]
}

@test "mutating commands print the list schema with --json; replace prints old and new" {
  numctl buy $GB_MOBILE
  run numctl flag $GB_MOBILE --json
  [ "$(echo "$output" | jq -r '.[0].status')" = high_risk ]
  run numctl replace $GB_MOBILE --json
  [ "$(echo "$output" | jq -r .old.status)" = to_be_cancelled ]
  [ "$(echo "$output" | jq -r .new.replaces)" = $GB_MOBILE ]
  [ "$(echo "$output" | jq -r .old.replaced_by)" = "$(echo "$output" | jq -r .new.number)" ]
}

@test "replace takes several numbers from stdin in one transaction" {
  numctl buy $GB_MOBILE +447400100002 $DE_MOBILE
  numctl flag $GB_MOBILE +447400100002
  run numctl filter --status red --format plain
  printf '%s\n' "${lines[@]}" | numctl replace - --json > "$TEST_DIR/out.json"
  [ "$(jq length "$TEST_DIR/out.json")" -eq 2 ]
  [ "$(jq -r '[.[].old.status] | unique | join(",")' "$TEST_DIR/out.json")" = to_be_cancelled ]
  numctl flag $DE_MOBILE
  refused replace $DE_MOBILE +447400100002
  [ "$(status_of $DE_MOBILE)" = high_risk ]
  run numctl replace $DE_MOBILE $GB_MOBILE --with +491512000000
  [ "$status" -eq 2 ]
}

@test "replace --with a number in another country is refused" {
  numctl buy $GB_MOBILE
  numctl flag $GB_MOBILE
  run_split replace $GB_MOBILE --with $DE_MOBILE
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"keeps the country"* ]]
  numctl replace $GB_MOBILE --with +447400100999
  [ "$(status_of +447400100999)" = active ]
}

@test "sweep is idempotent, prints JSON for scripts and expires stale pending orders" {
  numctl buy $DE_MOBILE $DE_LOCAL
  numctl cancel $DE_MOBILE
  run numctl sweep --json --now 2026-02-09T12:00:00Z --dry-run
  [ "$(echo "$output" | jq -c .released)" = "[\"$DE_MOBILE\"]" ]
  [ "$(status_of $DE_MOBILE)" = to_be_cancelled ]
  run env NUMCTL_NOW=2026-02-09T12:00:00Z $NUMCTL_BIN sweep --json
  [ "$(echo "$output" | jq -c .released)" = "[\"$DE_MOBILE\"]" ]
  [ "$(echo "$output" | jq -c .expired)" = "[\"$DE_LOCAL\"]" ]
  run env NUMCTL_NOW=2026-02-09T12:00:00Z $NUMCTL_BIN sweep --json
  [ "$status" -eq 0 ]
  [ "$output" = '{"released":[],"expired":[],"owed":[],"dry_run":false}' ]
}

@test "a release's audit row names the team or member the number had, and the number is unassigned" {
  numctl team add Ops
  numctl team add Sales
  numctl member add Dana --team Sales
  numctl buy $DE_MOBILE $GB_MOBILE +447400100002
  numctl assign $DE_MOBILE --team Ops
  numctl assign $GB_MOBILE --member Dana
  numctl cancel $DE_MOBILE $GB_MOBILE +447400100002
  NUMCTL_NOW=2026-02-09T12:00:00Z numctl sweep
  details() { numctl history "$1" --json | jq -c '[.[] | select(.action == "release") | .details | {team, member}]'; }
  [ "$(details $DE_MOBILE)" = '[{"team":"Ops","member":null}]' ]
  [ "$(details $GB_MOBILE)" = '[{"team":"Sales","member":"Dana"}]' ]
  [ "$(details +447400100002)" = '[{"team":null,"member":null}]' ]
  [ "$(numctl filter --status cancelled --json | jq -c '[.[] | .team, .member]')" = '[null,null,null,null,null,null]' ]
}

@test "lifecycle --format dot is the picture in docs/" {
  run numctl lifecycle --format dot
  [ "$status" -eq 0 ]
  [[ "$output" == "digraph numctl_lifecycle {"* ]]
  diff <(numctl lifecycle --format dot) "$NUMCTL_SOURCE_DIR/docs/lifecycle.dot"
}

@test "the full story: documents, approval, assignment, risk, replacement, grace, release, history" {
  numctl team add Support
  NUMCTL_ACTOR=bob numctl buy $DE_LOCAL --team Support --label 'Berlin desk'
  [ "$(status_of $DE_LOCAL)" = pending ]
  numctl docs submit $DE_LOCAL --kind proof_of_address --file "$(doc)"
  numctl approve $DE_LOCAL
  [ "$(status_of $DE_LOCAL)" = active ]
  numctl member add Dana --team Support
  numctl assign $DE_LOCAL --member Dana
  numctl flag $DE_LOCAL --reason 'spam label'
  run numctl replace $DE_LOCAL --json
  new=$(echo "$output" | jq -r .new.number)
  [ "$(echo "$output" | jq -r .new.status)" = pending ]      # DE local needs documents again
  [ "$(echo "$output" | jq -r .new.member)" = Dana ]
  [ "$(echo "$output" | jq -r .new.label)" = 'Berlin desk' ]
  [ "$(echo "$output" | jq -r .old.release_at)" = 2026-02-09T12:00:00Z ]
  [ "$(status_of "$new")" = pending ]
  NUMCTL_NOW=2026-02-09T12:00:00Z numctl docs submit "$new" --kind proof_of_address --file "$(doc)"
  NUMCTL_NOW=2026-02-09T12:00:00Z numctl approve "$new"
  # One second before release_at the old number still rings; at release_at it is released.
  NUMCTL_NOW=2026-02-09T11:59:59Z numctl sweep
  [ "$(status_of $DE_LOCAL)" = to_be_cancelled ]
  NUMCTL_NOW=2026-02-09T12:00:00Z numctl sweep
  [ "$(status_of $DE_LOCAL)" = cancelled ]
  run numctl history $DE_LOCAL --json
  [ "$(echo "$output" | jq -r '[.[].action] | join(",")')" = "buy,submit_documents,approve,assign,flag,replace,release" ]
  [ "$(echo "$output" | jq -r '.[0].actor')" = bob ]
  [ "$(echo "$output" | jq -r '.[1].actor')" = alice ]
  [ "$(echo "$output" | jq -r '.[5].from + ">" + .[5].to')" = "high_risk>to_be_cancelled" ]
  run numctl history $DE_LOCAL
  [[ "$output" == *"alice  flag  active → high_risk"* ]]
}
