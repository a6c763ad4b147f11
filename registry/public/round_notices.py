"""``/notices/rounds/…``: a naming round under public notice, as one notice listing its items.

Hefei's 5th round was one notice naming hundreds of roads (HEFEI_FACTS.md §4), so a
round is one entry of ``/notices/`` and one page listing every item with its reason
and location, searchable by name and paged. A citizen comments on the item they care
about, on that item's own page: the comment becomes an objection on the item
(``comments.record_item_comment``), throttled and guarded as a proposal's comment is.
The pages count the comments per item and for the round; once the round is decided
they show each item's outcome and the reviewers' responses, never the contacts.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from registry.models import Objection, Round, RoundItem
from registry.models.rounds import ItemAction, ItemOutcome
from registry.public import comments
from registry.public.common import visitor_text
from registry.services.announcements import division_path, place_location
from registry.public.notices import DECIDED, PUBLIC_STATES, ended_message, is_open

PER_PAGE = 100


def public_rounds():
    """Rounds that reached a public notice; a draft or a round in review is the bureau's."""
    return Round.objects.filter(state__in=PUBLIC_STATES, notice_starts_at__isnull=False).annotate(
        item_count=Count("items", distinct=True), comment_count=Count("items__objections", distinct=True)
    )


def rows() -> list[dict]:
    """The rounds as rows of the notice list (``notices.notice_list``)."""
    return [
        {"round": r, "open": is_open(r), "state": r.state, "starts": r.notice_starts_at}
        for r in public_rounds().order_by("-notice_starts_at", "-id")[:50]
    ]


def item_subject(item: RoundItem) -> str:
    """花园街 → 花园路 for a rename (the old name as announced once approved), else the name."""
    if item.action == ItemAction.RENAME:
        old = (item.announced or {}).get("old_name") or (item.place.name if item.place_id else "")
        return f"{old} → {item.name}"
    return item.name or (item.place.name if item.place_id else "")


def item_where(item: RoundItem) -> dict:
    division = item.division or (item.place.division if item.place_id else None)
    location = place_location(item) or (place_location(item.place) if item.place_id else "")
    return {"division": division_path(division), "location": location}


def _closed_message(round_: Round, item: RoundItem) -> str:
    """Why this item takes no comment now (empty while it does)."""
    if not is_open(round_):
        return ended_message(round_)
    if item.outcome != ItemOutcome.PENDING:
        return _("Item %(number)s is “%(outcome)s”: it takes no more comments.") % {
            "number": item.position,
            "outcome": item.get_outcome_display(),
        }
    return ""


def _items(round_: Round, q: str):
    items = (
        round_.items.select_related("place__division__parent", "division__parent")
        .annotate(comment_count=Count("objections"))
        .order_by("position")
    )
    if q:
        match = Q(name__icontains=q) | Q(place__name__icontains=q) | Q(pinyin__icontains=q)
        items = items.filter(match | Q(position=int(q)) if q.isdigit() else match)
    return items


def _round_or_404(pk: int) -> Round:
    round_ = public_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404(pk)
    return round_


def _decision(round_: Round) -> dict:
    decided = round_.state in DECIDED
    announcement = getattr(round_, "announcement", None) if round_.state == "approved" else None
    return {"decided": decided, "announcement": announcement}


def round_detail(request, pk: int):
    round_ = _round_or_404(pk)
    q = visitor_text(request.GET.get("q"))
    page = Paginator(_items(round_, q), PER_PAGE).get_page(request.GET.get("page"))
    open_ = is_open(round_)
    rows_ = [
        {
            "item": i,
            "subject": item_subject(i),
            "commentable": open_ and i.outcome == ItemOutcome.PENDING,
            **item_where(i),
        }
        for i in page
    ]
    by_action = dict(round_.items.values_list("action").annotate(n=Count("pk")).order_by())
    decision = _decision(round_)
    responses = (
        (
            Objection.objects.filter(item__round=round_)
            .exclude(response="")
            .select_related("item")
            .order_by("item__position", "received_on", "id")
        )
        if decision["decided"]
        else []
    )
    return render(
        request,
        "public/round_notice.html",
        {
            "nav": "notices",
            "r": round_,
            "open": open_,
            "q": q,
            "page": page,
            "rows": rows_,
            "by_action": [(label, by_action[value]) for value, label in ItemAction.choices if by_action.get(value)],
            "responses": [{"o": o, "subject": item_subject(o.item)} for o in responses],
            "ended_message": ended_message(round_),
            **decision,
        },
    )


def item_detail(request, pk: int, position: int):
    round_ = _round_or_404(pk)
    item = round_.items.select_related("place__division__parent", "division__parent").filter(position=position).first()
    if item is None:
        raise Http404(position)
    closed = _closed_message(round_, item)
    form = comments.CommentForm()
    if request.method == "POST":
        url = reverse("public:round_item_notice", args=[round_.pk, item.position]) + "#comments"
        result = comments.post_comment(
            request,
            is_open=not closed,
            ended_message=closed,
            done_url=url,
            record=lambda form: comments.record_item_comment(item, form),
        )
        if isinstance(result, HttpResponseRedirect):
            return result
        form = result
    decision = _decision(round_)
    responses = list(item.objections.exclude(response="").order_by("received_on", "id")) if decision["decided"] else []
    return render(
        request,
        "public/round_item.html",
        {
            "nav": "notices",
            "r": round_,
            "item": item,
            "subject": item_subject(item),
            "open": not closed,
            "closed_message": closed,
            "form": form,
            "comment_count": item.objections.count(),
            "responses": responses,
            **item_where(item),
            **decision,
        },
        status=400 if form.errors else 200,
    )
