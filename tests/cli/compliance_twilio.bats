#!/usr/bin/env bats
# Regulated numbers at Twilio (bundle first): regulations read from the carrier, a bundle built,
# evaluated, submitted and reviewed at the stateful Twilio fake, whose verdict moves the numbers.

load helpers
load carrier

teardown() {
  stop_fakes
  rm -rf "$TEST_DIR"
}

# Files a reviewer would get: PDFs by their first bytes.
documents() {
  printf '%%PDF-1.4 lease of Acme GmbH, Berlin\n' >"$TEST_DIR/lease.pdf"
  printf '%%PDF-1.4 Handelsregister HRB 12345\n' >"$TEST_DIR/register.pdf"
  printf '%%PDF-1.4 a newer lease\n' >"$TEST_DIR/lease2.pdf"
}

# create_acme [MORE ARGS]: the DE local business bundle, missing what MORE does not add.
create_acme() {
  numctl compliance create acme-de --country DE --type local --end-user business \
    --field business_name='Acme GmbH' --field email=ops@acme.example --document proof_of_address="$TEST_DIR/lease.pdf" "$@"
}

complete_acme() {
  create_acme --field business_registration_number=HRB12345 --document business_registration="$TEST_DIR/register.pdf"
}

bundle_status() { fake_control bundle "{\"name\": \"acme-de\", \"status\": \"$1\", \"failure_reason\": \"${2:-}\"}"; }
fake_compliance() { curl -sf "$FAKE/__control/compliance"; }

@test "regulations come from Twilio, cached with the time read; --refresh reads them again; [regulation] is not consulted" {
  start_twilio
  printf '[regulation.DE]\nlocal = ["tax_id"]\n' >>"$NUMCTL_CONFIG"
  run numctl regulations --country DE --type local
  [ "$status" -eq 0 ]
  [[ "$output" == *"DE local, end user business at twilio"* ]]
  [[ "$output" == *"field     business_name (Business Name)"* ]]
  [[ "$output" == *"document  proof_of_address (Proof of Address) accepts utility_bill, lease_agreement"* ]]
  [[ "$output" != *"tax_id"* ]]
  [ "$(fake_count GET Regulations)" -eq 1 ]
  numctl regulations --country DE --type local --json | jq -e '.[0].source == "twilio" and (.[0].read_at | startswith("2026-01-10")) and ([.[].end_user_type] == ["business", "individual"])' >/dev/null
  [ "$(fake_count GET Regulations)" -eq 1 ]  # from the cache
  numctl regulations --country DE --type local --refresh >/dev/null
  [ "$(fake_count GET Regulations)" -eq 2 ]
  run numctl regulations --country GB --type mobile
  [[ "$output" == "twilio requires nothing for GB numbers"* ]]
}

@test "create builds end user, documents and bundle once, runs Twilio's evaluation and names what is missing; submit refuses until complete" {
  start_twilio
  documents
  run create_acme
  [ "$status" -eq 0 ]
  [[ "$output" == *"created acme-de (DE local at twilio, end user business): draft"* ]]
  [[ "$output" == *"missing: business_info.business_registration_number, business_registration"* ]]
  fake_compliance | jq -e '.bundles | length == 1 and .[0].friendly_name == "numctl-1 acme-de" and (.[0].items | length) == 2' >/dev/null
  fake_compliance | jq -e '.end_users == 1 and .document_types == ["utility_bill"]' >/dev/null
  # The file went to the upload host as multipart, with its name; numctl keeps it too.
  jq -s -e '[.[] | select(.path == "/v2/RegulatoryCompliance/SupportingDocuments" and .method == "POST")][0].form | .Type == "utility_bill" and (.File | startswith("lease.pdf"))' "$FAKE_LOG" >/dev/null
  numctl compliance show acme-de --json | jq -e '.status == "draft" and .documents[0].kind == "proof_of_address" and .documents[0].file == "lease.pdf"' >/dev/null
  run_split compliance submit acme-de
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"bundle acme-de still misses business_info.business_registration_number, business_registration"* ]]
  # Nothing was submitted: no POST to the bundle itself.
  [ "$(jq -s '[.[] | select(.method == "POST" and (.path | test("Bundles/BU[0-9a-f]{32}$")))] | length' "$FAKE_LOG")" -eq 0 ]
  numctl compliance update acme-de --field business_registration_number=HRB12345 --document business_registration="$TEST_DIR/register.pdf" >/dev/null
  numctl compliance show acme-de --json | jq -e '.missing == [] and (.fields | sort) == ["business_name", "business_registration_number", "email"]' >/dev/null
  run numctl compliance submit acme-de
  [ "$status" -eq 0 ]
  [[ "$output" == *"submitted acme-de"*": in_review (twilio pending-review)"* ]]
  fake_compliance | jq -e '.bundles[0].status == "pending-review" and (.bundles[0].items | length) == 3 and .end_users == 1' >/dev/null
  # A name is one profile: a second create of it is refused.
  run_split compliance create ACME-DE --country DE --type local --end-user business
  [ "$status" -eq 4 ]
}

@test "fields and documents are the carrier's names; an unknown one, a file that is no PDF/PNG/JPEG, a missing end user type: refused, nothing built" {
  start_twilio
  documents
  run_split compliance create acme-de --country DE --type local --end-user business --field tax_number=1
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"'tax_number' is not a field twilio asks for DE local numbers (fields: business_name, business_registration_number, email"* ]]
  printf 'plain text\n' >"$TEST_DIR/notes.txt"
  run_split compliance create acme-de --country DE --type local --end-user business --document proof_of_address="$TEST_DIR/notes.txt"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"is not a PDF, PNG or JPEG file"* ]]
  run_split compliance create acme-de --country DE --type local
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"take an end user of type business or individual: say which with --end-user"* ]]
  run_split compliance create acme-de --country DE --type local --end-user business --field business_name
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--field takes NAME=VALUE"* ]]
  [ "$(fake_count POST RegulatoryCompliance)" -eq 0 ]
  [ "$(numctl compliance list --json)" = "[]" ]
}

@test "buy in a regulated country: refused before any order without an approved bundle; --when-approved waits; approve is the carrier's" {
  start_twilio
  documents
  numctl team add Ops >/dev/null
  run_split buy +49309010100 --team Ops
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"DE local numbers at twilio need an approved bundle"*"numctl compliance create NAME --country DE --type local"* ]]
  complete_acme >/dev/null
  numctl compliance submit acme-de >/dev/null
  run_split buy +49309010100 --team Ops
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"bundle acme-de is in_review at twilio (pending-review): buy once it is approved"*"--when-approved"* ]]
  [ "$(fake_count POST IncomingPhoneNumbers)" -eq 0 ]
  run numctl buy +49309010100 --team Ops --when-approved --json
  [ "$status" -eq 0 ]
  [ "$(fake_count POST IncomingPhoneNumbers)" -eq 0 ]  # the order waits for the bundle
  numctl show +49309010100 --json | jq -e '.status == "pending" and .compliance == "acme-de" and .compliance_status == "in_review" and .team == "Ops"' >/dev/null
  COLUMNS=160 run numctl list
  [[ "${lines[1]}" == *"pending"*"waiting for acme-de (in_review)"* ]]
  run numctl due
  [[ "$output" == *"waiting for acme-de (in_review); numctl compliance refresh places the order once it is approved"* ]]
  run_split approve +49309010100
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"its regulatory review belongs to twilio (acme-de is in_review); numctl compliance refresh (or sync) reads the carrier's verdict"* ]]
  run_split reject +49309010100 --reason 'looks wrong'
  [ "$status" -eq 4 ]
  # sync does not call a waiting number missing at the carrier.
  run numctl sync
  [ "$status" -eq 0 ]
  [[ "$output" == *"in sync"* ]]
}

@test "rejected: the carrier's reason in list, show, due and JSON; fixed and resubmitted, approved: the waiting order is placed, active by the carrier" {
  start_twilio
  documents
  numctl team add Ops >/dev/null
  complete_acme >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 --team Ops --when-approved >/dev/null
  bundle_status twilio-rejected "The proof of address is older than 3 months"
  run numctl compliance refresh
  [ "$status" -eq 0 ]
  [[ "$output" == *"acme-de (DE local at twilio, end user business): rejected (twilio twilio-rejected)"* ]]
  [[ "$output" == *"reason: The proof of address is older than 3 months"* ]]
  COLUMNS=160 run numctl list
  [[ "${lines[1]}" == *"pending"*"The proof of address is older than 3 months"* ]]
  numctl show +49309010100 --json | jq -e '.compliance_status == "rejected" and .compliance_reason == "The proof of address is older than 3 months"' >/dev/null
  run numctl show +49309010100
  [[ "$output" == *"compliance    acme-de (rejected): The proof of address is older than 3 months"* ]]
  run numctl due
  [[ "$output" == *"documents rejected by the carrier: The proof of address is older than 3 months, fix with numctl compliance update acme-de"* ]]
  numctl compliance list --json | jq -e '.[0].status == "rejected" and .[0].reason == "The proof of address is older than 3 months" and .[0].numbers[0].number == "+49309010100"' >/dev/null
  # Fixed and sent again.
  numctl compliance update acme-de --document proof_of_address="$TEST_DIR/lease2.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  bundle_status twilio-approved
  run numctl compliance refresh --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.ordered == ["+49309010100"] and .activated == ["+49309010100"] and .changed[0].status == "approved"' >/dev/null
  [ "$(fake_held)" = "+49309010100" ]
  jq -s -e --arg bu "$(numctl compliance show acme-de --json | jq -r .carrier_ref)" '[.[] | select(.method == "POST" and (.path | endswith("IncomingPhoneNumbers.json")))][-1].form.BundleSid == $bu' "$FAKE_LOG" >/dev/null
  numctl show +49309010100 --json | jq -e '.status == "active" and .team == "Ops" and (.provider_ref | startswith("PN")) and .compliance_status == "approved"' >/dev/null
  numctl history +49309010100 --json | jq -e '.[-1].action == "carrier_approve" and .[-1].actor == "carrier" and (.[-1].details.compliance | startswith("BU"))' >/dev/null
  # The review history is kept with the profile, and audited.
  numctl compliance show acme-de --json | jq -e '[.history[].state] == ["draft", "in_review", "rejected", "in_review", "approved"]' >/dev/null
  [ "$(numctl log --actor alice --json | jq '[.[] | select(.action == "compliance_review")] | length')" -ge 2 ]
  # The bundle's files are the number's documents too.
  numctl docs get +49309010100 --kind business_registration -o "$TEST_DIR/copy.pdf"
  cmp "$TEST_DIR/copy.pdf" "$TEST_DIR/register.pdf"
  # With an approved bundle, the next purchase is ordered at once and active.
  run numctl buy +49309010107
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010107)" = active ]
  numctl show +49309010107 --json | jq -e '.compliance == "acme-de"' >/dev/null
}

@test "a number taken at Twilio while it waited for the bundle: a similar one is ordered instead, said in the audit" {
  start_twilio
  documents
  complete_acme >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 --label 'Berlin desk' --when-approved >/dev/null
  fake_control taken '{"numbers": ["+49309010100"]}'  # another customer bought it meanwhile
  bundle_status twilio-approved
  run numctl compliance refresh --json
  [ "$status" -eq 0 ]
  new=$(echo "$output" | jq -r '.ordered[0]')
  [[ "$new" == +4930901* && "$new" != +49309010100 ]]
  [ "$(status_of +49309010100)" = cancelled ]
  numctl history +49309010100 --json | jq -e --arg new "$new" '.[-1].action == "cancel" and (.[-1].details.reason | contains("while waiting for bundle acme-de; ordered " + $new + " instead"))' >/dev/null
  numctl show "$new" --json | jq -e '.status == "active" and .label == "Berlin desk" and .compliance == "acme-de"' >/dev/null
}

@test "kill -9 between creating the bundle at Twilio and recording it, then refresh: exactly one bundle, one end user" {
  start_twilio
  documents
  fake_control fault '{"method": "POST", "path": "RegulatoryCompliance/Bundles", "stall": 10}'
  "$NUMCTL_BIN" compliance create acme-de --country DE --type local --end-user business --field business_name='Acme GmbH' \
    --field email=ops@acme.example --document proof_of_address="$TEST_DIR/lease.pdf" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ "$(fake_compliance | jq '.bundles | length')" -eq 1 ] && break; sleep 0.05; done
  kill -9 "$pid"
  wait "$pid" || true
  numctl compliance show acme-de --json | jq -e '.status == "creating" and .carrier_ref == null' >/dev/null
  run numctl compliance refresh
  [ "$status" -eq 0 ]
  fake_compliance | jq -e '.bundles | length == 1 and (.[0].items | length) == 2' >/dev/null
  fake_compliance | jq -e '.end_users == 1 and .documents == 1' >/dev/null
  numctl compliance show acme-de --json | jq -e --arg bu "$(fake_compliance | jq -r '.bundles[0].sid')" '.status == "draft" and .carrier_ref == $bu' >/dev/null
  [ "$(sql "SELECT state FROM carrier_calls WHERE kind = 'compliance'")" = done ]
}

@test "an answer lost after Twilio made the bundle: found by its name, never made twice" {
  start_twilio
  documents
  fake_control fault '{"method": "POST", "path": "RegulatoryCompliance/Bundles", "lose": true}'
  run complete_acme
  [ "$status" -eq 0 ]
  fake_compliance | jq -e '.bundles | length == 1' >/dev/null
  [ "$(fake_count GET "RegulatoryCompliance/Bundles")" -ge 1 ]
  numctl compliance show acme-de --json | jq -e '.status == "draft" and .missing == []' >/dev/null
}

@test "--verbose and the fake's view of requests never show the profile's personal data in numctl's output" {
  start_twilio
  documents
  run_split --verbose compliance create acme-de --country DE --type local --end-user business \
    --field business_name='Zelda Quuxington GmbH' --field email=zelda@private.example --document proof_of_address="$TEST_DIR/lease.pdf"
  [ "$status" -eq 0 ]
  [[ "$stderr$output" != *"Zelda"* && "$stderr$output" != *"zelda@private"* ]]
  run numctl compliance show acme-de --json
  [[ "$output" != *"Zelda"* ]]
}

@test "the offline providers keep [regulation], docs submit and approve; compliance needs a carrier" {
  printf '%%PDF-1.4\n' >"$TEST_DIR/lease.pdf"
  numctl buy +4930901820 >/dev/null
  numctl docs submit +4930901820 --kind proof_of_address --file "$TEST_DIR/lease.pdf" >/dev/null
  run numctl approve +4930901820
  [ "$status" -eq 0 ]
  [ "$(status_of +4930901820)" = active ]
  run numctl regulations --country DE --type local --json
  echo "$output" | jq -e '.[0].source == "[regulation]" and .[0].requirements[0].name == "proof_of_address"' >/dev/null
  run_split compliance create acme-de --country DE --type local
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"compliance profiles live at a carrier; [provider] kind is catalog"* ]]
}

@test "a pending order the carrier holds is never expired by numctl: due says how long it has waited" {
  start_twilio
  documents
  complete_acme >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 --when-approved >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z run numctl sweep --json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq '.expired | length')" -eq 0 ]
  [ "$(status_of +49309010100)" = pending ]
  NUMCTL_NOW=2026-02-20T12:00:00Z run numctl due --format json
  echo "$output" | jq -e '[.[] | select(.event == "carrier_pending")][0].action | startswith("pending at the carrier for 41 days (acme-de is in_review)")' >/dev/null
}

@test "Prism, on Twilio's official documents (Regulatory Compliance v2 and REST API 2010), finds every compliance request valid" {
  start_twilio
  start_prism
  documents
  numctl regulations --country DE --type local --refresh >/dev/null
  create_acme >/dev/null
  numctl compliance update acme-de --field business_registration_number=HRB12345 --document business_registration="$TEST_DIR/register.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  numctl buy +49309010100 --when-approved >/dev/null
  bundle_status twilio-rejected "Blurred scan"
  numctl compliance refresh >/dev/null
  numctl compliance update acme-de --document proof_of_address="$TEST_DIR/lease2.pdf" >/dev/null
  numctl compliance submit acme-de >/dev/null
  bundle_status twilio-approved
  numctl compliance refresh >/dev/null
  numctl sync >/dev/null
  [ "$(status_of +49309010100)" = active ]
  # Every Regulatory Compliance request and the order went through Prism, and it found none off the documents.
  [ "$(grep -c 'Request received' "$PRISM_LOG")" -ge 20 ]
  grep -q 'GET /v2/RegulatoryCompliance/Regulations' "$PRISM_LOG" || grep -q 'Regulations' "$PRISM_LOG"
  [ -z "$(prism_violations)" ]
  # And it does judge these paths: a request off the document is reported.
  curl -s -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" -X POST -d 'Email=x@example.com' "$PRISM/v2/RegulatoryCompliance/Bundles" >/dev/null
  grep -q 'Violation: request' "$PRISM_LOG"
}

@test "bash completes compliance subcommands, profile names (operands and --compliance) and the document kinds their carrier asks for" {
  start_twilio
  documents
  create_acme >/dev/null
  mkdir -p "$TEST_DIR/bin"
  ln -s "$NUMCTL_BIN" "$TEST_DIR/bin/numctl"
  export PATH=$TEST_DIR/bin:$PATH
  source "$NUMCTL_SOURCE_DIR/completions/numctl.bash"
  complete_bash() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _numctl
    echo "${COMPREPLY[*]}"
  }
  [ "$(complete_bash numctl compliance s)" = "submit show" ]
  [ "$(complete_bash numctl compliance submit ac)" = "acme-de" ]
  [ "$(complete_bash numctl buy +49309010100 --compliance a)" = "acme-de" ]
  [ "$(complete_bash numctl compliance update acme-de --document b)" = "business_registration=" ]
  [ "$(complete_bash numctl reg)" = "regulations" ]
  # Completion reads the cache: it never calls the carrier.
  before=$(wc -l <"$FAKE_LOG")
  complete_bash numctl compliance update acme-de --document '' >/dev/null
  [ "$(wc -l <"$FAKE_LOG")" -eq "$before" ]
}

@test "the guide's worked example for Germany at Twilio runs as written, against the fake" {
  start_twilio
  documents
  mkdir -p "$TEST_DIR/work" "$TEST_DIR/bin"
  cp "$TEST_DIR/lease.pdf" "$TEST_DIR/register.pdf" "$TEST_DIR/work/"
  fake_control offer '{"country": "DE", "kind": "local", "numbers": ["+4930901820"]}'  # the guide's number
  ln -s "$NUMCTL_BIN" "$TEST_DIR/bin/numctl"
  export PATH=$TEST_DIR/bin:$PATH
  cd "$TEST_DIR/work"
  numctl team add Support >/dev/null
  # The ```shell block of the guide's section, continuation lines joined, comments kept out.
  commands=$(awk '/^```shell$/ { on = 1; next } /^```/ { on = 0 } on' "$NUMCTL_SOURCE_DIR/docs/guide.md" |
    sed -e 's/[[:space:]]#.*$//' -e '/^#/d' | awk '/\\$/ { sub(/\\$/, ""); line = line $0; next } { print line $0; line = "" }')
  [ "$(echo "$commands" | grep -c '^numctl ')" -ge 5 ]
  while IFS= read -r line; do
    [[ $line == "numctl compliance refresh"* ]] && bundle_status twilio-approved
    run bash -o pipefail -c "$line"
    [ "$status" -eq 0 ] || { echo "'$line' exited $status: $output" >&2; false; }
  done <<<"$commands"
  [ "$(status_of +4930901820)" = active ]
  numctl show +4930901820 --json | jq -e '.team == "Support" and .compliance == "acme-de"' >/dev/null
}

@test "a pending number Twilio sold before numctl mirrored its review keeps numctl's own: docs submit, then approve" {
  start_twilio
  fake_control hold '{"numbers": ["+49309010100"]}'
  sid=$(curl -sf "$FAKE/__control/state" | jq -r '.held["+49309010100"]')
  printf 'number,type,status,provider,provider_ref\n+49309010100,local,pending,twilio,%s\n' "$sid" >"$TEST_DIR/in.csv"
  numctl import "$TEST_DIR/in.csv" >/dev/null
  printf '%%PDF-1.4 lease\n' >"$TEST_DIR/lease.pdf"
  numctl docs submit +49309010100 --kind proof_of_address --file "$TEST_DIR/lease.pdf" >/dev/null
  run numctl approve +49309010100
  [ "$status" -eq 0 ]
  [ "$(status_of +49309010100)" = active ]
}

@test "a submission whose answer is lost leaves the bundle in review at Twilio; the next refresh reads it so, and the verdict still lands" {
  start_twilio
  documents
  complete_acme >/dev/null
  fake_control fault '{"method": "POST", "path": "RegulatoryCompliance/Bundles/BU", "lose": true, "count": 5}'
  run_split compliance submit acme-de
  [ "$status" -eq 6 ]
  fake_control reset '{}'
  fake_compliance | jq -e '.bundles[0].status == "pending-review"' >/dev/null
  numctl compliance show acme-de --json | jq -e '.status == "draft"' >/dev/null
  run numctl compliance refresh
  [ "$status" -eq 0 ]
  numctl compliance show acme-de --json | jq -e '.status == "in_review" and .carrier_status == "pending-review"' >/dev/null
  bundle_status twilio-approved
  numctl compliance refresh >/dev/null
  numctl compliance show acme-de --json | jq -e '.status == "approved"' >/dev/null
}
