"""The admin's form for each workflow step, made from the step's fields in
``registry.workflow.STEPS`` (the same fields, types and bounds as the API's request
serializers), so a step's form cannot ask for what the step does not take."""

from __future__ import annotations

from django import forms

from registry.workflow import CHOICE, DATE, INTEGER, STEPS, Field, Step


class StepForm(forms.Form):
    """A step's form; help texts that depend on settings are read when it is shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.step_fields:
            if callable(field.help_text):
                self.fields[field.name].help_text = field.help_text()


def _form_field(field: Field) -> forms.Field:
    common = {
        "label": field.label,
        "required": field.required,
        "help_text": "" if callable(field.help_text) else field.help_text,
    }
    if field.initial is not None:
        common["initial"] = field.initial
    if field.kind == INTEGER:
        return forms.IntegerField(min_value=field.minimum, max_value=field.maximum, **common)
    if field.kind == DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.kind == CHOICE:
        return forms.ChoiceField(choices=field.choices, **common)
    widget = forms.Textarea(attrs={"rows": field.rows}) if field.rows else None
    return forms.CharField(max_length=field.max_length, widget=widget, **common)


def step_form(step: Step) -> type[StepForm]:
    """The form class of ``step``: one form field per field of the step shown in the admin."""
    shown = tuple(field for field in step.fields if field.in_form)
    attrs = {field.name: _form_field(field) for field in shown}
    attrs["step_fields"] = shown
    name = "".join(part.title() for part in step.name.split("_")) + "Form"
    return type(name, (StepForm,), attrs)


STEP_FORMS: dict[str, type[StepForm]] = {name: step_form(step) for name, step in STEPS.items()}
