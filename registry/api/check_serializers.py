"""The name check's shapes (``POST /api/v1/names/check/``): what it takes and what it answers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from registry.api.step_serializers import StrictBodySerializer
from registry.choices import Category
from registry.validation.findings import RULES

LOCATION_HELP = (
    "Where the named feature is (WGS-84 decimal degrees, inside China; give both or neither): the name is "
    "then also compared with the places within REGISTRY_VALIDATION['RADIUS_M'] metres (10 km by default) "
    "across scope borders (DUPLICATE, HOMOPHONE). Without it, a renamed ``place``'s own point is used."
)


class NameCheckInputSerializer(StrictBodySerializer):
    name = serializers.CharField(max_length=50_000, allow_blank=True, trim_whitespace=False)
    category = serializers.ChoiceField(choices=Category.choices)
    division = serializers.CharField(required=False, allow_blank=True, max_length=12)
    place = serializers.CharField(required=False, allow_blank=True, max_length=32)
    pinyin = serializers.CharField(required=False, allow_blank=True, max_length=300)
    longitude = serializers.FloatField(required=False, allow_null=True, help_text=LOCATION_HELP)
    latitude = serializers.FloatField(required=False, allow_null=True, help_text=LOCATION_HELP)

    def validate(self, data):
        """Both coordinates or neither, inside China (DRF refuses NaN and infinities): the radius check's location."""
        from registry.models.places import in_china

        lon, lat = data.get("longitude"), data.get("latitude")
        if lon is None and lat is None:
            return data
        if lon is None or lat is None:
            missing = "latitude" if lat is None else "longitude"
            raise serializers.ValidationError({missing: [_("Give both longitude and latitude, or neither.")]})
        if not in_china(lon, lat):
            raise serializers.ValidationError(
                {
                    "longitude": [
                        _(
                            "(%(lon)s, %(lat)s) lies outside China: WGS-84 longitude must be 73.4–135.1 and latitude "
                            "3.8–53.6 (were they swapped?)."
                        )
                        % {"lon": lon, "lat": lat}
                    ]
                }
            )
        return data


class MatchSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()


class FindingSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=sorted(RULES), help_text="The rule's code (see SPEC.md's twenty rules).")
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()
    matches = MatchSerializer(many=True, required=False)


class SuggestedDivisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class NameCheckOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    pinyin = serializers.CharField()
    ok = serializers.BooleanField()
    findings = FindingSerializer(many=True)
    suggested_division = SuggestedDivisionSerializer(
        required=False,
        allow_null=True,
        help_text=(
            "Only when the request gives longitude and latitude: the most specific division whose loaded boundary "
            "(manage.py import_boundaries) holds the point, to file the name under; null when no loaded boundary "
            "holds it or none are loaded."
        ),
    )
