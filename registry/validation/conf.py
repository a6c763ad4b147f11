"""Validator settings, overridable through ``settings.REGISTRY_VALIDATION`` (a dict).

Defaults follow the 2022 regulation (条例 Art. 9(7)(8), DOMAIN.md §2) and the campaign
criteria (DOMAIN.md §3, §5). Every key:

- ``SCOPES``: uniqueness scope per category, one of "national", "province", "city",
  "county". Streets, roads, bridges, residential areas and buildings: the same built-up
  area, modelled as the city; towns: the province; villages and communities: the county.
- ``COMPARE_WITH``: which categories a category is compared with for duplicates,
  homophones and similar names (residential areas and buildings share a scope).
- ``MAX_LENGTH``: characters allowed per category before ``TOO_LONG``.
- ``SIMILAR_THRESHOLD``: minimum rapidfuzz ``ratio`` (0–100) for ``SIMILAR`` matches.
- ``SIMILAR_MIN_BASE``: a one-character difference counts as typo-like only when the
  differing base (the specific without its series marker) has at least this many
  characters; two-character words one character apart (宿州/亳州, 潜山/霍山) are different
  words, not typos.
- ``SCALE``: thresholds for ``GENERIC_SCALE`` read from a record's category details.
- ``TRANSLITERATION_SCORE``: mean weight of transliteration characters above which a
  specific "looks foreign" (a warning).
- ``MATCH_LIMIT``: how many matches a comparison finding lists.
- ``RADIUS_M``: a name checked at a location is also compared (DUPLICATE, HOMOPHONE) with
  the located places within this many metres across scope borders (``nearby``; NSW's
  rule, 10 km); 0 switches the comparison off.
- ``INDEX_MEMORY_MB``: memory budget of a worker's SIMILAR candidate partitions
  (``partitions``); the least recently used scopes are dropped beyond it.
- ``INDEX_PARTITIONED``: ``False`` compares with one national index per worker instead
  (the old index, kept as the benchmarks' baseline).
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS = {
    "SCOPES": {
        "road": "city",
        "bridge": "city",
        "building": "city",
        "residential": "city",
        "water": "city",
        "town": "province",
        "village": "county",
    },
    "COMPARE_WITH": {
        "road": ("road",),
        "bridge": ("bridge",),
        "water": ("water",),
        "town": ("town",),
        "village": ("village",),
        "building": ("building", "residential"),
        "residential": ("residential", "building"),
    },
    "MAX_LENGTH": {"road": 10, "water": 10, "bridge": 14, "building": 20, "residential": 12, "town": 10, "village": 10},
    "SIMILAR_THRESHOLD": 70,
    "SIMILAR_MIN_BASE": 3,
    "SCALE": {
        "road_min_width_m": {"大道": 40, "大街": 40},
        "building_min_floors": {"大厦": 10, "大楼": 8},
        "building_min_land_area_m2": {"广场": 10_000, "中心": 15_000, "城": 150_000},
        "residential_min_land_area_m2": {"城": 150_000},
    },
    "TRANSLITERATION_SCORE": 0.6,
    "MATCH_LIMIT": 10,
    "RADIUS_M": 10_000,
    "INDEX_MEMORY_MB": 200,
    "INDEX_PARTITIONED": True,
}


_cache: dict[str, object] = {}


def conf(key: str):
    """The setting ``key``, cached (reading Django settings costs microseconds, on a hot path)."""
    try:
        return _cache[key]
    except KeyError:
        overrides = getattr(settings, "REGISTRY_VALIDATION", {}) or {}
        value = _cache[key] = overrides.get(key, DEFAULTS[key])
        return value


@receiver(setting_changed)
def _forget(setting, **kwargs) -> None:
    if setting in ("REGISTRY_VALIDATION", "REGISTRY_CITY_NAME"):
        _cache.clear()
        for forget in _dependent_caches:
            forget()


# lru_caches of functions whose results depend on these settings register here.
_dependent_caches: list = []
