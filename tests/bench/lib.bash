# Shared by the benchmarks (run, reputation, usage, postgres): hyperfine medians of numctl and of the
# reference tool doing the same work, their ratio against the target, printed as a table.
# The caller sets: work (directory), runs (default hyperfine runs), reference (its name).
results=()
say() { printf '%s\n' "$*" >&2; }

# measure NAME TARGET NUMCTL-COMMAND REFERENCE-COMMAND [PREPARE-NUMCTL] [PREPARE-REFERENCE] [RUNS]
# The two commands take turns, one run each (which goes first alternating), and the medians are
# over all their runs: this machine's speed drifts by a third within seconds, and hyperfine's
# usual order (every run of one command, then every run of the other) let the drift fall on one
# side. `list --limit 20`, the same two binaries three times each way: 1.11-1.12 in blocks,
# 1.02-1.07 taking turns.
measure() {
  local name=$1 target=$2 ours=$3 theirs=$4 prepare_ours=${5:-true} prepare_theirs=${6:-true} n=${7:-$runs}
  # Each preparation ends with sync: the files it copies or removes are written back before the
  # timed run starts, not during it.
  printf '%s\nsync\n' "$prepare_ours" > "$work/prepare-ours.sh"
  printf '%s\nsync\n' "$prepare_theirs" > "$work/prepare-theirs.sh"
  # Rows of ten runs or more (the millisecond ones) warm each side before every measured run, as
  # a script calling numctl in a loop finds it; the others warm once, at the start.
  local each=$((n >= 10 ? 1 : 0)) warmup=$((n > 2 && n < 10 ? 1 : 0)) round ours_at mine=() refs=()
  local args
  for ((round = 0; round < warmup + n; round++)); do
    ours_at=$((round % 2))  # numctl goes first in even rounds, second in odd ones
    if ((ours_at)); then
      args=(--prepare "sh $work/prepare-theirs.sh" "$theirs" --prepare "sh $work/prepare-ours.sh" "$ours")
    else
      args=(--prepare "sh $work/prepare-ours.sh" "$ours" --prepare "sh $work/prepare-theirs.sh" "$theirs")
    fi
    args=(-N --runs 1 --warmup "$each" --export-json "$work/h.json" "${args[@]}")
    hyperfine --style none "${args[@]}" >/dev/null 2>&1 || hyperfine "${args[@]}" >&2
    ((round < warmup)) && continue
    mine+=("$(jq ".results[$ours_at].times[0] * 1000" "$work/h.json")")
    refs+=("$(jq ".results[$((1 - ours_at))].times[0] * 1000" "$work/h.json")")
  done
  local a b
  a=$(median "${mine[@]}") b=$(median "${refs[@]}")
  results+=("$(printf '%s|%.1f|%.1f|%.2f|%s' "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)" "$target")")
  say "  $name: numctl $(printf %.1f "$a") ms, $reference $(printf %.1f "$b") ms"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

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
