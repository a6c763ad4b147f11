"""Places and their names history.

A ``Place`` is the feature (a road, a river, a town); its ``PlaceName`` rows are every
name it has carried, with dates and the decision or source that attests each. The
place's ``name`` and ``pinyin`` mirror its current official name for fast lookups;
the services keep them in step. At most one official name per place is open (no
``valid_to``), which the database enforces.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry import partial_dates
from registry.geometry import envelope, shape_problem
from registry.choices import Category, NameKind, PlaceStatus, Verification
from registry.details import clean_details
from registry.models.base import TimeStamped, UndeletableModel

# Codes the registry assigns look like 340104R00012 (county code, category letter,
# serial); codes given by an import may follow another scheme but must be plain.
CODE_SHAPE = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,31}$")
CATEGORY_LETTERS = {
    Category.ROAD: "R",
    Category.WATER: "W",
    Category.BRIDGE: "B",
    Category.BUILDING: "J",
    Category.RESIDENTIAL: "Q",
    Category.TOWN: "Z",
    Category.VILLAGE: "C",
}

# WGS-84 bounding box of China (incl. the South China Sea islands): a point outside
# it is a typo (swapped latitude/longitude, a missing digit), not a Hefei place.
CHINA_LON = (Decimal("73.4"), Decimal("135.1"))
CHINA_LAT = (Decimal("3.8"), Decimal("53.6"))
GEOMETRY_TYPES = {"LineString", "MultiLineString", "Polygon", "MultiPolygon"}
ENVELOPE_COLUMNS = ("geometry_west", "geometry_south", "geometry_east", "geometry_north")
MAX_NAME_LENGTH = 100


def validate_code(value: str) -> None:
    if not CODE_SHAPE.match(value or ""):
        raise ValidationError(
            _("“%(code)s” is not a valid place code: use 4–32 capital letters, digits or hyphens (e.g. 340104R00012)."),
            code="invalid_code",
            params={"code": (value or "")[:40]},
        )


def in_china(longitude, latitude) -> bool:
    lon, lat = Decimal(str(longitude)), Decimal(str(latitude))
    return CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]


def envelope_columns(geometry) -> tuple:
    """(west, south, east, north) of a stored geometry, or four Nones (``ENVELOPE_COLUMNS``)."""
    try:
        return envelope(geometry) or (None, None, None, None)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):  # malformed: the validator says why
        return None, None, None, None


def validate_geometry(value) -> None:
    """A GeoJSON line or area geometry, every position inside China, each line and ring well formed."""
    if value in (None, {}):
        return
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(
            _("The geometry must be a GeoJSON object of type LineString, MultiLineString, Polygon or MultiPolygon."),
            code="invalid_geometry",
        )
    depth = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[value["type"]]

    def positions(node, level):
        if not isinstance(node, list) or not node:
            raise ValidationError(_("The geometry's coordinates are malformed."), code="invalid_geometry")
        if level == 0:
            yield node
        else:
            for child in node:
                yield from positions(child, level - 1)

    for position in positions(value.get("coordinates"), depth):
        if len(position) < 2 or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in position[:2]):
            raise ValidationError(_("Each geometry position must be [longitude, latitude]."), code="invalid_geometry")
        if not in_china(position[0], position[1]):
            raise ValidationError(
                _("Geometry position %(pos)s lies outside China (WGS-84 longitude 73.4–135.1, latitude 3.8–53.6)."),
                code="invalid_geometry",
                params={"pos": position[:2]},
            )
    problem = shape_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_geometry")


class CategoryCode(UndeletableModel):
    """GB/T 18521 place-category codes (地名分类与类别代码), a lookup table the bureau fills."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("category code (GB/T 18521)")
        verbose_name_plural = _("category codes (GB/T 18521)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodeCounter(models.Model):
    """The last serial handed out per code prefix, so that codes are never reused."""

    prefix = models.CharField(_("code prefix"), max_length=16, primary_key=True)
    last = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("code counter")
        verbose_name_plural = _("code counters")

    def __str__(self) -> str:
        return self.prefix


class Place(UndeletableModel, TimeStamped):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("standard name"), max_length=MAX_NAME_LENGTH)
    specific = models.CharField(_("specific (专名)"), max_length=MAX_NAME_LENGTH, blank=True)
    generic = models.CharField(_("generic (通名)"), max_length=20, blank=True)
    pinyin = models.CharField(_("pinyin"), max_length=300, blank=True)
    pinyin_key = models.CharField(_("pinyin key"), max_length=300, blank=True, editable=False)
    initials = models.CharField(_("initials"), max_length=100, blank=True, editable=False)
    # The name as the duplicate rule compares it (新/大/老 and the city's name stripped).
    name_key = models.CharField(_("comparison key"), max_length=MAX_NAME_LENGTH, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    division = models.ForeignKey(
        "registry.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="places"
    )
    status = models.CharField(_("status"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.ACTIVE)
    approval_authority = models.CharField(_("approving authority"), max_length=200, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    approval_document = models.CharField(_("approval document number"), max_length=100, blank=True)
    announcement_date = models.DateField(_("announcement date"), null=True, blank=True)
    category_code = models.ForeignKey(
        CategoryCode,
        verbose_name=_("category code (GB/T 18521)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # indexed in Meta, without PostgreSQL's extra LIKE index
    )
    origin = models.TextField(_("origin and meaning"), blank=True)
    history_text = models.TextField(_("history (沿革)"), blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    geometry = models.JSONField(
        _("line or area geometry (GeoJSON)"), null=True, blank=True, validators=[validate_geometry]
    )
    # The geometry's envelope (``registry.geometry.envelope``), kept by ``save`` and the
    # importer's rows: the index a bbox query narrows lines and areas with (``spatial.in_box``).
    geometry_west = models.FloatField(_("geometry envelope, west"), null=True, blank=True, editable=False)
    geometry_south = models.FloatField(_("geometry envelope, south"), null=True, blank=True, editable=False)
    geometry_east = models.FloatField(_("geometry envelope, east"), null=True, blank=True, editable=False)
    geometry_north = models.FloatField(_("geometry envelope, north"), null=True, blank=True, editable=False)
    details = models.JSONField(_("category details"), default=dict, blank=True)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.CONFIRMED
    )
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Worst finding of the last check ("", "warning", "error") and the rule codes found;
    # written on every save and refreshed by audit_names.
    finding_level = models.CharField(_("findings"), max_length=8, blank=True, editable=False)
    finding_rules = models.CharField(_("rules found"), max_length=300, blank=True, editable=False)
    # Commit-ordered write counter (see Revision): the similarity index reads what changed.
    revision = models.BigIntegerField(_("revision"), default=0, db_index=True, editable=False)

    # History is read per place (by id) and by date; indexes copied from the searchable
    # columns would only slow every write, bulk imports most (11 indexes to 4).
    history = HistoricalRecords(
        verbose_name=_("place history"),
        verbose_name_plural=_("place history"),
        excluded_fields=["revision", *ENVELOPE_COLUMNS],
        no_db_index=["code", "name", "initials", "category", "status", "finding_level", "division", "category_code"],
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]
        # Declared here rather than with db_index, which on PostgreSQL adds a second
        # (LIKE) index to every text column: 21 indexes to 14, and every write pays for each.
        # Prefix searches (LIKE 'x%') use code's and division's; the others are equality.
        indexes = [
            # The API's default list order within a category filter (and the category filter
            # alone): a page is an index range scan.
            models.Index(fields=["category", "code"], name="place_category_code"),
            # A list filtered by category and county (the division filter is a range of
            # codes): its page and its count, without reading every place of the category.
            models.Index(fields=["category", "division", "code"], name="place_category_division"),
            models.Index(fields=["name"], name="place_name"),
            models.Index(fields=["initials"], name="place_initials"),
            models.Index(fields=["status"], name="place_status"),
            models.Index(fields=["finding_level"], name="place_finding_level"),
            models.Index(fields=["category_code"], name="place_category_code_id"),
            # The validator's exact lookups: DUPLICATE by name_key, HOMOPHONE by pinyin_key.
            models.Index(fields=["name_key", "category", "status"], name="place_name_key"),
            models.Index(fields=["pinyin_key", "category", "status"], name="place_pinyin_key"),
            # bbox and near are answered from the spatial index (an R*Tree on SQLite, a GiST
            # on PostgreSQL), made by migration 0028_spatial_index: registry/spatial_index.py.
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(longitude__isnull=True) & Q(latitude__isnull=True))
                | (Q(longitude__isnull=False) & Q(latitude__isnull=False)),
                name="place_lonlat_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def set_envelope(self) -> None:
        """The envelope columns from the geometry (``save`` calls it; a bulk insert must too)."""
        self.geometry_west, self.geometry_south, self.geometry_east, self.geometry_north = envelope_columns(
            self.geometry
        )

    def save(self, *args, **kwargs):
        """Keep the envelope columns in step with the geometry, however the place is saved."""
        self.set_envelope()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "geometry" in update_fields:
            kwargs["update_fields"] = {*update_fields, *ENVELOPE_COLUMNS}
        super().save(*args, **kwargs)

    def _located_anew(self) -> bool:
        """Whether this save sets the point or the division (a new place, or either changed).

        A stored point was judged against the boundaries known when it was set; one loaded
        later (the demo's 2016 outlines, the airport's county of its opening) does not lock
        the place's other fields: an edit that keeps the point and the division saves, and
        moving either is judged again."""
        if self.pk is None:
            return True
        stored = Place.objects.filter(pk=self.pk).values_list("longitude", "latitude", "division_id").first()
        return stored is None or stored != (self.longitude, self.latitude, self.division_id)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not (self.name or "").strip():
            errors.setdefault("name", []).append(_("A place needs a name."))
        if (self.longitude is None) != (self.latitude is None):
            errors.setdefault("latitude", []).append(_("Give both longitude and latitude, or neither."))
        elif self.longitude is not None and not in_china(self.longitude, self.latitude):
            errors.setdefault("longitude", []).append(
                _(
                    "(%(lon)s, %(lat)s) lies outside China: WGS-84 longitude must be 73.4–135.1 and latitude 3.8–53.6 "
                    "(were they swapped?)."
                )
                % {"lon": self.longitude, "lat": self.latitude}
            )
        elif self.longitude is not None and self.division_id and self._located_anew():
            from registry.boundaries import boundary_problem

            problem = boundary_problem(self.division, self.longitude, self.latitude)
            if problem:
                errors.setdefault("longitude", []).append(problem)
        try:
            self.details = clean_details(self.category, self.details)
        except ValidationError as exc:
            errors.setdefault("details", []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)


NAME_ORDER = (F("valid_from_key").asc(nulls_first=True), F("valid_to_key").asc(nulls_last=True), "id")


class PlaceName(UndeletableModel, TimeStamped):
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="names")
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    pinyin = models.CharField(_("pinyin"), max_length=300, blank=True)
    pinyin_key = models.CharField(_("pinyin key"), max_length=300, blank=True, editable=False)
    initials = models.CharField(_("initials"), max_length=100, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=NameKind.choices)
    valid_from = models.CharField(
        _("valid from"), max_length=11, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    valid_to = models.CharField(_("valid to"), max_length=11, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    # Integer day keys of valid_from's first day and valid_to's last day (see partial_dates).
    # Not indexed: "as of a day" reads one place's names (through the place index) and
    # filters them; an index on either key would serve no query and slow every write.
    valid_from_key = models.IntegerField(_("valid from (day key)"), null=True, blank=True, editable=False)
    valid_to_key = models.IntegerField(_("valid to (day key)"), null=True, blank=True, editable=False)
    decision_document = models.CharField(_("decision document number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    source = models.TextField(_("source or attestation"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Commit-ordered write counter, as on Place: the search index reads what changed.
    revision = models.BigIntegerField(_("revision"), default=0, db_index=True, editable=False)

    history = HistoricalRecords(
        verbose_name=_("name history"),
        verbose_name_plural=_("name history"),
        excluded_fields=["revision"],
        no_db_index=["name", "pinyin_key", "kind", "valid_from_key", "valid_to_key", "initials"],
    )

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names history")
        # Oldest first: by start (unknown starts first), then by end (open-ended, i.e. current, last).
        ordering = ["place", F("valid_from_key").asc(nulls_first=True), F("valid_to_key").asc(nulls_last=True), "id"]
        # As on Place: plain indexes, no PostgreSQL LIKE twins. A place's names are found
        # through the place index; kind (official or not) is too common a value to index.
        indexes = [
            models.Index(fields=["name"], name="placename_name"),
            models.Index(fields=["pinyin_key"], name="placename_pinyin_key"),
            models.Index(fields=["initials"], name="placename_initials"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=Q(kind=NameKind.OFFICIAL, valid_to=""),
                name="one_current_official_name_per_place",
                violation_error_message=_(
                    "This place already has a current official name; close it before opening another."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from_key__isnull=True)
                | Q(valid_to_key__isnull=True)
                | Q(valid_to_key__gte=F("valid_from_key")),
                name="name_valid_to_not_before_valid_from",
                violation_error_message=_("A name cannot end before it begins."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not (self.name or "").strip():
            errors.setdefault("name", []).append(_("A name cannot be empty."))
        parsed = {}
        for field in ("valid_from", "valid_to"):
            try:
                parsed[field] = partial_dates.parse(getattr(self, field))
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
        start, end = parsed.get("valid_from"), parsed.get("valid_to")
        if start and end and end.last_key < start.first_key:
            errors.setdefault("valid_to", []).append(
                _("The name cannot end (%(end)s) before it begins (%(start)s).") % {"end": end, "start": start}
            )
        if errors:
            raise ValidationError(errors)
        self.valid_from = str(start) if start else ""
        self.valid_to = str(end) if end else ""
        self.valid_from_key = start.first_key if start else None
        self.valid_to_key = end.last_key if end else None
