#!/usr/bin/env python3
"""Replays a numctl inventory's audit history and compares it with its numbers.

Usage: replay_audit.py LOG.json LIST.json, from `numctl log --json` (newest first) and
`numctl list --all --json`: read through numctl itself, so it holds for either engine.
Prints one line per number whose final status or assignee differs from what its history
says, and exits 1 if there is any. The assignee is the member when there is one, else the team.
"""
import json
import sys

log = json.load(open(sys.argv[1]))
numbers = json.load(open(sys.argv[2]))
state = {}
for entry in reversed(log):  # oldest first
    number, action, to_status, d = entry["number"], entry["action"], entry["to"], entry["details"] or {}
    if not number:
        continue
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
for row in numbers:
    expected = state.get(row["number"])
    actual = (row["status"], row["member"] or row["team"])
    if expected is None or expected != actual:
        problems += 1
        print(f"{row['number']}: list says {actual}, history says {expected}")
print(f"replayed {len(numbers)} numbers, {problems} differ", file=sys.stderr)
sys.exit(1 if problems else 0)
