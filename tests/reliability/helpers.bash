# Shared set-up for the reliability suites (on top of the end-to-end helpers).
load ../cli/helpers

# CSV of N valid German mobile numbers starting at OFFSET, optionally spread over teams.
numbers_csv() {
  local count=$1 offset=${2:-0} teams=${3:-0}
  python3 - "$count" "$offset" "$teams" <<'PY'
import sys
count, offset, teams = (int(a) for a in sys.argv[1:4])
out = ["number,team"]
for i in range(offset, offset + count):
    team = f"T{i % teams}" if teams else ""
    out.append(f"+491512{i:07d},{team}")
sys.stdout.write("\n".join(out) + "\n")
PY
}

# The engine's own consistency check: SQLite's integrity_check; PostgreSQL checks as it writes.
integrity() { if on_postgres; then echo ok; else sqlite3 "$NUMCTL_DB" 'PRAGMA integrity_check'; fi; }
