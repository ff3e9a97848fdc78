#!/usr/bin/env bats
# The operator's day: what a new operator ran into, each an end-to-end scenario.

load helpers

@test "filters naming an unknown team or member exit 3 with a suggestion; --country UK suggests GB" {
  numctl team add Support >/dev/null
  numctl member add 'Grace Hopper' --team Support >/dev/null
  run_split filter --team Suport
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no team named 'Suport'; did you mean 'Support'?"* ]]
  run_split stats --member 'Grace Hoper'
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"did you mean 'Grace Hopper'?"* ]]
  run_split filter --country UK
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean GB"* ]]
  run_split available --country UK
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"did you mean GB"* ]]
  run_split filter --country XX
  [ "$status" -eq 2 ]
  run numctl filter --team support --format plain
  [ "$status" -eq 0 ]
}
