#!/usr/bin/env bash
# Numbers per team, as tab-separated lines (team, count), busiest first.
set -euo pipefail
numctl list --json |
  jq -r 'group_by(.team) | map({team: (.[0].team // "(no team)"), count: length})
         | sort_by(-.count, .team) | .[] | "\(.team)\t\(.count)"'
