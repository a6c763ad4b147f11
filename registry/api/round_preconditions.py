"""Conditional round steps: ``If-Match`` on a naming round's steps, 412 when what the client read is stale.

As for a proposal (``api.preconditions``): two reviewers with the same round open must
not act on what they read after the other withdrew an item, the drafter edited one or
the round moved on. A round's answers carry a strong ``ETag`` naming the round as it is
(its events, its items and the latest change of either); a step, an item's step or an
item's edit sent with ``If-Match`` is taken only if that is still so, otherwise 412
Precondition Failed, saying what changed, and nothing is written. Without ``If-Match``
a step is taken as before. ``*`` matches any existing round.

The check runs after authentication and permissions, with the round's row locked in
the transaction that also takes the step. The tag covers the round and its items, not
the places its items rename (a round has a thousand; its approval judges them again).
"""

from __future__ import annotations

from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.api.preconditions import PreconditionFailed, PreconditionsMixin, _strong_match, document_if_match
from registry.models import Round, RoundEvent, RoundItem

WRITES = ("POST", "PATCH", "PUT", "DELETE")
ROUND_PATH = "/api/v1/rounds/{id}/"


def round_etag(round_id: int) -> str | None:
    """The strong ETag of a round: ``"r<id>.<events>.<items>.<latest change, µs>"`` (None if none).

    Events are never deleted and every step writes one; an edit of an item moves its
    ``updated_at``; an added item moves the count. So the tag moves with every change.
    """
    row = Round.objects.filter(pk=round_id).values_list("updated_at").first()
    if row is None:
        return None
    items = RoundItem.objects.filter(round_id=round_id).aggregate(n=Count("pk"), latest=Max("updated_at"))
    events = RoundEvent.objects.filter(round_id=round_id).count()
    latest = max(t for t in (row[0], items["latest"]) if t is not None)
    return f'"r{round_id}.{events}.{items["n"]}.{int(latest.timestamp() * 1_000_000)}"'


def _what_changed(round_id: int) -> str:
    """The round's state now and its last step (who, when), or that an item was edited."""
    round_ = Round.objects.get(pk=round_id)
    event = RoundEvent.objects.filter(round_id=round_id).select_related("actor", "item").order_by("-id").first()
    if event is None:
        return _("the round “%(title)s” or its items were changed by another save") % {"title": round_.title}
    who = event.actor.get_full_name() or event.actor.get_username()
    step = event.get_transition_display()
    if event.item_id:
        step = f"{step}（{event.item}）"
    return _("the round is now “%(state)s”, its last step “%(step)s” by %(who)s at %(when)s") % {
        "state": round_.get_state_display(),
        "step": step,
        "who": who,
        "when": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
    }


def check_if_match(request, round_id: int) -> None:
    """Refuse (412) a write whose ``If-Match`` no longer names the round as it is; lock its row first."""
    header = request.META.get("HTTP_IF_MATCH")
    if not header:
        return
    if not Round.objects.filter(pk=round_id).update(state=F("state")):
        return  # no such round: the view answers 404
    if _strong_match(header, round_etag(round_id)):
        return
    raise PreconditionFailed(
        _(
            "The round changed after you read it (If-Match does not match): %(changes)s. "
            "Read it again (GET) and retry with its new ETag."
        )
        % {"changes": _what_changed(round_id)}
    )


class RoundPreconditionsMixin(PreconditionsMixin):
    """For the round view set: ``If-Match`` on every write to one round; ``ETag`` on its answers."""

    precondition_methods = WRITES

    def check_if_match(self, request, pk: int) -> None:
        check_if_match(request, pk)

    def response_etag(self, response, pk: int | None) -> str | None:
        data = getattr(response, "data", None)
        if pk is None:  # a new round: its tag from the answer
            pk = data.get("id") if response.status_code == 201 and isinstance(data, dict) else None
        if pk is None:
            return None
        if response.status_code == 412 or (
            response.status_code in (200, 201) and isinstance(data, dict) and data.get("id") == pk
        ):
            return round_etag(pk)
        return None


def document_round_preconditions_hook(result, generator, request, public):
    """The ``If-Match`` header and the 412 answer of every write on one round."""
    return document_if_match(
        result,
        prefix=ROUND_PATH,
        methods=("post", "patch", "delete"),
        if_match="Optional. The round's `ETag` as last read: the write is done "
        "only if the round and its items did not change since, else 412.",
        failed="Precondition Failed: the round changed since the `ETag` given in `If-Match` was "
        "read. Nothing was done; the `ETag` header carries the current version.",
    )
