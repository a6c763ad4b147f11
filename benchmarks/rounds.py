"""A naming round of 1,000 items beside 1,000 single proposals, on SQLite and PostgreSQL.

For each database, in a fresh database holding a synthetic registry (``--registry``
places, ``benchmarks.validator.setup_registry``): a CSV of ``--items`` new roads (names
from ``benchmarks.corpus``, so some repeat the registry's: DUPLICATE errors, overridden)
is imported as a round and checked (``import_round``'s service), walked to its notice,
and approved in one transaction. In the same run the same names go through the
single-proposal workflow the same way: drafted with their check (``proposal_create``,
the counterpart of import and check), walked to the notice (not timed, as for the
round), and approved one by one (the counterpart of the round's approval).

Targets (issue #13): import and check <= 10 s, approval <= 30 s, on both databases.

Usage: .venv/bin/python benchmarks/rounds.py [--databases sqlite postgres] [--items 1000] [--registry 10000]
(the PostgreSQL database is created as ``$BENCH_DB_PREFIX_<pid>``, default ``h_rounds_bench``, and dropped after)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIVISION = "340104"


def _names(count: int) -> list[str]:
    from benchmarks.corpus import MORPHEMES, SINGLE

    rng, names = random.Random(13), []
    seen = set()
    while len(names) < count:
        name = rng.choice(MORPHEMES) + (rng.choice(SINGLE) if rng.random() < 0.5 else "") + rng.choice(("路", "街"))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _users():
    from django.contrib.auth.models import Group, User

    made = {}
    for role in ("clerk", "reviewer", "approver"):
        user = User.objects.create_user(f"bench-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        made[role] = User.objects.get(pk=user.pk)
    return made


def _round(users, names, folder) -> dict:
    from registry.importers.rounds import round_import
    from registry.services.rounds import round_transition

    path = Path(folder) / "round.csv"
    path.write_text(
        "操作,拟用名称,类别,行政区划代码,理由\n"
        + "".join(f"命名,{name},道路街巷,{DIVISION},基准测试\n" for name in names),
        encoding="gbk",
    )
    started = time.perf_counter()
    round_ = round_import(path, title="基准批次", drafted_by=users["clerk"])
    imported = time.perf_counter() - started
    for step, role in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        round_ = round_transition(
            round_=round_, transition=step, acting_user=users[role], **({"days": 0} if step == "start_notice" else {})
        )
    overrides = {
        str(p): "基准测试" for p in round_.items.filter(check_level="error").values_list("position", flat=True)
    }
    started = time.perf_counter()
    round_transition(
        round_=round_,
        transition="approve",
        acting_user=users["approver"],
        authority="合肥市人民政府",
        document_number="基准〔2026〕1号",
        decided_on=_today(),
        overrides=overrides,
    )
    return {"import_check_s": imported, "approve_s": time.perf_counter() - started, "errors": len(overrides)}


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _proposals(users, names) -> dict:
    from registry.services.proposals import proposal_create, proposal_transition

    started = time.perf_counter()
    made = [
        proposal_create(
            action="name", name=name, category="road", division=DIVISION, reason="基准测试", drafted_by=users["clerk"]
        )
        for name in names
    ]
    drafted = time.perf_counter() - started
    for step, role in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        made = [
            proposal_transition(
                proposal=p, transition=step, acting_user=users[role], **({"days": 0} if step == "start_notice" else {})
            )
            for p in made
        ]
    started = time.perf_counter()
    for proposal in made:
        proposal_transition(
            proposal=proposal,
            transition="approve",
            acting_user=users["approver"],
            authority="合肥市人民政府",
            document_number="基准〔2026〕2号",
            decided_on=_today(),
            override_reason="基准测试" if proposal.check_level == "error" else "",
        )
    return {"draft_check_s": drafted, "approve_s": time.perf_counter() - started}


def measure(items: int, registry: int) -> dict:
    """Inside the database's own process (``--child``)."""
    import django

    django.setup()
    from benchmarks.validator import setup_registry

    from registry.validation import check_name

    setup_registry(registry)
    check_name("基准路", "road", division=DIVISION)  # the index and the models, built once for both ways
    users, names = _users(), _names(items * 2)
    with tempfile.TemporaryDirectory() as folder:
        result = {"round": _round(users, names[:items], folder)}
    result["proposals"] = _proposals(users, names[items:])
    return result


def run(database: str, items: int, registry: int) -> dict:
    tmp, name = tempfile.mkdtemp(), None
    if database == "sqlite":
        url = f"sqlite:///{tmp}/rounds.sqlite3"
    else:
        name = f"{os.environ.get('BENCH_DB_PREFIX', 'h_rounds_bench')}_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", name],
            check=True,
            timeout=60,
        )
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        REGISTRY_NOTICE_DAYS="0",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        PYTHONPATH=str(ROOT),
    )
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(items), str(registry)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=3600,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        if name:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], timeout=60)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--registry", type=int, default=10_000)
    args = parser.parse_args()
    for database in args.databases:
        r = run(database, args.items, args.registry)
        rd, pr = r["round"], r["proposals"]
        print(
            f"{database}: round of {args.items} items ({rd['errors']} overridden): import+check "
            f"{rd['import_check_s']:.1f} s (target 10), approval {rd['approve_s']:.1f} s (target 30) | "
            f"{args.items} single proposals: draft+check {pr['draft_check_s']:.1f} s, "
            f"approvals {pr['approve_s']:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
