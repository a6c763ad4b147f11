"""The workflow is one table (issue #17 item 2, issue #11 item 8): the services' dispatch,
the API's actions and request bodies, the schema and the admin's forms all come from
``registry.workflow.STEPS`` and say the same thing."""

import inspect

import pytest
from rest_framework.test import APIClient

from registry.admin.step_forms import STEP_FORMS
from registry.api.step_serializers import STEP_SERIALIZERS
from registry.api.proposal_views import ProposalViewSet
from registry.models import Proposal, ProposalEvent
from registry.workflow import DATE, INTEGER, STEPS
from tests.workflow.test_api import as_user  # noqa: F401  (fixture)
from tests.workflow.test_workflow import STATE_BEFORE, shushan  # noqa: F401  (fixture)

ACTORS = {
    "submit": "clerk",
    "start_review": "reviewer",
    "return_for_revision": "reviewer",
    "start_notice": "reviewer",
    "object": "reviewer",
    "approve": "approver",
    "reject": "approver",
    "withdraw": "clerk",
}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json", "lang": "en"}).json()


def body_schema(schema, name):
    """The request body the schema documents for step ``name`` (None: it takes no body)."""
    body = schema["paths"][f"/api/v1/proposals/{{id}}/{name}/"]["post"].get("requestBody")
    if body is None:
        return None
    ref = body["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_step_is_in_the_table_once_with_its_label():
    from registry.choices import TRANSITION_LABELS

    assert list(STEPS) == list(TRANSITION_LABELS)
    assert all(step.name == name and step.label == TRANSITION_LABELS[name] for name, step in STEPS.items())


@pytest.mark.parametrize("name", list(STEPS))
def test_the_handler_takes_exactly_the_steps_fields(name):
    step = STEPS[name]
    parameters = list(inspect.signature(step.handler).parameters)[2:]  # after the proposal and the user
    assert set(parameters) == step.field_names
    assert not any(p.kind is p.VAR_KEYWORD for p in inspect.signature(step.handler).parameters.values())


@pytest.mark.parametrize("name", list(STEPS))
def test_serializer_form_and_schema_take_the_steps_fields(schema, name):
    step = STEPS[name]
    assert set(STEP_SERIALIZERS[name]().fields) == step.field_names
    assert list(STEP_FORMS[name]().fields) == [f.name for f in step.fields if f.in_form]
    documented = body_schema(schema, name)
    assert set((documented or {}).get("properties", {})) == step.field_names
    if documented is not None:
        assert documented["additionalProperties"] is False
        assert set(documented.get("required", [])) == {f.name for f in step.fields if f.required and not f.defaulted}


@pytest.mark.parametrize("name", list(STEPS))
def test_each_steps_schema_has_formats_and_bounds(schema, name):
    properties = (body_schema(schema, name) or {}).get("properties", {})
    for field in STEPS[name].fields:
        documented = properties[field.name]
        if field.kind == DATE:
            assert documented["format"] == "date", field.name
        if field.kind == INTEGER:
            assert (documented["minimum"], documented["maximum"]) == (field.minimum, field.maximum)
        if field.max_length:
            assert documented["maxLength"] == field.max_length
    assert ("decided_on" in properties) == (name == "approve")
    assert ("days" in properties) == (name == "start_notice")


def test_the_api_has_one_written_out_action_per_step(schema):
    actions = {a.__name__: a for a in ProposalViewSet.get_extra_actions()}
    assert set(actions) == set(STEPS) | {"respond"}
    source = inspect.getsource(ProposalViewSet)
    for name in STEPS:
        assert f"    def {name}(self, request, pk=None):" in source  # greppable
        assert actions[name].url_path == name
        assert schema["paths"][f"/api/v1/proposals/{{id}}/{name}/"]["post"]["operationId"] == f"proposals_{name}"
    respond = schema["paths"]["/api/v1/proposals/{id}/objections/{objection_id}/respond/"]["post"]
    assert respond["operationId"] == "proposals_objection_respond"


def _example(schema, prop: dict, edge: str):
    """A value the schema allows, at its lower or upper edge (as a fuzzer would try)."""
    from django.utils import timezone

    if "allOf" in prop:
        enum = schema["components"]["schemas"][prop["allOf"][0]["$ref"].rsplit("/", 1)[1]]["enum"]
        return enum[0] if edge == "low" else enum[-1]
    if prop["type"] == "integer":
        return prop["minimum"] if edge == "low" else prop["maximum"]
    if prop.get("format") == "date":
        return timezone.localdate().isoformat()
    if edge == "low":
        return "异" * prop.get("minLength", 0)
    return "异" * prop["maxLength"]


@pytest.mark.parametrize("edge", ["low", "high"])
@pytest.mark.parametrize("name", list(STEPS))
def test_valid_bodies_from_the_schema_are_accepted(
    schema,
    walk,
    users,
    as_user,  # noqa: F811 (the fixture imported above)
    shushan,  # noqa: F811
    settings,
    name,
    edge,
):
    proposal = walk(STATE_BEFORE[name], action="name", name="习友路", category="road", division=shushan)
    documented = (body_schema(schema, name) or {}).get("properties", {})
    body = {field: _example(schema, prop, edge) for field, prop in documented.items()}
    answer = as_user(ACTORS[name]).post(f"/api/v1/proposals/{proposal.pk}/{name}/", body, format="json")
    assert answer.status_code == 200, (body, answer.content.decode()[:500])
    assert Proposal.objects.get(pk=proposal.pk).state == STEPS[name].target


def _other_field(name: str) -> str:
    return next(other for other in ("days", "decided_on", "text", "reason") if other not in STEPS[name].field_names)


@pytest.mark.parametrize("lang, message", [("zh-hans", "“%s”不接受字段“%s”。"), ("en", "“%s” does not take “%s”.")])
@pytest.mark.parametrize("name", list(STEPS))
def test_a_field_the_step_does_not_take_is_refused_naming_it(walk, as_user, shushan, name, lang, message):  # noqa: F811
    proposal = walk(STATE_BEFORE[name], action="name", name="习友路", category="road", division=shushan)
    events = ProposalEvent.objects.filter(proposal=proposal).count()
    field = _other_field(name)
    from django.utils import translation

    with translation.override(lang):
        label = str(STEPS[name].label)
    answer = as_user(ACTORS[name]).post(
        f"/api/v1/proposals/{proposal.pk}/{name}/?lang={lang}", {field: "2026-01-01"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()[field] == [message % (label, field)]
    assert Proposal.objects.get(pk=proposal.pk).state == proposal.state
    assert ProposalEvent.objects.filter(proposal=proposal).count() == events


@pytest.mark.parametrize("name", list(STEPS))
def test_the_service_refuses_a_field_the_step_does_not_take(walk, users, shushan, name):  # noqa: F811
    from django.core.exceptions import ValidationError

    from registry.services.proposals import proposal_transition

    proposal = walk(STATE_BEFORE[name], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(ValidationError, match=_other_field(name)):
        proposal_transition(
            proposal=proposal, transition=name, acting_user=users[ACTORS[name]], **{_other_field(name): "x"}
        )
    assert Proposal.objects.get(pk=proposal.pk).state == proposal.state
