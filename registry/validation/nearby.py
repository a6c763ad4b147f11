"""Names within a radius across scope borders: DUPLICATE and HOMOPHONE beyond the scope.

The uniqueness scopes (``comparisons``) stop at a division's border, but a road named
like one 2 km away in the next district confuses a driver, a courier and an ambulance
just as much (NSW's rule: no duplicate or sound-alike road name within 10 km). So a name
checked at a location is also compared with the located active places of the categories
it is compared with that lie within ``conf("RADIUS_M")`` metres (SPEC.md "Spatial";
0 switches the rule off), wherever their division. The findings carry the rules of
SPEC.md's table (DUPLICATE, an error; HOMOPHONE, a warning) with a message that says
how far away the other place is; matches the scope comparison already reported are not
repeated. A name without a location, or a place without one, is not compared this way.

Distances use ``spatial.distance_m``, the rule the ``near`` query uses. The single check
asks the database (``nearby_findings``: the name and sound keys' indexes, then the box
around the point); a batch answers from its groups (``batch.Comparisons.nearby``); both
make their findings in ``nearby_from_rows``.
"""

from __future__ import annotations

from registry.choices import PlaceStatus
from registry.models import Place
from registry.spatial import distance_m, radius_box
from registry.validation.conf import conf
from registry.validation.findings import Finding, Match, finding
from registry.validation.normalize import name_key

Location = tuple[float, float]


def location_of(longitude, latitude) -> Location | None:
    """(lon, lat) as floats, or None unless both are given."""
    if longitude in (None, "") or latitude in (None, ""):
        return None
    return float(longitude), float(latitude)


def nearby_from_rows(
    name: str, category: str, key: str, sound: str, location: Location, rows, reported: set[str]
) -> list[Finding]:
    """DUPLICATE and HOMOPHONE findings for (code, name, name_key, pinyin_key, lon, lat)
    rows within the radius of ``location``, leaving out the codes already ``reported``."""
    radius = conf("RADIUS_M")
    near = []
    for code, other, other_key, other_sound, lon, lat in rows:
        if code in reported or lon is None or lat is None:
            continue
        metres = distance_m(location[0], location[1], lon, lat)
        if metres <= radius:
            near.append((metres, code, other, other_key, other_sound))
    near.sort()
    same = [row for row in near if row[3] == key]
    sounds = [row for row in near if row[3] != key and row[4] == sound]
    findings = []
    for rule, hits in (("DUPLICATE", same), ("HOMOPHONE", sounds)):
        if hits:
            findings.append(_finding(rule, hits, sound, radius))
    return findings


def _finding(rule: str, hits: list, sound: str, radius: float) -> Finding:
    limit = conf("MATCH_LIMIT")
    text = "、".join(f"{n}（{c}）" for _m, c, n, _k, _s in hits[:5]) + ("…" if len(hits) > 5 else "")
    return finding(
        rule,
        f"{rule}_NEARBY",
        matches=tuple(Match(c, n, 100.0) for _m, c, n, _k, _s in hits[:limit]),
        matches_text=text,
        sound=sound,
        distance=f"{hits[0][0] / 1000:.1f}",
        radius=f"{radius / 1000:g}",
    )


def nearby_findings(
    name: str, category: str, exclude_pk: int | None, sound: str, location: Location, reported: set[str]
) -> list[Finding]:
    """The single check's radius comparison: located active places with the name's
    comparison key or sound key inside the radius's box, from the database."""
    radius = conf("RADIUS_M")
    if not radius:
        return []
    key = name_key(name, category)
    box = radius_box(location[0], location[1], radius)
    located = Place.objects.filter(
        category__in=conf("COMPARE_WITH").get(category, (category,)),
        status=PlaceStatus.ACTIVE,
        longitude__gte=box.west,
        longitude__lte=box.east,
        latitude__gte=box.south,
        latitude__lte=box.north,
    ).exclude(pk=exclude_pk)
    cap = conf("MATCH_LIMIT") * 4
    columns = ("code", "name", "name_key", "pinyin_key", "longitude", "latitude")
    rows = {row[0]: row for row in located.filter(name_key=key).values_list(*columns).order_by()[:cap]}
    rows.update((row[0], row) for row in located.filter(pinyin_key=sound).values_list(*columns).order_by()[:cap])
    return nearby_from_rows(name, category, key, sound, location, sorted(rows.values()), reported)
