"""One derivation of a stored row (``place_rows``, issue #17 item 1): a place created by the
services (the admin's path) and the same place imported (``fast_insert``) are stored as the
same row, column by column, on whichever database the suite runs (SQLite, PostgreSQL).

They used to differ: an import rounded 117.2736665 half to even (…666), the admin half up (…667).
"""

import csv
from decimal import Decimal, InvalidOperation

import pytest
from django.db import connection, transaction

from registry.importers.places import import_places
from registry.models import Division, Place, PlaceName
from registry.place_rows import coordinate, name_row, place_row
from registry.services.places import name_record, place_create
from registry.validation.similarity import reset_index

# Not part of the derivation: the key, the write's revision and its clock.
UNSTAMPED = {"id", "place_id", "revision", "created_at", "updated_at"}

CASES = [
    # code, name, category, division, pinyin, longitude, latitude, former (name, valid_from, valid_to)
    ("340104R90001", "和平路", "road", "340104", "", "117.2736665", "31.8450005", ("旧和平路", "", "2000")),
    (
        "340123Z90001",
        "三河镇",
        "town",
        "340123",
        "Sanhe Zhen",
        "117.2736675",
        "31.8450015",
        ("三河市", "1949", "1950-03"),
    ),
    ("340111R90002", "芜湖路", "road", "340111", "", "", "", ("芜湖街", "1949-10-01", "1980")),
]


def _stored(code: str) -> tuple[dict, list[dict]]:
    """The place's row and its names' rows as the database holds them."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(Place._meta.db_table)} WHERE code = %s", [code])
        columns = [c[0] for c in cursor.description]
        place = dict(zip(columns, cursor.fetchone()))
        cursor.execute(f"SELECT * FROM {quote(PlaceName._meta.db_table)} WHERE place_id = %s", [place["id"]])
        columns = [c[0] for c in cursor.description]
        names = [dict(zip(columns, row)) for row in cursor.fetchall()]
    unstamped = lambda row: {k: v for k, v in row.items() if k not in UNSTAMPED}  # noqa: E731
    return unstamped(place), sorted((unstamped(n) for n in names), key=lambda n: (n["kind"], n["name"]))


class _Undo(Exception):
    pass


def _through_the_services(code, name, category, division, pinyin, lon, lat, former):
    try:
        with transaction.atomic():
            place = place_create(
                name=name,
                category=category,
                division=Division.objects.get(code=division),
                code=code,
                pinyin=pinyin,
                longitude=lon or None,
                latitude=lat or None,
            )
            name_record(place=place, name=former[0], kind="former", valid_from=former[1], valid_to=former[2])
            stored = _stored(code)
            raise _Undo
    except _Undo:
        pass
    assert not Place.objects.filter(code=code).exists()
    return stored


def _imported(tmp_path, code, name, category, division, pinyin, lon, lat, former):
    path = tmp_path / "place.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "category", "division", "pinyin", "longitude", "latitude", "former_names"])
        writer.writerow([code, name, category, division, pinyin, lon, lat, "|".join(former)])
    result = import_places(path, legacy=True, workers=1)
    assert result.ok and result.created == 1, result.problems
    return _stored(code)


@pytest.mark.parametrize("case", CASES, ids=[c[1] for c in CASES])
def test_a_place_is_stored_alike_by_the_services_and_by_an_import(db, tmp_path, case):
    by_services = _through_the_services(*case)
    reset_index()
    imported = _imported(tmp_path, *case)
    assert imported[0] == by_services[0]
    assert imported[1] == by_services[1]
    assert len(imported[1]) == 2  # the official name and the former one


def test_the_half_is_rounded_up_both_ways(db, tmp_path):
    code, *_rest = case = CASES[0]
    for place in (_through_the_services(*case), _imported(tmp_path, *case)):
        assert (Decimal(str(place[0]["longitude"])), Decimal(str(place[0]["latitude"]))) == (
            Decimal("117.273667"),
            Decimal("31.845001"),
        )


@pytest.mark.parametrize(
    "given,stored",
    [
        ("117.2736665", Decimal("117.273667")),
        ("117.2736675", Decimal("117.273668")),  # half up from an odd digit too (half to even gives …668 as well)
        ("117.2736664999", Decimal("117.273666")),
        (Decimal("31.8450005"), Decimal("31.845001")),
        (" 31.8 ", Decimal("31.800000")),
        (117.5, Decimal("117.500000")),
        ("", None),
        (None, None),
    ],
)
def test_coordinates_keep_six_decimals_rounded_half_up(given, stored):
    assert coordinate(given) == stored


@pytest.mark.parametrize("given", ["north", "NaN", "Infinity"])
def test_a_coordinate_that_is_no_number_is_refused(given):
    with pytest.raises(InvalidOperation):
        coordinate(given)


@pytest.mark.parametrize(
    "name,pinyin,expected",
    [
        (
            "和平路",
            "",
            {
                "specific": "和平",
                "generic": "路",
                "pinyin": "Heping Lu",
                "pinyin_key": "hepinglu",
                "initials": "hpl",
                "name_key": "和平路",
            },
        ),
        (
            "和平大道",
            "",
            {
                "specific": "和平",
                "generic": "大道",
                "pinyin": "Heping Dadao",
                "pinyin_key": "hepingdadao",
                "initials": "hpdd",
                "name_key": "和平道",
            },
        ),
        ("和平路", "  Hépíng Lù ", {"pinyin": "Hépíng Lù", "pinyin_key": "hepinglu"}),  # given: kept, trimmed
    ],
)
def test_a_place_row_follows_from_its_name(name, pinyin, expected):
    row = place_row(name, "road", pinyin=pinyin)
    assert row["name"] == name and {k: row[k] for k in expected} == expected


def test_a_name_row_normalises_its_dates_with_their_day_keys():
    row = name_row("三河市", "town", kind="former", valid_from="1949", valid_to="1950-03")
    assert (row["valid_from"], row["valid_to"]) == ("1949", "1950-03")
    assert row["valid_from_key"] < row["valid_to_key"]
    assert (
        name_row("三河市", "town", kind="former", valid_to="1950-02")["valid_to_key"]
        == name_row("三河市", "town", kind="former", valid_to="1950-02-28")["valid_to_key"]
    )
