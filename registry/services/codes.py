"""Place codes: county code + category letter + a five-digit serial, from a locked counter.

A counter row per prefix (``CodeCounter``) is locked while codes are handed out, so two
writers never receive the same code, and codes already taken (an import that brought
its own) are skipped. One place at a time (``allocate_code``, the services) or an
import's new places together (``allocate_codes``).
"""

from __future__ import annotations

from django.db import transaction

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
    if count <= 0:
        return []
    with transaction.atomic():
        CodeCounter.objects.get_or_create(prefix=prefix)
        counter = CodeCounter.objects.select_for_update().get(prefix=prefix)
        codes: list[str] = []
        serial = counter.last
        while len(codes) < count:
            batch = [f"{prefix}{n:05d}" for n in range(serial + 1, serial + 1 + (count - len(codes)))]
            # Codes given by hand (imports with codes) may sit ahead of the counter: skip them.
            taken = set(Place.objects.filter(code__startswith=prefix).values_list("code", flat=True))
            codes += [c for c in batch if c not in taken]
            serial += len(batch)
        counter.last = serial
        counter.save(update_fields=["last"])
    return codes
