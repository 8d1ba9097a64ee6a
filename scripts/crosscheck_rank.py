#!/usr/bin/env python3
"""An independent reading of a council folder's ranking, written apart from the
Rust code, to check `thamdinh rank --format csv` against: self-assessed, or with
the council's decisions from a session log (`thamdinh log --format csv`), where
a leaf's value is the latest round's decision where one was made, else the
previous round's, else the self points.

Usage: python3 scripts/crosscheck_rank.py data/demo [log.csv] > ranking.csv
"""
import csv, glob, io, sys, tomllib
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction as F

def load(p):
    return tomllib.load(open(p, "rb"), parse_float=Decimal)

def leaves(fw):
    for f in fw["field"]:
        for c in f["criterion"]:
            for l in c.get("sub", [c]):
                yield l

def decisions(log):
    """(unit, code) -> the value in force: per round, the last change in that
    round; then the latest round that changed the leaf."""
    by_round = {}
    for e in csv.DictReader(open(log, encoding="utf-8")):
        if e["kind"] in ("decide", "undo", "redo"):
            by_round.setdefault((e["unit"], e["code"]), {})[int(e["round"])] = e["after"]
    return {k: v[max(v)] for k, v in by_round.items()}

def value(l, i, decided):
    """(points, not applicable) of a leaf, from a decision's stored value or the claim."""
    if decided is not None and decided != "":
        if decided == "na":
            return F(0), True
        if "/" in decided:
            n, d = decided.split("/")
            ratio = F(int(n), int(d)) * 100
            return next((F(str(b["points"])) for b in l["bands"] if F(str(b["min"])) <= ratio), F(0)), False
        return F(decided), False
    if i.get("na") or (l["kind"] == "ratio" and i.get("denominator") == 0):
        return F(0), True
    if l["kind"] == "ratio":
        if "numerator" in i:
            ratio = F(i["numerator"], i["denominator"]) * 100
            return next((F(str(b["points"])) for b in l["bands"] if F(str(b["min"])) <= ratio), F(0)), False
        return F(0), False
    return F(str(i.get("points", 0))), False

def main(folder, log=None):
    decided = decisions(log) if log else {}
    council = load(f"{folder}/council.toml")
    fws = {fw["id"]: fw for fw in (load(p) for p in glob.glob(f"{folder}/frameworks/*.toml"))}
    assess = {a["unit"]: a for a in (load(p) for p in glob.glob(f"{folder}/assessments/*.toml"))}
    survey = {}
    for p in glob.glob(f"{folder}/surveys/*.toml"):
        for r in load(p).get("result", []):
            survey[(r["unit"], r["code"])] = F(str(r["points"]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow("group,rank,unit,name,self_points,points,max_points,index,band".split(","))
    for g in council["group"]:
        fw = fws[g["framework"]]
        rows = []
        for u in (u for u in council["unit"] if u["group"] == g["id"]):
            items = {i["code"]: i for i in assess.get(u["id"], {}).get("item", [])}
            total, self_total, mx = F(0), F(0), F(0)
            for l in leaves(fw):
                i = items.get(l["code"], {})
                # A bonus leaf's max is not part of the unit's max.
                lmax = F(0) if l["kind"] == "bonus" else F(str(l.get("max", 0)))
                if l["kind"] == "survey":
                    p = survey.get((u["id"], l["code"]), F(0))
                    total += p; self_total += p; mx += lmax; continue
                sp, sna = value(l, i, None)
                if not sna:
                    self_total += sp
                p, na = value(l, i, decided.get((u["id"], l["code"])))
                if na:
                    continue
                mx += lmax
                total += p
            self_total = max(self_total, F(0))
            total = max(total, F(0))
            index = total / mx * 100
            if "max_index" in fw:
                # The framework caps the index (bonus points can pass the max).
                index = min(index, F(str(fw["max_index"])))
            band = next(b["name"] for b in fw["band"] if F(str(b["min"])) <= index)
            rows.append((u["id"], u["name"], total, mx, index, band, self_total))
        rows.sort(key=lambda r: (-r[4], r[0]))
        rank = 0
        for n, r in enumerate(rows):
            if n == 0 or r[4] != rows[n - 1][4]:
                rank = n + 1
            fmt = lambda x: str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))
            w.writerow([g["id"], rank, r[0], r[1], fmt(r[6]), fmt(r[2]), fmt(r[3]), fmt(r[4]), r[5]])
    sys.stdout.write(out.getvalue())

main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
