#!/usr/bin/env python3
"""Fails when a category's precision or recall on the seed corpus drops
below a floor. Runs the shared scorer and reads its table.

usage: score-gate.py --gold GOLD OUT.jsonl --scorer score.py --min CATEGORY:P:R [--min ...]
"""
import argparse, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("--gold", required=True)
ap.add_argument("--scorer", required=True)
ap.add_argument("--min", action="append", default=[], help="CATEGORY:MIN_PRECISION:MIN_RECALL")
ap.add_argument("diagnostics")
a = ap.parse_args()

table = subprocess.run([sys.executable, a.scorer, "--gold", a.gold, a.diagnostics, "-v"],
                       check=True, capture_output=True, text=True).stdout
print(table)
rows = {}
for line in table.splitlines()[1:]:
    parts = line.split()
    if len(parts) == 8 and "/" in parts[4]:
        rows[parts[0]] = (float(parts[5]), float(parts[6]))
failed = False
for floor in a.min:
    cat, p_min, r_min = floor.split(":")
    p, r = rows.get(cat, (0.0, 0.0))
    ok = p >= float(p_min) and r >= float(r_min)
    print(f"{cat}: precision {p:.2f} (min {p_min}), recall {r:.2f} (min {r_min}): {'ok' if ok else 'FAILED'}")
    failed |= not ok
sys.exit(1 if failed else 0)
