#!/usr/bin/env bash
# Numbers whose grace period ends within 7 days: they stop ringing then (number, release time, team).
set -euo pipefail
now=${NUMCTL_NOW:-$(date -u +%FT%TZ)}
until=$(date -u -d "$now + 7 days" +%FT%TZ)
numctl filter --status to_be_cancelled --sort release_at --json |
  jq -r --arg until "$until" '.[] | select(.release_at <= $until) | "\(.number)\t\(.release_at)\t\(.team // "-")"'
