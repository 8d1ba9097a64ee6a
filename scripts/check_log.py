#!/usr/bin/env python3
"""An independent check of a session log's hash chain, written from the recipe in
README.md ("A log that shows tampering") and nothing else, to check that recipe
against a real log.

Each event's row is `id,at,member,kind,unit,code,before,after,comment,target,round`,
a field quoted (double quotes, inner quotes doubled) only when it holds a comma,
a double quote, a line feed or a carriage return, an absent value empty. Its hash
is the SHA-256, in lower-case hex, of the UTF-8 bytes of the previous event's hash
(nothing before the first event), the row and one line feed. Ids follow each other.

Usage: thamdinh log COUNCIL --format csv > log.csv
       python3 scripts/check_log.py log.csv
Prints "whole up to event N" and exits 0, or names the first event that does
not fit and exits 1.
"""
import csv, hashlib, sys

FIELDS = ["id", "at", "member", "kind", "unit", "code", "before", "after",
          "comment", "target", "round"]

def quoted(field):
    if any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field

def main(path):
    previous, last = "", 0
    with open(path, encoding="utf-8", newline="") as f:
        for e in csv.DictReader(f):
            event = int(e["id"])
            if event != last + 1:
                print(f"event {event}: events {last + 1} to {event - 1} are missing")
                return 1
            row = ",".join(quoted(e[k]) for k in FIELDS)
            digest = hashlib.sha256((previous + row + "\n").encode("utf-8")).hexdigest()
            if digest != e["hash"]:
                print(f"event {event} does not fit the chain")
                return 1
            previous, last = e["hash"], event
    print(f"whole up to event {last}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
