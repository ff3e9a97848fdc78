#!/usr/bin/env bash
# Cancel every number of a team in one all-or-nothing batch; they keep ringing for the grace period.
# Usage: cancel-team-numbers.sh TEAM [REASON]
set -euo pipefail
team=${1:?usage: cancel-team-numbers.sh TEAM [REASON]}
reason=${2:-"team $team closed"}
numctl filter --team "$team" --status active,high_risk --format plain | numctl cancel - --reason "$reason"
