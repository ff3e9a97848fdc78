#!/usr/bin/env bats
# Emergency addresses and caller ID names kept in the ledger (the offline providers): addresses
# added, shown, refused for removal while used; registrations set for a batch through stdin,
# all-or-nothing; a team's default on buy and assign; the gap report in emergency gaps, due and
# stats; CNAM checked before anything is written; JSON and CSV carry the three fields.

load helpers

hq() {
  numctl address add HQ --street '100 Main St' --city Springfield --region IL --postal-code 62701 --country US \
    --customer-name 'Acme Inc' "$@"
}

@test "address add, list, show (exit 3 for an unknown name) and remove, each audited" {
  run hq --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.name == "HQ" and .state == "local" and .street == "100 Main St" and .country == "US"' >/dev/null
  numctl address list --format json | jq -e 'length == 1 and .[0].name == "HQ"' >/dev/null
  numctl address show hq --format json | jq -e '.name == "HQ" and .numbers == 0 and .teams == 0' >/dev/null
  run_split address show Depot
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no address named 'Depot'"* ]]
  run_split address add HQ --street '1 Elm St' --city Springfield --region IL --postal-code 62701 --country US
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"an address named HQ exists already"* ]]
  run_split address add Bad --street '' --city X --region Y --postal-code 1 --country ZZ
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--street is required"* && "$stderr" == *"--country ZZ is not an ISO 3166-1 country code"* ]]
  numctl address remove HQ >/dev/null
  [ "$(numctl address list --format json)" = "[]" ]
  numctl log --format json | jq -e '[.[].action] | index("address_add") != null and index("address_remove") != null' >/dev/null
}

@test "emergency set for a batch from stdin; JSON and CSV carry emergency_address, emergency_status and cnam on every number" {
  hq >/dev/null
  numctl buy --country US --type local --count 3 >/dev/null
  numctl list --format json | jq -e 'all(.[]; has("emergency_address") and .emergency_address == null and
    has("emergency_status") and .emergency_status == null and has("cnam") and .cnam == null)' >/dev/null
  numctl list --format plain | head -2 | numctl emergency set - --address HQ >/dev/null
  numctl list --format json | jq -e '[.[] | select(.emergency_address == "HQ" and .emergency_status == "registered")] | length == 2' >/dev/null
  numctl list --format csv | head -1 | grep -q ',emergency_address,emergency_status,cnam'
  [ "$(numctl list --emergency registered --format plain | wc -l)" -eq 2 ]
  [ "$(numctl list --emergency none --format plain | wc -l)" -eq 1 ]
  [ "$(numctl filter --emergency-address hq --format plain | wc -l)" -eq 2 ]
  first=$(numctl list --format plain | head -1)
  numctl history "$first" --json | jq -e '.[-1].action == "emergency" and (.[-1].details.address == "HQ")' >/dev/null
  numctl show "$first" | grep -q 'emergency *HQ (registered)'
  numctl emergency clear "$first" >/dev/null
  numctl show "$first" --json | jq -e '.emergency_address == null and .emergency_status == null' >/dev/null
}

@test "a batch with a toll-free number, a number of another country and an unknown one changes nothing and names each" {
  hq >/dev/null
  local_number=$(numctl buy --country US --type local --format plain)
  toll_free=$(numctl buy --country US --type toll_free --format plain)
  german=$(numctl buy --country DE --type local --format plain)
  before=$(db_checksum)
  run_split emergency set "$local_number" "$toll_free" "$german" +12025550000 --address HQ
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"toll-free numbers make no emergency calls"* ]]
  [[ "$stderr" == *"a DE number; address HQ is in US"* ]]
  [[ "$stderr" == *"+12025550000 is not in the inventory"* ]]
  [ "$(db_checksum)" = "$before" ]
  run_split emergency set "$local_number" --address Depot
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no address named 'Depot'"* ]]
}

@test "a team's default address on buy and assign; address remove refused while a number or team uses it" {
  hq >/dev/null
  numctl team add Support >/dev/null
  numctl team add Sales >/dev/null
  numctl team set Support --emergency-address HQ >/dev/null
  bought=$(numctl buy --country US --type mobile --team Support --format plain)
  numctl show "$bought" --json | jq -e '.emergency_address == "HQ" and .emergency_status == "registered"' >/dev/null
  other=$(numctl buy --country US --type local --team Sales --format plain)
  numctl show "$other" --json | jq -e '.emergency_address == null' >/dev/null
  numctl assign "$other" --team Support >/dev/null
  numctl show "$other" --json | jq -e '.emergency_address == "HQ"' >/dev/null
  before=$(db_checksum)
  run_split address remove HQ
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"in use by 2 numbers and 1 teams"* ]]
  [ "$(db_checksum)" = "$before" ]
  numctl list --format plain | numctl emergency clear - >/dev/null
  numctl team set Support --no-emergency-address >/dev/null
  numctl address remove HQ >/dev/null
}

@test "one batch assigning to a team with a default address: each number assigned once, the address where it applies" {
  hq >/dev/null
  numctl team add Support >/dev/null
  numctl team set Support --emergency-address HQ >/dev/null
  numctl buy --country US --type local --count 2 >/dev/null
  numctl buy --country US --type toll_free >/dev/null
  # The first local number reads the address mid-batch (on PostgreSQL: the batch's held writes
  # go first); the rest follow it.
  run_split assign - --team Support < <(numctl list --format plain)
  [ "$status" -eq 0 ]
  [ "$(numctl list --team Support --format plain | wc -l)" -eq 3 ]
  [ "$(numctl list --emergency-address HQ --format plain | wc -l)" -eq 2 ]
  for n in $(numctl list --format plain); do
    [ "$(numctl history "$n" --json | jq '[.[] | select(.action == "assign")] | length')" -eq 1 ]
  done
}

@test "the gap report: emergency gaps, due and stats count numbers that call without a registered address, in [emergency] countries" {
  hq >/dev/null
  numctl buy --country US --type local --count 3 >/dev/null
  numctl buy --country US --type toll_free >/dev/null
  numctl buy --country DE --type local >/dev/null
  [ "$(numctl emergency gaps --format plain | wc -l)" -eq 3 ]
  numctl due --json | jq -e '[.[] | select(.event == "emergency_missing")] | length == 1 and (.[0].action | test("^3 numbers in US, CA"))' >/dev/null
  numctl stats --json | jq -e '.emergency.missing == 3 and .emergency.registered == 0 and .emergency.countries == ["US", "CA"]' >/dev/null
  numctl emergency gaps --format plain | head -2 | numctl emergency set - --address HQ >/dev/null
  numctl stats --json | jq -e '.emergency.missing == 1 and .emergency.registered == 2' >/dev/null
  numctl stats | grep -q 'Emergency addresses (US, CA): 1 missing, 0 failed, 0 pending'
  # A cancelled number no longer calls: out of the report; released, its registration is gone.
  registered=$(numctl list --emergency registered --format plain | head -1)
  numctl cancel "$registered" >/dev/null
  numctl stats --json | jq -e '.emergency.registered == 1' >/dev/null
  NUMCTL_NOW=2026-03-01T00:00:00Z numctl sweep >/dev/null
  numctl show "$registered" --json | jq -e '.status == "cancelled" and .emergency_address == null' >/dev/null
  # [emergency] countries sets the scope; a bad code is a config error (exit 5).
  export NUMCTL_CONFIG=$TEST_DIR/numctl.toml
  printf '[emergency]\ncountries = ["CA"]\n' >"$NUMCTL_CONFIG"
  [ -z "$(numctl emergency gaps --format plain)" ]
  printf '[emergency]\ncountries = ["XX"]\n' >"$NUMCTL_CONFIG"
  run_split stats
  [ "$status" -eq 5 ]
  [[ "$stderr" == *"[emergency] countries must be ISO 3166-1 codes such as US; XX is not one"* ]]
}

@test "cnam set checks the name before anything (15 letters, digits and spaces); cnam clear; offline it is the ledger's" {
  number=$(numctl buy --country US --type local --format plain)
  before=$(db_checksum)
  run_split cnam set "$number" --name 'ACME SUPPORT DESK'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"is 17 characters; a caller ID name takes at most 15"* ]]
  run_split cnam set "$number" --name 'ACME & CO'
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"holds '&'"* ]]
  [ "$(db_checksum)" = "$before" ]
  numctl cnam set "$number" --name 'ACME SUPPORT' >/dev/null
  numctl show "$number" --json | jq -e '.cnam == "ACME SUPPORT"' >/dev/null
  numctl history "$number" --json | jq -e '.[-1].action == "caller_name"' >/dev/null
  numctl cnam clear "$number" >/dev/null
  numctl show "$number" --json | jq -e '.cnam == null' >/dev/null
}
