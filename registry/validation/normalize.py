"""Comparison forms of a name, used for the stored keys and for every comparison.

- ``name_key``: what the duplicate rule compares. The 2022 regulation and Anhui practice
  count a name as the same once 新/大/老 or the city's name is added or removed
  (铜陵 rules, DOMAIN.md §2): 新长江中路 = 长江中路 = 合肥长江中路; 长江大街 = 长江街.
- ``series``: the specific cut into its base and a series marker (a direction or an
  ordinal): 长江中 → (长江, 中), 经一 → (经, 一). Names in one series (长江东路,
  长江西路; 经一路, 经二路) are legitimate and never "similar".
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings

from registry.generics import split_generic
from registry.validation.conf import _cache, _dependent_caches

VARIANT_PREFIXES = "新大老"
DIRECTIONS = "东西南北中"
NUMERALS = "一二三四五六七八九十百零〇两"
_SERIES = re.compile(rf"^(?P<base>.+?)(?P<marker>(?:第?[{NUMERALS}]+|[{DIRECTIONS}]{{1,2}}))$")


def city_names() -> tuple[str, ...]:
    names = _cache.get("CITY_NAMES")
    if names is None:
        city = getattr(settings, "REGISTRY_CITY_NAME", "合肥")
        names = _cache["CITY_NAMES"] = (f"{city}市", city) if city else ()
    return names


@lru_cache(maxsize=65536)
def core_specific(specific: str) -> str:
    """The specific without the city's name and leading 新/大/老 (never emptied)."""
    core = specific
    for city in city_names():
        if core.startswith(city) and len(core) > len(city):
            core = core[len(city) :]
            break
    while len(core) > 1 and core[0] in VARIANT_PREFIXES:
        core = core[1:]
    return core


def normalized_generic(generic: str) -> str:
    """大道 → 道, 大街 → 街, 大桥 → 桥: the 大 of a generic does not make a different name."""
    if len(generic) > 1 and generic[0] == "大":
        return generic[1:]
    return generic


def name_key(name: str, category: str | None) -> str:
    specific, generic = split_generic(name, category)
    if not specific:
        return name
    return core_specific(specific) + normalized_generic(generic)


def series(specific: str) -> tuple[str, str]:
    """(base, marker) of a specific; marker is "" when the specific is not part of a series."""
    match = _SERIES.match(specific)
    if not match:
        return specific, ""
    return match["base"], match["marker"]


_dependent_caches.append(core_specific.cache_clear)
