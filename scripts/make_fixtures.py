#!/usr/bin/env python3
"""Writes tests/fixtures/mini (a small valid council with every leaf kind) and
tests/fixtures/broken/<case>/ (mini with exactly one defect, plus `expect`:
the file, the line and a part of the message the loader must report).

Run from the repository root: python3 scripts/make_fixtures.py
"""
import os, shutil

MINI = {
"council.toml": '''name = "Hội đồng thẩm định thử"
authority = "UBND tỉnh Thử"
year = 2025

[[member]]
id = "an"
name = "Nguyễn Văn An"
role = "Chủ tịch Hội đồng"
chair = true

[[member]]
id = "binh"
name = "Trần Thị Bình"
role = "Thành viên"
conflicts = ["xa-b"]

[[group]]
id = "xa"
name = "Xã"
framework = "fw"

[[unit]]
id = "xa-a"
name = "Xã A"
group = "xa"

[[unit]]
id = "xa-b"
name = "Xã B"
group = "xa"

[[unit]]
id = "xa-c"
name = "Xã C"
group = "xa"
''',
"frameworks/fw.toml": '''id = "fw"
name = "Bộ tiêu chí thử"
year = 2025

[[band]]
name = "Tốt"
min = 80

[[band]]
name = "Khá"
min = 0

[[field]]
code = "1"
name = "Chỉ đạo, điều hành"
max = 5

  [[field.criterion]]
  code = "1.1"
  name = "Kế hoạch"

    [[field.criterion.sub]]
    code = "1.1.1"
    name = "Ban hành kế hoạch"
    max = 1
    kind = "levels"
    levels = [{ points = 1, label = "Đúng hạn" }, { points = 0.5, label = "Chậm" }, { points = 0, label = "Không" }]

    [[field.criterion.sub]]
    code = "1.1.2"
    name = "Sáng kiến"
    max = 2
    kind = "range"
    na = true

  [[field.criterion]]
  code = "1.2"
  name = "Hồ sơ đúng hạn"
  max = 2
  kind = "ratio"
  bands = [{ min = 95, points = 2 }, { min = 80, points = 1 }]
  na = true

  [[field.criterion]]
  code = "1.3"
  name = "Vi phạm"
  kind = "deduction"
  min = -1

[[field]]
code = "2"
name = "Hài lòng"

  [[field.criterion]]
  code = "2.1"
  name = "Hài lòng của người dân"
  max = 1
  kind = "survey"
''',
"assessments/a.toml": '''unit = "xa-a"
framework = "fw"
submitted = 2026-01-10
signed_by = "Chủ tịch UBND Xã A"

[[item]]
code = "1.1.1"
points = 1
note = "Kế hoạch ban hành ngày 20/12/2024"
evidence = [{ ref = "Kế hoạch số 12/KH-UBND ngày 20/12/2024", file = "evidence/kh-12.pdf" }]

[[item]]
code = "1.1.2"
points = 1.5
evidence = [{ ref = "Quyết định số 5/QĐ-UBND ngày 05/03/2025" }]

[[item]]
code = "1.2"
numerator = 96
denominator = 100
evidence = [{ ref = "Báo cáo số 30/BC-UBND ngày 15/12/2025" }]

[[item]]
code = "1.3"
points = -0.25
''',
"assessments/b.toml": '''unit = "xa-b"
framework = "fw"
submitted = 2026-01-12

[[item]]
code = "1.1.1"
points = 0.5

[[item]]
code = "1.1.2"
na = true
note = "Không phát sinh"

[[item]]
code = "1.2"
numerator = 0
denominator = 0
''',
"surveys/s.toml": '''name = "Khảo sát thử"

[[result]]
unit = "xa-a"
code = "2.1"
points = 0.8

[[result]]
unit = "xa-b"
code = "2.1"
points = 0.95
''',
"evidence/kh-12.pdf": "%PDF-1.4 demo\n",
}

# (case, file, old, new, expected file, part of the message); the expected line
# is the line where `new` starts in the expected file (or `at`, a marker text).
CASES = [
 ("syntax", "assessments/a.toml", "points = 1.5", "points = = 1.5", "assessments/a.toml", "not valid TOML", None),
 ("unknown-key", "assessments/a.toml", "points = 1.5", "pointz = 1.5", "assessments/a.toml", "unknown key `pointz`", None),
 ("three-decimals", "assessments/a.toml", "points = 1.5", "points = 1.125", "assessments/a.toml", "more than two decimals", None),
 ("above-max", "assessments/a.toml", "points = 1.5", "points = 2.5", "assessments/a.toml", "2.5 lies outside 0 to 2", None),
 ("not-a-level", "assessments/a.toml", "points = 1\n", "points = 0.75\n", "assessments/a.toml", "0.75 is not one of the levels; allowed: 1, 0.5, 0", None),
 ("numerator-above-denominator", "assessments/a.toml", "numerator = 96", "numerator = 101", "assessments/a.toml", "numerator 101 is above denominator 100", None),
 ("na-not-allowed", "assessments/a.toml", "points = 1\n", "na = true\n", "assessments/a.toml", "1.1.1 may not be declared not applicable", None),
 ("unit-not-in-roster", "assessments/a.toml", 'unit = "xa-a"', 'unit = "xa-z"', "assessments/a.toml", "unit `xa-z` is not in the roster", None),
 ("wrong-framework", "assessments/a.toml", 'framework = "fw"', 'framework = "so-2025"', "assessments/a.toml", "whose framework is `fw`; this file says `so-2025`", None),
 ("duplicate-member", "council.toml", 'id = "binh"', 'id = "an"', "council.toml", "member id `an` is used twice", "LAST"),
 ("duplicate-unit", "council.toml", 'id = "xa-c"', 'id = "xa-b"', "council.toml", "unit id `xa-b` is used twice", "LAST"),
 ("duplicate-code", "frameworks/fw.toml", 'code = "1.3"', 'code = "1.2"', "frameworks/fw.toml", "code 1.2 is used twice", "LAST"),
 ("code-scored-twice", "assessments/b.toml", 'code = "1.2"', 'code = "1.1.1"', "assessments/b.toml", "1.1.1 is scored twice (first on line 6)", "LAST"),
 ("field-max-not-sum", "frameworks/fw.toml", "max = 5", "max = 6", "frameworks/fw.toml", "declares max 6 but its leaves' max add up to 5", None),
 ("bands-out-of-order", "frameworks/fw.toml", "min = 80", "min = 0", "frameworks/fw.toml", "strictly decreasing", "min = 0\n\n[[field]]"),
 ("bands-not-ending-at-zero", "frameworks/fw.toml", 'name = "Khá"\nmin = 0', 'name = "Khá"\nmin = 50', "frameworks/fw.toml", "the last band has min 50; it must have min = 0", "min = 50"),
 ("survey-item", "assessments/b.toml", 'code = "1.2"\nnumerator = 0\ndenominator = 0', 'code = "2.1"\nnote = "Tự chấm"', "assessments/b.toml", "2.1 is a survey leaf", None),
 ("survey-not-survey-leaf", "surveys/s.toml", 'code = "2.1"\npoints = 0.95', 'code = "1.1.1"\npoints = 0.95', "surveys/s.toml", "1.1.1 is not a survey leaf", None),
 ("survey-unknown-unit", "surveys/s.toml", 'unit = "xa-b"', 'unit = "xa-q"', "surveys/s.toml", "unit `xa-q`, which is not in the roster", None),
 ("survey-above-max", "surveys/s.toml", "points = 0.95", "points = 1.25", "surveys/s.toml", "survey points 1.25 lie outside 0 to the leaf's max 1", None),
 ("evidence-escapes", "assessments/a.toml", 'file = "evidence/kh-12.pdf"', 'file = "../../etc/passwd"', "assessments/a.toml", "leaves the council folder", None),
 ("evidence-absolute", "assessments/a.toml", 'file = "evidence/kh-12.pdf"', 'file = "/etc/passwd"', "assessments/a.toml", "is absolute", None),
 ("invalid-utf8", "assessments/b.toml", 'note = "Không phát sinh"', 'note = "Kh\udcffng"', "assessments/b.toml", "not valid UTF-8", None),
 ("empty-council", "council.toml", None, "", "council.toml", "the file is empty", None),
 ("huge-value", "assessments/a.toml", "points = 1.5", "points = 1e300", "assessments/a.toml", "is too large", None),
 ("two-assessments", "assessments/b.toml", 'unit = "xa-b"', 'unit = "xa-a"', "assessments/b.toml", "a second self-assessment for unit `xa-a`: assessments/a.toml already has one", None),
 ("code-not-a-leaf", "assessments/a.toml", 'code = "1.1.2"', 'code = "1.1"', "assessments/a.toml", "1.1 is a criterion with sub-criteria", None),
 ("unknown-code", "assessments/a.toml", 'code = "1.1.2"', 'code = "9.9"', "assessments/a.toml", "framework `fw` has no leaf 9.9", None),
 ("missing-key", "assessments/a.toml", "submitted = 2026-01-10\n", "", "assessments/a.toml", "missing required key `submitted`", "unit = "),
 ("deduction-positive", "assessments/a.toml", "points = -0.25", "points = 0.5", "assessments/a.toml", "0.5 lies outside -1 to 0", None),
 ("no-chair", "council.toml", "chair = true\n", "", "council.toml", "no member has chair = true", "name = "),
 ("two-chairs", "council.toml", 'role = "Thành viên"\n', 'role = "Thành viên"\nchair = true\n', "council.toml", "member `binh` is a second chair", "chair = true\nconflicts"),
 ("two-secretaries", "council.toml", 'chair = true\n\n[[member]]\nid = "binh"\nname = "Trần Thị Bình"\nrole = "Thành viên"\n', 'chair = true\nsecretary = true\n\n[[member]]\nid = "binh"\nname = "Trần Thị Bình"\nrole = "Thành viên"\nsecretary = true\n', "council.toml", "member `binh` is a second secretary", "secretary = true\nconflicts"),
 ("unknown-framework", "council.toml", 'framework = "fw"', 'framework = "fw-2024"', "council.toml", "uses framework `fw-2024`, which no file in frameworks/ declares", None),
 ("unknown-group", "council.toml", 'id = "xa-c"\nname = "Xã C"\ngroup = "xa"', 'id = "xa-c"\nname = "Xã C"\ngroup = "phuong"', "council.toml", "is in group `phuong`, which is not declared", 'group = "phuong"'),
 ("level-above-max", "frameworks/fw.toml", "{ points = 1, label", "{ points = 1.5, label", "frameworks/fw.toml", "level points 1.5 lie outside 0 to the leaf's max 1", None),
 ("unknown-kind", "frameworks/fw.toml", 'kind = "range"', 'kind = "bonus"', "frameworks/fw.toml", 'kind "bonus" is not known', None),
 ("nan-points", "assessments/a.toml", "points = 1.5", "points = nan", "assessments/a.toml", "is not a finite number", None),
 ("inf-points", "assessments/a.toml", "points = 1.5", "points = inf", "assessments/a.toml", "is not a finite number", None),
 ("ratio-given-points", "assessments/a.toml", "numerator = 96\ndenominator = 100", "points = 2", "assessments/a.toml", "1.2 is a ratio leaf: give `numerator` and `denominator`", None),
 ("invalid-unit-id", "council.toml", 'id = "xa-c"', 'id = "xã c"', "council.toml", "unit id `xã c` is not valid", None),
 ("conflict-unknown-unit", "council.toml", 'conflicts = ["xa-b"]', 'conflicts = ["xa-x"]', "council.toml", "lists conflict `xa-x`, which is not a unit of the roster", None),
 ("unit-id-case", "council.toml", 'id = "xa-c"', 'id = "XA-B"', "council.toml", "unit id `XA-B` differs from `xa-b` only in upper and lower case", 'id = "XA-B"'),
 ("no-points", "assessments/a.toml", "points = 1.5\n", "", "assessments/a.toml", "1.1.2 has no `points`", 'code = "1.1.2"'),
 ("item-not-a-table", "assessments/a.toml", "[[item]]\ncode = \"1.3\"\npoints = -0.25\n", "item = 5\n", "assessments/a.toml", "unknown key `item`", "item = 5"),
 ("deduction-without-min", "frameworks/fw.toml", "min = -1\n", "", "frameworks/fw.toml", "1.3 is a deduction leaf but has no `min`", 'kind = "deduction"'),
 ("submitted-not-a-date", "assessments/b.toml", "submitted = 2026-01-12", "submitted = 2026-01-12T08:00:00", "assessments/b.toml", "submitted must be a date", None),
 ("negative-denominator", "assessments/a.toml", "denominator = 100", "denominator = -100", "assessments/a.toml", "counts, 0 or more", None),
 ("denominator-zero-not-na", "frameworks/fw.toml", "bands = [{ min = 95, points = 2 }, { min = 80, points = 1 }]\n  na = true", "bands = [{ min = 95, points = 2 }, { min = 80, points = 1 }]", "assessments/b.toml", "denominator 0 would make the leaf not applicable", "denominator = 0"),
 ("ratio-band-above-max", "frameworks/fw.toml", "{ min = 95, points = 2 }", "{ min = 95, points = 3 }", "frameworks/fw.toml", "band points 3 lie outside 0 to the leaf's max 2", None),
 ("criterion-without-kind", "frameworks/fw.toml", '  kind = "survey"\n', "", "frameworks/fw.toml", "2.1 has neither sub-criteria nor `kind`", 'code = "2.1"'),
]

def write(root, files):
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        open(p, "wb").write(data)

def main():
    base = "tests/fixtures"
    for d in ("mini", "broken"):
        shutil.rmtree(os.path.join(base, d), ignore_errors=True)
    write(os.path.join(base, "mini"), MINI)
    for name, rel, old, new, exp_file, part, at in CASES:
        files = dict(MINI)
        if old is None:
            files[rel] = new
        else:
            assert files[rel].count(old) >= 1, (name, old)
            files[rel] = files[rel].replace(old, new, 1)
        text = files[exp_file]
        marker = at if at is not None else new
        if marker == "LAST":
            idx = text.rfind(new)
        else:
            idx = text.find(marker) if marker else 0
        assert idx >= 0, (name, marker)
        line = text[:idx].count("\n") + 1
        write(os.path.join(base, "broken", name), files)
        open(os.path.join(base, "broken", name, "expect"), "w").write(f"{exp_file}\n{line}\n{part}\n")

if __name__ == "__main__":
    main()
