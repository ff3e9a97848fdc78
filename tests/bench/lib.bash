# Shared by the benchmarks (run, reputation, postgres): hyperfine medians of numctl and of the
# reference tool doing the same work, their ratio against the target, printed as a table.
# The caller sets: work (directory), runs (default hyperfine runs), reference (its name).
results=()
say() { printf '%s\n' "$*" >&2; }

# measure NAME TARGET NUMCTL-COMMAND REFERENCE-COMMAND [PREPARE-NUMCTL] [PREPARE-REFERENCE] [RUNS]
measure() {
  local name=$1 target=$2 ours=$3 theirs=$4 prepare_ours=${5:-true} prepare_theirs=${6:-true} n=${7:-$runs}
  # Each preparation ends with sync: the files it copies or removes are written back before the
  # timed run starts, not during it.
  printf '%s\nsync\n' "$prepare_ours" > "$work/prepare-ours.sh"
  printf '%s\nsync\n' "$prepare_theirs" > "$work/prepare-theirs.sh"
  hyperfine -N --style none --runs "$n" --warmup $((n > 2 ? 1 : 0)) \
    --prepare "sh $work/prepare-ours.sh" "$ours" --prepare "sh $work/prepare-theirs.sh" "$theirs" \
    --export-json "$work/h.json" >/dev/null 2>&1 || hyperfine -N --runs "$n" \
    --prepare "sh $work/prepare-ours.sh" "$ours" --prepare "sh $work/prepare-theirs.sh" "$theirs" \
    --export-json "$work/h.json" >&2
  local a b
  a=$(jq '.results[0].median * 1000' "$work/h.json")
  b=$(jq '.results[1].median * 1000' "$work/h.json")
  results+=("$(printf '%s|%.1f|%.1f|%.2f|%s' "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)" "$target")")
  say "  $name: numctl $(printf %.1f "$a") ms, $reference $(printf %.1f "$b") ms"
}

# print_results TITLE: the table of every measure so far.
print_results() {
  printf '\n%s, %s (%s cores)\n\n' "$1" "$(uname -m)" "$(nproc)"
  printf '| operation | numctl median (ms) | %s median (ms) | ratio | target |\n|---|---:|---:|---:|---|\n' "$reference"
  local row name a b ratio target
  for row in "${results[@]}"; do
    IFS='|' read -r name a b ratio target <<< "$row"
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$a" "$b" "$ratio" "$target"
  done
}
