"""How well the name checker generalizes to names the project never saw (not a test: it prints figures).

The lists in ``benchmarks/data/validator_generalization/`` come from published clean-up
(大洋怪重 整治) reports of many cities and from public lists of real road and residential
names (SOURCES.md says which, from where, when). Each name falls in the tuning part or
the HELD-OUT part by a fixed hash of the name (``held_out``), decided before any figure
was looked at; rules may be tuned on the tuning part only, and the held-out figures are
the ones to quote.

Printed per part:
- content-rule recall on non-standard names (a finding of a word-list rule: EXAGGERATED,
  FOREIGN, FEUDAL, VULGAR, PERSON_NAME, COMMERCIAL, or GENERIC_SCALE), overall and for the names that carry
  a proper generic (…花园, …大厦, …路), where a missing generic cannot catch them;
  names whose only published reason is 重 (a duplicate elsewhere) are left out, since no
  rule can see a duplicate in one name;
- recall of "any finding" (content, character or generic rules) for comparison;
- false-flag rate on standard names: the share that gets a content-rule finding, and
  the same without the GENERIC_SCALE question (a warning asking for the size of a
  大桥/大厦/广场/中心 whose record has none), which a standard name may well get;
- romanization exact: the share of the 1984 rules' own worked examples
  (``romanization_1984.tsv``) that ``romanize`` spells exactly as the rules do (toneless).

Usage: .venv/bin/python benchmarks/validator_generalization.py [--misses] [--part tuning|held-out|both]

``--misses`` lists the tuning part's misses only; ``--part tuning`` prints the tuning part
alone, for work on the rules without seeing any held-out figure.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "validator_generalization"
sys.path.insert(0, os.getcwd())  # the code judged is that of the working directory (main, for a baseline)

# GENERIC_SCALE counts: the 大 of an overstated generic (东风大桥 in a small town) is content, not form.
CONTENT_RULES = frozenset({"EXAGGERATED", "FOREIGN", "FEUDAL", "VULGAR", "PERSON_NAME", "COMMERCIAL", "GENERIC_SCALE"})


def held_out(name: str) -> bool:
    """One name in three is held out, by the first byte of its SHA-1 (fixed before tuning)."""
    return hashlib.sha1(name.encode("utf-8")).digest()[0] % 3 == 0


def read(filename: str) -> list[dict]:
    with open(DATA / filename, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def category_of(row: dict) -> str:
    # Parks and other features outside the SPEC categories are judged as buildings' peers.
    return row["category"] if row["category"] != "other" else "building"


def judge_rows(rows: list[dict]) -> list[tuple[dict, set[str], str]]:
    from registry.generics import split_generic
    from registry.validation import check_name

    judged = []
    for row in rows:
        category = category_of(row)
        rules = {f.rule for f in check_name(row["name"], category).findings}
        judged.append((row, rules, split_generic(row["name"], category)[1]))
    return judged


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:5.1f} %" if total else "n/a"


def mentioned_text() -> str:
    """The project's word lists (not the model's training lists) and tests, of the code judged."""
    root = Path(os.getcwd())
    files = [
        p
        for p in (root / "registry" / "validation" / "data").glob("*.tsv")
        if p.name not in {"native_train.tsv", "translit_train.tsv"}
    ]
    files += list((root / "tests").rglob("*.py"))
    return "".join(p.read_text(encoding="utf-8") for p in files)


def report(part: str, bad: list, good: list, misses: bool, mentioned: str) -> None:
    caught = [r for r in bad if r[1] & CONTENT_RULES]
    generic = [r for r in bad if r[2]]
    unseen = [r for r in bad if r[0]["name"] not in mentioned]
    print(f"\n-- {part}")
    print(f"content-rule recall, non-standard names:         {share(len(caught), len(bad))}")
    print(
        f"  of which carrying a proper generic:            "
        f"{share(sum(1 for r in generic if r[1] & CONTENT_RULES), len(generic))}"
    )
    print(
        f"  of which unseen (named in no word list or test): "
        f"{share(sum(1 for r in unseen if r[1] & CONTENT_RULES), len(unseen))}"
    )
    print(f"any-finding recall (content, character, generic): {share(sum(1 for r in bad if r[1]), len(bad))}")
    flagged = [r for r in good if r[1] & CONTENT_RULES]
    print(f"false flags (content rule) on standard names:     {share(len(flagged), len(good))}")
    print(
        f"  not counting the scale question alone:          "
        f"{share(sum(1 for r in flagged if r[1] & CONTENT_RULES - {'GENERIC_SCALE'}), len(good))}"
    )
    if misses:
        print("  missed:", "、".join(r[0]["name"] for r in bad if not r[1] & CONTENT_RULES))
        print("  false flags:", "、".join(f"{r[0]['name']}({','.join(sorted(r[1] & CONTENT_RULES))})" for r in flagged))


def romanization_report(part: str, rows: list[dict], misses: bool) -> None:
    from registry.romanization import romanize

    wrong = [(r, romanize(r["name"], r["category"] or None).pinyin) for r in rows]
    wrong = [(r, got) for r, got in wrong if got != r["expected"]]
    print(f"romanization exact (1984 rules' worked examples): {share(len(rows) - len(wrong), len(rows))}")
    if misses:
        print("  wrong:", "; ".join(f"{r['name']} {got!r} (rule {r['rule']}: {r['expected']!r})" for r, got in wrong))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list missed and falsely flagged names")
    parser.add_argument("--part", choices=("tuning", "held-out", "both"), default="both", help="the parts to print")
    args = parser.parse_args()
    parts = [
        p
        for p in (("TUNING part", False), ("HELD-OUT part", True))
        if args.part in ("both", ("tuning", "held-out")[p[1]])
    ]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/generalization.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        bad = [r for r in read("nonstandard.tsv") if r["reason"] != "重"]
        good = read("standard_published.tsv") + read("standard_shanghai_roads.tsv")
        bad_j, good_j = judge_rows(bad), judge_rows(good)
        print(f"non-standard names: {len(bad_j)} (重-only left out); standard names: {len(good_j)}")
        mentioned = mentioned_text()
        for part, pick in parts:
            report(
                part,
                [r for r in bad_j if held_out(r[0]["name"]) == pick],
                [r for r in good_j if held_out(r[0]["name"]) == pick],
                args.misses and not pick,
                mentioned,
            )
            romanization_report(
                part,
                [r for r in read("romanization_1984.tsv") if held_out(r["name"]) == pick],
                args.misses and not pick,
            )


if __name__ == "__main__":
    main()
