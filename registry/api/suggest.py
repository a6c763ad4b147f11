"""``POST /api/v1/names/suggest/``: names that pass every rule in a scope (``registry.suggestions``).

For staff: the answer shows what the name bank holds, which is not public before a
name is proposed. The request is checked for shape here (category, division code,
theme, the neighbouring features, count 1–50); every bad value is a 400 naming the field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.authentication import TokenChallengeMixin
from registry.api.params import StrictQueryParametersMixin
from registry.api.serializers import FindingSerializer
from registry.choices import Category
from registry.models import Division
from registry.suggestions import MAX_COUNT, resolve_near, suggest

SOURCES = ["bank", "series", "derived"]


class NearSerializer(serializers.Serializer):
    on = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="The feature the new one lies on or continues (a bridge: the road it carries): "
        "a place code or a current name, e.g. 长江路.",
    )
    over = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="What the new feature crosses or runs along (a bridge: the river or road below it), e.g. 南淝河.",
    )


class NameSuggestInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    division = serializers.CharField(max_length=12, help_text="The division code of the new feature, e.g. 340104.")
    theme = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A bank theme or series (紫云系列), or the base of a numbered series (经 for 经一路 …).",
    )
    near = NearSerializer(required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=MAX_COUNT, default=10)

    def validate_division(self, value: str) -> Division:
        found = Division.objects.filter(code=value.strip()).first()
        if found is None:
            raise serializers.ValidationError(_("Unknown division code “%(code)s”.") % {"code": value[:20]})
        return found


class SuggestionSerializer(serializers.Serializer):
    name = serializers.CharField()
    pinyin = serializers.CharField()
    why = serializers.CharField(
        help_text="Why it is suggested: the bank entry and its source, the series it "
        "continues, the features it is derived from."
    )
    source = serializers.ChoiceField(choices=SOURCES)
    bank_entry = serializers.IntegerField(allow_null=True, help_text="The bank entry's id (source bank), else null.")
    findings = FindingSerializer(many=True, help_text="Always empty: only names that pass every rule are suggested.")


class NameSuggestOutputSerializer(serializers.Serializer):
    category = serializers.CharField()
    division = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class NameSuggestView(TokenChallengeMixin, StrictQueryParametersMixin, APIView):
    """Suggest names for a new feature: bank entries first, then series continuations, then derived names."""

    permission_classes = [IsAuthenticated, IsAdminUser]

    @extend_schema(
        request=NameSuggestInputSerializer,
        responses={200: NameSuggestOutputSerializer},
        operation_id="names_suggest",
        examples=[
            OpenApiExample(
                "A bridge on 长江路 over 南淝河",
                request_only=True,
                value={
                    "category": "bridge",
                    "division": "340102",
                    "near": {"on": "长江路", "over": "南淝河"},
                    "count": 3,
                },
            )
        ],
    )
    def post(self, request):
        given = NameSuggestInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        division = data["division"]
        near = data.get("near") or {}
        on = resolve_near(near.get("on", ""), division, "near")
        over = resolve_near(near.get("over", ""), division, "near")
        found = suggest(
            category=data["category"],
            division=division,
            theme=data.get("theme", ""),
            on=on,
            over=over,
            count=data["count"],
        )
        return Response(
            {"category": data["category"], "division": division.code, "suggestions": [s.as_dict() for s in found]}
        )
