"""Request bodies that take only what they declare: the workflow steps' (one serializer
per step, derived from ``registry.workflow``) and the create bodies (``StrictBodySerializer``).
A field not taken is refused by name, in the answer and in the schema
(``additionalProperties: false``)."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from registry.workflow import CHOICE, DATE, INTEGER, MAPPING, STEPS, TEXT, Field, Step


class StrictBodySerializer(serializers.Serializer):
    """A request body that refuses, by name, a field it does not take (a misspelt
    ``titel`` would otherwise be dropped without a word, and the client never learn its
    value was not stored), together with any other field's errors."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if hasattr(data, "keys") else []
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not unknown or not isinstance(exc.detail, dict):
                raise
            errors = dict(exc.detail)
        else:
            errors = self.more_errors(data)
            if not unknown and not errors:
                return value
        errors.update({field: [self.unknown_field_message(field)] for field in unknown})
        raise serializers.ValidationError(errors)

    def more_errors(self, data) -> dict:
        return {}

    def unknown_field_message(self, field: str) -> str:
        return _("This request does not take “%(field)s”.") % {"field": str(field)[:40]}


class StrictBodySchema(OpenApiSerializerExtension):
    """In the schema, a strict body has no other property (one is refused, named)."""

    target_class = StrictBodySerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        return {**auto_schema._map_basic_serializer(self.target, direction), "additionalProperties": False}


class StepSerializer(StrictBodySerializer):
    """The body of one workflow step: only the fields the step takes (``registry.workflow``).

    A field the step does not take is refused, named, with the step's label; the other
    fields are judged here by type and bounds and then by the step's service. Nothing is
    required here: a missing field is refused by the service with a message saying what
    the step needs.
    """

    step: Step

    def unknown_field_message(self, field: str) -> str:
        return _("“%(step)s” does not take “%(field)s”.") % {"step": self.step.label, "field": field}

    def more_errors(self, data) -> dict:
        return self._blank_form_texts(data)

    def _blank_form_texts(self, data) -> dict:
        """A form (multipart) field sent empty is, to DRF, a field not sent; a text the step
        refuses blank is refused as blank however it was sent (schemathesis found the gap)."""
        if not hasattr(data, "getlist"):
            return {}
        return {
            field.name: [serializers.CharField.default_error_messages["blank"]]
            for field in self.step.fields
            if field.kind == TEXT
            and not field.allows_blank
            and field.name in data
            and not str(data.get(field.name) or "").strip()
        }


# A text the API accepts: no NUL character (refused), and, where blank is refused, one
# character that is not white space (the API trims before it judges).
TEXT_PATTERN = "^[^\\u0000]*$"
NON_BLANK_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


class StepSerializerSchema(OpenApiSerializerExtension):
    """A step's body in the schema says what the API really takes: no other property (one
    is refused, named), the fields without which the step is refused as required, and the
    texts it refuses excluded by a pattern."""

    target_class = StepSerializer
    match_subclasses = True
    priority = 1  # before StrictBodySchema, which also matches

    def map_serializer(self, auto_schema, direction):
        schema = {**auto_schema._map_basic_serializer(self.target, direction), "additionalProperties": False}
        fields = self.target.step.fields
        for field in fields:
            if field.kind == TEXT:
                schema["properties"][field.name]["pattern"] = TEXT_PATTERN if field.allows_blank else NON_BLANK_PATTERN
        required = [field.name for field in fields if field.required and not field.defaulted]
        if required:
            schema["required"] = required
        return schema


class TextField(serializers.CharField):
    """A text field that refuses a JSON number or boolean (DRF's ``CharField`` would store
    ``-8e-98`` as the text "-8e-98"; the schema says string, and schemathesis checks it)."""

    def to_internal_value(self, data):
        if isinstance(data, (bool, int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


def _serializer_field(field: Field) -> serializers.Field:
    described = field.help_text and not callable(field.help_text)
    common = {
        "required": False,
        "help_text": format_lazy("{}: {}", field.label, field.help_text) if described else field.label,
    }
    if field.kind == INTEGER:
        return serializers.IntegerField(min_value=field.minimum, max_value=field.maximum, **common)
    if field.kind == DATE:
        return serializers.DateField(**common)
    if field.kind == CHOICE:
        return serializers.ChoiceField(choices=field.choices, **common)
    if field.kind == MAPPING:
        return serializers.DictField(child=TextField(max_length=10_000, allow_blank=True), **common)
    return TextField(max_length=field.max_length, allow_blank=field.allows_blank, **common)


def step_serializer(step: Step, subject: str = "Proposal") -> type[StepSerializer]:
    """The request serializer of ``step``: ``ProposalApproveSerializer`` and so on (the
    schema's ``ProposalApproveRequest``), with exactly the step's fields."""
    attrs = {field.name: _serializer_field(field) for field in step.fields}
    attrs.update(
        step=step,
        __doc__=f"The body of the “{step.name}” step: "
        + (", ".join(field.name for field in step.fields) or "no fields")
        + ".",
    )
    name = subject + "".join(part.title() for part in step.name.split("_")) + "Serializer"
    return type(name, (StepSerializer,), attrs)


STEP_SERIALIZERS: dict[str, type[StepSerializer]] = {name: step_serializer(step) for name, step in STEPS.items()}
