"""The naming workflow as one table: every step a proposal can take, in one place.

Each ``Step`` says which states it leaves, the state it reaches, the permission it
needs, who of the drafter and the others may take it, the function that does its work
and the fields it takes (with their types and bounds). Everything else is derived from
this table and from nowhere else:

- ``services.proposals.proposal_transition`` dispatches on it, refuses a move the table
  does not allow, and refuses a field the step does not take;
- ``api.step_serializers.STEP_SERIALIZERS`` is one request serializer per step (so the
  OpenAPI schema shows for each step only its own fields, with formats and bounds), and
  ``api.proposal_views.ProposalViewSet`` has one written-out ``@action`` per step;
- ``admin.step_forms.STEP_FORMS`` is the admin's form per step.

A field's ``required`` means the step cannot be taken without it: the admin's form
insists, the API refuses it blank and its schema lists it as required; a missing one is
refused by the step's service, whose message says what is missing, so both ways in
answer alike. A ``defaulted`` field is one the service supplies when it is left out (an
objection's channel and day of receipt), so the API may omit it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry.choices import TRANSITION_LABELS, ObjectionChannel, ProposalState
from registry.services import steps

TEXT, INTEGER, DATE, CHOICE, MAPPING = "text", "integer", "date", "choice", "mapping"


@dataclass(frozen=True)
class Field:
    """One field a step takes: its type and bounds (shared by the API and the admin)
    and how the admin's form shows it."""

    name: str
    kind: str
    label: Promise
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    help_text: Promise | Callable[[], str] | str = ""
    initial: Any = None
    rows: int = 0  # a text area of this many rows (0: one line)
    in_form: bool = True  # shown on the admin's form (the API always takes it)
    blank: bool | None = None  # may the API be given it empty? (None: when not required)
    defaulted: bool = False  # left out, the step's service supplies it (so the API may omit it)

    @property
    def allows_blank(self) -> bool:
        return not self.required if self.blank is None else self.blank


@dataclass(frozen=True)
class Step:
    """One transition of the workflow (see the module docstring for what derives from it)."""

    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    handler: Callable[..., str]
    fields: tuple[Field, ...] = ()
    drafter: str = ""  # "only": only the drafter takes it; "not": the drafter may not
    drafter_refusal: Promise | str = ""
    title: Promise | str = ""  # the label of a step that is not a proposal's (a round item's "defer")

    @property
    def label(self) -> str:
        return str(self.title) if self.title else TRANSITION_LABELS[self.name]

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields)

    @property
    def decision(self) -> bool:
        """A decision (approve, reject) ends the proposal; its page lists what to weigh."""
        return self.target in (ProposalState.APPROVED, ProposalState.REJECTED)


def _notice_help() -> str:
    return _("Leave empty for the system's default notice length (%(days)s days).") % {
        "days": settings.REGISTRY_NOTICE_DAYS
    }


def _approving_authority() -> str:
    return getattr(settings, "REGISTRY_APPROVING_AUTHORITY", "")


def _reason(label: Promise, **extra: Any) -> Field:
    return Field("reason", TEXT, label, required=True, max_length=10_000, rows=3, **extra)


DAYS = Field("days", INTEGER, _("notice days"), minimum=0, maximum=365, help_text=_notice_help)
OBJECTION_FIELDS = (
    Field("objector", TEXT, _("objector"), max_length=100, help_text=_("Optional for members of the public.")),
    Field(
        "channel",
        CHOICE,
        _("received by"),
        required=True,
        choices=tuple(ObjectionChannel.choices),
        initial=ObjectionChannel.LETTER,
        defaulted=True,
    ),
    Field(
        "received_on",
        DATE,
        _("received on"),
        required=True,
        initial=timezone.localdate,
        defaulted=True,
        help_text=_("An objection received within the notice may be entered after it ends."),
    ),
    Field("text", TEXT, _("objection"), required=True, max_length=10_000, rows=4),
    Field("contact", TEXT, _("contact"), max_length=200, help_text=_("For the reply only; never shown publicly.")),
)
APPROVAL_FIELDS = (
    Field("authority", TEXT, _("approving authority"), required=True, max_length=200, initial=_approving_authority),
    Field("document_number", TEXT, _("document number"), required=True, max_length=100),
    Field(
        "decided_on",
        DATE,
        _("decided on"),
        required=True,
        initial=timezone.localdate,
        help_text=_("Not before the public notice ended, and not in the future."),
    ),
    Field(
        "override_reason",
        TEXT,
        _("override reason"),
        max_length=10_000,
        rows=3,
        help_text=_("Needed when the name check has errors."),
    ),
)

_S = ProposalState
_OPEN = (_S.DRAFT, _S.SUBMITTED, _S.IN_REVIEW, _S.PUBLIC_NOTICE)
SUBMIT, REVIEW, DECIDE = "registry.submit_proposal", "registry.review_proposal", "registry.decide_proposal"
_NOT_OWN = _("Nobody decides on a proposal they drafted.")

# The workflow (SPEC.md "Naming workflow"), in the order its buttons are offered.
# ``object`` records an objection and stays put; ``return_for_revision`` sends a proposal
# back to its drafter as a draft, to be corrected and submitted again.
STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit",
            (_S.DRAFT,),
            _S.SUBMITTED,
            SUBMIT,
            steps.submit,
            drafter="only",
            drafter_refusal=_("Only the clerk who drafted a proposal submits it."),
        ),
        Step("start_review", (_S.SUBMITTED,), _S.IN_REVIEW, REVIEW, steps.start_review),
        Step(
            "return_for_revision",
            (_S.SUBMITTED, _S.IN_REVIEW),
            _S.DRAFT,
            REVIEW,
            steps.return_for_revision,
            (_reason(_("what to correct"), help_text=_("The drafter sees it on the proposal and in the timeline.")),),
        ),
        Step("start_notice", (_S.IN_REVIEW,), _S.PUBLIC_NOTICE, REVIEW, steps.start_notice, (DAYS,)),
        Step("object", (_S.PUBLIC_NOTICE,), _S.PUBLIC_NOTICE, REVIEW, steps.record_objection, OBJECTION_FIELDS),
        Step(
            "approve",
            (_S.PUBLIC_NOTICE,),
            _S.APPROVED,
            DECIDE,
            steps.approve,
            APPROVAL_FIELDS,
            drafter="not",
            drafter_refusal=_NOT_OWN,
        ),
        Step(
            "reject",
            (_S.SUBMITTED, _S.IN_REVIEW, _S.PUBLIC_NOTICE),
            _S.REJECTED,
            DECIDE,
            steps.reject,
            (_reason(_("reason")),),
            drafter="not",
            drafter_refusal=_NOT_OWN,
        ),
        Step(
            "withdraw",
            _OPEN,
            _S.WITHDRAWN,
            SUBMIT,
            steps.withdraw,
            (Field("reason", TEXT, _("reason"), max_length=10_000, blank=False, in_form=False),),
            drafter="only",
            drafter_refusal=_("Only the clerk who drafted a proposal withdraws it."),
        ),
    )
}


def _round_steps() -> dict[str, Step]:
    """A naming round moves by the same steps as a proposal (the same states, roles, the
    drafter's four-eyes rule, the notice and override rules): each step of ``STEPS`` with
    the round's own work. Objections are to an item (``ITEM_STEPS``), and the approval
    takes one override reason per item (``overrides``: item number → reason)."""
    from registry.services import round_steps

    handlers = {
        "submit": round_steps.submit,
        "start_review": steps.start_review,
        "return_for_revision": steps.return_for_revision,
        "start_notice": steps.start_notice,
        "approve": round_steps.approve,
        "reject": round_steps.reject,
        "withdraw": round_steps.withdraw,
    }
    overrides = Field(
        "overrides",
        MAPPING,
        _("override reasons by item"),
        in_form=False,
        help_text=_("Item number → why its check's errors are accepted."),
    )
    fields = {"approve": APPROVAL_FIELDS[:3] + (overrides,)}
    return {
        name: replace(STEPS[name], handler=handler, fields=fields.get(name, STEPS[name].fields))
        for name, handler in handlers.items()
    }


def _item_steps() -> dict[str, Step]:
    """A round item's own steps, judged on the round's state and by the same roles: an item is
    withdrawn or deferred (to a later round) without holding the others, and objected to
    during the round's notice. ``target`` is the item's outcome afterwards."""
    from registry.services import round_steps

    reason = Field("reason", TEXT, _("reason"), max_length=10_000, rows=2)
    before_decision = (_S.DRAFT, _S.SUBMITTED, _S.IN_REVIEW, _S.PUBLIC_NOTICE)
    return {
        step.name: step
        for step in (
            Step(
                "withdraw",
                before_decision,
                "withdrawn",
                REVIEW,
                round_steps.item_withdraw,
                (reason,),
                title=_("Withdraw the item"),
            ),
            Step(
                "defer",
                before_decision,
                "deferred",
                REVIEW,
                round_steps.item_defer,
                (reason,),
                title=_("Defer the item to a later round"),
            ),
            Step(
                "object",
                (_S.PUBLIC_NOTICE,),
                "pending",
                REVIEW,
                steps.record_objection,
                OBJECTION_FIELDS,
                title=TRANSITION_LABELS["object"],
            ),
        )
    }


ROUND_STEPS: dict[str, Step] = _round_steps()
ITEM_STEPS: dict[str, Step] = _item_steps()
