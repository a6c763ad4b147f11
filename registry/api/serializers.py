"""API representations. Shapes only: rules are judged by the checker and the services."""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.api.check_serializers import (  # noqa: F401 (the name check's shapes, kept importable here)
    FindingSerializer,
    MatchSerializer,
    NameCheckInputSerializer,
    NameCheckOutputSerializer,
)
from registry.api.step_serializers import StrictBodySerializer
from registry.choices import Category, ObjectionOutcome, PlaceStatus, ProposalAction, Verification
from registry.models import Division, HeritageListing, Place, PlaceName, Proposal
from registry.romanization import romanize


class DivisionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent", "verification"]


class DivisionDetailSerializer(DivisionSerializer):
    children = DivisionSerializer(many=True, read_only=True)

    class Meta(DivisionSerializer.Meta):
        fields = DivisionSerializer.Meta.fields + ["children"]


class PlaceNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceName
        fields = ["name", "pinyin", "kind", "valid_from", "valid_to", "decision_document", "decision_date", "source"]


class HeritageListingSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    division = serializers.CharField(source="place.division_id", read_only=True)
    years_in_use = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = HeritageListing
        fields = [
            "id",
            "place",
            "place_name",
            "division",
            "scheme",
            "level",
            "status",
            "batch",
            "notice_start",
            "notice_end",
            "listed_on",
            "authority",
            "document_number",
            "first_recorded_name",
            "first_recorded_source",
            "in_use_since",
            "years_in_use",
            "evidence",
            "preserved_features",
            "protection_measures",
            "description",
            "verification",
            "source",
        ]


class PlaceSerializer(serializers.Serializer):
    """A place in a list: its name (as of the requested day), where it is, whether it is heritage.

    Declared field by field rather than as a ModelSerializer: building a ModelSerializer's
    fields from the model on every request cost more than the page query itself.
    """

    code = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    pinyin = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    generic = serializers.CharField(read_only=True)
    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    status = serializers.ChoiceField(choices=PlaceStatus.choices, read_only=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    heritage = serializers.BooleanField(source="has_heritage", read_only=True)

    def to_representation(self, place):
        # ``distance`` (metres) only in a ``near`` query, which measures it: not a declared
        # field, which the schema would list as always present (schemathesis found that).
        data = self._list_row(place) if _writes_list_row(type(self)) else super().to_representation(place)
        if getattr(place, "distance_m", None) is not None:
            data["distance"] = round(place.distance_m, 1)
        return data

    def _list_row(self, place) -> dict:
        """The declared fields' values, written out: what DRF's field-by-field walk gives
        (``tests/api/test_list_rows.py`` compares the two), at a fraction of its cost per row."""
        longitude, latitude = place.longitude, place.latitude
        data = {
            "code": place.code,
            "name": getattr(place, "as_of_name", None) or place.name,
            "pinyin": getattr(place, "as_of_pinyin", None) or place.pinyin,
            "category": _choice(place.category),
            "generic": place.generic,
            "division": place.division_id,
            "division_name": place.division.name,
            "status": _choice(place.status),
            "longitude": None if longitude is None else float(longitude),
            "latitude": None if latitude is None else float(latitude),
            "heritage": bool(place.has_heritage),
        }
        if "geometry" in self.fields:  # the GeoJSON row: its line or area too
            data["geometry"] = self.fields["geometry"].to_representation(place.geometry)
        return data

    @extend_schema_field(serializers.CharField())
    def get_name(self, place: Place) -> str:
        return getattr(place, "as_of_name", None) or place.name

    @extend_schema_field(serializers.CharField())
    def get_pinyin(self, place: Place) -> str:
        return getattr(place, "as_of_pinyin", None) or place.pinyin


def _choice(value):
    """A choice as DRF's ``ChoiceField`` writes it: the value itself (``None`` stays ``None``)."""
    return value if value is None else str(value)


LIST_ROW_FIELDS = tuple(
    "code name pinyin category generic division division_name status longitude latitude heritage".split()
)


@cache
def _writes_list_row(serializer_class) -> bool:
    """Whether ``_list_row`` writes every field of ``serializer_class``: the list row's own,
    declared here, optionally followed by ``geometry`` (the GeoJSON list's). A subclass with
    other fields, or these redeclared, goes through DRF's field-by-field walk."""
    fields = serializer_class._declared_fields
    if any(fields[name] is not PlaceSerializer._declared_fields.get(name) for name in LIST_ROW_FIELDS):
        return False
    extra = [name for name in fields if name not in LIST_ROW_FIELDS]
    return extra in ([], ["geometry"]) and list(fields)[: len(LIST_ROW_FIELDS)] == list(LIST_ROW_FIELDS)


class PlaceDetailSerializer(PlaceSerializer):
    """One place with its names history, heritage listings and category details."""

    pinyin_tone_marked = serializers.SerializerMethodField()
    pinyin_sign = serializers.SerializerMethodField()
    specific = serializers.CharField(read_only=True)
    approval_authority = serializers.CharField(read_only=True)
    approval_date = serializers.DateField(read_only=True, allow_null=True)
    approval_document = serializers.CharField(read_only=True)
    announcement_date = serializers.DateField(read_only=True, allow_null=True)
    category_code = serializers.CharField(source="category_code_id", read_only=True, allow_null=True)
    origin = serializers.CharField(read_only=True)
    history = serializers.CharField(source="history_text", read_only=True)
    geometry = serializers.JSONField(read_only=True, allow_null=True)
    details = serializers.JSONField(read_only=True)
    verification = serializers.ChoiceField(choices=Verification.choices, read_only=True)
    source = serializers.CharField(read_only=True)
    finding_level = serializers.CharField(read_only=True)
    finding_rules = serializers.CharField(read_only=True)
    names = PlaceNameSerializer(many=True, read_only=True)
    heritage_listings = HeritageListingSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_pinyin_tone_marked(self, place: Place) -> str:
        return romanize(place.name, place.category).tone_marked

    @extend_schema_field(serializers.CharField())
    def get_pinyin_sign(self, place: Place) -> str:
        return (place.pinyin or "").upper()


class SearchHitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The place's current standard name.")
    category = serializers.ChoiceField(choices=Category.choices)
    division = serializers.CharField()
    status = serializers.CharField()
    matched_name = serializers.CharField(help_text="The name that matched the query.")
    matched_kind = serializers.CharField(help_text="official, former, alias or historical.")
    match = serializers.CharField(
        help_text="How it matched: exact, prefix, homophone, fuzzy, pinyin, "
        "pinyin-prefix, initials, initials-prefix or code."
    )
    score = serializers.FloatField(min_value=0, max_value=100)
    distance = serializers.FloatField(required=False, help_text="Metres from ``near`` (only in a ``near`` query).")


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


class ProposalEventSerializer(serializers.Serializer):
    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class ObjectionSerializer(serializers.Serializer):
    """An objection and its response; the objector's contact is never sent out."""

    id = serializers.IntegerField()
    objector = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    text = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    at = serializers.DateTimeField()
    response = serializers.CharField()
    outcome = serializers.CharField()
    responded_by = serializers.CharField(source="responded_by.username", allow_null=True, default=None)
    responded_at = serializers.DateTimeField(allow_null=True)


class ObjectionResponseSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=10_000)
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices, required=False, allow_blank=True)


class ProposalSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.code", allow_null=True, read_only=True, default=None)
    division = serializers.CharField(source="division_id", allow_null=True, read_only=True)
    drafted_by = serializers.CharField(source="drafted_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, read_only=True, default=None)
    events = ProposalEventSerializer(many=True, read_only=True)
    objections = ObjectionSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "action",
            "state",
            "place",
            "name",
            "category",
            "division",
            "pinyin",
            "reason",
            "origin",
            "heritage",
            "drafted_by",
            "created_at",
            "notice_starts_at",
            "notice_ends_at",
            "check_level",
            "check_findings",
            "authority",
            "document_number",
            "decided_on",
            "decided_by",
            "override_reason",
            "rejection_reason",
            "allowed_transitions",
            "events",
            "objections",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, proposal) -> list[str]:
        from registry.services.proposals import allowed_transitions

        request = self.context.get("request")
        return allowed_transitions(proposal, request.user) if request else []


class ProposalCreateSerializer(StrictBodySerializer):
    action = serializers.ChoiceField(choices=ProposalAction.choices)
    place = serializers.CharField(required=False, allow_blank=True, max_length=32)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    division = serializers.CharField(required=False, allow_blank=True, max_length=12)
    pinyin = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reason = serializers.CharField(max_length=10_000)
    origin = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    heritage = serializers.DictField(required=False)

    def validate_heritage(self, value: dict) -> dict:
        """Each heritage field is one scalar: text, or an integer year for ``in_use_since``.

        The services store what they are given; an object or list would be kept as its
        Python repr ("{'a': [1]}") and a text year would fail deep in the model's checks.
        """
        errors, cleaned = {}, {}
        for field, given in value.items():
            if field == "in_use_since":
                year = _integer(given)
                if year is _INVALID:
                    errors[field] = [_("Give a year as a whole number (negative for BCE).")]
                cleaned[field] = year
            elif isinstance(given, str) and "\x00" in given:
                errors[field] = [_("A NUL character is not allowed here.")]
            elif isinstance(given, str):
                cleaned[field] = given
            else:
                errors[field] = [_("Give text, not a list, an object or a number.")]
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned


_INVALID = object()


def _integer(value):
    """An integer from an int or integer text; None stays None; anything else is _INVALID."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,6}", value.strip()):
        return int(value.strip())
    return _INVALID
