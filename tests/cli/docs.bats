#!/usr/bin/env bats
# What the README and the guide tell an operator to type works, in the order they tell it; the
# dot legend is what a terminal shows.

load helpers

# The numctl lines of the ```sh blocks of a Markdown file, in order.
doc_commands() {
  awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && /^numctl / { print }' "$1"
}

docs_setup() {
  mkdir -p "$TEST_DIR/bin" "$TEST_DIR/work"
  ln -s "$NUMCTL_BIN" "$TEST_DIR/bin/numctl"
  export PATH=$TEST_DIR/bin:$PATH
  cd "$TEST_DIR/work"
  printf '%%PDF lease' >lease.pdf  # the guide's documents
  printf '%%PDF letter of authorization' >loa.pdf
}

run_doc() {
  local file=$1 line count=0
  while IFS= read -r line; do
    count=$((count + 1))
    run bash -o pipefail -c "$line"
    if [ "$status" -ne 0 ]; then
      echo "$file: '$line' exited $status: $output" >&2
      return 1
    fi
  done < <(doc_commands "$NUMCTL_SOURCE_DIR/$file")
  [ "$count" -gt 3 ]
}

@test "the README's first steps run as written" {
  docs_setup
  run_doc README.md
  [ "$(numctl list --format plain | wc -l)" -eq 2 ]
  [ "$(status_of +4930901820)" = pending ]
}

@test "the guide's examples run as written, in order" {
  docs_setup
  numctl team add Legacy >/dev/null  # the team the guide's batch example closes
  run_doc docs/guide.md
  [ "$(status_of +4930901820)" = active ]
  run numctl show +4930901820 --json
  [[ "$output" == *'"label":"Berlin office"'* ]]
  # Inline examples the guide names.
  run bash -o pipefail -c 'numctl due --json | jq length'
  [ "$status" -eq 0 ]
  run numctl help
  [[ "$output" == *"Usage: numctl"* ]]
}

@test "a number split by the shell is explained, not refused as three numbers" {
  run_split buy +49 30 901820
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"'+49 30 901820' looks like one number split by the shell at its spaces: quote it"* ]]
}

@test "the README's dot legend is what the terminal shows, in colour and without" {
  numctl buy +447400100001 +447400100002 +447400100003 +4930901820 >/dev/null
  numctl flag +447400100002 >/dev/null
  numctl cancel +447400100003 >/dev/null
  printf '%%PDF loa' >"$TEST_DIR/loa.pdf"
  numctl port-in create +13125550100 --loa "$TEST_DIR/loa.pdf" --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' >/dev/null
  readme=$(tr '\n' ' ' <"$NUMCTL_SOURCE_DIR/README.md")
  declare -A colour=([32]=green [33]=yellow [31]=red [90]=grey [34]=blue)
  for status in active pending high_risk porting_in to_be_cancelled; do
    plain=$(numctl list --status "$status" --color never | sed -n 2p | cut -d' ' -f1)
    [[ "$readme" == *"$plain \`$status\`"* ]] || { echo "no '$plain \`$status\`' in README" >&2; return 1; }
    code=$(numctl list --status "$status" --color always | sed -n 2p | sed -E 's/^\x1b\[([0-9]+)m●.*/\1/')
    [[ "$readme" == *"${colour[$code]} \`$status\`"* ]] || { echo "no '${colour[$code]} \`$status\`' in README" >&2; return 1; }
  done
}
