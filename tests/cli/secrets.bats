#!/usr/bin/env bats
# Secrets and hostile text: passwords in database locations and carrier URLs are never printed,
# text from outside cannot forge a line on the terminal, credentials never travel in clear text.

load helpers

@test "migrate --to takes a path, a postgresql:// URI or a libpq keyword string; another scheme is refused, nothing made" {
  numctl team add Ops
  cd "$TEST_DIR"
  run_split migrate --to sqlite:///srv/x.db
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"'sqlite://...' is not a database numctl opens"* ]]
  [ ! -e "$TEST_DIR/sqlite:" ]
  # A keyword string is a server, never a file named after it; its password is never printed.
  run_split migrate --to "host=$TEST_DIR/no-server dbname=x user=u password = Sekr3t-to"
  [ "$status" -eq 5 ]
  [[ "$stderr$output" != *"Sekr3t-to"* ]]
  run ls "$TEST_DIR"
  [[ $output != *"host="* && $output != *"sqlite"* ]]
}
