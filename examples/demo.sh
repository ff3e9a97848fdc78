#!/usr/bin/env bash
# A short story on a throw-away database: buy, document, assign, flag, replace, cancel, sweep.
set -euo pipefail
NUMCTL=${NUMCTL:-numctl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset NUMCTL_DATABASE_URL  # the demo is the embedded default: a SQLite file of its own
export NUMCTL_DB=$work/numbers.db NUMCTL_ACTOR=demo XDG_CONFIG_HOME=$work/config
unset NUMCTL_CONFIG
export NUMCTL_NOW=2026-11-02T09:00:00Z
say() { if [[ -t 1 ]]; then printf '\n\033[1m$ numctl %s\033[0m\n' "$*"; else printf '\n$ numctl %s\n' "$*"; fi; "$NUMCTL" "$@"; }

echo "numctl demo: a throw-away inventory in $work"
say team add Support
say team add Sales
say member add "Ada Lovelace" --team Sales
say buy --country US --type toll_free --count 2 --team Support --label Hotline
say buy --country GB --type mobile --member "Ada Lovelace"
say buy --country DE --type local --team Sales --label "Berlin office"
berlin=$("$NUMCTL" list --country DE --format plain | head -1)
printf '%%PDF lease' > "$work/lease.pdf"
say docs submit "$berlin" --kind proof_of_address --file "$work/lease.pdf"
say approve "$berlin"
spam=$("$NUMCTL" list --country GB --format plain | head -1)
say flag "$spam" --reason "labelled spam by carriers"
say replace "$spam"
hotline=$("$NUMCTL" list --country US --format plain | tail -1)
say cancel "$hotline" --reason "campaign ended"
say list
echo; echo "… a month later, cron runs the sweep:"
export NUMCTL_NOW=2026-12-03T09:00:00Z
say sweep
say list --all --format boxes
say stats
say history "$spam"
