"""Proof that a change left the name check of an import unchanged: every finding of an
import of a realistic sample, from this tree and from another (``--against``), compared.

In a fresh SQLite registry per tree it imports the even rows of a realistic sample
(``benchmarks.corpus.realistic_corpus``, as ``benchmarks/importer.py`` writes it), then
judges the odd rows as the import does (``planning.plan``: the stored places and the
file's rows compared), keeping every finding whole (rule, severity, message, each match's
code, name and exact score) for each row, not just what the import stores, then imports
the odd rows (``--legacy``, as a census) and dumps what the import reported (counts per
rule, flagged rows with their messages) and stored (each place's finding level and
rules), and last the registry-wide audit of the result (``audit_places``, every finding
whole). The two dumps are compared line by line: the script prints the number of lines
that differ (and the first few) and exits 1 if any do.

Usage: .venv/bin/python benchmarks/import_findings.py [--size 20000] [--against /work/main]
       [--keep DIR] (keep both dumps there)
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_halves(directory: Path, size: int) -> tuple[Path, Path]:
    """The sample's even rows and odd rows as two census CSVs (every tenth with a former name),
    the odd ones followed by one-character variants of the sample's names (``corpus.queries``:
    a typo, a homophone, a character more or less, a repeat), one for every twenty rows, so
    that SIMILAR, HOMOPHONE and DUPLICATE have something to find."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import queries, realistic_corpus

    paths = directory / "even.csv", directory / "odd.csv"
    handles = [open(p, "w", encoding="utf-8", newline="") for p in paths]  # noqa: SIM115 - closed below
    writers = [csv.writer(fh) for fh in handles]
    for writer in writers:
        writer.writerow(["name", "category", "division", "former_names"])
    rows = realistic_corpus(size)
    for i, (name, category, division) in enumerate(rows + queries(rows, size // 20)):
        writers[i % 2 if i < size else 1].writerow([name, category, division, f"旧{name}||2000" if i % 10 == 0 else ""])
    for fh in handles:
        fh.close()
    return paths


def _whole(findings) -> list:
    return [
        [f.rule, f.severity, f.message_key, f.message, [[m.code, m.name, repr(m.score)] for m in f.matches]]
        for f in findings
    ]


def _judged(path: str) -> list[str]:
    """Every row of the file judged as ``import_places`` judges it, each finding whole."""
    from registry.importers import places, planning
    from registry.importers.results import ImportResult
    from registry.importers.spill import AttrSpill

    result, spill = ImportResult(), AttrSpill()
    options = {"fmt": "auto", "encoding": "auto", "ignore_unknown": False, "progress": places._quiet}
    rows = places._read(path, spill, result, **options)
    spill.close()
    plan = planning.plan(rows, workers=1)
    state = plan.state
    whole = {}
    for index in plan.work:
        row = rows[index]
        s = state.spellings[(row.name, row.category)]
        roman = planning.Romanization(s.pinyin, s.pinyin.upper(), s.key, s.initials, (), row.name)
        whole[row.line] = state.comparisons.judge(
            row.name,
            row.category,
            division_code=row.division,
            line=row.line,
            pinyin=row.pinyin,
            details=None,
            lexicon=state.lexicon,
            roman=roman if not row.pinyin else None,
            location=row.location,
        )
    return [
        json.dumps(["judged", row.line, row.judged_as, _whole(whole[row.judged_as])], ensure_ascii=False)
        for row in rows
    ]


def _imported(path: str) -> list[str]:
    from registry.importers.places import import_places

    result = import_places(path, legacy=True)
    assert result.ok, result.problems[:3]
    lines = [json.dumps(["counts", sorted(result.findings.items())], ensure_ascii=False)]
    lines += [json.dumps(["flagged", f.line, f.name, list(f.findings)], ensure_ascii=False) for f in result.flagged]
    return lines


def _stored() -> list[str]:
    from registry.models import Place

    rows = Place.objects.order_by("code").values_list("code", "name", "category", "finding_level", "finding_rules")
    return [json.dumps(["stored", *row], ensure_ascii=False) for row in rows]


def _audited() -> list[str]:
    from registry.validation.audit import audit_places

    _total, results = audit_places(workers=1)
    return [json.dumps(["audit", a.code, a.name, _whole(a.findings)], ensure_ascii=False) for a in results]


def child(even: str, odd: str, out: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    from registry.importers.places import import_places

    first = import_places(even, legacy=True)
    assert first.ok, first.problems[:3]
    lines = _judged(odd) + _imported(odd) + _stored() + _audited()
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def dump(tree: Path, even: Path, odd: Path, out: Path, workdir: Path) -> None:
    """The findings dump of ``tree``'s code, in a fresh SQLite registry."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{workdir}/findings.sqlite3",
        PYTHONPATH=str(tree),
    )
    script = Path(__file__).resolve()
    subprocess.run(
        [sys.executable, str(script), "--child", str(even), str(odd), str(out)], env=env, cwd=tree, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--against", default="/work/main", help="the other tree (its code judges the same files)")
    parser.add_argument("--keep", help="keep both dumps in this folder")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.getcwd())
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        even, odd = write_halves(Path(tmp), args.size)
        dumps = []
        for label, tree in (("this", ROOT), ("against", Path(args.against).resolve())):
            work = Path(tempfile.mkdtemp(dir=tmp))
            out = folder / f"findings-{label}.jsonl"
            dump(tree, even, odd, out, work)
            dumps.append(out.read_text(encoding="utf-8").splitlines())
            print(f"{label}: {tree}, {len(dumps[-1]):,} lines", flush=True)
        diff = [d for d in difflib.unified_diff(dumps[1], dumps[0], lineterm="", n=0) if d[:1] in "+-"]
        diff = [d for d in diff if not d.startswith(("+++", "---"))]
        kinds = sorted({json.loads(line)[0] for line in dumps[0]})
        print(f"{args.size:,} rows; kinds compared: {', '.join(kinds)}; lines that differ: {len(diff)}")
        for line in diff[:10]:
            print(line[:300])
        sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
