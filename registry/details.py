"""Category details: the attributes a road, water, bridge … carries beyond its name.

Kept as one JSON object per place, described here field by field so that the admin
form, the importer and the API all check the same shapes. A key that is not listed
for the category is refused rather than silently kept: a typo in a spreadsheet
column must not vanish into a blob.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.choices import Category


@dataclass(frozen=True)
class DetailField:
    key: str
    label: object  # lazy translation
    kind: type  # int, float or str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


WATER_TYPES = ("river", "lake", "reservoir", "pond", "canal", "stream", "wetland")

DETAIL_FIELDS: dict[str, tuple[DetailField, ...]] = {
    Category.ROAD: (
        DetailField("length_m", _("length (m)"), float, 0, 500_000),
        DetailField("width_m", _("red-line width (m)"), float, 0, 500),
        DetailField("start", _("start"), str),
        DetailField("end", _("end"), str),
        DetailField("lanes", _("lanes"), int, 1, 40),
    ),
    Category.WATER: (
        DetailField("water_type", _("water type"), str, choices=WATER_TYPES),
        DetailField("length_km", _("length (km)"), float, 0, 7000),
        DetailField("area_km2", _("area (km²)"), float, 0, 50_000),
        DetailField("flows_into", _("flows into"), str),
    ),
    Category.BRIDGE: (
        DetailField("length_m", _("length (m)"), float, 0, 200_000),
        DetailField("span_m", _("main span (m)"), float, 0, 3000),
        DetailField("crosses", _("crosses"), str),
        DetailField("carries", _("carries"), str),
        DetailField("built_year", _("year built"), int, -2000, 2100),
    ),
    Category.BUILDING: (
        DetailField("floors", _("floors"), int, 1, 200),
        DetailField("height_m", _("height (m)"), float, 0, 1000),
        DetailField("use", _("use"), str),
        DetailField("floor_area_m2", _("floor area (m²)"), float, 0, 10_000_000),
        DetailField("land_area_m2", _("land area (m²)"), float, 0, 100_000_000),
        DetailField("opened_year", _("year opened"), int, 1000, 2100),
    ),
    Category.RESIDENTIAL: (
        DetailField("built_year", _("year built"), int, 1000, 2100),
        DetailField("land_area_m2", _("land area (m²)"), float, 0, 100_000_000),
        DetailField("floor_area_m2", _("floor area (m²)"), float, 0, 100_000_000),
        DetailField("households", _("households"), int, 0, 1_000_000),
    ),
    Category.TOWN: (
        DetailField("area_km2", _("area (km²)"), float, 0, 10_000),
        DetailField("population", _("population"), int, 0, 10_000_000),
        DetailField("seat", _("seat"), str),
    ),
    Category.VILLAGE: (
        DetailField("area_km2", _("area (km²)"), float, 0, 10_000),
        DetailField("population", _("population"), int, 0, 1_000_000),
    ),
}


def detail_fields(category: str) -> tuple[DetailField, ...]:
    return DETAIL_FIELDS.get(category, ())


def clean_details(category: str, details: dict | None) -> dict:
    """Check and coerce ``details`` for ``category``; empty values are dropped.

    Raises ValidationError naming every bad key, e.g. "width_m: “wide” is not a number".
    """
    if details in (None, ""):
        return {}
    if not isinstance(details, dict):
        raise ValidationError(_("Category details must be an object of named values."))
    fields = {f.key: f for f in detail_fields(category)}
    errors: list[str] = []
    cleaned: dict = {}
    for key, raw in details.items():
        field = fields.get(key)
        if field is None:
            allowed = ", ".join(fields) or "-"
            errors.append(
                str(
                    _("“%(key)s” is not a detail of this category (allowed: %(allowed)s).")
                    % {"key": key, "allowed": allowed}
                )
            )
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            cleaned[key] = _coerce(field, raw)
        except ValueError as exc:
            errors.append(f"{key}: {exc}")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _coerce(field: DetailField, raw: object):
    if field.kind is str:
        value = str(raw).strip()
        if field.choices and value not in field.choices:
            raise ValueError(
                str(_("“%(value)s” is not one of %(choices)s.") % {"value": value, "choices": ", ".join(field.choices)})
            )
        if len(value) > 200:
            raise ValueError(str(_("text longer than 200 characters.")))
        return value
    if isinstance(raw, bool):
        raise ValueError(str(_("“%(value)s” is not a number.") % {"value": raw}))
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(str(_("“%(value)s” is not a number.") % {"value": str(raw)[:40]})) from None
    if not number.is_finite():
        raise ValueError(str(_("“%(value)s” is not a number.") % {"value": str(raw)[:40]}))
    if field.kind is int:
        if number != number.to_integral_value():
            raise ValueError(str(_("“%(value)s” is not a whole number.") % {"value": raw}))
        value = int(number)
    else:
        value = float(number)
    if (field.minimum is not None and value < field.minimum) or (field.maximum is not None and value > field.maximum):
        raise ValueError(
            str(_("%(value)s is outside %(min)s–%(max)s.") % {"value": raw, "min": field.minimum, "max": field.maximum})
        )
    return value
