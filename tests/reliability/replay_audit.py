#!/usr/bin/env python3
"""Replays the audit history of a numctl database and compares it with the numbers table.

Prints one line per number whose final status or assignee differs from what its history
says, and exits 1 if there is any. The assignee is the member when there is one, else the team.
"""
import json
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
state = {}
for number, action, to_status, details in db.execute(
        "SELECT number, action, to_status, details FROM audit WHERE number <> '' ORDER BY id"):
    d = json.loads(details)
    status, assignee = state.get(number, (None, None))
    if to_status is not None:
        status = to_status
    if action in ("buy", "import"):
        assignee = d.get("member") or d.get("team")
        if status == "cancelled":
            assignee = None
    elif action == "assign":
        assignee = d.get("member") or d.get("team")
    elif action in ("unassign", "release", "expire"):
        assignee = None
    elif action == "cancel" and to_status == "cancelled":
        assignee = None
    state[number] = (status, assignee)

problems = 0
rows = db.execute(
    "SELECT n.e164, n.status, m.name, COALESCE(t.name, mt.name) FROM numbers n"
    " LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id"
    " LEFT JOIN teams mt ON mt.id = m.team_id")
count = 0
for e164, status, member, team in rows:
    count += 1
    expected = state.get(e164)
    actual = (status, member or team)
    if expected is None or expected != actual:
        problems += 1
        print(f"{e164}: table says {actual}, history says {expected}")
print(f"replayed {count} numbers, {problems} differ", file=sys.stderr)
sys.exit(1 if problems else 0)
