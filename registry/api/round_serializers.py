"""The API's shapes of a naming round: the round with its items (findings, outcomes), the
timeline, and one request serializer per step of ``workflow.ROUND_STEPS`` and
``workflow.ITEM_STEPS`` (built as the proposals' are, so each step's schema shows its own
fields)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.api.serializers import ObjectionSerializer, ProposalCreateSerializer
from registry.services.rounds import ITEM_FIELDS
from registry.api.step_serializers import StrictBodySerializer, step_serializer
from registry.models import Round, RoundItem
from registry.models.rounds import ItemAction
from registry.workflow import ITEM_STEPS, ROUND_STEPS


class RoundEventSerializer(serializers.Serializer):
    transition = serializers.CharField()
    item = serializers.IntegerField(source="item.position", allow_null=True, default=None)
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class RoundItemSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="position", read_only=True)
    place = serializers.CharField(source="place.code", allow_null=True, read_only=True, default=None)
    division = serializers.CharField(source="division_id", allow_null=True, read_only=True)
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = RoundItem
        fields = [
            "number",
            *ITEM_FIELDS,  # what an item is drafted with, as the services take it
            "outcome",
            "outcome_note",
            "override_reason",
            "check_level",
            "findings",
            "announced",
            "objections",
        ]


class RoundSerializer(serializers.ModelSerializer):
    drafted_by = serializers.CharField(source="drafted_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, read_only=True, default=None)
    items = RoundItemSerializer(many=True, read_only=True)
    events = RoundEventSerializer(many=True, read_only=True)
    announcement = serializers.CharField(source="announcement.number", allow_null=True, read_only=True, default=None)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "organisers",
            "authority",
            "state",
            "drafted_by",
            "created_at",
            "notice_starts_at",
            "notice_ends_at",
            "document_number",
            "decided_on",
            "decided_by",
            "rejection_reason",
            "announcement",
            "allowed_transitions",
            "items",
            "events",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, round_) -> list[str]:
        from registry.services.rounds import allowed_round_transitions

        request = self.context.get("request")
        return allowed_round_transitions(round_, request.user) if request else []


class RoundCreateSerializer(StrictBodySerializer):
    # Lengths are judged as sent (not after trimming), as the schema's maxLength says;
    # the service trims. Schemathesis found a 200-character limit passed by leading spaces.
    title = serializers.CharField(max_length=200, trim_whitespace=False)
    organisers = serializers.CharField(max_length=300, required=False, allow_blank=True, trim_whitespace=False)
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True, trim_whitespace=False)


class RoundItemCreateSerializer(ProposalCreateSerializer):
    """An item's body: a proposal's (without the heritage listing), with where the feature lies."""

    action = serializers.ChoiceField(choices=ItemAction.choices)
    heritage = None
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    geometry = serializers.JSONField(required=False, allow_null=True)
    details = serializers.DictField(required=False)


class RoundItemEditSerializer(RoundItemCreateSerializer):
    """A correction of a draft's item: any of an added item's fields; those left out stay as they are."""

    action = serializers.ChoiceField(choices=ItemAction.choices, required=False)
    reason = serializers.CharField(max_length=10_000, required=False)


class RoundItemRemoveSerializer(StrictBodySerializer):
    reason = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


ROUND_STEP_SERIALIZERS = {name: step_serializer(step, "Round") for name, step in ROUND_STEPS.items()}
ITEM_STEP_SERIALIZERS = {name: step_serializer(step, "RoundItem") for name, step in ITEM_STEPS.items()}
