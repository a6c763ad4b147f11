"""Place codes: county code + category letter + a five-digit serial, from a locked counter.

A counter row per prefix (``CodeCounter``) is locked while codes are handed out, so two
writers never receive the same code, and codes already taken (an import that brought
its own) are skipped. One place at a time (``allocate_code``, the services) or an
import's new places together (``allocate_codes``).
"""

from __future__ import annotations

from django.db import connection, transaction

from registry.models import CodeCounter, Division, Place
from registry.models.places import CATEGORY_LETTERS


def allocate_code(*, division: Division, category: str) -> str:
    """The next unused code for a place in ``division``: county code + category letter + serial.

    The counter row is locked, so two writers never receive the same code, and a code
    already taken (say, by an import that brought its own) is skipped.
    """
    prefix = f"{division.code[:6]}{CATEGORY_LETTERS[category]}"
    with transaction.atomic():
        CodeCounter.objects.get_or_create(prefix=prefix)
        counter = CodeCounter.objects.select_for_update().get(prefix=prefix)
        while True:
            counter.last += 1
            code = f"{prefix}{counter.last:05d}"
            if not Place.objects.filter(code=code).exists():
                break
        counter.save(update_fields=["last"])
    return code


def allocate_codes(*, prefix: str, count: int) -> list[str]:
    """``count`` unused codes with ``prefix`` (an import's new places), from the locked counter."""
    return allocate_code_batches({prefix: count}).get(prefix, [])


_CHUNK = 900  # bound parameters per query (SQLite's historical limit is 999)


def allocate_code_batches(counts: dict[str, int]) -> dict[str, list[str]]:
    """For each prefix, ``counts[prefix]`` unused codes from its locked counter: the counters
    of an import's (or a round's) prefixes created, locked and advanced together, in a
    handful of queries however many prefixes there are (a province's census has hundreds:
    counties x categories). Counters are locked in prefix order, so two writers cannot
    deadlock on them."""
    wanted = {prefix: count for prefix, count in sorted(counts.items()) if count > 0}
    if not wanted:
        return {}
    prefixes = list(wanted)
    with transaction.atomic():
        counters = _locked_counters(prefixes)
        serial = {p: counters[p].last for p in prefixes}
        out = _free_codes(wanted, serial)
        # One statement per counter, sent together (``bulk_update``'s CASE over hundreds of
        # prefixes cost most of a second of a province's census).
        table, quote = CodeCounter._meta.db_table, connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(table)} SET {quote('last')} = %s WHERE {quote('prefix')} = %s",
                [(serial[prefix], prefix) for prefix in counters],
            )
    return out


def _locked_counters(prefixes: list[str]) -> dict[str, CodeCounter]:
    """The prefixes' counters, made where missing and locked in prefix order."""
    CodeCounter.objects.bulk_create([CodeCounter(prefix=p) for p in prefixes], ignore_conflicts=True, batch_size=_CHUNK)
    counters: dict[str, CodeCounter] = {}
    for start in range(0, len(prefixes), _CHUNK):
        locked = CodeCounter.objects.select_for_update().filter(prefix__in=prefixes[start : start + _CHUNK])
        counters.update((c.prefix, c) for c in locked.order_by("prefix"))
    return counters


def _free_codes(wanted: dict[str, int], serial: dict[str, int]) -> dict[str, list[str]]:
    """``wanted[prefix]`` codes after each ``serial[prefix]`` (advanced past them), skipping
    codes given by hand (imports with codes), which may sit ahead of the counter."""
    out: dict[str, list[str]] = {p: [] for p in wanted}
    missing = dict(wanted)
    while missing:
        batch = {p: [f"{p}{n:05d}" for n in range(serial[p] + 1, serial[p] + 1 + m)] for p, m in missing.items()}
        taken = _taken(batch.values())
        for prefix, codes in batch.items():
            out[prefix] += [c for c in codes if c not in taken]
            serial[prefix] += len(codes)
        missing = {p: wanted[p] - len(out[p]) for p in missing if len(out[p]) < wanted[p]}
    return out


def _taken(batches) -> set[str]:
    """The codes in use among each batch's range (its smallest to its largest code as text):
    one indexed range read per prefix, not the candidates listed 900 at a time. What else
    the range holds (a longer code given by hand) is no candidate and changes nothing."""
    table, quote = Place._meta.db_table, connection.ops.quote_name
    sql = f"SELECT {quote('code')} FROM {quote(table)} WHERE {quote('code')} >= %s AND {quote('code')} <= %s"
    taken: set[str] = set()
    with connection.cursor() as cursor:
        for codes in batches:
            cursor.execute(sql, [min(codes), max(codes)])
            taken.update(code for (code,) in cursor.fetchall())
    return taken
