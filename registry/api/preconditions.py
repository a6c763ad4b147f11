"""Conditional workflow steps: ``If-Match`` on a proposal's steps, 412 when what the client read is stale.

Two reviewers with the same proposal open used to act on what they had read, whatever
had happened since (the drafter corrected the name, an objection came in, the place
was renamed by another decision). A proposal's answers now carry an ``ETag`` naming the
proposal's latest event and the version of its place (``registry.services.place_versions``);
a step sent with ``If-Match`` is taken only if that is still so, otherwise it is
refused with 412 Precondition Failed, saying what changed, and nothing is written.
Without ``If-Match`` a step is taken as before (428 is not required). The comparison
is strong (a weak tag never matches); ``*`` matches any existing proposal.

The check runs after authentication and permissions, with the proposal's row locked
in a transaction that also holds the step, so nothing can come between the check and
the write. ``ProposalPreconditionsMixin`` does it all: put it first in the bases of the
proposal view set; it applies to every POST on one proposal (``/proposals/{id}/…``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException

from registry.choices import TRANSITION_LABELS, ProposalState, ProposalStep
from registry.models import Place, Proposal, ProposalEvent
from registry.services import place_versions

PRECONDITION_DESCRIPTION = (
    "Precondition Failed: the proposal or its place changed since the `ETag` given in `If-Match` was read "
    "(another step, a correction, an objection, a rename of the place). Nothing was done; the body says what "
    "changed and the `ETag` header carries the current version: read the proposal again and retry."
)
IF_MATCH_DESCRIPTION = (
    "Optional. The `ETag` of the proposal as last read (GET /proposals/{id}/ or a step's answer): the step is "
    "taken only if neither the proposal nor its place changed since, otherwise 412."
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Precondition Failed."
    default_code = "precondition_failed"


def _etag(proposal_id: int, events: int, place_version: str | None) -> str:
    tag = f"{proposal_id}.{events}"
    return f'"{tag}.{place_version}"' if place_version else f'"{tag}"'


def proposal_etag(proposal_id: int) -> str | None:
    """The strong ETag of a proposal: ``"<id>.<events>[.<place version>]"`` (None if there is none).

    A proposal's events are never deleted and every change writes one, so their count
    moves with every change of the proposal; the place's version with every change of it.
    """
    row = Proposal.objects.filter(pk=proposal_id).annotate(count=Count("events")).values_list("place_id", "count")
    if not row:
        return None
    place_id, events = row[0]
    return _etag(proposal_id, events, place_versions.version_of(Place(pk=place_id)) if place_id else None)


def answer_etag(data: dict) -> str:
    """The ETag of a proposal answer, from what it shows (its events; the place's version: one query)."""
    place = data.get("place")
    return _etag(data["id"], len(data["events"]), place_versions.version_of_code(place) if place else None)


def _strong_match(header: str, etag: str) -> bool:
    wanted = parse_etags(header)
    return "*" in wanted or etag in wanted  # parse_etags keeps the W/ prefix: a weak tag never matches


def _what_changed(proposal_id: int, header: str) -> str:
    """Say what moved since the client's tag: the proposal's last step, the place's changes."""
    seen = next((tag.strip('"').split(".") for tag in parse_etags(header) if not tag.startswith("W/")), [])
    proposal = Proposal.objects.select_related("place").get(pk=proposal_id)
    parts = []
    events = ProposalEvent.objects.filter(proposal_id=proposal_id).select_related("actor").order_by("-id")
    event = events.first()
    if event is not None and (len(seen) < 2 or seen[1] != str(events.count())):
        step = TRANSITION_LABELS.get(event.transition) or dict(ProposalStep.choices).get(event.transition, "")
        who = (event.actor.get_full_name() or event.actor.get_username()) if event.actor else _("the system")
        parts.append(
            _("the proposal is now “%(state)s”, its last step “%(step)s” by %(who)s at %(when)s")
            % {
                "state": ProposalState(proposal.state).label,
                "step": step,
                "who": who,
                "when": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            }
        )
    if proposal.place_id:
        token = ".".join(seen[2:5])
        if len(seen) != 5 or not place_versions.is_current(proposal.place, token):
            changes = place_versions.changes_since(proposal.place, token if len(seen) == 5 else "")
            if changes:
                parts.append(
                    _("the place %(place)s: %(changes)s")
                    % {"place": f"{proposal.place.name}（{proposal.place.code}）", "changes": "；".join(changes)}
                )
    return "；".join(parts) or _("the place or its names were changed by another save")


def check_if_match(request, proposal_id: int) -> None:
    """Refuse (412) a step whose ``If-Match`` no longer names the proposal as it is; lock its row first.

    Called inside the transaction that also takes the step. The lock is a no-op update of
    the row: on PostgreSQL it holds the row, on SQLite (immediate transactions) the
    database's write lock is already held.
    """
    header = request.META.get("HTTP_IF_MATCH")
    if not header:
        return
    if not Proposal.objects.filter(pk=proposal_id).update(state=F("state")):
        return  # no such proposal: the view answers 404
    etag = proposal_etag(proposal_id)
    if _strong_match(header, etag):
        return
    raise PreconditionFailed(
        _(
            "The proposal or its place changed after you read it (If-Match does not match): "
            "%(changes)s. Read it again (GET) and retry with its new ETag."
        )
        % {"changes": _what_changed(proposal_id, header)}
    )


def _path_pk(kwargs) -> int | None:
    try:
        return int(kwargs.get("pk"))
    except (TypeError, ValueError):
        return None


class PreconditionsMixin:
    """``If-Match`` on every write to one object of a view set, ``ETag`` on its answers.

    A write sent with ``If-Match`` runs in one transaction with its check (rolled back if
    it fails), so nothing comes between the check and the write. A subclass says which
    methods write (``precondition_methods``), how the tag is checked (``check_if_match``,
    which locks the row) and which tag an answer carries (``response_etag``).
    """

    precondition_methods: tuple[str, ...] = ("POST",)

    def check_if_match(self, request, pk: int) -> None:
        raise NotImplementedError

    def response_etag(self, response, pk: int | None) -> str | None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        conditional = request.method in self.precondition_methods and request.META.get("HTTP_IF_MATCH")
        if conditional and _path_pk(kwargs) is not None:
            with transaction.atomic():
                response = super().dispatch(request, *args, **kwargs)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
                return response
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        pk = _path_pk(kwargs)
        if request.method in self.precondition_methods and pk is not None:
            self.check_if_match(request, pk)  # inside dispatch's transaction when If-Match is sent

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        etag = self.response_etag(response, _path_pk(kwargs))
        if etag:
            response["ETag"] = etag
        return response


class ProposalPreconditionsMixin(PreconditionsMixin):
    """For the proposal view set: ``If-Match`` on every POST to one proposal; ``ETag`` on its answers."""

    def check_if_match(self, request, pk: int) -> None:
        check_if_match(request, pk)

    def response_etag(self, response, pk: int | None) -> str | None:
        if response.status_code == 412 and pk is not None:
            return proposal_etag(pk)  # the current version, to read and retry with
        data = getattr(response, "data", None)
        if response.status_code in (200, 201) and isinstance(data, dict):
            if isinstance(data.get("id"), int) and isinstance(data.get("events"), list):
                return answer_etag(data)
        return None


def document_if_match(result: dict, *, prefix: str, methods: tuple[str, ...], if_match: str, failed: str) -> dict:
    """drf-spectacular post-processing: the optional ``If-Match`` header and the 412 answer
    of every ``methods`` operation under ``prefix``."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(prefix):
            continue
        for method in methods:
            operation = operations.get(method)
            if operation is None:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == "If-Match" for p in parameters):
                parameters.append(
                    {
                        "in": "header",
                        "name": "If-Match",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": if_match,
                    }
                )
            operation.setdefault("responses", {})["412"] = {
                "description": failed,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"detail": {"type": "string"}},
                            "required": ["detail"],
                        }
                    }
                },
            }
    return result


def document_preconditions_hook(result, generator, request, public):
    """The ``If-Match`` header and the 412 answer of every POST on one proposal (the
    workflow steps and the objection responses)."""
    return document_if_match(
        result,
        prefix="/api/v1/proposals/{id}/",
        methods=("post",),
        if_match=IF_MATCH_DESCRIPTION,
        failed=PRECONDITION_DESCRIPTION,
    )
